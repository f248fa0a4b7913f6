import hashlib
import io
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from registrations import growth
from registrations.models import Document, Measurement, Posyandu, Submission
from tests.builders import (
    TODAY,
    hidden_value,
    intake_data,
    jpeg_upload,
    make_image_bytes,
    make_pdf_bytes,
    stored_files,
)

pytestmark = pytest.mark.django_db


def outside_templates(html):
    """The page without its <template> elements (markup for the script to copy)."""
    return re.sub(r"<template.*?</template>", "", html, flags=re.S)


def post(client, url="/lapor/", **overrides):
    overrides.setdefault("kk_file", jpeg_upload("kk.jpg"))
    return client.post(url, intake_data(**overrides))


def test_it_shows_the_form(client, posyandu):
    r = client.get("/lapor/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="viewport" content="width=device-width' in html
    assert 'name="kader_phone"' in html and 'inputmode="tel"' in html
    assert 'inputmode="decimal"' in html and 'inputmode="numeric"' in html
    assert 'type="date"' in html
    assert "UU No. 27 Tahun 2022" in html
    # The kecamatan-wide form lists every active posyandu with its village for the script.
    assert f'value="melati" data-village="{posyandu.village.code}"' in html


def test_it_shows_the_introduction_on_first_load(client, posyandu):
    html = client.get("/lapor/melati/").content.decode()
    assert "Butuh sekitar 3 menit. Siapkan foto Kartu Keluarga atau akta kelahiran." in html
    assert 'id="form-errors"' not in outside_templates(html)


def test_it_replaces_the_introduction_by_the_errors(client, posyandu):
    html = post(client, child_name="").content.decode()
    assert 'id="form-errors"' in outside_templates(html)
    assert "Butuh sekitar 3 menit" not in html


def test_it_hides_inactive_posyandu(client, posyandu):
    posyandu.is_active = False
    posyandu.save()
    assert 'value="melati"' not in client.get("/lapor/").content.decode()
    assert client.get("/lapor/melati/").status_code == 404


def test_it_preselects_the_posyandu(client, posyandu, other_posyandu):
    r = client.get("/lapor/melati/")
    assert r.status_code == 200
    form = r.context["form"]
    assert form.initial["village"] == "19.01.01.1009"
    assert form.initial["posyandu"] == "melati"
    html = r.content.decode()
    assert '<option value="19.01.01.1009" selected>' in html
    assert 'value="melati" selected data-village="19.01.01.1009"' in html
    # Still changeable: the other villages and posyandu remain in the lists.
    assert '<option value="19.01.01.2007">' in html
    assert 'value="kenanga"' in html


def posyandu_select(html):
    return re.search(r'<select name="posyandu".*?</select>', html, flags=re.S).group(0)


def test_a_posyandu_form_lists_its_villages_posyandu_and_carries_the_others(
    client, posyandu, other_posyandu
):
    html = client.get("/lapor/melati/").content.decode()
    select = posyandu_select(html)
    assert '<optgroup label="Matras">' in select and 'value="melati"' in select
    assert 'value="lain"' in select
    assert "kenanga" not in select
    # For the page script: the other villages' posyandu, outside the list.
    others = re.search(r'<template id="posyandu-options">(.*?)</template>', html).group(1)
    assert others == (
        '<optgroup label="Rebo" data-village="19.01.01.2007">'
        '<option value="kenanga">Kenanga</option></optgroup>'
    )


def test_the_kecamatan_form_lists_every_posyandu(client, posyandu, other_posyandu):
    html = client.get("/lapor/").content.decode()
    select = posyandu_select(html)
    assert 'value="melati" data-village="19.01.01.1009"' in select
    assert 'value="kenanga" data-village="19.01.01.2007"' in select
    assert 'id="posyandu-options"' not in html


def test_a_form_sent_back_lists_the_chosen_villages_posyandu(client, posyandu, other_posyandu):
    r = post(client, village="19.01.01.2007", posyandu="melati")
    assert r.context["form"].errors["posyandu"] == [
        "Posyandu Melati ada di Matras, bukan di kelurahan/desa yang dipilih."
    ]
    select = posyandu_select(r.content.decode())
    assert 'value="kenanga"' in select and "melati" not in select


def test_it_returns_404_for_unknown_posyandu(client, db):
    assert client.get("/lapor/tidak-ada/").status_code == 404


def test_it_saves_a_report_with_its_document(client, posyandu, media_root):
    r = post(client)
    s = Submission.objects.get()
    assert r.status_code == 302
    assert r.url == f"/lapor/status/{s.code}/"

    assert s.status == Submission.Status.PENDING
    assert s.kader_name == "Siti Aminah"
    assert s.kader_phone == "6281234567890"
    assert s.parent_phone == "6281311112222"
    assert s.village.code == "19.01.01.1009"
    assert s.posyandu == posyandu
    assert s.posyandu_other == ""
    assert s.child_sex == "L"
    assert s.weight_kg == Decimal("9.8")
    assert s.height_cm == Decimal("79.5")
    assert s.measurement_position == "standing"
    assert s.consent_at is not None
    assert s.created_at is not None

    m = s.measurement
    assert (m.source, m.child) == ("kader", None)
    assert (m.measured_on, m.weight_kg, m.height_cm, m.position) == (
        s.measured_on,
        s.weight_kg,
        s.height_cm,
        "standing",
    )
    expected = growth.assess("L", s.birth_date, s.measured_on, 79.5, 9.8, lying=False)
    assert (m.haz, m.waz, m.whz) == (expected.haz, expected.waz, expected.whz)
    assert m.haz_category == expected.haz_category

    doc = Document.objects.get()
    assert doc.submission == s
    assert doc.kind == "kk"
    assert doc.original_name == "kk.jpg"
    assert doc.content_type == "image/jpeg"
    files = stored_files(media_root)
    assert len(files) == 1
    content = files[0].read_bytes()
    assert doc.size == len(content)
    assert doc.sha256 == hashlib.sha256(content).hexdigest()
    # Random stored names: nothing of the child or the original name.
    assert "kk" not in files[0].name and "Rizki" not in str(files[0])
    assert files[0].suffix == ".jpg"


def test_it_accepts_both_documents_and_a_pdf(client, posyandu, media_root):
    pdf = SimpleUploadedFile("akta.pdf", make_pdf_bytes(), "application/pdf")
    post(client, akta_file=pdf)
    kinds = dict(Document.objects.values_list("kind", "content_type"))
    assert kinds == {"kk": "image/jpeg", "akta": "application/pdf"}
    assert len(stored_files(media_root)) == 2


def test_it_accepts_only_an_akta(client, posyandu):
    pdf = SimpleUploadedFile("akta.pdf", make_pdf_bytes(), "application/pdf")
    r = client.post("/lapor/", intake_data(akta_file=pdf))
    assert r.status_code == 302
    assert Document.objects.get().kind == "akta"


def test_it_accepts_another_posyandu_by_name(client, posyandu):
    r = post(client, posyandu="lain", posyandu_other="  Posyandu Anggrek ")
    assert r.status_code == 302
    s = Submission.objects.get()
    assert s.posyandu is None
    assert s.posyandu_other == "Posyandu Anggrek"


def test_it_accepts_png_and_webp_and_converts_them(client, posyandu, media_root):
    png = SimpleUploadedFile("kk.png", make_image_bytes("PNG"), "image/png")
    webp = SimpleUploadedFile("akta.webp", make_image_bytes("WEBP"), "image/webp")
    assert post(client, kk_file=png, akta_file=webp).status_code == 302
    for doc in Document.objects.all():
        with doc.file.open("rb") as f:
            assert Image.open(f).format == "JPEG"


def test_it_accepts_heic(client, posyandu):
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 10)).save(out, "HEIF")
    heic = SimpleUploadedFile("IMG_0001.HEIC", out.getvalue(), "image/heic")
    assert post(client, kk_file=heic).status_code == 302
    assert Document.objects.get().content_type == "image/jpeg"


