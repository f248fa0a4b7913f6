from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interventions.models import Intervention
from tests.builders import (
    MITRA_GROUP,
    NOT_LINKED_PARTNER,
    PEMANTAUAN,
    PUSKESMAS,
    login_redirect,
    make_child,
    make_intervention,
    make_user,
    partner_user,
    today,
)

pytestmark = pytest.mark.django_db

URL = "/mitra/"


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


def names_in(response):
    return [i.child.name for i in response.context["page"]]


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, db):
    r = client.get(URL)
    assert r.status_code == 302
    assert r.url == login_redirect(URL)


@pytest.mark.parametrize("user", ["outsider", "pimpinan", "verifikator", "desa_user", "staff"])
def test_it_refuses_users_without_the_partner_role(client, village, user, request):
    make_intervention(make_child(village, name="Bunga Citra"))
    client.force_login(request.getfixturevalue(user))
    r = client.get(URL)
    assert r.status_code == 403
    assert "Bunga Citra" not in r.content.decode()


def test_it_refuses_a_partner_user_not_linked_to_a_partner(client, village):
    make_intervention(make_child(village, name="Bunga Citra"))
    client.force_login(make_user("mitra-baru", MITRA_GROUP))
    r = client.get(URL)
    assert r.status_code == 403
    html = r.content.decode()
    assert NOT_LINKED_PARTNER in html
    assert "Anda tidak berhak membuka halaman ini" in html
    assert "Bunga Citra" not in html


def test_it_shows_the_page_to_a_linked_partner_user(client, village, timah_user):
    client.force_login(timah_user)
    r = client.get(URL)
    assert r.status_code == 200
    assert r.context["partner"].name == "PT Timah Tbk"
    assert "Dampingan PT Timah Tbk" in r.content.decode()


# --- list ---------------------------------------------------------------------


def test_it_lists_the_open_interventions_of_the_partner_by_default(client, village, timah_user):
    planned = make_intervention(make_child(village, name="Anak Rencana"))
    running = make_intervention(
        make_child(village, name="Anak Berjalan"), status=Intervention.Status.RUNNING
    )
    make_intervention(
        make_child(village, name="Anak Selesai"),
        status=Intervention.Status.DONE,
        finished_on=today(),
    )
    make_intervention(make_child(village, name="Anak Batal"), status=Intervention.Status.CANCELLED)
    make_intervention(make_child(village, name="Anak Puskesmas"), PUSKESMAS)

    client.force_login(timah_user)
    r = client.get(URL)
    assert sorted(i.pk for i in r.context["page"]) == sorted([planned.pk, running.pk])
    html = r.content.decode()
    assert "Anak Rencana" in html and "Anak Berjalan" in html
    assert "Anak Selesai" not in html and "Anak Batal" not in html
    assert "Anak Puskesmas" not in html
    # Each row leads to the partner's page of the child, never to the staff pages.
    assert f'href="/mitra/anak/{planned.child_id}/"' in html
    assert "/intervensi/" not in html.split('id="interventions"')[1]


@pytest.mark.parametrize(
    "status,expected",
    [
        ("done", ["Anak Selesai"]),
        ("planned", ["Anak Rencana"]),
        # A cancelled assignment is no longer the partner's to see.
        ("all", ["Anak Rencana", "Anak Selesai"]),
        ("open", ["Anak Rencana"]),
    ],
)
def test_it_filters_by_status(client, village, timah_user, status, expected):
    make_intervention(make_child(village, name="Anak Rencana"))
    make_intervention(
        make_child(village, name="Anak Selesai"),
        status=Intervention.Status.DONE,
        finished_on=today(),
    )
    make_intervention(make_child(village, name="Anak Batal"), status=Intervention.Status.CANCELLED)
    make_intervention(make_child(village, name="Anak Puskesmas"), PUSKESMAS)
    client.force_login(timah_user)
    r = client.get(URL, {"status": status})
    assert sorted(names_in(r)) == expected
    assert f'<option value="{status}" selected>' in r.content.decode()


@pytest.mark.parametrize("status", ["selesai", "semua", "bogus"])
def test_an_unknown_status_shows_the_open_assignments(client, village, timah_user, status):
    # Links from before the statuses had English codes land on the default list.
    make_intervention(make_child(village, name="Anak Rencana"))
    make_intervention(
        make_child(village, name="Anak Selesai"),
        status=Intervention.Status.DONE,
        finished_on=today(),
    )
    client.force_login(timah_user)
    r = client.get(URL, {"status": status})
    assert names_in(r) == ["Anak Rencana"]
    assert '<option value="open" selected>' in r.content.decode()


def test_it_searches_by_child_or_mother_name(client, village, timah_user):
    make_intervention(make_child(village, name="Siti Rahma", mother_name="Rina"))
    make_intervention(make_child(village, name="Budi Santoso", mother_name="Marlina"))
    client.force_login(timah_user)
    assert names_in(client.get(URL, {"q": "rahma"})) == ["Siti Rahma"]
    assert names_in(client.get(URL, {"q": "MARLINA"})) == ["Budi Santoso"]
    assert names_in(client.get(URL, {"q": "siti marlina"})) == []
    r = client.get(URL, {"q": "  Budi  "})
    assert names_in(r) == ["Budi Santoso"]
    assert 'value="Budi"' in r.content.decode()


