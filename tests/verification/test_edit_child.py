import re
from datetime import date, timedelta

import pytest

from registrations import growth
from registrations.models import Child, Measurement
from tests.builders import TODAY, make_child, make_measurement

pytestmark = pytest.mark.django_db


def url(child):
    return f"/verifikasi/anak/{child.pk}/ubah/"


def child_data(child, **overrides):
    """The edit form as the page fills it for `child`, with some fields changed."""
    data = {
        "name": child.name,
        "nik": child.nik,
        "sex": child.sex,
        "birth_date": child.birth_date.isoformat(),
        "mother_name": child.mother_name,
        "father_name": child.father_name,
        "parent_occupation": child.parent_occupation,
        "parent_phone": child.parent_phone,
        "address": child.address,
        "kk_number": child.kk_number,
        "village": child.village_id,
        "posyandu": child.posyandu_id or "",
    }
    data.update(overrides)
    return data


def stored(child):
    return Child.objects.values().get(pk=child.pk)


@pytest.fixture
def child(village, posyandu):
    return make_child(
        village,
        name="Putri Ayu",
        nik="1901015001240001",
        birth_date=date(2024, 1, 10),
        posyandu=posyandu,
        parent_phone="6281311112222",
        kk_number="1901010101200001",
    )


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_the_login_page(client, child, method):
    before = stored(child)
    r = getattr(client, method)(
        url(child), child_data(child, name="Diubah") if method == "post" else {}
    )
    assert r.status_code == 302
    assert r.url == f"/akun/masuk/?next=/verifikasi/anak/{child.pk}/ubah/"
    assert stored(child) == before


