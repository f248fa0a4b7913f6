from datetime import timedelta
from decimal import Decimal

import pytest

from interventions.models import Intervention
from registrations import growth
from registrations.models import Measurement
from tests.builders import (
    MITRA_GROUP,
    NOT_LINKED_PARTNER,
    NOW,
    PEMANTAUAN,
    PUSKESMAS,
    login_redirect,
    make_child,
    make_delivery,
    make_intervention,
    make_user,
    partner_user,
    today,
)

pytestmark = pytest.mark.django_db


def url(child):
    return f"/mitra/anak/{child.pk}/"


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


@pytest.fixture
def child(village, posyandu):
    return make_child(
        village,
        name="Bunga Citra",
        nik="1901015001240007",
        posyandu=posyandu,
        mother_name="Rina Marlina",
        birth_date=today() - timedelta(days=500),
    )


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, child):
    make_intervention(child)
    r = client.get(url(child))
    assert r.status_code == 302
    assert r.url == login_redirect(url(child))


@pytest.mark.parametrize("user", ["outsider", "pimpinan", "verifikator", "desa_user"])
def test_it_refuses_users_without_the_partner_role(client, child, user, request):
    make_intervention(child)
    client.force_login(request.getfixturevalue(user))
    r = client.get(url(child))
    assert r.status_code == 403
    assert "Rina Marlina" not in r.content.decode()


def test_it_refuses_a_partner_user_not_linked_to_a_partner(client, child):
    make_intervention(child)
    client.force_login(make_user("mitra-baru", MITRA_GROUP))
    r = client.get(url(child))
    assert r.status_code == 403
    html = r.content.decode()
    assert NOT_LINKED_PARTNER in html
    assert "Rina Marlina" not in html


def test_it_shows_an_assigned_child_to_the_partner(client, child, timah_user):
    intervention = make_intervention(child)
    client.force_login(timah_user)
    r = client.get(url(child))
    assert r.status_code == 200
    assert r.context["child"] == child
    assert list(r.context["interventions"]) == [intervention]


def test_it_returns_404_for_a_child_not_assigned_to_the_partner(client, child, timah_user):
    client.force_login(timah_user)
    assert client.get(url(child)).status_code == 404


def test_it_returns_404_for_an_unknown_child(client, child, timah_user):
    make_intervention(child)
    client.force_login(timah_user)
    assert client.get(f"/mitra/anak/{child.pk + 1000}/").status_code == 404


def test_it_still_shows_a_child_whose_assignment_just_finished(client, child, timah_user):
    make_intervention(child, status=Intervention.Status.DONE, finished_on=today())
    client.force_login(timah_user)
    r = client.get(url(child))
    assert r.status_code == 200
    html = r.content.decode()
    assert "PMT — Selesai" in html
    # Nothing more to record or change on a finished assignment.
    assert "/catat/" not in html
    assert 'name="status"' not in html


# --- content ------------------------------------------------------------------


def test_it_shows_the_child_and_the_assignment(client, child, timah_user):
    intervention = make_intervention(child, note="Kunjungi tiap Senin")
    client.force_login(timah_user)
    html = client.get(url(child)).content.decode()
    assert "<h1>Bunga Citra</h1>" in html
    assert "Rina Marlina" in html
    assert "Posyandu Melati" in html
    assert "PMT — Direncanakan" in html
    assert "Catatan kecamatan: Kunjungi tiap Senin" in html
    assert f'href="/mitra/tugas/{intervention.pk}/catat/"' in html
    # The planned assignment can be started, not finished or cancelled.
    assert f'action="/mitra/tugas/{intervention.pk}/status/"' in html
    assert 'value="running"' in html
    assert 'value="done"' not in html
    assert 'value="cancelled"' not in html


def test_it_offers_to_finish_a_running_assignment(client, child, timah_user):
    make_intervention(child, status=Intervention.Status.RUNNING)
    client.force_login(timah_user)
    html = client.get(url(child)).content.decode()
    assert 'value="done"' in html
    assert 'value="running"' not in html
    assert 'value="cancelled"' not in html


def test_it_masks_the_nik(client, child, timah_user):
    make_intervention(child)
    client.force_login(timah_user)
    html = client.get(url(child)).content.decode()
    assert "190101********07" in html
    assert "1901015001240007" not in html