def test_it_strips_gps_exif(client, posyandu, media_root):
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    exif[0x8825] = {1: "S", 2: (1.0, 52.0, 30.0), 3: "E", 4: (106.0, 7.0, 12.0)}  # GPSInfo
    raw = make_image_bytes(exif=exif.tobytes())
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the upload does carry GPS

    post(client, kk_file=SimpleUploadedFile("kk.jpg", raw, "image/jpeg"))
    content = stored_files(media_root)[0].read_bytes()
    stored = Image.open(io.BytesIO(content))
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert b"Samsung" not in content


def test_it_applies_the_camera_rotation(client, posyandu, media_root):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    raw = make_image_bytes(size=(80, 40), exif=exif.tobytes())
    post(client, kk_file=SimpleUploadedFile("kk.jpg", raw, "image/jpeg"))
    stored = Image.open(io.BytesIO(stored_files(media_root)[0].read_bytes()))
    assert stored.size == (40, 80)


def test_it_shrinks_large_images(client, posyandu, media_root):
    post(client, kk_file=jpeg_upload("kk.jpg", size=(3000, 1500)))
    stored = Image.open(io.BytesIO(stored_files(media_root)[0].read_bytes()))
    assert stored.size == (2000, 1000)


@pytest.mark.parametrize(
    "name,content,content_type",
    [
        ("kk.jpg", b"MZ\x90\x00\x03\x00\x00\x00 this is an exe", "image/jpeg"),
        ("kk.pdf", b"%PDF-1.4 not really a pdf", "application/pdf"),
        ("kk.png", b"<html><script>alert(1)</script></html>", "image/png"),
        ("kk.jpg", make_image_bytes()[:200], "image/jpeg"),  # truncated
        ("kk.gif", make_image_bytes("GIF"), "image/gif"),  # decodable, not an accepted format
        ("kk.jpg", b"", "image/jpeg"),
    ],
)
def test_it_refuses_a_file_that_is_not_what_it_claims(
    client, posyandu, media_root, name, content, content_type
):
    r = post(client, kk_file=SimpleUploadedFile(name, content, content_type))
    assert r.status_code == 200
    assert "kk_file" in r.context["form"].errors
    message = r.context["form"].errors["kk_file"][0]
    assert "bukan foto" in message or "kosong" in message or "tidak boleh kosong" in message
    assert Submission.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_refuses_an_oversize_file(client, posyandu, media_root):
    big = make_image_bytes() + b"\0" * (10 * 1024 * 1024)
    r = post(client, kk_file=SimpleUploadedFile("kk.jpg", big, "image/jpeg"))
    assert r.status_code == 200
    message = r.context["form"].errors["kk_file"][0].replace("\xa0", " ")
    assert "melebihi batas 10,0 MB" in message
    assert Submission.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_refuses_an_encrypted_pdf(client, posyandu):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("rahasia")
    out = io.BytesIO()
    writer.write(out)
    r = post(client, kk_file=SimpleUploadedFile("kk.pdf", out.getvalue(), "application/pdf"))
    assert "kata sandi" in r.context["form"].errors["kk_file"][0]