@pytest.mark.parametrize("user", ["outsider", "mitra_user", "desa_user", "pimpinan"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_everyone_but_the_verifikator(client, child, user, method, request):
    before = stored(child)
    client.force_login(request.getfixturevalue(user))
    if method == "post":
        r = client.post(url(child), child_data(child, name="Diubah", birth_date="2024-02-01"))
    else:
        r = client.get(url(child))
    assert r.status_code == 403
    assert stored(child) == before
    assert child.history.count() == 1


def test_it_returns_404_for_an_unknown_child(client, child, verifikator):
    client.force_login(verifikator)
    missing = f"/verifikasi/anak/{child.pk + 1}/ubah/"
    assert client.get(missing).status_code == 404
    assert client.post(missing, child_data(child, name="Diubah")).status_code == 404
    assert Child.objects.get().name == "Putri Ayu"


def test_it_shows_the_filled_form(client, child, verifikator):
    client.force_login(verifikator)
    r = client.get(url(child))
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Ubah data anak</h1>" in html
    assert 'name="name" value="Putri Ayu"' in html
    assert 'value="1901015001240001"' in html
    assert 'name="birth_date" value="2024-01-10"' in html
    assert f'<option value="{child.posyandu_id}" selected>' in html
    # The stored 6281311112222, as people write it.
    assert 'name="parent_phone" value="0813-1111-2222"' in html
    assert "Setiap perubahan dicatat dengan nama Anda dan waktunya." in html
    assert "Data belum disimpan" not in html


# --- saving -------------------------------------------------------------------


def test_it_saves_the_changes_and_records_who_made_them(client, child, verifikator):
    client.force_login(verifikator)
    r = client.post(
        url(child),
        child_data(
            child,
            name="Putri Ayu Lestari",
            father_name="Budi",
            parent_phone="0812-3456-7890",
            nik="",
        ),
    )
    assert r.status_code == 302
    assert r.url == f"/verifikasi/anak/{child.pk}/"

    child.refresh_from_db()
    assert child.name == "Putri Ayu Lestari"
    assert child.father_name == "Budi"
    assert child.parent_phone == "6281234567890"
    assert child.nik == ""
    assert child.birth_date == date(2024, 1, 10)

    assert child.history.count() == 2
    record = child.history.latest()
    assert record.history_type == "~"
    assert record.history_user == verifikator
    assert record.name == "Putri Ayu Lestari"

    page = client.get(r.url).content.decode()
    assert "Data anak disimpan." in page
    history = page.split('id="history"')[1]
    assert re.search(r"Diubah oleh verifikator", history)
    assert "<li>nama anak: “Putri Ayu” → “Putri Ayu Lestari”</li>" in history
    assert "<li>nama ayah: “–” → “Budi”</li>" in history
    assert "<li>nomor HP orang tua: “6281311112222” → “6281234567890”</li>" in history
    assert "<li>NIK: “1901015001240001” → “–”</li>" in history


def test_it_accepts_a_birth_date_on_the_day_of_the_first_measurement(client, child, verifikator):
    make_measurement(child, date(2024, 7, 10), "66.0", "7.1")
    client.force_login(verifikator)
    r = client.post(url(child), child_data(child, birth_date="2024-07-10"))
    assert r.status_code == 302
    child.refresh_from_db()
    assert child.birth_date == date(2024, 7, 10)


def test_it_accepts_a_posyandu_of_the_new_village(
    client, child, other_village, other_posyandu, verifikator
):
    client.force_login(verifikator)
    r = client.post(
        url(child), child_data(child, village=other_village.pk, posyandu=other_posyandu.pk)
    )
    assert r.status_code == 302
    child.refresh_from_db()
    assert (child.village, child.posyandu) == (other_village, other_posyandu)


def test_it_names_the_old_and_new_village_in_the_history(
    client, child, other_village, other_posyandu, verifikator
):
    client.force_login(verifikator)
    client.post(url(child), child_data(child, village=other_village.pk, posyandu=other_posyandu.pk))
    history = client.get(f"/verifikasi/anak/{child.pk}/").content.decode().split('id="history"')[1]
    assert "kelurahan/desa: “Kelurahan Matras” → “Desa Rebo”" in history
    assert "posyandu: “Posyandu Melati” → “Posyandu Kenanga”" in history


TOMORROW = (TODAY + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    "field,value,message",
    [
        pytest.param(
            "nik", "190101500124000", "NIK harus tepat 16 angka (sekarang 15 karakter).", id="nik15"
        ),
        pytest.param("nik", "1901 0150 0124 00011", "NIK harus tepat 16 angka", id="nik17"),
        pytest.param("kk_number", "19010101012000AB", "Nomor KK harus tepat 16 angka", id="kk-abc"),
        pytest.param("parent_phone", "123", "Nomor HP tidak valid", id="phone"),
        pytest.param(
            "birth_date", TOMORROW, "Tanggal lahir tidak boleh di masa depan.", id="future"
        ),
        pytest.param(
            "birth_date",
            "2024-07-11",
            "Tanggal lahir tidak boleh setelah pengukuran pertama (10-07-2024).",
            id="after-first-measurement",
        ),
        pytest.param("birth_date", "31-02-2024", "tanggal yang valid", id="no-such-date"),
        pytest.param(
            "birth_date",
            "0001-01-01",
            "Tanggal harus antara 1 Januari 1900 dan 31 Desember 2100.",
            id="year-1",
        ),
        pytest.param(
            "birth_date",
            "2019-07-10",  # 60 months old at the first measurement, 10-07-2024
            "Anak sudah berumur 60 bulan atau lebih pada tanggal ukur; "
            "GASKEN hanya untuk balita (di bawah 5 tahun).",
            id="five-years-old-when-measured",
        ),
        pytest.param("name", "", "tidak boleh kosong", id="no-name"),
        pytest.param("sex", "X", "pilihan yang valid", id="sex"),
        pytest.param(
            "posyandu",
            "other_posyandu",
            "Posyandu ini bukan di kelurahan/desa yang dipilih.",
            id="posyandu-of-another-village",
        ),
    ],
)
@pytest.mark.usefixtures("clock")
def test_it_rejects_bad_values_and_changes_nothing(
    client, child, other_posyandu, verifikator, field, value, message
):
    if value == "other_posyandu":
        value = other_posyandu.pk
    make_measurement(child, date(2025, 1, 10), "74.0", "9.0")
    make_measurement(child, date(2024, 7, 10), "66.0", "7.1")
    child.refresh_from_db()
    before = stored(child)
    scores = list(Measurement.objects.values_list("haz", "waz", "whz"))
    client.force_login(verifikator)

    # A valid change goes along, so a partial save would show.
    r = client.post(url(child), child_data(child, mother_name="Ibu Baru", **{field: value}))
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    html = r.content.decode()
    assert "Data belum disimpan: periksa isian yang ditandai merah." in html
    assert message in html
    assert stored(child) == before
    assert child.history.count() == 1
    assert list(Measurement.objects.values_list("haz", "waz", "whz")) == scores


def test_it_accepts_a_child_just_under_five_at_the_first_measurement(client, child, verifikator):
    make_measurement(child, date(2024, 7, 10), "66.0", "7.1")
    client.force_login(verifikator)
    r = client.post(url(child), child_data(child, birth_date="2019-07-11"))
    assert r.status_code == 302
    child.refresh_from_db()
    assert child.birth_date == date(2019, 7, 11)


@pytest.mark.usefixtures("clock")
def test_it_applies_the_age_limit_on_the_registration_day_without_measurements(
    client, child, verifikator
):
    assert not child.measurements.exists()
    client.force_login(verifikator)
    registered = child.registered_on
    five_years_before = registered.replace(year=registered.year - 5)
    r = client.post(url(child), child_data(child, birth_date=five_years_before.isoformat()))
    assert r.status_code == 200
    assert "60 bulan atau lebih" in r.context["form"].errors["birth_date"][0]


def test_it_accepts_numbers_typed_with_spaces(client, child, verifikator):
    # As on the intake form: spaces are dropped before the 16-digit check.
    client.force_login(verifikator)
    r = client.post(
        url(child),
        child_data(child, nik="1901 0150 0124 0002", kk_number="1901 0101 0120 0009"),
    )
    assert r.status_code == 302
    child.refresh_from_db()
    assert (child.nik, child.kk_number) == ("1901015001240002", "1901010101200009")


def test_it_accepts_a_phone_number_written_the_international_way(client, child, verifikator):
    client.force_login(verifikator)
    r = client.post(url(child), child_data(child, parent_phone="+62 813 1111 2222"))
    assert r.status_code == 302
    child.refresh_from_db()
    assert child.parent_phone == "6281311112222"


# --- z-scores follow the birth date and sex ----------------------------------


def _assert_scores_match(child):
    child.refresh_from_db()
    for m in child.measurements.all():
        expected = growth.assess(
            child.sex,
            child.birth_date,
            m.measured_on,
            m.height_cm,
            m.weight_kg,
            lying={"lying": True, "standing": False}.get(m.position),
        )
        assert (m.age_days, m.age_months) == (expected.age_days, expected.age_months)
        assert m.height_used_cm == expected.height_used_cm
        assert (m.haz, m.waz, m.whz) == (expected.haz, expected.waz, expected.whz)
        assert (m.haz_category, m.waz_category, m.whz_category) == (
            expected.haz_category,
            expected.waz_category,
            expected.whz_category,
        )
        assert m.flags == sorted(expected.flags)


@pytest.mark.parametrize(
    "change",
    [
        {"birth_date": "2023-12-01"},
        {"sex": "L"},
        {"birth_date": "2023-12-01", "sex": "L"},
    ],
    ids=["birth_date", "sex", "both"],
)
def test_it_recomputes_the_z_scores_when_birth_date_or_sex_change(
    client, child, verifikator, change
):
    make_measurement(child, date(2024, 7, 10), "66.0", "7.1")
    make_measurement(child, date(2025, 1, 10), "67.5", "8.2")
    make_measurement(child, date(2026, 2, 1), "82.0", "10.5", position="standing")
    before = {m.pk: (m.age_days, m.haz, m.waz, m.whz) for m in child.measurements.all()}
    latest = Child.objects.get(pk=child.pk).latest_measurement_id
    client.force_login(verifikator)

    r = client.post(url(child), child_data(child, **change))
    assert r.status_code == 302
    assert r.url == f"/verifikasi/anak/{child.pk}/"
    _assert_scores_match(child)
    after = {m.pk: (m.age_days, m.haz, m.waz, m.whz) for m in child.measurements.all()}
    assert all(after[pk] != before[pk] for pk in before)
    assert child.latest_measurement_id == latest


def test_it_refuses_a_birth_date_after_the_exit_from_the_programme(client, child, verifikator):
    child.programme_status, child.exit_reason, child.exit_date = "exited", "moved", date(2024, 5, 1)
    child.save()
    client.force_login(verifikator)
    r = client.post(url(child), child_data(child, birth_date="2024-05-02"))
    assert r.status_code == 200
    assert r.context["form"].errors["birth_date"] == [
        "Tanggal lahir tidak boleh setelah tanggal keluar dari program (01-05-2024)."
    ]
    child.refresh_from_db()
    assert child.birth_date == date(2024, 1, 10)

    r = client.post(url(child), child_data(child, birth_date="2024-05-01"))
    assert r.status_code == 302
    child.refresh_from_db()
    assert child.birth_date == date(2024, 5, 1)
    assert child.programme_status == "exited"
