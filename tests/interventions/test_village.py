from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interventions.models import Intervention, PartnerMember
from registrations import growth
from registrations.models import Measurement
from tests.builders import (
    DESA_GROUP,
    NOT_LINKED_VILLAGE,
    PEMANTAUAN,
    PUSKESMAS,
    login_redirect,
    make_child,
    make_delivery,
    make_intervention,
    make_submission,
    make_user,
    partner,
    partner_user,
    today,
    village_user,
)

pytestmark = pytest.mark.django_db

HOME = "/desa/"


def child_url(child):
    return f"/desa/anak/{child.pk}/"


def names_in(response):
    return [c.name for c in response.context["page"]]


@pytest.fixture
def matras_user(village):
    return village_user("desa-matras", village)


@pytest.fixture
def matras_child(village, posyandu):
    return make_child(
        village,
        name="Siti Rahma",
        mother_name="Rina Marlina",
        nik="1901015001240007",
        posyandu=posyandu,
        birth_date=today() - timedelta(days=500),
    )


@pytest.fixture
def rebo_child(other_village, other_posyandu):
    return make_child(
        other_village, name="Dewi Lestari", mother_name="Yanti", posyandu=other_posyandu
    )


@pytest.fixture
def logged_in(client, matras_user):
    client.force_login(matras_user)
    return client


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize("page", ["home", "child"])
def test_it_sends_anonymous_users_to_the_login_page(client, matras_child, page):
    target = HOME if page == "home" else child_url(matras_child)
    r = client.get(target)
    assert r.status_code == 302
    assert r.url == login_redirect(target)


@pytest.mark.parametrize("page", ["home", "child"])
@pytest.mark.parametrize("user", ["outsider", "pimpinan", "verifikator", "mitra_user", "staff"])
def test_it_refuses_users_without_the_village_role(client, matras_child, page, user, request):
    client.force_login(request.getfixturevalue(user))
    r = client.get(HOME if page == "home" else child_url(matras_child))
    assert r.status_code == 403
    assert "Siti Rahma" not in r.content.decode()


@pytest.mark.parametrize("page", ["home", "child"])
def test_it_refuses_a_linked_partner_user(client, matras_child, page):
    make_intervention(matras_child)
    client.force_login(partner_user("timah"))
    r = client.get(HOME if page == "home" else child_url(matras_child))
    assert r.status_code == 403


@pytest.mark.parametrize("page", ["home", "child"])
def test_it_refuses_a_village_user_not_linked_to_a_village(client, matras_child, page):
    client.force_login(make_user("desa-baru", DESA_GROUP))
    r = client.get(HOME if page == "home" else child_url(matras_child))
    assert r.status_code == 403
    html = r.content.decode()
    assert NOT_LINKED_VILLAGE in html
    assert "Siti Rahma" not in html


@pytest.mark.parametrize("page", ["home", "child"])
def test_it_refuses_a_village_user_linked_to_a_partner_without_village(client, matras_child, page):
    user = make_user("desa-salah", DESA_GROUP)
    PartnerMember.objects.create(user=user, partner=partner(PUSKESMAS))
    client.force_login(user)
    r = client.get(HOME if page == "home" else child_url(matras_child))
    assert r.status_code == 403
    assert NOT_LINKED_VILLAGE in r.content.decode()


@pytest.mark.parametrize("page", ["home", "child"])
def test_it_refuses_the_user_of_an_inactive_village_government(
    logged_in, village, matras_child, page
):
    target = HOME if page == "home" else child_url(matras_child)
    assert logged_in.get(target).status_code == 200
    village.government.is_active = False
    village.government.save()
    r = logged_in.get(target)
    assert r.status_code == 403
    html = r.content.decode()
    assert "Pemerintah kelurahan/desa Anda sudah tidak aktif" in html
    assert "Siti Rahma" not in html


def test_it_shows_the_pages_to_the_village_government(logged_in, village, matras_child):
    r = logged_in.get(HOME)
    assert r.status_code == 200
    assert r.context["village"] == village
    assert "Sasaran GASKEN di Kelurahan Matras" in r.content.decode()
    r = logged_in.get(child_url(matras_child))
    assert r.status_code == 200
    assert r.context["child"] == matras_child