def test_it_requires_a_document(client, posyandu):
    r = client.post("/lapor/", intake_data())
    assert r.status_code == 200
    assert r.context["form"].errors["kk_file"] == [
        "Unggah foto/scan Kartu Keluarga atau akta kelahiran (minimal salah satu)."
    ]
    assert Submission.objects.count() == 0


def _bad(field, value, message_part):
    return pytest.param(field, value, message_part, id=f"{field}={value!r}")


FUTURE = (TODAY + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    "field,value,message",
    [
        _bad("kader_name", "", "tidak boleh kosong"),
        _bad("kader_phone", "", "tidak boleh kosong"),
        _bad("kader_phone", "12345", "Nomor HP tidak valid"),
        _bad("kader_phone", "021 5551234", "Nomor HP tidak valid"),
        _bad("kader_phone", "+1 555 123 4567", "Nomor HP tidak valid"),
        _bad("kader_phone", "0812abc45678", "Nomor HP tidak valid"),
        _bad("village", "", "tidak boleh kosong"),
        _bad("village", "19.01.01.9999", "pilihan yang valid"),
        _bad("posyandu", "", "tidak boleh kosong"),
        _bad("posyandu", "tidak-ada", "pilihan yang valid"),
        _bad("posyandu", "kenanga", "bukan di kelurahan/desa yang dipilih"),
        _bad("child_name", "", "tidak boleh kosong"),
        _bad("child_nik", "12345", "harus tepat 16 angka"),
        _bad("child_nik", "19010115032400AB", "harus tepat 16 angka"),
        _bad("child_sex", "", "tidak boleh kosong"),
        _bad("child_sex", "X", "pilihan yang valid"),
        _bad("birth_date", "", "tidak boleh kosong"),
        _bad("birth_date", "2024-13-01", "tanggal yang valid"),
        _bad("birth_date", FUTURE, "tidak boleh di masa depan"),
        _bad("birth_date", (TODAY - timedelta(days=1900)).isoformat(), "60 bulan atau lebih"),
        _bad("mother_name", "", "tidak boleh kosong"),
        _bad("parent_occupation", "", "tidak boleh kosong"),
        _bad("parent_phone", "abc", "Nomor HP tidak valid"),
        _bad("address", "", "tidak boleh kosong"),
        _bad("kk_number", "1901", "harus tepat 16 angka"),
        _bad("measured_on", "", "tidak boleh kosong"),
        _bad("measured_on", "kemarin", "tanggal yang valid"),
        _bad("measured_on", FUTURE, "tidak boleh di masa depan"),
        _bad("measured_on", (TODAY - timedelta(days=2000)).isoformat(), "sebelum tanggal lahir"),
        _bad("weight_kg", "", "tidak boleh kosong"),
        _bad("weight_kg", "0,9", "antara 1,0 dan 40,0 kg"),
        _bad("weight_kg", "40.1", "antara 1,0 dan 40,0 kg"),
        _bad("weight_kg", "9,75", "satu angka di belakang koma"),
        _bad("weight_kg", "sembilan", "satu angka di belakang koma"),
        _bad("weight_kg", "-9", "satu angka di belakang koma"),
        _bad("height_cm", "39,9", "antara 40,0 dan 130,0 cm"),
        _bad("height_cm", "130.1", "antara 40,0 dan 130,0 cm"),
        _bad("height_cm", "1.000,5", "satu angka di belakang koma"),
        _bad("measurement_position", "", "tidak boleh kosong"),
        _bad("measurement_position", "sitting", "pilihan yang valid"),
        _bad("consent", "", "tanpa persetujuan data tidak dapat dikirim"),
    ],
)
@pytest.mark.usefixtures("clock")
def test_it_rejects_bad_values(client, posyandu, other_posyandu, media_root, field, value, message):
    r = post(client, **{field: value})
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert Submission.objects.count() == 0
    assert stored_files(media_root) == []
    assert "Laporan belum terkirim." in outside_templates(r.content.decode())


