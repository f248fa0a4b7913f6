"""A partner sees only its own children, assignments, deliveries and photos."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from interventions.models import Delivery, Intervention
from registrations.models import AccessLog, Child, Measurement
from tests.builders import (
    PEMANTAUAN,
    PUSKESMAS,
    jpeg_upload,
    make_child,
    make_delivery,
    make_intervention,
    make_submission,
    partner_user,
    stored_files,
    today,
)

pytestmark = pytest.mark.django_db

Status = Intervention.Status


@dataclass
class World:
    user_a: object
    user_b: object
    child_a: Child
    child_b: Child
    shared: Child
    a_own: Intervention  # A's assignment of child_a
    a_shared: Intervention  # A's assignment of the shared child
    b_own: Intervention  # B's assignment of child_b
    b_shared: Intervention  # B's assignment of the shared child
    a_delivery: Delivery
    b_delivery: Delivery
    b_shared_delivery: Delivery


@pytest.fixture
def world(village, other_village, media_root):
    """Partner A (PT Timah) and partner B (Puskesmas), each with a user and its own work."""
    user_a = partner_user("timah")
    user_b = partner_user("puskesmas", PUSKESMAS)
    child_a = make_child(village, name="Andi Timah", mother_name="Ani")
    child_b = make_child(other_village, name="Bagus Puskesmas", mother_name="Bunga Wati")
    shared = make_child(
        village,
        name="Citra Bersama",
        mother_name="Cici",
        nik="1901015001240007",
        birth_date=today() - timedelta(days=500),
    )
    a_own = make_intervention(child_a, status=Status.RUNNING)
    a_shared = make_intervention(shared, note="Catatan penugasan untuk Timah")
    b_own = make_intervention(child_b, PUSKESMAS, kind_name=PEMANTAUAN)
    b_shared = make_intervention(
        shared,
        PUSKESMAS,
        kind_name=PEMANTAUAN,
        status=Status.RUNNING,
        started_on=today() - timedelta(days=9),
        note="Catatan penugasan untuk Puskesmas",
    )
    a_delivery = make_delivery(
        a_shared,
        user_a,
        photo=True,
        date=today() - timedelta(days=4),
        description="Paket PMT dari Timah",
        note="Catatan kunjungan Timah",
    )
    b_delivery = make_delivery(
        b_own, user_b, photo=True, description="Vitamin A untuk Bagus", note="Catatan Bagus"
    )
    b_shared_delivery = make_delivery(
        b_shared,
        user_b,
        photo=True,
        date=today() - timedelta(days=5),
        description="Pemeriksaan oleh Puskesmas",
        note="Catatan kunjungan Puskesmas",
    )
    make_delivery(
        b_shared,
        user_b,
        date=today() - timedelta(days=2),
        description="Konseling gizi Puskesmas",
        note="Catatan internal Puskesmas",
        internal=True,
    )
    return World(
        user_a,
        user_b,
        child_a,
        child_b,
        shared,
        a_own,
        a_shared,
        b_own,
        b_shared,
        a_delivery,
        b_delivery,
        b_shared_delivery,
    )


B_SECRETS = [
    "Bagus Puskesmas",
    "Bunga Wati",
    "Vitamin A untuk Bagus",
    "Catatan Bagus",
    "Pemeriksaan oleh Puskesmas",
    "Catatan kunjungan Puskesmas",
    "Konseling gizi Puskesmas",
    "Catatan internal Puskesmas",
    "Catatan penugasan untuk Puskesmas",
]


def state_of_b(w, media_root):
    """Everything partner B owns, to compare before and after A's requests."""
    rows = []
    for i in (w.b_own, w.b_shared):
        i.refresh_from_db()
        rows.append((i.status, i.started_on, i.finished_on, i.cancel_reason, i.history.count()))
    deliveries = list(
        Delivery.objects.filter(intervention__partner=w.b_own.partner)
        .order_by("pk")
        .values_list("pk", "date", "description", "note", "photo")
    )
    return (
        rows,
        deliveries,
        Measurement.objects.count(),
        sorted(str(p) for p in stored_files(media_root)),
    )