# --- list ---------------------------------------------------------------------


def test_it_lists_only_the_children_of_its_village(logged_in, matras_child, rebo_child, village):
    budi = make_child(village, name="Budi Santoso", mother_name="Marlina Sari")
    r = logged_in.get(HOME)
    assert names_in(r) == ["Budi Santoso", "Siti Rahma"]
    html = r.content.decode()
    assert f'href="/desa/anak/{budi.pk}/"' in html
    assert "Dewi Lestari" not in html and "Yanti" not in html
    assert f"/desa/anak/{rebo_child.pk}/" not in html
    assert "2 anak terdaftar" in html


def test_it_shows_the_other_village_only_to_its_own_government(
    client, other_village, matras_child, rebo_child
):
    client.force_login(village_user("desa-rebo", other_village))
    assert names_in(client.get(HOME)) == ["Dewi Lestari"]
    assert client.get(child_url(matras_child)).status_code == 404
    assert client.get(child_url(rebo_child)).status_code == 200


def test_it_searches_only_within_its_village(logged_in, village, matras_child, rebo_child):
    make_child(village, name="Budi Santoso", mother_name="Marlina Sari")
    assert names_in(logged_in.get(HOME, {"q": "dewi"})) == []
    assert names_in(logged_in.get(HOME, {"q": "Yanti"})) == []
    assert names_in(logged_in.get(HOME, {"q": "rahma"})) == ["Siti Rahma"]
    assert names_in(logged_in.get(HOME, {"q": "marlina"})) == ["Budi Santoso", "Siti Rahma"]
    assert names_in(logged_in.get(HOME, {"q": "siti marlina"})) == ["Siti Rahma"]
    r = logged_in.get(HOME, {"q": "Dewi"})
    assert "Dewi Lestari" not in r.content.decode()
    assert 'value="Dewi"' in r.content.decode()


def test_it_shows_the_latest_nutrition_status(logged_in, matras_child):
    m = Measurement.objects.create(
        child=matras_child,
        measured_on=today() - timedelta(days=3),
        weight_kg=Decimal("8.4"),
        height_cm=Decimal("72.5"),
        position="lying",
        source=Measurement.Source.PUSKESMAS,
    )
    expected = growth.assess("P", matras_child.birth_date, m.measured_on, 72.5, 8.4, lying=True)
    assert m.haz == expected.haz
    haz = f"{expected.haz:+.2f}".replace(".", ",").replace("-", "\u2212")
    html = logged_in.get(HOME).content.decode()
    assert f"{growth.HAZ_LABELS[expected.haz_category]} ({haz})" in html
    assert "<td>Melati</td>" in html


@pytest.mark.usefixtures("clock")
def test_it_counts_open_and_overdue_interventions_of_its_village(
    logged_in, matras_child, rebo_child
):
    make_intervention(matras_child)
    make_intervention(matras_child, PUSKESMAS, status=Intervention.Status.RUNNING)
    make_intervention(matras_child, status=Intervention.Status.DONE)
    start = today() - timedelta(days=100)
    make_intervention(
        matras_child, kind_name=PEMANTAUAN, start_date=start, planned_end=today() - timedelta(1)
    )
    # Another village's open and overdue work does not count.
    make_intervention(rebo_child)
    make_intervention(rebo_child, start_date=start, planned_end=today() - timedelta(1))
    r = logged_in.get(HOME)
    assert r.context["open_count"] == 3
    assert r.context["overdue_count"] == 1
    html = r.content.decode()
    assert "3 intervensi berjalan/direncanakan" in html
    assert '<strong class="overdue">1 lewat rencana selesai</strong>' in html


def test_it_uses_the_same_number_of_queries_for_5_and_40_children(logged_in, village, posyandu):
    def add(n, offset):
        for i in range(offset, offset + n):
            child = make_child(
                village,
                name=f"Anak {i:02d}",
                posyandu=posyandu,
                birth_date=today() - timedelta(days=400),
            )
            Measurement.objects.create(
                child=child,
                measured_on=today(),
                weight_kg=Decimal("8.0"),
                height_cm=Decimal("71.0"),
                position="lying",
                source=Measurement.Source.KADER,
            )
            make_intervention(
                child,
                start_date=today() - timedelta(days=100),
                planned_end=today() - timedelta(days=1),
            )

    add(5, 0)
    with CaptureQueriesContext(connection) as few:
        assert logged_in.get(HOME).status_code == 200
    add(35, 5)
    with CaptureQueriesContext(connection) as many:
        r = logged_in.get(HOME)
    assert r.context["page"].paginator.count == 40
    assert r.context["overdue_count"] == 40
    assert len(many.captured_queries) == len(few.captured_queries)