def test_the_summary_links_each_field_with_its_error(client, posyandu):
    r = post(client, child_nik="123", child_sex="", weight_kg="99", consent="")
    html = r.content.decode()
    summary = outside_templates(html).split('id="form-errors"')[1].split("</div>")[0]
    assert 'Ada <span class="error-count">4</span> isian yang perlu diperbaiki' in summary
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a>: ([^<]+)</li>', summary)
    assert links == [
        ("id_child_nik", "NIK anak", "NIK harus tepat 16 angka (sekarang 3 karakter)."),
        ("id_child_sex_0", "Jenis kelamin", "Bidang ini tidak boleh kosong."),
        ("id_weight_kg", "Berat badan", "Nilai harus antara 1,0 dan 40,0 kg."),
        (
            "id_consent",
            "Persetujuan orang tua/wali",
            "Centang persetujuan ini; tanpa persetujuan data tidak dapat dikirim.",
        ),
    ]
    for input_id, _, _ in links:
        assert f'id="{input_id}"' in html
    # Focus moves to the summary by a script file; nothing inline (strict CSP).
    assert 'tabindex="-1"' in summary
    assert "<script>" not in html and "onclick" not in html
    assert "/static/js/checks.js" in html


def test_each_error_is_announced_with_its_field(client, posyandu):
    r = post(client, child_name="", child_nik="123", child_sex="", consent="")
    html = r.content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    # Django points inputs at "<id>_error"; the radio group gets the same reference.
    assert sorted(described) == [
        "id_child_name_error",
        "id_child_nik_error",
        "id_child_sex_error",
        "id_consent_error",
    ]
    for ref in described:
        assert f'<ul class="errorlist" id="{ref}">' in html
    assert html.count('aria-invalid="true"') == 5  # two radios, three inputs


def test_it_requires_the_other_posyandu_name(client, posyandu):
    r = post(client, posyandu="lain", posyandu_other="")
    assert r.context["form"].errors["posyandu_other"] == [
        "Tulis nama posyandu yang tidak ada di daftar."
    ]