@pytest.fixture
def as_a(client, world):
    client.force_login(world.user_a)
    return client


# --- list and search ----------------------------------------------------------


@pytest.mark.parametrize("status", [None, "all", "planned", "running"])
def test_it_lists_only_the_partners_own_children(as_a, world, status):
    r = as_a.get("/mitra/", {"status": status} if status else {})
    rows = list(r.context["page"])
    assert all(i.partner == world.a_own.partner for i in rows)
    assert world.b_own not in rows and world.b_shared not in rows
    html = r.content.decode()
    for text in B_SECRETS:
        assert text not in html
    assert f"/mitra/anak/{world.child_b.pk}/" not in html


def test_it_lists_the_shared_child_once_with_the_partners_own_assignment(as_a, world):
    r = as_a.get("/mitra/", {"status": "all"})
    assert sorted(i.pk for i in r.context["page"]) == sorted([world.a_own.pk, world.a_shared.pk])
    html = r.content.decode()
    assert "<td>Puskesmas Sungailiat</td>" not in html
    assert "<td>Pemantauan kesehatan</td>" not in html


@pytest.mark.parametrize("q", ["Bagus", "Bagus Puskesmas", "Bunga Wati"])
def test_it_does_not_find_the_other_partners_children(as_a, world, q):
    r = as_a.get("/mitra/", {"q": q, "status": "all"})
    assert list(r.context["page"]) == []
    table = r.content.decode().split('id="interventions"')[1]
    assert "Tidak ada intervensi untuk filter ini." in table
    assert "Bagus" not in table and "Vitamin A" not in table
    assert f"/mitra/anak/{world.child_b.pk}/" not in table


def test_it_finds_the_shared_child_only_through_the_partners_own_assignment(as_a, world):
    r = as_a.get("/mitra/", {"q": "Citra", "status": "all"})
    assert list(r.context["page"]) == [world.a_shared]


# --- URLs built with the other partner's ids ---------------------------------


def test_it_returns_404_on_the_other_partners_child(as_a, world):
    r = as_a.get(f"/mitra/anak/{world.child_b.pk}/")
    assert r.status_code == 404
    for text in B_SECRETS:
        assert text not in r.content.decode()


@pytest.mark.parametrize("which", ["b_own", "b_shared"])
def test_it_returns_404_on_recording_for_the_other_partner(as_a, world, media_root, which):
    intervention = getattr(world, which)
    before = state_of_b(world, media_root)
    url = f"/mitra/tugas/{intervention.pk}/catat/"
    assert as_a.get(url).status_code == 404
    post = {
        "date": today().isoformat(),
        "description": "Disusupkan",
        "note": "Bukan milik A",
        "weight_kg": "8.4",
        "height_cm": "72.5",
        "position": "lying",
        "photo": jpeg_upload(),
    }
    assert as_a.post(url, post).status_code == 404
    assert state_of_b(world, media_root) == before
    assert not Delivery.objects.filter(description="Disusupkan").exists()


@pytest.mark.parametrize(
    "which,status",
    [
        ("b_own", Status.RUNNING),
        ("b_shared", Status.DONE),
        ("b_shared", Status.CANCELLED),
    ],
)
def test_it_returns_404_on_changing_the_other_partners_status(
    as_a, world, media_root, which, status
):
    intervention = getattr(world, which)
    before = state_of_b(world, media_root)
    r = as_a.post(f"/mitra/tugas/{intervention.pk}/status/", {"status": status, "reason": "Coba"})
    assert r.status_code == 404
    assert state_of_b(world, media_root) == before


@pytest.mark.parametrize("which", ["b_delivery", "b_shared_delivery"])
def test_it_returns_404_on_the_other_partners_photo(as_a, world, which):
    delivery = getattr(world, which)
    assert as_a.get(f"/intervensi/foto/{delivery.pk}/").status_code == 404
    assert AccessLog.objects.count() == 0


