import re
from datetime import timedelta
from decimal import Decimal

import pytest

from registrations import growth
from registrations.models import Child, Measurement
from tests.builders import TODAY, make_child

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

BIRTH = TODAY - timedelta(days=700)


def url(child):
    return f"/verifikasi/anak/{child.pk}/ukur/"


def measurement_data(**overrides):
    data = {
        "measured_on": (TODAY - timedelta(days=3)).isoformat(),
        "weight_kg": "10,4",
        "height_cm": "81.5",
        "position": "lying",
        "source": "kecamatan",
    }
    data.update(overrides)
    return data


@pytest.fixture
def child(village, posyandu):
    return make_child(village, name="Putri Ayu", sex="P", birth_date=BIRTH, posyandu=posyandu)


def existing(child, days_ago, height_cm="78.0", weight_kg="9.6"):
    return Measurement.objects.create(
        child=child,
        measured_on=TODAY - timedelta(days=days_ago),
        height_cm=Decimal(height_cm),
        weight_kg=Decimal(weight_kg),
        position="lying",
        source=Measurement.Source.KADER,
    )


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_the_login_page(client, child, method):
    r = getattr(client, method)(url(child), measurement_data() if method == "post" else {})
    assert r.status_code == 302
    assert r.url == f"/akun/masuk/?next=/verifikasi/anak/{child.pk}/ukur/"
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize("user", ["outsider", "mitra_user", "desa_user", "pimpinan"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_everyone_but_the_verifikator(client, child, user, method, request):
    client.force_login(request.getfixturevalue(user))
    if method == "post":
        r = client.post(url(child), measurement_data())
    else:
        r = client.get(url(child))
    assert r.status_code == 403
    assert Measurement.objects.count() == 0
    child.refresh_from_db()
    assert child.latest_measurement is None


def test_it_returns_404_for_an_unknown_child(client, child, verifikator):
    client.force_login(verifikator)
    missing = f"/verifikasi/anak/{child.pk + 1}/ukur/"
    assert client.get(missing).status_code == 404
    assert client.post(missing, measurement_data()).status_code == 404
    assert Measurement.objects.count() == 0


def test_it_shows_the_form(client, child, verifikator):
    client.force_login(verifikator)
    r = client.get(url(child))
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Tambah pengukuran</h1>" in html
    assert "Sumber pengukuran" in html
    assert f"lahir {BIRTH.day} " in html
    assert 'name="measured_on"' in html and 'type="date"' in html
    assert re.search(
        r'name="weight_kg"[^>]*inputmode="decimal"|inputmode="decimal"[^>]*name="weight_kg"', html
    )
    assert 'type="radio" name="position" value="lying"' in html
    assert 'type="radio" name="position" value="standing"' in html
    assert "Pengukuran belum disimpan" not in html


# --- saving -------------------------------------------------------------------


def test_it_offers_the_staff_sources_with_the_kecamatan_chosen(client, child, verifikator):
    client.force_login(verifikator)
    html = client.get(url(child)).content.decode()
    offered = re.findall(r'type="radio" name="source" value="(\w+)"', html)
    assert offered == ["kecamatan", "puskesmas", "posyandu", "partner"]
    assert re.search(r'name="source" value="kecamatan"[^>]*checked', html)
    assert not re.search(r'name="source" value="puskesmas"[^>]*checked', html)
    for label in ("Kecamatan", "Puskesmas/petugas kesehatan", "Posyandu", "Mitra"):
        assert f"> {label}</label>" in html
    # A kader's measurement comes with her report, never typed in by staff.
    assert 'value="kader"' not in html


@pytest.mark.parametrize("source", ["kecamatan", "puskesmas", "posyandu", "partner"])
def test_it_saves_the_chosen_source_and_shows_its_label(client, child, verifikator, source):
    client.force_login(verifikator)
    r = client.post(url(child), measurement_data(source=source))
    assert r.status_code == 302
    m = Measurement.objects.get()
    assert m.source == source
    assert m.recorded_by == verifikator
    table = client.get(r.url).content.decode().split('id="growth"')[1]
    assert f"<td>{m.get_source_display()}</td>" in table


@pytest.mark.parametrize("source", ["kader", "mitra", "dinas", ""])
def test_it_refuses_a_source_not_offered(client, child, verifikator, source):
    client.force_login(verifikator)
    r = client.post(url(child), measurement_data(source=source))
    assert r.status_code == 200
    assert r.context["form"].errors["source"] == ["Pilih sumber pengukuran dari daftar."]
    assert "Pilih sumber pengukuran dari daftar." in r.content.decode()
    assert not Measurement.objects.exists()


def test_it_saves_a_puskesmas_measurement_with_its_z_scores(client, child, verifikator):
    client.force_login(verifikator)
    measured_on = TODAY - timedelta(days=3)
    r = client.post(
        url(child),
        measurement_data(
            measured_on=measured_on.isoformat(),
            weight_kg="10,4",
            height_cm="81.5",
            position="standing",
            source="puskesmas",
        ),
    )
    assert r.status_code == 302
    assert r.url == f"/verifikasi/anak/{child.pk}/"

    m = Measurement.objects.get()
    assert m.child == child
    assert m.submission is None
    assert m.source == Measurement.Source.PUSKESMAS == "puskesmas"
    assert m.recorded_by == verifikator
    assert (m.measured_on, m.weight_kg, m.height_cm, m.position) == (
        measured_on,
        Decimal("10.4"),
        Decimal("81.5"),
        "standing",
    )
    expected = growth.assess("P", BIRTH, measured_on, Decimal("81.5"), Decimal("10.4"), lying=False)
    assert (m.age_days, m.age_months) == (expected.age_days, expected.age_months)
    assert m.height_used_cm == expected.height_used_cm
    assert (m.haz, m.waz, m.whz) == (expected.haz, expected.waz, expected.whz)
    assert (m.haz_category, m.waz_category, m.whz_category) == (
        expected.haz_category,
        expected.waz_category,
        expected.whz_category,
    )
    assert m.flags == sorted(expected.flags)

    child.refresh_from_db()
    assert child.latest_measurement == m

    page = client.get(r.url).content.decode()
    assert f"Pengukuran disimpan. {m.summary}" in page


def test_it_accepts_a_decimal_comma_in_both_values(client, child, verifikator):
    client.force_login(verifikator)
    r = client.post(url(child), measurement_data(weight_kg="12,5", height_cm="84,3"))
    assert r.status_code == 302
    m = Measurement.objects.get()
    assert (m.weight_kg, m.height_cm) == (Decimal("12.5"), Decimal("84.3"))


@pytest.mark.parametrize(
    "weight,height", [("1", "40"), ("1,0", "40,0"), ("40", "130"), ("40,0", "130,0")]
)
def test_it_accepts_the_boundary_values(client, child, verifikator, weight, height):
    client.force_login(verifikator)
    r = client.post(url(child), measurement_data(weight_kg=weight, height_cm=height))
    assert r.status_code == 302
    m = Measurement.objects.get()
    assert (m.weight_kg, m.height_cm) == (
        Decimal(weight.replace(",", ".")),
        Decimal(height.replace(",", ".")),
    )


def test_it_accepts_a_measurement_on_the_day_of_birth(client, child, verifikator):
    client.force_login(verifikator)
    data = measurement_data(
        measured_on=BIRTH.isoformat(), weight_kg="3,1", height_cm="49,5", position="lying"
    )
    assert client.post(url(child), data).status_code == 302
    m = Measurement.objects.get()
    assert (m.age_days, m.age_months) == (0, 0)
    expected = growth.assess("P", BIRTH, BIRTH, Decimal("49.5"), Decimal("3.1"), lying=True)
    assert (m.haz, m.waz, m.whz) == (expected.haz, expected.waz, expected.whz)


def test_it_makes_the_newest_measurement_the_latest(client, child, verifikator):
    old = existing(child, days_ago=60)
    child.refresh_from_db()
    assert child.latest_measurement == old
    client.force_login(verifikator)
    client.post(url(child), measurement_data(measured_on=(TODAY - timedelta(days=1)).isoformat()))
    new = Measurement.objects.exclude(pk=old.pk).get()
    child.refresh_from_db()
    assert child.latest_measurement == new


def test_it_keeps_the_latest_when_adding_an_older_measurement(client, child, verifikator):
    recent = existing(child, days_ago=5)
    client.force_login(verifikator)
    r = client.post(
        url(child), measurement_data(measured_on=(TODAY - timedelta(days=90)).isoformat())
    )
    assert r.status_code == 302
    assert Measurement.objects.count() == 2
    child.refresh_from_db()
    assert child.latest_measurement == recent


def test_it_keeps_the_child_page_in_date_order(client, child, verifikator):
    existing(child, days_ago=5)
    client.force_login(verifikator)
    client.post(url(child), measurement_data(measured_on=(TODAY - timedelta(days=90)).isoformat()))
    r = client.get(f"/verifikasi/anak/{child.pk}/")
    dates = [m.measured_on for m in r.context["measurements"]]
    assert dates == sorted(dates)
    assert r.context["latest"].source == Measurement.Source.KADER


# --- refusing bad values ------------------------------------------------------

FUTURE = (TODAY + timedelta(days=1)).isoformat()
BEFORE_BIRTH = (BIRTH - timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    "field,value,message",
    [
        pytest.param("weight_kg", "0,5", "Nilai harus antara 1,0 dan 40,0 kg.", id="weight-0,5"),
        pytest.param("weight_kg", "45", "Nilai harus antara 1,0 dan 40,0 kg.", id="weight-45"),
        pytest.param("weight_kg", "40,1", "antara 1,0 dan 40,0 kg", id="weight-40,1"),
        pytest.param("height_cm", "39", "Nilai harus antara 40,0 dan 130,0 cm.", id="height-39"),
        pytest.param("height_cm", "131", "Nilai harus antara 40,0 dan 130,0 cm.", id="height-131"),
        pytest.param(
            "weight_kg", "10,45", "paling banyak satu angka di belakang koma", id="weight-2dec"
        ),
        pytest.param(
            "height_cm", "81.55", "paling banyak satu angka di belakang koma", id="height-2dec"
        ),
        pytest.param("weight_kg", "sepuluh", "satu angka di belakang koma", id="weight-words"),
        pytest.param("weight_kg", "", "tidak boleh kosong", id="weight-missing"),
        pytest.param("height_cm", "", "tidak boleh kosong", id="height-missing"),
        pytest.param(
            "measured_on", FUTURE, "Tanggal ukur tidak boleh di masa depan.", id="date-future"
        ),
        pytest.param(
            "measured_on",
            BEFORE_BIRTH,
            "Tanggal ukur sebelum tanggal lahir anak.",
            id="date-before-birth",
        ),
        pytest.param("measured_on", "", "tidak boleh kosong", id="date-missing"),
        pytest.param("measured_on", "kemarin", "tanggal yang valid", id="date-words"),
        pytest.param("position", "", "tidak boleh kosong", id="position-missing"),
        pytest.param("position", "sitting", "pilihan yang valid", id="position-unknown"),
    ],
)
def test_it_rejects_bad_values_and_creates_nothing(
    client, child, verifikator, field, value, message
):
    old = existing(child, days_ago=30)
    client.force_login(verifikator)
    r = client.post(url(child), measurement_data(**{field: value}))
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    html = r.content.decode()
    assert "Pengukuran belum disimpan: periksa isian yang ditandai merah." in html
    assert message in html
    assert list(Measurement.objects.all()) == [old]
    child.refresh_from_db()
    assert child.latest_measurement == old


def test_it_keeps_what_was_typed(client, child, verifikator):
    client.force_login(verifikator)
    measured_on = (TODAY - timedelta(days=2)).isoformat()
    r = client.post(
        url(child),
        measurement_data(
            measured_on=measured_on, weight_kg="0,5", height_cm="81,55", position="standing"
        ),
    )
    assert r.status_code == 200
    assert set(r.context["form"].errors) == {"weight_kg", "height_cm"}
    html = r.content.decode()
    assert f'name="measured_on" value="{measured_on}"' in html
    assert re.search(r'name="weight_kg" value="0,5"', html)
    assert re.search(r'name="height_cm" value="81,55"', html)
    assert re.search(r'value="standing"[^>]*checked', html)
    assert not re.search(r'value="lying"[^>]*checked', html)
    assert Measurement.objects.count() == 0
    assert Child.objects.get().latest_measurement is None
