"""The registry of mothers: /verifikasi/ibu/ with its filters and pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from registrations.models import Mother
from tests.builders import TODAY, login_redirect, make_mother, make_mother_check

pytestmark = pytest.mark.django_db

URL = "/verifikasi/ibu/"


def test_it_sends_anonymous_users_to_the_login_page(client, db):
    r = client.get(URL)
    assert r.status_code == 302 and r.url == login_redirect(URL)


@pytest.mark.parametrize("who", ["outsider", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, who, village):
    make_mother(village, name="Siti Rahasia")
    client.force_login(request.getfixturevalue(who))
    r = client.get(URL)
    assert r.status_code == 403
    assert b"Siti Rahasia" not in r.content


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_lists_mothers_with_their_latest_condition(client, request, who, village, posyandu):
    mother = make_mother(village, posyandu=posyandu)
    client.force_login(request.getfixturevalue(who))
    r = client.get(URL)
    assert r.status_code == 200
    assert list(r.context["page"]) == [mother]
    html = r.content.decode()
    assert f'<a href="/verifikasi/ibu/{mother.pk}/">Siti Aminah</a>' in html
    assert "Matras · Melati" in html
    assert '22,8 cm <span class="badge badge-kek">KEK</span>' in html
    assert '10,5 g/dL <span class="badge badge-anaemia">anemia</span>' in html


def test_it_hides_mothers_merged_into_another(client, village, verifikator):
    kept = make_mother(village)
    make_mother(village, name="Siti Ganda", merged_into=kept)
    client.force_login(verifikator)
    assert list(client.get(URL).context["page"]) == [kept]


@pytest.fixture
def registry(village, other_village, posyandu):
    """Four mothers that differ in one thing each from the first."""
    kek = make_mother(village, name="Ani KEK", nik="1901014101900001", posyandu=posyandu)
    healthy = make_mother(village, name="Budi Sehat", nik="", check=False)
    make_mother_check(healthy, muac_cm=Decimal("25.0"), hb_g_dl=Decimal("12.0"))
    nursing = make_mother(other_village, name="Citra Menyusui", nik="", check=False)
    make_mother_check(
        nursing,
        mother_status="breastfeeding",
        pregnancy_month=None,
        baby_birth_date=TODAY - timedelta(days=30),
        muac_cm=Decimal("24.0"),
        hb_g_dl=Decimal("10.0"),
    )
    exited = make_mother(
        village,
        name="Dewi Keluar",
        nik="",
        programme_status=Mother.ProgrammeStatus.EXITED,
        exit_reason=Mother.ExitReason.MOVED,
        exit_date=TODAY,
    )
    return {"kek": kek, "healthy": healthy, "nursing": nursing, "exited": exited}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["kek", "healthy", "nursing", "exited"]),
        ({"village": "other"}, ["nursing"]),
        ({"posyandu": "melati"}, ["kek"]),
        ({"mother_status": "breastfeeding"}, ["nursing"]),
        ({"mother_status": "pregnant"}, ["kek", "healthy", "exited"]),
        ({"kek": "ya"}, ["kek", "exited"]),
        ({"kek": "tidak"}, ["healthy", "nursing"]),
        ({"anaemia": "ya"}, ["kek", "nursing", "exited"]),
        ({"anaemia": "tidak"}, ["healthy"]),
        ({"status": "exited"}, ["exited"]),
        ({"status": "active"}, ["kek", "healthy", "nursing"]),
        ({"q": "menyusui"}, ["nursing"]),
        ({"q": "41019"}, ["kek"]),
    ],
)
def test_it_filters(client, verifikator, registry, other_village, posyandu, params, expected):
    if params.get("village") == "other":
        params = {"village": other_village.pk}
    if params.get("posyandu") == "melati":
        params = {"posyandu": posyandu.pk}
    client.force_login(verifikator)
    r = client.get(URL, params)
    assert r.status_code == 200
    assert list(r.context["page"]) == [registry[key] for key in expected]


def test_it_paginates(client, verifikator, village):
    for n in range(26):
        make_mother(village, name=f"Ibu {n:02d}", nik="", birth_date=date(1990, 1, 1), check=False)
    client.force_login(verifikator)
    first = client.get(URL)
    assert len(first.context["page"]) == 25
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert [m.name for m in second.context["page"]] == ["Ibu 25"]
