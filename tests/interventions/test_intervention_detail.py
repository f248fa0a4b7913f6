import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from interventions.models import Intervention
from interventions.services import intervention_change_status
from tests.builders import (
    PMT,
    PUSKESMAS,
    TODAY,
    kind,
    make_child,
    make_delivery,
    make_intervention,
    make_user,
    partner,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def url(intervention):
    return f"/intervensi/{intervention.pk}/"


def section(html, name):
    match = re.search(rf'<section class="card" id="{name}">(.*?)</section>', html, re.S)
    assert match, f"no #{name} section on the page"
    return match.group(1)


# A week before the clock's day: the planned end is still ahead.
START = TODAY - timedelta(days=7)


def long_date(day):
    with translation.override("id"):
        return date_format(day, "j F Y")


@pytest.fixture
def intervention(village, verifikator):
    child = make_child(village, name="Putri Ayu")
    return make_intervention(
        child,
        PUSKESMAS,
        created_by=verifikator,
        start_date=START,
        planned_end=START + timedelta(days=90),
        note="Prioritaskan kunjungan rumah.",
    )


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, intervention):
    r = client.get(url(intervention))
    assert r.status_code == 302
    assert r.url == f"/akun/masuk/?next=/intervensi/{intervention.pk}/"


@pytest.mark.parametrize("who", ["outsider", "staff", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, who, intervention):
    client.force_login(request.getfixturevalue(who))
    r = client.get(url(intervention))
    assert r.status_code == 403
    assert b"Putri Ayu" not in r.content


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_shows_the_intervention_to_staff(client, request, who, intervention):
    client.force_login(request.getfixturevalue(who))
    r = client.get(url(intervention))
    assert r.status_code == 200
    assert "Putri Ayu" in r.content.decode()


def test_it_answers_404_for_an_unknown_intervention(client, verifikator):
    client.force_login(verifikator)
    assert client.get("/intervensi/999999/").status_code == 404


# --- content ------------------------------------------------------------------


def test_it_shows_the_assignment(client, verifikator, intervention):
    client.force_login(verifikator)
    html = client.get(url(intervention)).content.decode()
    assert f'href="/verifikasi/anak/{intervention.child_id}/"' in html
    assignment = section(html, "assignment")
    assert "Puskesmas Sungailiat" in assignment
    assert "Direncanakan" in assignment
    assert long_date(START) in assignment
    assert long_date(START + timedelta(days=90)) in assignment
    assert "Prioritaskan kunjungan rumah." in assignment
    assert "verifikator" in assignment
    assert "lewat rencana selesai" not in assignment


def test_it_shows_cancel_reason_and_overdue(client, verifikator, village):
    today = timezone.localdate()
    late = make_intervention(
        make_child(village),
        created_by=verifikator,
        start_date=today - timedelta(days=100),
        planned_end=today - timedelta(days=10),
    )
    cancelled = make_intervention(
        make_child(village),
        created_by=verifikator,
        status=Intervention.Status.CANCELLED,
        start_date=today - timedelta(days=100),
        planned_end=today - timedelta(days=10),
        finished_on=today - timedelta(days=20),
        cancel_reason="Keluarga pindah ke Pangkalpinang.",
    )
    client.force_login(verifikator)
    assert "lewat rencana selesai" in section(client.get(url(late)).content.decode(), "assignment")
    html = section(client.get(url(cancelled)).content.decode(), "assignment")
    assert "Keluarga pindah ke Pangkalpinang." in html
    assert "Dibatalkan" in html
    assert "lewat rencana selesai" not in html


def test_it_shows_the_deliveries_with_internal_notes_and_photos(
    client, verifikator, pimpinan, intervention
):
    mitra = make_user("petugas_puskesmas", "Mitra")
    with_photo = make_delivery(
        intervention,
        mitra,
        photo=True,
        date=START + timedelta(days=1),
        description="Paket PMT minggu pertama",
        quantity="2",
        note="Diterima ibunya.",
    )
    internal = make_delivery(
        intervention,
        mitra,
        date=START + timedelta(days=2),
        description="Kunjungan rumah",
        note="Ayah menolak dikunjungi lagi.",
        internal=True,
    )
    for user in (verifikator, pimpinan):
        client.force_login(user)
        deliveries = section(client.get(url(intervention)).content.decode(), "deliveries")
        assert "Paket PMT minggu pertama" in deliveries
        assert "2 paket" in deliveries
        assert "Diterima ibunya." in deliveries
        assert "Kunjungan rumah" in deliveries
        assert "Ayah menolak dikunjungi lagi." in deliveries
        assert "(internal)" in deliveries
        assert "petugas_puskesmas" in deliveries
        assert f'href="/intervensi/foto/{with_photo.pk}/"' in deliveries
        assert f'href="/intervensi/foto/{internal.pk}/"' not in deliveries
        assert deliveries.count("Lihat foto bukti") == 1
        # Newest first.
        assert deliveries.index("Kunjungan rumah") < deliveries.index("Paket PMT minggu")


def test_it_says_when_nothing_was_delivered_yet(client, verifikator, intervention):
    client.force_login(verifikator)
    html = client.get(url(intervention)).content.decode()
    assert "Belum ada layanan dicatat." in section(html, "deliveries")


def test_it_lets_staff_open_a_delivery_photo(client, verifikator, pimpinan, intervention):
    delivery = make_delivery(intervention, verifikator, photo=True)
    for user in (verifikator, pimpinan):
        client.force_login(user)
        r = client.get(f"/intervensi/foto/{delivery.pk}/")
        assert r.status_code == 200
        assert r["Content-Type"] == "image/jpeg"
        assert b"".join(r.streaming_content)[:2] == b"\xff\xd8"


def test_it_shows_the_history_with_users(client, verifikator, pimpinan, village):
    client.force_login(verifikator)
    child = make_child(village)
    r = client.post(
        "/intervensi/tugaskan/",
        {
            "children": [child.pk],
            "partner": partner(PUSKESMAS).pk,
            "kind": kind(PMT).pk,
            "start_date": "2026-03-02",
            "planned_end": "2026-05-31",
        },
    )
    assert r.status_code == 302
    intervention = Intervention.objects.get()
    other = make_user("verifikator2", "Verifikator Kecamatan")
    intervention_change_status(intervention=intervention, status="running", user=other)

    client.force_login(pimpinan)
    history = section(client.get(url(intervention)).content.decode(), "history")
    assert "Ditugaskan oleh verifikator<" in history
    assert "Status: Berjalan oleh verifikator2<" in history
    assert history.index("Status: Berjalan") < history.index("Ditugaskan")


def test_it_shows_status_buttons_only_to_users_who_may_change(
    client, verifikator, pimpinan, intervention
):
    action = f'action="/intervensi/{intervention.pk}/status/"'
    client.force_login(verifikator)
    html = client.get(url(intervention)).content.decode()
    assert action in html
    assert 'name="status" value="running"' in html
    assert 'name="status" value="cancelled"' in html
    assert 'name="reason"' in html
    assert 'value="done"' not in html

    client.force_login(pimpinan)
    html = client.get(url(intervention)).content.decode()
    assert action not in html
    assert 'name="status"' not in html
    assert "Batalkan intervensi" not in html


def test_it_offers_the_next_steps_of_a_running_intervention(client, verifikator, intervention):
    Intervention.objects.filter(pk=intervention.pk).update(status="running")
    client.force_login(verifikator)
    html = client.get(url(intervention)).content.decode()
    assert 'name="status" value="done"' in html
    assert 'name="status" value="cancelled"' in html
    assert 'value="running"' not in html


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_it_offers_no_status_change_once_closed(client, verifikator, intervention, status):
    Intervention.objects.filter(pk=intervention.pk).update(status=status)
    client.force_login(verifikator)
    r = client.get(url(intervention))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Putri Ayu" in html
    label = Intervention.Status(status).label
    assert f'<dd id="status">{label}</dd>' in section(html, "assignment")
    assert f'action="/intervensi/{intervention.pk}/status/"' not in html
    assert 'name="status"' not in html


def test_it_says_whether_the_partner_has_opened_the_assignment(client, intervention, verifikator):
    client.force_login(verifikator)
    html = client.get(url(intervention)).content.decode()
    assert '<dt>Dibuka mitra</dt><dd id="partner-opened">belum</dd>' in html

    opened = timezone.now() - timedelta(hours=3)
    Intervention.objects.filter(pk=intervention.pk).mark_opened_by_partner(opened)
    html = client.get(url(intervention)).content.decode()
    local = timezone.localtime(opened)
    expected = f"{long_date(local.date())} {local:%H:%M}"
    assert f'<dd id="partner-opened">{expected}</dd>' in html