def test_it_shows_the_partner_its_own_deliveries_in_full(client, child, timah_user, media_root):
    intervention = make_intervention(child, status=Intervention.Status.RUNNING)
    other_member = partner_user("timah-2")
    with_photo = make_delivery(
        intervention,
        other_member,
        photo=True,
        date=today() - timedelta(days=3),
        quantity=Decimal("2"),
        note="Ibu minta jadwal sore",
        internal=True,
    )
    make_delivery(
        intervention,
        timah_user,
        date=today() - timedelta(days=1),
        description="Kunjungan rumah",
        note="Anak sehat",
    )
    client.force_login(timah_user)
    html = client.get(url(child)).content.decode()
    assert "Paket PMT biskuit dan susu" in html and "— 2 paket" in html
    assert "Kunjungan rumah" in html and "Anak sehat" in html
    # The partner's own internal notes stay visible to the partner, marked as such.
    assert "Ibu minta jadwal sore" in html and "(internal)" in html
    assert f'href="/intervensi/foto/{with_photo.pk}/"' in html
    assert html.count("/intervensi/foto/") == 1
    assert "dicatat oleh timah-2" in html


def test_it_shows_a_measurement_recorded_with_a_delivery(client, child, timah_user):
    intervention = make_intervention(child, status=Intervention.Status.RUNNING)
    m = Measurement.objects.create(
        child=child,
        measured_on=today() - timedelta(days=2),
        weight_kg=Decimal("8.4"),
        height_cm=Decimal("72.5"),
        position="lying",
        source=Measurement.Source.PARTNER,
        recorded_by=timah_user,
    )
    make_delivery(intervention, timah_user, date=m.measured_on, measurement=m)
    client.force_login(timah_user)
    expected = growth.assess("P", child.birth_date, m.measured_on, 72.5, 8.4, lying=True)
    assert m.haz == expected.haz
    r = client.get(url(child))
    assert r.context["latest"] == m
    html = r.content.decode()
    haz = f"{m.haz:+.2f}".replace(".", ",").replace("-", "\u2212")
    assert (
        f"Diukur: 8,4 kg, 72,5 cm, terlentang — TB/U {haz} {m.get_haz_category_display()}" in html
    )
    assert m.summary in html


def test_it_shows_the_parents_number_as_people_write_it(client, child, timah_user):
    child.parent_phone = "6281311112222"
    child.save()
    make_intervention(child)
    client.force_login(timah_user)
    html = client.get(url(child)).content.decode()
    assert '<a href="tel:+6281311112222">0813-1111-2222</a>' in html


# --- first opened -------------------------------------------------------------------


def test_opening_the_page_marks_the_partners_assignments_opened(clock, client, child, timah_user):
    pmt = make_intervention(child)
    other = make_intervention(child, PUSKESMAS, kind=PEMANTAUAN)
    client.force_login(timah_user)
    r = client.get(url(child))
    assert r.status_code == 200
    pmt.refresh_from_db()
    other.refresh_from_db()
    # The clock runs on from NOW: the time of this request.
    assert NOW <= pmt.partner_opened_at < NOW + timedelta(minutes=1)
    assert not pmt.is_new_for_partner
    # Another partner's assignment of the same child stays new for that partner.
    assert other.partner_opened_at is None
    # Opening is no edit: the assignment's history gains no row.
    assert pmt.history.count() == 1


def test_it_shows_baru_on_the_first_visit_only(clock, client, child, timah_user):
    pmt = make_intervention(child)
    client.force_login(timah_user)
    first = client.get(url(child)).content.decode()
    section = first.split(f'id="assignment-{pmt.pk}"')[1].split("</h2>")[0]
    assert '<span class="badge badge-new">baru</span>' in section
    again = client.get(url(child)).content.decode()
    assert "badge-new" not in again


def test_a_colleague_finds_it_opened_and_the_first_time_is_kept(clock, client, child, timah_user):
    pmt = make_intervention(child)
    colleague = partner_user("timah-2")
    client.force_login(timah_user)
    client.get(url(child))
    clock.move_to(NOW + timedelta(days=2))
    client.force_login(colleague)
    html = client.get(url(child)).content.decode()
    assert "badge-new" not in html
    pmt.refresh_from_db()
    assert NOW <= pmt.partner_opened_at < NOW + timedelta(minutes=1)


def test_staff_opening_the_child_does_not_count(client, child, verifikator):
    pmt = make_intervention(child)
    client.force_login(verifikator)
    assert client.get(f"/verifikasi/anak/{child.pk}/").status_code == 200
    assert client.get(f"/intervensi/{pmt.pk}/").status_code == 200
    pmt.refresh_from_db()
    assert pmt.partner_opened_at is None