def test_it_still_works_for_the_partners_own_ids(as_a, world):
    assert as_a.get(f"/mitra/anak/{world.child_a.pk}/").status_code == 200
    assert as_a.get(f"/mitra/tugas/{world.a_shared.pk}/catat/").status_code == 200
    r = as_a.get(f"/intervensi/foto/{world.a_delivery.pk}/")
    assert r.status_code == 200
    r.close()


# --- a child assigned to both partners ----------------------------------------


def test_it_shows_only_the_partners_own_work_on_a_shared_child(as_a, world):
    r = as_a.get(f"/mitra/anak/{world.shared.pk}/")
    assert r.status_code == 200
    assert list(r.context["interventions"]) == [world.a_shared]
    assert list(r.context["others"]) == [world.b_shared]
    html = r.content.decode()
    # A's own work in full, photo link included.
    assert "Paket PMT dari Timah" in html and "Catatan kunjungan Timah" in html
    assert "Catatan penugasan untuk Timah" in html
    assert f'href="/intervensi/foto/{world.a_delivery.pk}/"' in html
    # B's only as a line under "Intervensi mitra lain": type, partner, status.
    others = html.split('id="others"')[1]
    assert "Intervensi mitra lain untuk anak ini" in others
    assert "Pemantauan kesehatan oleh Puskesmas Sungailiat — berjalan" in others
    for text in B_SECRETS:
        assert text not in html
    assert f"/intervensi/foto/{world.b_shared_delivery.pk}/" not in html
    assert f"/mitra/tugas/{world.b_shared.pk}/" not in html


def test_it_shows_the_other_partner_the_same_way_round(client, world):
    client.force_login(world.user_b)
    r = client.get(f"/mitra/anak/{world.shared.pk}/")
    assert list(r.context["interventions"]) == [world.b_shared]
    html = r.content.decode()
    assert "Catatan internal Puskesmas" in html  # B's own internal note, for B
    assert "PMT oleh PT Timah Tbk — direncanakan" in html
    assert "Paket PMT dari Timah" not in html
    assert "Catatan kunjungan Timah" not in html
    assert "Catatan penugasan untuk Timah" not in html
    assert f"/intervensi/foto/{world.a_delivery.pk}/" not in html
    assert client.get(f"/mitra/anak/{world.child_a.pk}/").status_code == 404


def test_it_lets_the_partner_record_on_its_own_assignment_of_a_shared_child(
    as_a, world, media_root
):
    before = state_of_b(world, media_root)
    r = as_a.post(
        f"/mitra/tugas/{world.a_shared.pk}/catat/",
        {"date": today().isoformat(), "description": "Paket kedua", "quantity": "1"},
    )
    assert r.status_code == 302
    assert r.url == f"/mitra/anak/{world.shared.pk}/"
    world.a_shared.refresh_from_db()
    assert world.a_shared.status == Status.RUNNING
    assert world.a_shared.deliveries.filter(description="Paket kedua").exists()
    assert state_of_b(world, media_root) == before


# --- personal data ------------------------------------------------------------


def test_it_masks_the_nik(as_a, world):
    html = as_a.get(f"/mitra/anak/{world.shared.pk}/").content.decode()
    assert "190101********07" in html
    assert world.shared.nik not in html


def test_it_never_gives_a_partner_the_kk_or_akta(as_a, world, village):
    submission = make_submission(village, documents=("kk", "akta"), child_nik=world.shared.nik)
    submission.child = world.shared
    submission.save()
    html = as_a.get(f"/mitra/anak/{world.shared.pk}/").content.decode()
    assert "/dokumen/" not in html
    docs = list(submission.documents.all())
    assert len(docs) == 2
    for doc in docs:
        assert as_a.get(f"/dokumen/{doc.pk}/").status_code == 403
    assert AccessLog.objects.count() == 0
