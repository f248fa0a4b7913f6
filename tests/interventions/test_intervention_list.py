from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interventions.models import Intervention
from tests.builders import (
    PUSKESMAS,
    RUJUKAN,
    TIMAH,
    kind,
    make_child,
    make_intervention,
    partner,
)

pytestmark = pytest.mark.django_db
URL = "/intervensi/"
S = Intervention.Status


def names(response):
    return [i.child.name for i in response.context["page"]]


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, db):
    r = client.get(URL)
    assert r.status_code == 302
    assert r.url == "/akun/masuk/?next=/intervensi/"


@pytest.mark.parametrize("who", ["outsider", "staff", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, who, village, verifikator):
    make_intervention(make_child(village, name="Rahasia Sekali"), created_by=verifikator)
    client.force_login(request.getfixturevalue(who))
    r = client.get(URL)
    assert r.status_code == 403
    assert b"Rahasia Sekali" not in r.content


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_lists_interventions_for_staff(client, request, who, village, verifikator):
    make_intervention(make_child(village, name="Putri Ayu"), PUSKESMAS, created_by=verifikator)
    client.force_login(request.getfixturevalue(who))
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Putri Ayu" in html
    assert "Puskesmas Sungailiat" in html
    assert "Matras" in html


# --- ordering and filters -------------------------------------------------------


def test_it_lists_the_nearest_planned_end_first(client, verifikator, village):
    today = timezone.localdate()
    for name, days in (("Kedua", 20), ("Pertama", 5), ("Ketiga", 40)):
        make_intervention(
            make_child(village, name=name),
            created_by=verifikator,
            start_date=today,
            planned_end=today + timedelta(days=days),
        )
    client.force_login(verifikator)
    assert names(client.get(URL)) == ["Pertama", "Kedua", "Ketiga"]


def test_it_filters_by_partner_type_and_status(client, verifikator, village):
    make_intervention(make_child(village, name="Puskesmas PMT"), PUSKESMAS, created_by=verifikator)
    make_intervention(make_child(village, name="Timah PMT"), TIMAH, created_by=verifikator)
    make_intervention(
        make_child(village, name="Puskesmas Rujukan"),
        PUSKESMAS,
        created_by=verifikator,
        kind=RUJUKAN,
        status=S.RUNNING,
    )
    client.force_login(verifikator)

    assert sorted(names(client.get(URL, {"partner": partner(PUSKESMAS).pk}))) == [
        "Puskesmas PMT",
        "Puskesmas Rujukan",
    ]
    assert names(client.get(URL, {"partner": partner(TIMAH).pk})) == ["Timah PMT"]
    assert names(client.get(URL, {"kind": kind(RUJUKAN).pk})) == ["Puskesmas Rujukan"]
    assert names(client.get(URL, {"status": "running"})) == ["Puskesmas Rujukan"]
    assert sorted(names(client.get(URL, {"status": "planned"}))) == [
        "Puskesmas PMT",
        "Timah PMT",
    ]
    assert names(client.get(URL, {"status": "done"})) == []
    both = {"partner": partner(PUSKESMAS).pk, "kind": kind("PMT").pk}
    assert names(client.get(URL, both)) == ["Puskesmas PMT"]


def test_it_filters_by_the_childs_village(client, verifikator, village, other_village):
    make_intervention(make_child(village, name="Anak Matras"), created_by=verifikator)
    make_intervention(make_child(other_village, name="Anak Rebo"), created_by=verifikator)
    client.force_login(verifikator)
    assert names(client.get(URL, {"village": village.pk})) == ["Anak Matras"]
    assert names(client.get(URL, {"village": other_village.pk})) == ["Anak Rebo"]


def test_it_filters_overdue_open_interventions(clock, client, verifikator, village):
    today = timezone.localdate()
    past = {"start_date": today - timedelta(days=100), "planned_end": today - timedelta(days=1)}
    make_intervention(make_child(village, name="Lewat Rencana"), created_by=verifikator, **past)
    make_intervention(
        make_child(village, name="Lewat Berjalan"),
        created_by=verifikator,
        status=S.RUNNING,
        **past,
    )
    make_intervention(
        make_child(village, name="Lewat Selesai"),
        created_by=verifikator,
        status=S.DONE,
        **past,
    )
    make_intervention(
        make_child(village, name="Lewat Batal"),
        created_by=verifikator,
        status=S.CANCELLED,
        **past,
    )
    make_intervention(
        make_child(village, name="Hari Ini"),
        created_by=verifikator,
        start_date=today - timedelta(days=30),
        planned_end=today,
    )
    make_intervention(make_child(village, name="Belum Lewat"), created_by=verifikator)
    client.force_login(verifikator)

    assert sorted(names(client.get(URL, {"overdue": "on"}))) == ["Lewat Berjalan", "Lewat Rencana"]
    assert len(names(client.get(URL))) == 6
    html = client.get(URL, {"overdue": "on"}).content.decode()
    assert html.count('<strong class="overdue">lewat</strong>') == 2


@pytest.mark.parametrize(
    "q,expected",
    [
        ("putri", ["Putri Ayu"]),
        ("AYU", ["Putri Ayu"]),
        ("budi santoso", ["Budi Santoso"]),
        ("budi ayu", []),
        ("rina", []),  # the mother's name is not searched here
    ],
)
def test_it_searches_by_child_name(client, verifikator, village, q, expected):
    make_intervention(
        make_child(village, name="Putri Ayu", mother_name="Rina"), created_by=verifikator
    )
    make_intervention(
        make_child(village, name="Budi Santoso", mother_name="Sari"),
        created_by=verifikator,
    )
    client.force_login(verifikator)
    assert names(client.get(URL, {"q": q})) == expected


def test_it_paginates_and_keeps_the_filters(client, verifikator, village):
    child = make_child(village)
    for _ in range(30):
        make_intervention(child, created_by=verifikator)
    client.force_login(verifikator)
    first = client.get(URL, {"status": "planned"})
    assert len(first.context["page"]) == 25
    assert first.context["page"].paginator.count == 30
    assert 'href="?status=planned&page=2"' in first.content.decode()
    second = client.get(URL, {"status": "planned", "page": 2})
    assert len(second.context["page"]) == 5


def _count_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(URL)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def _add_interventions(n, village, user, offset=0):
    types = [kind("PMT"), kind(RUJUKAN)]
    partners = [partner(PUSKESMAS), partner(TIMAH)]
    for i in range(offset, offset + n):
        make_intervention(
            make_child(village, name=f"Anak {i:02}"),
            partners[i % 2],
            created_by=user,
            kind=types[i % 2],
        )


def test_its_query_count_does_not_grow_with_interventions(client, verifikator, village):
    client.force_login(verifikator)
    _add_interventions(5, village, verifikator)
    with_5 = _count_queries(client)
    _add_interventions(35, village, verifikator, offset=5)
    assert Intervention.objects.count() == 40
    assert _count_queries(client) == with_5