def test_it_accepts_boundary_values(client, posyandu):
    r = post(client, weight_kg="1", height_cm="130,0", kader_phone="81234567890")
    assert r.status_code == 302
    s = Submission.objects.get()
    assert (s.weight_kg, s.height_cm) == (Decimal("1.0"), Decimal("130.0"))
    assert s.kader_phone == "6281234567890"


def test_it_keeps_what_was_typed(client, posyandu):
    r = post(client, weight_kg="abc", child_name="Putri Ayu", address="Gang Mawar RT 3")
    html = r.content.decode()
    assert 'value="Putri Ayu"' in html
    assert "Gang Mawar RT 3</textarea>" in html
    assert 'value="abc"' in html
    assert 'value="0812-3456-7890"' in html
    assert re.search(r'<input type="radio" name="child_sex" value="L" [^>]*required checked>', html)
    assert 'value="19.01.01.1009" selected' in html
    assert 'value="melati" selected data-village="19.01.01.1009"' in html
    assert re.search(r'<input type="checkbox" name="consent" [^>]*id="id_consent" checked>', html)
    # Files cannot be kept by the browser: the page says so.
    assert "harus dipilih lagi" in html


def test_it_returns_the_first_receipt_for_a_repeated_send(client, posyandu, media_root):
    key = str(uuid.uuid4())
    first = post(client, idempotency_key=key)
    second = post(client, idempotency_key=key)
    assert first.url == second.url
    assert Submission.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_it_gives_each_form_a_fresh_key(client, posyandu):
    # For browsers without JavaScript; the page script replaces it with the draft's key.
    a, b = (hidden_value(client.get("/lapor/").content.decode(), "idempotency_key") for _ in "ab")
    assert uuid.UUID(a) != uuid.UUID(b)


def script_post(client, url="/lapor/", **overrides):
    overrides.setdefault("kk_file", jpeg_upload("kk.jpg"))
    return client.post(
        url, intake_data(**overrides), headers={"X-Requested-With": "XMLHttpRequest"}
    )


def test_it_answers_the_page_script_with_the_receipt(client, posyandu, media_root):
    key = uuid.uuid4()
    r = script_post(client, "/lapor/melati/", idempotency_key=str(key))
    s = Submission.objects.get()
    assert r.status_code == 200
    assert r.json() == {
        "code": s.code,
        "formatted_code": s.formatted_code,
        "url": f"/lapor/status/{s.code}/",
    }
    assert s.idempotency_key == key
    assert s.documents.count() == 1


def test_it_answers_a_repeated_key_from_the_script_with_the_first_receipt(
    client, posyandu, media_root
):
    key = str(uuid.uuid4())
    first = post(client, idempotency_key=key)
    # The page lost the answer and sends the kept report again.
    again = script_post(client, idempotency_key=key, child_name="Dikirim ulang")
    s = Submission.objects.get()
    assert first.url == again.json()["url"] == s.get_absolute_url()
    assert s.child_name == "Muhammad Rizki"
    assert len(stored_files(media_root)) == 1


def test_it_shows_the_page_script_its_errors_without_asking_for_the_files(client, posyandu):
    r = script_post(client, weight_kg="95")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/html")
    html = r.content.decode()
    assert 'id="form-errors"' in html
    # The script keeps the chosen photos on the phone and puts them back itself.
    assert "harus dipilih lagi" not in html
    assert Submission.objects.count() == 0


def test_it_tells_the_page_the_upload_limit(client, posyandu, settings):
    settings.MAX_UPLOAD_SIZE = 5 * 1024 * 1024
    html = client.get("/lapor/melati/").content.decode()
    # For the page script's check before a long upload, and for people.
    assert html.count('data-max-size="5242880"') == 2
    assert "paling besar 5 MB per berkas" in html
    assert "10 MB" not in html


def test_it_prepares_the_form_for_the_page_script(client, posyandu):
    html = client.get("/lapor/melati/").content.decode()
    assert 'data-pipeline="intake"' in html
    assert 'data-worker="/lapor/sw.js"' in html
    assert 'data-status-url="/lapor/status/kode.json"' in html
    assert '<link rel="manifest" href="/lapor/melati/manifest.webmanifest">' in html


