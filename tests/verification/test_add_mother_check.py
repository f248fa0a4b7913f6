"""Staff add a check of a registered mother."""

from datetime import timedelta
from decimal import Decimal

import pytest

from registrations.models import MotherCheck
from tests.builders import TODAY, login_redirect, make_mother, messages_of

pytestmark = pytest.mark.django_db


def url(mother):
    return f"/verifikasi/ibu/{mother.pk}/periksa/"


def data(**overrides):
    values = {
        "checked_on": TODAY.strftime("%d-%m-%Y"),
        "source": "puskesmas",
        "mother_status": "pregnant",
        "pregnancy_month": "6",
        "due_date": "",
        "baby_birth_date": "",
        "muac_cm": "24,0",
        "hb_g_dl": "11,5",
        "weight_kg": "55,5",
        "height_cm": "152",
    }
    values.update(overrides)
    return values


def test_it_sends_anonymous_users_to_the_login_page(client, village):
    mother = make_mother(village)
    r = client.get(url(mother))
    assert r.status_code == 302 and r.url == login_redirect(url(mother))


@pytest.mark.parametrize("who", ["pimpinan", "outsider", "mitra_user", "desa_user"])
def test_only_the_verifikator_adds_a_check(client, request, who, village):
    mother = make_mother(village)
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(mother)).status_code == 403
    assert client.post(url(mother), data()).status_code == 403
    assert mother.checks.count() == 1


def test_it_adds_a_check_that_becomes_her_latest(client, village, verifikator, clock):
    mother = make_mother(village)
    assert mother.is_kek and mother.is_anaemic
    client.force_login(verifikator)
    assert client.get(url(mother)).status_code == 200
    r = client.post(url(mother), data())
    assert r.status_code == 302 and r.url == f"/verifikasi/ibu/{mother.pk}/"
    assert messages_of(r) == ["Pemeriksaan disimpan."]
    check = mother.checks.order_by("-pk").first()
    assert (check.source, check.recorded_by, check.checked_on) == ("puskesmas", verifikator, TODAY)
    assert (check.muac_cm, check.hb_g_dl, check.weight_kg, check.height_cm) == (
        Decimal("24.0"),
        Decimal("11.5"),
        Decimal("55.5"),
        Decimal("152.0"),
    )
    assert check.pregnancy_month == 6
    mother.refresh_from_db()
    assert mother.latest_check == check
    assert (mother.is_kek, mother.is_anaemic) == (False, False)


def test_it_says_when_the_check_finds_kek_and_anaemia(client, village, verifikator, clock):
    mother = make_mother(village, check=False)
    client.force_login(verifikator)
    r = client.post(url(mother), data(muac_cm="21,5", hb_g_dl="9,8"))
    assert messages_of(r) == ["Pemeriksaan disimpan. Hasil: KEK dan anemia."]
    mother.refresh_from_db()
    assert (mother.mother_status, mother.is_kek, mother.is_anaemic) == ("pregnant", True, True)


def test_a_breastfeeding_check_needs_the_babys_birth_date(client, village, verifikator, clock):
    mother = make_mother(village)
    client.force_login(verifikator)
    r = client.post(url(mother), data(mother_status="breastfeeding", pregnancy_month=""))
    assert r.status_code == 200
    assert "Isi tanggal lahir bayi." in r.content.decode()

    born = TODAY - timedelta(days=10)
    r = client.post(
        url(mother),
        data(mother_status="breastfeeding", baby_birth_date=born.strftime("%d-%m-%Y")),
    )
    assert r.status_code == 302
    check = mother.checks.order_by("-pk").first()
    # A month of pregnancy typed before the status was changed is not kept.
    assert (check.mother_status, check.baby_birth_date, check.pregnancy_month) == (
        "breastfeeding",
        born,
        None,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"muac_cm": ""}, "Isi LiLA (lingkar lengan atas) dalam cm."),
        ({"muac_cm": "5"}, "10,0"),
        ({"muac_cm": "abc"}, "Tulis"),
        ({"hb_g_dl": "25"}, "20,0"),
        ({"source": "kader"}, "Pilih sumber pemeriksaan dari daftar."),
        ({"source": ""}, "Pilih sumber pemeriksaan dari daftar."),
        ({"mother_status": ""}, "Pilih hamil atau menyusui."),
        ({"pregnancy_month": ""}, "Isi usia kehamilan atau hari perkiraan lahir (HPL)."),
        ({"checked_on": (TODAY + timedelta(days=1)).strftime("%d-%m-%Y")}, "masa depan"),
        ({"checked_on": "01-01-1990"}, "Tanggal periksa sebelum tanggal lahir ibu."),
    ],
)
def test_it_explains_bad_values_and_keeps_what_was_typed(
    client, village, verifikator, clock, overrides, message
):
    mother = make_mother(village)
    client.force_login(verifikator)
    r = client.post(url(mother), data(weight_kg="55,5", **overrides))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Pemeriksaan belum disimpan" in html
    assert message in html
    assert 'value="55,5"' in html
    assert MotherCheck.objects.filter(mother=mother).count() == 1