# --- child page ---------------------------------------------------------------


def test_it_returns_404_for_a_child_of_another_village(logged_in, rebo_child):
    r = logged_in.get(child_url(rebo_child))
    assert r.status_code == 404
    assert "Dewi Lestari" not in r.content.decode()


def test_it_returns_404_for_an_unknown_child(logged_in, matras_child):
    assert logged_in.get(f"/desa/anak/{matras_child.pk + 1000}/").status_code == 404


@pytest.fixture
def worked_on(matras_child, media_root):
    """A Matras child with a PT Timah PMT (three deliveries) and a Puskesmas check-up."""
    timah = partner_user("timah")
    pmt = make_intervention(matras_child, status=Intervention.Status.RUNNING)
    make_delivery(pmt, timah, date=today() - timedelta(days=9), note="Diterima ibu")
    make_delivery(
        pmt,
        timah,
        date=today() - timedelta(days=6),
        description="Paket susu",
        note="Keluarga menolak dikunjungi tetangga",
        internal=True,
    )
    with_photo = make_delivery(
        pmt, timah, date=today() - timedelta(days=3), description="Paket telur", photo=True
    )
    puskesmas = partner_user("puskesmas", PUSKESMAS)
    check = make_intervention(matras_child, PUSKESMAS, kind_name=PEMANTAUAN)
    make_delivery(
        check,
        puskesmas,
        date=today() - timedelta(days=2),
        description="Pemeriksaan berkala",
        note="Rujuk bila tidak naik",
    )
    return pmt, check, with_photo


def test_it_shows_the_interventions_and_deliveries_of_its_village(
    logged_in, matras_child, worked_on
):
    pmt, check, _ = worked_on
    r = logged_in.get(child_url(matras_child))
    assert sorted(i.pk for i in r.context["interventions"]) == sorted([pmt.pk, check.pk])
    html = r.content.decode()
    assert "PMT oleh PT Timah Tbk — berjalan" in html
    assert "Pemantauan kesehatan oleh Puskesmas Sungailiat — direncanakan" in html
    for text in ("Paket PMT biskuit dan susu", "Diterima ibu", "Paket susu", "Paket telur"):
        assert text in html
    assert "Pemeriksaan berkala" in html and "Rujuk bila tidak naik" in html


def test_it_hides_internal_notes_from_the_village(logged_in, matras_child, worked_on):
    html = logged_in.get(child_url(matras_child)).content.decode()
    # The delivery itself is listed, its internal note is not.
    assert "Paket susu" in html
    assert "Keluarga menolak dikunjungi tetangga" not in html
    assert "(internal)" not in html


def test_it_shows_no_photo_links_to_the_village(logged_in, matras_child, worked_on):
    _, _, with_photo = worked_on
    html = logged_in.get(child_url(matras_child)).content.decode()
    assert "/intervensi/foto/" not in html
    assert "Lihat foto bukti" not in html
    assert logged_in.get(f"/intervensi/foto/{with_photo.pk}/").status_code == 404


def test_it_offers_no_way_to_change_anything(logged_in, matras_child, worked_on):
    html = logged_in.get(child_url(matras_child)).content.decode()
    assert "/catat/" not in html
    assert "/status/" not in html
    assert 'method="post"' not in html.split("<main")[1]


def test_it_masks_the_nik_and_links_no_document(logged_in, village, matras_child):
    submission = make_submission(village, documents=("kk", "akta"), child_nik=matras_child.nik)
    submission.child = matras_child
    submission.save()
    html = logged_in.get(child_url(matras_child)).content.decode()
    assert "190101********07" in html
    assert "1901015001240007" not in html
    assert "/dokumen/" not in html
    for doc in submission.documents.all():
        assert logged_in.get(f"/dokumen/{doc.pk}/").status_code == 403