def test_it_marks_overdue_interventions(clock, client, village, timah_user):
    start = today() - timedelta(days=100)
    make_intervention(
        make_child(village, name="Anak Lewat"), start_date=start, planned_end=today() - timedelta(1)
    )
    client.force_login(timah_user)
    html = client.get(URL).content.decode()
    assert '<strong class="overdue">lewat</strong>' in html


def test_it_shows_the_type_and_village_of_each_assignment(client, village, timah_user):
    make_intervention(make_child(village, name="Anak Pantau"), kind_name=PEMANTAUAN)
    client.force_login(timah_user)
    html = client.get(URL).content.decode()
    assert '<td data-label="Jenis">Pemantauan kesehatan</td>' in html
    assert '<td data-label="Kelurahan/desa">Matras</td>' in html


def test_it_uses_the_same_number_of_queries_for_5_and_40_assignments(
    client, village, posyandu, timah_user
):
    def add(n):
        for i in range(n):
            child = make_child(village, name=f"Anak {i:02d}", posyandu=posyandu)
            make_intervention(child, status=Intervention.Status.RUNNING)

    client.force_login(timah_user)
    add(5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, {"status": "all"}).status_code == 200
    add(35)
    with CaptureQueriesContext(connection) as many:
        r = client.get(URL, {"status": "all"})
    assert r.context["page"].paginator.count == 40
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_inactive_partner_loses_the_portal(client, db):
    from interventions.models import Partner, PartnerMember

    user = make_user("mitra-lama", "Mitra")
    partner = Partner.objects.get(name="KADIN Kabupaten Bangka")
    PartnerMember.objects.create(user=user, partner=partner)
    client.force_login(user)
    assert client.get("/mitra/").status_code == 200
    partner.is_active = False
    partner.save()
    r = client.get("/mitra/")
    assert r.status_code == 403
    assert "Mitra Anda sudah tidak aktif" in r.content.decode()


# --- new assignments ------------------------------------------------------------


def test_it_marks_the_assignments_no_user_of_the_partner_has_opened(
    clock, client, village, timah_user
):
    new = make_intervention(make_child(village, name="Anak Baru"))
    seen = make_intervention(make_child(village, name="Anak Dibuka"))
    Intervention.objects.filter(pk=seen.pk).update(partner_opened_at=timezone.now())
    client.force_login(timah_user)
    html = client.get(URL).content.decode()
    rows = {row.split('"', 1)[0]: row for row in html.split('<tr id="assignment-')[1:]}
    assert 'class="new"' in rows[str(new.pk)]
    assert '<span class="badge badge-new">baru</span>' in rows[str(new.pk)]
    assert "baru" not in rows[str(seen.pk)].split("</tr>")[0]


def test_a_finished_assignment_is_never_new(client, village, timah_user):
    make_intervention(
        make_child(village, name="Anak Selesai"),
        status=Intervention.Status.DONE,
        finished_on=today(),
    )
    client.force_login(timah_user)
    html = client.get(URL, {"status": "all"}).content.decode()
    assert "Anak Selesai" in html
    assert "badge-new" not in html


def test_it_filters_the_new_assignments(client, village, timah_user):
    make_intervention(make_child(village, name="Anak Baru"))
    running = make_intervention(
        make_child(village, name="Anak Berjalan Baru"), status=Intervention.Status.RUNNING
    )
    seen = make_intervention(make_child(village, name="Anak Dibuka"))
    Intervention.objects.filter(pk=seen.pk).update(partner_opened_at=timezone.now())
    make_intervention(make_child(village, name="Anak Puskesmas"), PUSKESMAS)
    assert running.partner_opened_at is None
    client.force_login(timah_user)
    r = client.get(URL, {"status": "new"})
    assert sorted(names_in(r)) == ["Anak Baru", "Anak Berjalan Baru"]
    assert '<option value="new" selected>Baru (belum dibuka)</option>' in r.content.decode()


# --- on a phone -------------------------------------------------------------------


def test_it_leaves_out_the_partner_column(client, village, timah_user):
    make_intervention(make_child(village, name="Anak Rencana"))
    client.force_login(timah_user)
    html = client.get(URL).content.decode()
    table = html.split('id="interventions"')[1].split("</table>")[0]
    assert "<th>Mitra</th>" not in table
    assert "PT Timah Tbk" not in table
    assert "<th>Status</th>" in table


def test_it_labels_every_field_for_the_phone_cards(clock, client, village, timah_user):
    make_intervention(
        make_child(village, name="Anak Rencana"),
        start_date=date(2026, 3, 2),
        planned_end=date(2026, 5, 31),
    )
    client.force_login(timah_user)
    html = client.get(URL).content.decode()
    assert '<td class="card-title"><a href="/mitra/anak/' in html
    for cell in [
        '<td data-label="Jenis">PMT</td>',
        '<td data-label="Mulai"><span class="nowrap">02-03-2026</span></td>',
        '<td data-label="Rencana selesai"><span class="nowrap">31-05-2026</span></td>',
        '<td data-label="Status">Direncanakan</td>',
    ]:
        assert cell in html
    assert 'class="table-wrap cards-on-phone"' in html