def test_it_leaves_nothing_behind_when_storage_fails(client, posyandu, media_root, monkeypatch):
    real_save = FileSystemStorage._save
    calls = []

    def failing_save(self, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)
    client.raise_request_exception = False
    pdf = SimpleUploadedFile("akta.pdf", make_pdf_bytes(), "application/pdf")
    r = post(client, akta_file=pdf)
    assert r.status_code == 503
    assert len(calls) == 2  # the first file was written, then removed again
    assert Submission.objects.count() == 0
    assert Document.objects.count() == 0
    assert Measurement.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_leaves_no_file_when_the_database_fails(client, posyandu, media_root, monkeypatch):
    def failing_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Document, "save", failing_save)
    client.raise_request_exception = False
    r = post(client)
    assert r.status_code == 500
    assert Submission.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_prefills_the_next_report(client, posyandu):
    post(client, kader_phone="081234567890")
    s = Submission.objects.get()
    r = client.get(f"/lapor/?dari={s.code}")
    form = r.context["form"]
    assert form.initial["kader_name"] == "Siti Aminah"
    # The code travels in chats; the phone number opens the correction page.
    assert "kader_phone" not in form.initial
    assert form.initial["village"] == "19.01.01.1009"
    assert form.initial["posyandu"] == "melati"
    assert "child_name" not in form.initial
    html = r.content.decode()
    assert 'value="Siti Aminah"' in html
    assert "Muhammad Rizki" not in html
    assert "081234567890" not in html and "6281234567890" not in html


def test_it_ignores_an_unknown_prefill_code(client, posyandu):
    r = client.get("/lapor/?dari=AAAABBBBCCCC")
    assert r.status_code == 200
    assert "kader_name" not in r.context["form"].initial


def test_it_stores_the_chosen_posyandu_of_the_village(client, posyandu):
    Posyandu.objects.create(name="Anggrek", village=posyandu.village, code="anggrek")
    post(client, posyandu="anggrek")
    assert Submission.objects.get().posyandu.code == "anggrek"


def test_it_speaks_indonesian_to_an_english_browser(client, posyandu):
    r = client.post("/lapor/", intake_data(child_name=""), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert r.context["form"].errors["child_name"] == ["Bidang ini tidak boleh kosong."]
    assert 'value="9,8"' in r.content.decode()


def test_the_page_carries_the_servers_rules_for_the_phone(client, posyandu):
    html = client.get("/lapor/melati/").content.decode()
    assert 'data-check-url="/lapor/cek-ukur/"' in html
    weight = re.search(r'<input [^>]*name="weight_kg"[^>]*>', html).group(0)
    assert 'data-min="1.0" data-max="40.0"' in weight
    assert 'data-msg-range="Nilai harus antara 1,0 dan 40,0 kg."' in weight
    assert 'data-msg-required="Bidang ini tidak boleh kosong."' in weight
    nik = re.search(r'<input [^>]*name="child_nik"[^>]*>', html).group(0)
    assert 'data-msg-digits="NIK harus tepat 16 angka (sekarang {n} karakter)."' in nik
    assert "data-msg-required" not in nik  # optional
    birth = re.search(r'<input [^>]*name="birth_date"[^>]*>', html).group(0)
    assert f'max="{timezone.localdate().isoformat()}"' in birth
    assert 'data-age-limit-months="60"' in birth
    kk = re.search(r'<input [^>]*name="kk_file"[^>]*>', html).group(0)
    assert 'data-one-of="akta_file"' in kk
    assert 'data-msg-required="Centang persetujuan ini;' in html
    # The markup the script copies for its summary and its question about the measurement.
    assert '<template id="form-errors-template">' in html
    assert '<template id="measurement-check-template">' in html
    assert "Sudah benar, kirim" in html


def test_it_keeps_the_measurement_confirmation_after_an_error(client, posyandu):
    r = post(client, measurement_confirmed="L|2023-01-01|2025-06-01|25|62|standing", child_name="")
    assert 'value="L|2023-01-01|2025-06-01|25|62|standing"' in r.content.decode()
    r = post(client, measurement_confirmed="L|2023-01-01|2025-06-01|25|62|standing")
    assert r.status_code == 302
    assert Submission.objects.count() == 1
