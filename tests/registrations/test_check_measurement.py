"""/lapor/cek-ukur/: the plausibility flags of a measurement before the report is sent."""

import pytest
from django.core.exceptions import ValidationError

from registrations import growth
from registrations.models import Measurement, Submission, validate_posyandu_code

pytestmark = pytest.mark.django_db

URL = "/lapor/cek-ukur/"


def query(**overrides):
    values = {
        "jenis_kelamin": "L",
        "tanggal_lahir": "2023-01-01",
        "tanggal_ukur": "2025-06-01",
        "berat": "12,0",
        "tinggi": "88,0",
        "cara_ukur": "standing",
    }
    values.update(overrides)
    return values


def test_a_plausible_measurement_has_no_flags(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        r = client.get(URL, query())
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    assert r.json() == {"flags": []}
    assert "no-store" in r["Cache-Control"] and "max-age=0" in r["Cache-Control"]


def test_it_flags_a_29_month_old_at_62_cm_and_25_kg(client):
    r = client.get(URL, query(tinggi="62", berat="25"))
    assert r.status_code == 200
    assert r.json()["flags"] == [
        {"code": "haz_implausible", "message": growth.FLAG_LABELS["haz_implausible"]},
        {"code": "waz_implausible", "message": growth.FLAG_LABELS["waz_implausible"]},
        {
            "code": "height_outside_wh_table",
            "message": growth.FLAG_LABELS["height_outside_wh_table"],
        },
    ]
    assert Submission.objects.count() == 0 and Measurement.objects.count() == 0


def test_it_flags_a_baby_measured_standing_but_not_the_position_correction(client):
    r = client.get(
        URL, query(tanggal_lahir="2025-01-01", berat="6,5", tinggi="62", cara_ukur="standing")
    )
    # assess() also applies +0.7 cm here ("height_adjusted"): shown on the receipt, not a mistake.
    assert [f["code"] for f in r.json()["flags"]] == ["standing_under_9_months"]
    r = client.get(URL, query(cara_ukur="lying"))
    assert r.json() == {"flags": []}


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"jenis_kelamin": ""}, "jenis_kelamin", "tidak boleh kosong"),
        ({"jenis_kelamin": "X"}, "jenis_kelamin", "pilihan yang valid"),
        ({"tanggal_lahir": "kemarin"}, "tanggal_lahir", "tanggal yang valid"),
        ({"tanggal_ukur": "2022-12-31"}, "tanggal_ukur", "sebelum tanggal lahir"),
        ({"berat": "0,5"}, "berat", "antara 1,0 dan 40,0 kg"),
        ({"tinggi": "abc"}, "tinggi", "satu angka di belakang koma"),
        ({"cara_ukur": "duduk"}, "cara_ukur", "pilihan yang valid"),
    ],
)
def test_it_refuses_bad_values_with_a_message(client, overrides, field, message):
    r = client.get(URL, query(**overrides))
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert list(errors) == [field]
    assert message in errors[field][0]


def test_it_accepts_only_get(client):
    assert client.post(URL, query()).status_code == 405


def test_no_posyandu_can_take_its_address():
    with pytest.raises(ValidationError):
        validate_posyandu_code("cek-ukur")
