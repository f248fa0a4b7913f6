"""The mother's form: /lapor/ibu/, /lapor/<posyandu>/ibu/ and /lapor/desa/<kode>/ibu/."""

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations.models import Document, MotherReport, MotherReportVersion, Submission
from tests.builders import (
    TODAY,
    hidden_value,
    jpeg_upload,
    make_mother_report,
    make_submission,
    mother_intake_data,
    stored_files,
)

pytestmark = pytest.mark.django_db


def outside_templates(html):
    return re.sub(r"<template.*?</template>", "", html, flags=re.S)


def post(client, url="/lapor/ibu/", *, headers=None, **overrides):
    overrides.setdefault("kk_file", jpeg_upload("kk.jpg"))
    return client.post(url, mother_intake_data(**overrides), headers=headers or {})


def test_it_shows_the_form(client, posyandu):
    r = client.get("/lapor/ibu/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Laporan ibu hamil dan ibu menyusui" in html
    assert 'enctype="multipart/form-data"' in html
    assert 'id="intake-form"' in html and 'data-draft="ibu"' in html
    for name in ("name", "nik", "mother_status", "pregnancy_month", "due_date", "muac_cm"):
        assert f'name="{name}"' in html
    assert 'name="baby_birth_date"' in html
    # The baby is asked by birth date only: the public form never searches the registry.
    assert 'name="baby"' not in html
    assert "UU No. 27 Tahun 2022" in html
    assert 'href="/lapor/" id="child-form-link"' in html


@pytest.mark.parametrize(
    "url,village_code,posyandu_selected,child_url",
    [
        ("/lapor/melati/ibu/", "19.01.01.1009", True, "/lapor/melati/"),
        ("/lapor/desa/19.01.01.1009/ibu/", "19.01.01.1009", False, "/lapor/desa/19.01.01.1009/"),
    ],
)
def test_it_preselects_the_place(client, posyandu, url, village_code, posyandu_selected, child_url):
    html = client.get(url).content.decode()
    assert f'<option value="{village_code}" selected>' in html
    assert ('value="melati" selected' in html) == posyandu_selected
    assert f'href="{child_url}" id="child-form-link"' in html


def test_the_childs_form_links_to_the_mothers(client, posyandu):
    assert 'href="/lapor/ibu/" id="mother-form-link"' in client.get("/lapor/").content.decode()
    html = client.get("/lapor/melati/").content.decode()
    assert 'href="/lapor/melati/ibu/" id="mother-form-link"' in html
    html = client.get("/lapor/desa/19.01.01.1009/").content.decode()
    assert 'href="/lapor/desa/19.01.01.1009/ibu/" id="mother-form-link"' in html


@pytest.mark.parametrize(
    "url", ["/lapor/tidak-ada/ibu/", "/lapor/desa/19.01.01.9999/ibu/", "/lapor/desa/x/ibu/"]
)
def test_it_returns_404_for_an_unknown_place(client, db, url):
    assert client.get(url).status_code == 404


def test_each_page_is_kept_apart_from_the_childs(client, posyandu):
    # The same place, two forms: neither kept page serves the other.
    for _ in range(2):
        assert "Laporan ibu hamil" in client.get("/lapor/melati/ibu/").content.decode()
        assert "Laporan ibu hamil" not in client.get("/lapor/melati/").content.decode()


def test_it_gives_each_form_a_fresh_key(client, posyandu):
    a, b = (
        hidden_value(client.get("/lapor/ibu/").content.decode(), "idempotency_key") for _ in "ab"
    )
    assert uuid.UUID(a) != uuid.UUID(b)


@pytest.mark.usefixtures("clock")
def test_it_saves_a_pregnant_mother_with_her_kk(client, posyandu, media_root):
    key = uuid.uuid4()
    r = post(client, "/lapor/melati/ibu/", idempotency_key=str(key))
    report = MotherReport.objects.get()
    assert r.status_code == 302 and r.url == f"/lapor/status/{report.code}/"
    assert (report.status, report.version, report.idempotency_key) == ("pending", 1, key)
    assert (report.kader_name, report.kader_phone) == ("Siti Aminah", "6281234567890")
    assert (report.village.code, report.posyandu, report.posyandu_other) == (
        "19.01.01.1009",
        posyandu,
        "",
    )
    assert (report.name, report.nik, report.birth_date) == (
        "Rina Marlina",
        "1901014507950001",
        date(1995, 7, 5),
    )
    assert (report.phone, report.kk_number, report.husband_name) == (
        "6281311112222",
        "1901010101200001",
        "Ahmad",
    )
    assert (report.mother_status, report.pregnancy_month, report.due_date) == (
        "pregnant",
        5,
        None,
    )
    assert report.baby_birth_date is None and report.baby is None
    assert (report.measured_on, report.muac_cm, report.hb_g_dl) == (
        TODAY - timedelta(days=2),
        Decimal("22.8"),
        Decimal("10.5"),
    )
    assert (report.weight_kg, report.height_cm) == (Decimal("52.5"), Decimal("151.0"))
    assert report.consent_at is not None
    doc = Document.objects.get()
    assert (doc.mother_report, doc.submission, doc.kind) == (report, None, "kk")
    assert len(stored_files(media_root)) == 1
    assert MotherReportVersion.objects.get().data == report.snapshot()
    assert Submission.objects.count() == 0


@pytest.mark.usefixtures("clock")
def test_it_saves_a_pregnant_mother_by_her_due_date(client, posyandu):
    due = (TODAY + timedelta(days=120)).isoformat()
    post(client, pregnancy_month="", due_date=due)
    report = MotherReport.objects.get()
    assert (report.pregnancy_month, report.due_date) == (None, TODAY + timedelta(days=120))


@pytest.mark.usefixtures("clock")
def test_it_saves_a_breastfeeding_mother_and_drops_the_pregnancy_fields(client, posyandu):
    baby = (TODAY - timedelta(days=100)).isoformat()
    # Typed while "hamil" was chosen, then the kader switched: not the mother's values.
    post(client, mother_status="breastfeeding", pregnancy_month="99", baby_birth_date=baby)
    report = MotherReport.objects.get()
    assert report.mother_status == "breastfeeding"
    assert (report.pregnancy_month, report.due_date) == (None, None)
    assert report.baby_birth_date == TODAY - timedelta(days=100)


@pytest.mark.usefixtures("clock")
def test_a_pregnant_mother_ignores_a_baby_date_typed_before(client, posyandu):
    post(client, baby_birth_date="bukan tanggal")
    assert MotherReport.objects.get().baby_birth_date is None


def test_it_accepts_another_posyandu_and_no_optional_values(client, posyandu):
    post(
        client,
        posyandu="lain",
        posyandu_other="Anggrek",
        nik="",
        phone="",
        kk_number="",
        husband_name="",
        hb_g_dl="",
        height_cm="",
    )
    report = MotherReport.objects.get()
    assert (report.posyandu, report.posyandu_other) == (None, "Anggrek")
    assert (report.nik, report.phone, report.hb_g_dl, report.height_cm) == ("", "", None, None)
    assert not report.is_anaemic


def test_it_requires_the_kk_photo(client, posyandu, media_root):
    r = client.post("/lapor/ibu/", mother_intake_data())
    assert r.status_code == 200
    assert r.context["form"].errors == {"kk_file": ["Unggah foto/scan Kartu Keluarga."]}
    assert MotherReport.objects.count() == 0 and stored_files(media_root) == []


def test_it_refuses_a_file_that_is_not_a_photo(client, posyandu, media_root):
    fake = SimpleUploadedFile("kk.jpg", b"not an image at all", "image/jpeg")
    r = post(client, kk_file=fake)
    assert list(r.context["form"].errors) == ["kk_file"]
    assert MotherReport.objects.count() == 0 and stored_files(media_root) == []


FUTURE = (TODAY + timedelta(days=1)).isoformat()


def _days(n):
    return (TODAY + timedelta(days=n)).isoformat()


def _bad(field, message, **overrides):
    label = ",".join(f"{k}={v!r}" for k, v in overrides.items())
    return pytest.param(field, message, overrides, id=label)


@pytest.mark.parametrize(
    "field,message,overrides",
    [
        _bad("kader_name", "tidak boleh kosong", kader_name=""),
        _bad("kader_phone", "Nomor HP tidak valid", kader_phone="12345"),
        _bad("village", "tidak boleh kosong", village=""),
        _bad("posyandu", "bukan di kelurahan/desa yang dipilih", posyandu="kenanga"),
        _bad("posyandu_other", "Tulis nama posyandu", posyandu="lain"),
        _bad("name", "tidak boleh kosong", name=""),
        _bad("nik", "NIK harus tepat 16 angka", nik="12345"),
        _bad("birth_date", "tidak boleh kosong", birth_date=""),
        _bad("birth_date", "tanggal yang valid", birth_date="1995-13-01"),
        _bad("birth_date", "Tanggal lahir tidak boleh di masa depan", birth_date=FUTURE),
        _bad("birth_date", "antara 10 dan 60 tahun", birth_date="2017-01-01"),
        _bad("birth_date", "antara 10 dan 60 tahun", birth_date="1965-01-01"),
        _bad("phone", "Nomor HP tidak valid", phone="abc"),
        _bad("address", "tidak boleh kosong", address=""),
        _bad("kk_number", "Nomor KK harus tepat 16 angka", kk_number="1901"),
        _bad("mother_status", "Pilih status ibu: hamil atau menyusui.", mother_status=""),
        _bad("mother_status", "pilihan yang valid", mother_status="nifas"),
        _bad(
            "pregnancy_month",
            "Isi usia kehamilan (bulan) atau HPL, minimal salah satu.",
            pregnancy_month="",
        ),
        _bad("pregnancy_month", "angka 1 sampai 10", pregnancy_month="0"),
        _bad("pregnancy_month", "angka 1 sampai 10", pregnancy_month="11"),
        _bad("pregnancy_month", "angka 1 sampai 10", pregnancy_month="lima"),
        _bad("due_date", "lebih dari 10 bulan sesudah tanggal periksa", due_date=_days(320)),
        _bad("due_date", "HPL sudah lewat lebih dari 1 bulan", due_date=_days(-40)),
        _bad(
            "baby_birth_date",
            "Isi tanggal lahir bayi untuk ibu menyusui.",
            mother_status="breastfeeding",
        ),
        _bad(
            "baby_birth_date",
            "Tanggal lahir bayi tidak boleh di masa depan",
            mother_status="breastfeeding",
            baby_birth_date=FUTURE,
        ),
        _bad(
            "baby_birth_date",
            "Tanggal lahir bayi sesudah tanggal periksa",
            mother_status="breastfeeding",
            baby_birth_date=_days(-1),
        ),
        _bad(
            "baby_birth_date",
            "24 bulan atau lebih",
            mother_status="breastfeeding",
            baby_birth_date="2024-03-01",
        ),
        _bad("measured_on", "tidak boleh kosong", measured_on=""),
        _bad("measured_on", "Tanggal periksa tidak boleh di masa depan", measured_on=FUTURE),
        _bad("muac_cm", "tidak boleh kosong", muac_cm=""),
        _bad("muac_cm", "antara 15,0 dan 45,0 cm", muac_cm="14,9"),
        _bad("muac_cm", "antara 15,0 dan 45,0 cm", muac_cm="45.1"),
        _bad("muac_cm", "satu angka di belakang koma", muac_cm="22,85"),
        _bad("hb_g_dl", "antara 4,0 dan 20,0 g/dL", hb_g_dl="3,9"),
        _bad("hb_g_dl", "antara 4,0 dan 20,0 g/dL", hb_g_dl="20,1"),
        _bad("weight_kg", "tidak boleh kosong", weight_kg=""),
        _bad("weight_kg", "antara 30,0 dan 150,0 kg", weight_kg="29,9"),
        _bad("weight_kg", "antara 30,0 dan 150,0 kg", weight_kg="150,1"),
        _bad("height_cm", "antara 120,0 dan 200,0 cm", height_cm="119"),
        _bad("height_cm", "antara 120,0 dan 200,0 cm", height_cm="201"),
        _bad("consent", "tanpa persetujuan data tidak dapat dikirim", consent=""),
    ],
)
@pytest.mark.usefixtures("clock")
def test_it_rejects_bad_values(
    client, posyandu, other_posyandu, media_root, field, message, overrides
):
    r = post(client, **overrides)
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert MotherReport.objects.count() == 0 and Document.objects.count() == 0
    assert stored_files(media_root) == []
    html = outside_templates(r.content.decode())
    assert "Laporan belum terkirim." in html
    # What was typed stays in the form.
    assert 'value="Rina Marlina"' in html or overrides.get("name") == ""


@pytest.mark.usefixtures("clock")
def test_it_accepts_the_boundary_values(client, posyandu):
    post(
        client,
        birth_date=(TODAY - timedelta(days=365 * 60)).isoformat(),
        muac_cm="15",
        hb_g_dl="20",
        weight_kg="150",
        height_cm="120",
        pregnancy_month="10",
        due_date=_days(-30 - 2),
    )
    report = MotherReport.objects.get()
    assert (report.muac_cm, report.hb_g_dl, report.pregnancy_month) == (
        Decimal("15.0"),
        Decimal("20.0"),
        10,
    )


def test_it_returns_the_first_receipt_for_a_repeated_send(client, posyandu, media_root):
    key = str(uuid.uuid4())
    first = post(client, idempotency_key=key)
    second = post(client, idempotency_key=key, name="Dikirim ulang")
    assert first.url == second.url
    assert MotherReport.objects.get().name == "Rina Marlina"
    assert len(stored_files(media_root)) == 1


def test_it_answers_the_page_script_with_the_receipt(client, posyandu, media_root):
    key = str(uuid.uuid4())
    script = {"X-Requested-With": "XMLHttpRequest"}
    r = post(client, "/lapor/melati/ibu/", headers=script, idempotency_key=key)
    report = MotherReport.objects.get()
    assert r.json() == {
        "code": report.code,
        "formatted_code": report.formatted_code,
        "url": f"/lapor/status/{report.code}/",
    }
    again = post(client, headers=script, idempotency_key=key)
    assert again.json() == r.json()
    assert MotherReport.objects.count() == 1


def test_it_shows_the_page_script_its_errors(client, posyandu):
    r = post(client, headers={"X-Requested-With": "XMLHttpRequest"}, muac_cm="99")
    assert r["Content-Type"].startswith("text/html")
    html = r.content.decode()
    assert 'id="form-errors"' in html and 'id="intake-form"' in html
    assert "harus dipilih lagi" not in html
    assert MotherReport.objects.count() == 0


def test_it_prefills_the_next_report_after_a_mothers_or_a_childs(client, posyandu):
    for report in (
        make_mother_report(posyandu.village, posyandu),
        make_submission(posyandu.village, posyandu),
    ):
        form = client.get(f"/lapor/ibu/?dari={report.code}").context["form"]
        assert form.initial["kader_name"] == report.kader_name
        assert (form.initial["village"], form.initial["posyandu"]) == ("19.01.01.1009", "melati")
        # Not the kader's phone number: it opens the correction pages.
        assert "kader_phone" not in form.initial


def test_the_page_carries_the_rules_for_the_phone(client, posyandu):
    html = client.get("/lapor/ibu/").content.decode()
    assert 'data-msg-one-of="Unggah foto/scan Kartu Keluarga."' in html
    assert 'data-required-if="mother_status=breastfeeding"' in html
    assert 'data-status="pregnant"' in html and 'data-status="breastfeeding"' in html
    assert 'data-msg-range="Nilai harus antara 15,0 dan 45,0 cm."' in html
    assert 'data-below="23.5" data-msg-below="Di bawah 23,5 cm: KEK' in html
    assert 'data-below="11.0" data-msg-below="Di bawah 11 g/dL: anemia."' in html


def test_it_leaves_nothing_behind_when_the_database_fails(
    client, posyandu, media_root, monkeypatch
):
    from django.db import OperationalError

    def fail(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(MotherReportVersion.objects, "create", fail)
    client.raise_request_exception = False
    r = post(client)
    assert r.status_code == 503  # asked to send again
    assert MotherReport.objects.count() == Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_its_posts_count_towards_the_public_rate_limit(client, posyandu, settings):
    settings.RATE_LIMIT_PUBLIC_POSTS = (2, 600)
    assert post(client, "/lapor/ibu/").status_code == 302
    assert post(client, "/lapor/melati/ibu/").status_code == 302
    r = post(client, "/lapor/desa/19.01.01.1009/ibu/")
    assert r.status_code == 429
    assert MotherReport.objects.count() == 2


def test_ibu_is_not_a_posyandu_code(village):
    from django.core.exceptions import ValidationError

    from registrations.models import Posyandu

    with pytest.raises(ValidationError):
        Posyandu(name="Ibu", village=village, code="ibu").full_clean()


def test_a_server_error_leads_back_to_the_mothers_form(client, posyandu, monkeypatch):
    from registrations import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "mother_report_create", boom)
    client.raise_request_exception = False
    r = post(client, "/lapor/melati/ibu/")
    assert r.status_code == 500
    assert 'href="/lapor/melati/ibu/" id="back-to-form"' in r.content.decode()
    assert MotherReport.objects.count() == 0


def test_the_admin_lists_the_mothers_form_qr_codes_and_posters(client, posyandu, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="password"))
    html = client.get("/admin/registrations/posyandu/").content.decode()
    for url in ("/lapor/melati/ibu/", "/lapor/melati/ibu/qr.svg", "/lapor/melati/ibu/poster/"):
        assert f'href="{url}"' in html
    for url in ("/lapor/ibu/", "/lapor/ibu/qr.png", "/lapor/ibu/poster/"):
        assert f'href="{url}"' in html
    html = client.get("/admin/registrations/village/").content.decode()
    for url in ("/lapor/desa/19.01.01.1009/ibu/", "/lapor/desa/19.01.01.1009/ibu/poster/semua/"):
        assert f'href="{url}"' in html
