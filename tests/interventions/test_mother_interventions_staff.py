"""The kecamatan's pages with mothers' interventions among the children's: the list and its
target filter, the detail page, the obstacle pages, the overdue digest and the admin."""

from datetime import timedelta

import pytest
from django.core import mail

from interventions.emails import send_overdue_digests
from interventions.models import Intervention
from tests.builders import (
    KELAS_IBU,
    PMT_IBU,
    TIMAH,
    kecamatan_user,
    kind,
    make_child,
    make_delivery,
    make_intervention,
    make_mother,
    make_mother_check,
    make_obstacle,
    partner,
    partner_user,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def mixed(village, other_village):
    """A child's and two mothers' interventions, in two villages."""
    return {
        "child": make_intervention(make_child(village, name="Bunga Citra")),
        "mother": make_intervention(make_mother(village, name="Siti Aminah")),
        "rebo": make_intervention(make_mother(other_village, name="Yanti Rebo"), kind=KELAS_IBU),
    }


def names(response):
    return sorted(i.target.name for i in response.context["page"])


# --- the list ------------------------------------------------------------------


def test_the_list_shows_mothers_among_children(client, verifikator, mixed):
    client.force_login(verifikator)
    r = client.get("/intervensi/")
    assert r.status_code == 200
    assert names(r) == ["Bunga Citra", "Siti Aminah", "Yanti Rebo"]
    html = r.content.decode()
    assert f'<a href="/intervensi/{mixed["mother"].pk}/">Siti Aminah</a>' in html
    assert "<td>Rebo</td>" in html


@pytest.mark.parametrize(
    "target, expected",
    [
        ("", ["Bunga Citra", "Siti Aminah", "Yanti Rebo"]),
        ("child", ["Bunga Citra"]),
        ("mother", ["Siti Aminah", "Yanti Rebo"]),
    ],
)
def test_the_list_filters_by_target(client, verifikator, mixed, target, expected):
    client.force_login(verifikator)
    r = client.get("/intervensi/", {"target": target})
    assert names(r) == expected


def test_the_target_filter_offers_both_targets(client, verifikator, db):
    client.force_login(verifikator)
    html = client.get("/intervensi/").content.decode()
    for option in ["Semua", "Balita", "Ibu hamil/menyusui"]:
        assert f">{option}</option>" in html


def test_the_village_filter_matches_children_and_mothers(client, verifikator, mixed, village):
    client.force_login(verifikator)
    r = client.get("/intervensi/", {"village": village.pk})
    assert names(r) == ["Bunga Citra", "Siti Aminah"]


def test_the_search_finds_a_mother(client, verifikator, mixed):
    client.force_login(verifikator)
    assert names(client.get("/intervensi/", {"q": "aminah"})) == ["Siti Aminah"]


# --- the detail page -----------------------------------------------------------


def test_the_detail_page_shows_a_mothers_intervention(client, verifikator, mixed):
    intervention = mixed["mother"]
    check = make_mother_check(intervention.mother, muac_cm="23.0", hb_g_dl="10.0")
    make_delivery(intervention, kecamatan_user(), mother_check=check, description="Paket PMT ibu")
    make_obstacle(intervention, kind="refused")
    client.force_login(verifikator)
    r = client.get(f"/intervensi/{intervention.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "PMT ibu hamil KEK: " in html and "Siti Aminah" in html
    assert "Ibu hamil/menyusui, Matras" in html
    assert "Paket PMT ibu" in html
    assert "Diperiksa: LiLA 23,0 cm (KEK), Hb 10,0 g/dL (anemia)" in html
    assert "Menolak bantuan" in html


def test_the_verifikator_changes_the_status_of_a_mothers_intervention(client, verifikator, mixed):
    intervention = mixed["mother"]
    client.force_login(verifikator)
    r = client.post(f"/intervensi/{intervention.pk}/status/", {"status": "running"})
    assert r.status_code == 302
    intervention.refresh_from_db()
    assert intervention.status == Intervention.Status.RUNNING


# --- obstacles -------------------------------------------------------------------


def test_the_obstacle_pages_show_a_mothers_obstacle(client, verifikator, mixed, village):
    obstacle = make_obstacle(mixed["mother"], kind="refused")
    make_obstacle(mixed["rebo"], kind="unreachable")
    client.force_login(verifikator)
    r = client.get("/kendala/", {"village": village.pk})
    assert r.status_code == 200
    assert [o.pk for o in r.context["page"]] == [obstacle.pk]
    assert "Siti Aminah" in r.content.decode()
    r = client.get(f"/kendala/{obstacle.pk}/")
    assert r.status_code == 200
    assert "<dt>Ibu</dt><dd>Siti Aminah (Matras)</dd>" in r.content.decode()


# --- mail ---------------------------------------------------------------------------


def test_the_overdue_digest_lists_a_mothers_assignment(mixed):
    partner_user("timah-1", email="ani@timah.example")
    intervention = mixed["mother"]
    Intervention.objects.filter(pk=intervention.pk).update(
        planned_end=today() - timedelta(days=4), start_date=today() - timedelta(days=30)
    )
    counts = send_overdue_digests(today=today())
    assert counts["sent"] == 1
    [m] = mail.outbox
    assert "Siti Aminah, Matras: PMT ibu hamil KEK" in m.body
    assert f"/mitra/ibu/{intervention.mother_id}/#assignment-{intervention.pk}" in m.body


# --- admin -----------------------------------------------------------------------


def test_the_admin_lists_both_targets(client, django_user_model, mixed):
    admin = django_user_model.objects.create_superuser("root", password="password")
    client.force_login(admin)
    r = client.get("/admin/interventions/intervention/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Siti Aminah (ibu)" in html and "Bunga Citra (balita)" in html
    r = client.get("/admin/interventions/intervention/", {"kind__target__exact": "mother"})
    html = r.content.decode()
    assert "Siti Aminah (ibu)" in html and "Bunga Citra" not in html
    r = client.get(f"/admin/interventions/intervention/{mixed['mother'].pk}/change/")
    assert r.status_code == 200
    r = client.get("/admin/interventions/interventiontype/", {"target__exact": "mother"})
    html = r.content.decode()
    assert PMT_IBU in html and "Ibu hamil/menyusui" in html
    assert ">PMT<" not in html


# --- assigning children --------------------------------------------------------------


def test_the_childrens_assign_page_offers_no_kind_for_mothers(client, verifikator, village):
    child = make_child(village)
    client.force_login(verifikator)
    r = client.get("/intervensi/tugaskan/", {"anak": child.pk})
    kinds = {k.name for k in r.context["form"].fields["kind"].queryset}
    assert PMT_IBU not in kinds and KELAS_IBU not in kinds
    assert "PMT" in kinds
    r = client.post(
        "/intervensi/tugaskan/",
        {
            "children": [child.pk],
            "partner": partner(TIMAH).pk,
            "kind": kind(PMT_IBU).pk,
            "start_date": today().isoformat(),
        },
    )
    assert r.status_code == 200
    assert r.context["form"].errors["kind"]
    assert not Intervention.objects.exists()
