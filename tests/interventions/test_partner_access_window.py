"""How long a partner reads a child: while an assignment is open, and
PARTNER_ACCESS_AFTER_FINISH_DAYS days after finishing it; never after cancelling."""

from datetime import timedelta

import pytest

from interventions.models import Delivery, Intervention
from interventions.services import intervention_change_status
from registrations.models import AccessLog
from tests.builders import (
    TODAY,
    make_child,
    make_delivery,
    make_intervention,
    messages_of,
    partner_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

DONE = Intervention.Status.DONE
CANCELLED = Intervention.Status.CANCELLED


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


@pytest.fixture
def child(village):
    return make_child(village, name="Bunga Citra", mother_name="Rina Marlina")


def finished(child, status, on, recorded_by):
    intervention = make_intervention(child, start_date=on - timedelta(days=60))
    delivery = make_delivery(intervention, recorded_by, photo=True)
    intervention.status = status
    intervention.finished_on = on
    intervention.save()
    return intervention, delivery


def pages(intervention, delivery):
    return {
        "child": f"/mitra/anak/{intervention.child_id}/",
        "photo": f"/intervensi/foto/{delivery.pk}/",
    }


def listed(client, status):
    r = client.get("/mitra/", {"status": status})
    assert r.status_code == 200
    return [i.pk for i in r.context["page"]]


def test_it_refuses_everything_once_the_assignment_is_cancelled(
    client, child, timah_user, media_root
):
    intervention, delivery = finished(child, CANCELLED, TODAY, timah_user)
    client.force_login(timah_user)
    for url in pages(intervention, delivery).values():
        assert client.get(url).status_code == 404
    assert client.get(f"/mitra/tugas/{intervention.pk}/catat/").status_code == 404
    r = client.post(f"/mitra/tugas/{intervention.pk}/status/", {"status": DONE})
    assert r.status_code == 404
    for status in ["open", "cancelled", "done", "all"]:
        assert listed(client, status) == []
    assert "Rina Marlina" not in client.get("/mitra/?status=all").content.decode()
    assert AccessLog.objects.count() == 0


def test_it_does_not_offer_cancelled_as_a_filter(client, timah_user):
    client.force_login(timah_user)
    html = client.get("/mitra/").content.decode()
    assert 'value="done"' in html
    assert 'value="cancelled"' not in html


def test_it_lets_the_partner_read_a_finished_assignment_for_90_days(
    client, child, timah_user, media_root
):
    intervention, delivery = finished(child, DONE, TODAY - timedelta(days=90), timah_user)
    client.force_login(timah_user)
    r = client.get(pages(intervention, delivery)["child"])
    assert r.status_code == 200
    html = r.content.decode()
    assert "Rina Marlina" in html
    assert "masih dapat Anda baca sampai 16 Maret 2026" in html
    # Read-only: no recording, no status buttons.
    assert f"/mitra/tugas/{intervention.pk}/catat/" not in html
    assert f"/mitra/tugas/{intervention.pk}/status/" not in html
    assert client.get(pages(intervention, delivery)["photo"]).status_code == 200
    assert listed(client, "done") == [intervention.pk]
    assert listed(client, "all") == [intervention.pk]
    assert listed(client, "open") == []


def test_it_refuses_a_delivery_on_a_finished_assignment(client, child, timah_user, media_root):
    intervention, _ = finished(child, DONE, TODAY - timedelta(days=3), timah_user)
    client.force_login(timah_user)
    r = client.post(
        f"/mitra/tugas/{intervention.pk}/catat/",
        {"date": TODAY.isoformat(), "description": "Paket PMT"},
    )
    assert r.status_code == 302
    assert r.url == f"/mitra/anak/{child.pk}/"
    assert messages_of(r) == ["Intervensi ini sudah selesai atau dibatalkan."]
    assert Delivery.objects.count() == 1


def test_it_closes_access_on_day_91(client, child, timah_user, media_root):
    intervention, delivery = finished(child, DONE, TODAY - timedelta(days=91), timah_user)
    client.force_login(timah_user)
    for url in pages(intervention, delivery).values():
        assert client.get(url).status_code == 404
    assert client.get(f"/mitra/tugas/{intervention.pk}/catat/").status_code == 404
    assert listed(client, "done") == []


def test_the_window_runs_from_the_day_it_finished(client, child, timah_user, clock, media_root):
    intervention = make_intervention(child, status=Intervention.Status.RUNNING)
    delivery = make_delivery(intervention, timah_user, photo=True)
    intervention_change_status(intervention=intervention, status=DONE, user=timah_user)
    intervention.refresh_from_db()
    assert intervention.finished_on == TODAY
    client.force_login(timah_user)
    urls = pages(intervention, delivery)

    clock.move_to(TODAY + timedelta(days=90))
    client.force_login(timah_user)  # a new working day, a new session
    assert client.get(urls["child"]).status_code == 200
    assert client.get(urls["photo"]).status_code == 200
    clock.move_to(TODAY + timedelta(days=91))
    client.force_login(timah_user)
    assert client.get(urls["child"]).status_code == 404
    assert client.get(urls["photo"]).status_code == 404


def test_the_window_is_a_setting(client, child, timah_user, settings, media_root):
    settings.PARTNER_ACCESS_AFTER_FINISH_DAYS = 30
    intervention, _ = finished(child, DONE, TODAY - timedelta(days=31), timah_user)
    client.force_login(timah_user)
    assert client.get(f"/mitra/anak/{child.pk}/").status_code == 404
    settings.PARTNER_ACCESS_AFTER_FINISH_DAYS = 31
    assert client.get(f"/mitra/anak/{child.pk}/").status_code == 200


def test_an_open_assignment_keeps_the_child_but_not_the_cancelled_ones_work(
    client, child, timah_user, media_root
):
    cancelled, old_delivery = finished(child, CANCELLED, TODAY - timedelta(days=5), timah_user)
    current = make_intervention(child, status=Intervention.Status.RUNNING)
    client.force_login(timah_user)
    r = client.get(f"/mitra/anak/{child.pk}/")
    assert r.status_code == 200
    assert list(r.context["interventions"]) == [current]
    assert f"/intervensi/foto/{old_delivery.pk}/" not in r.content.decode()
    assert client.get(f"/intervensi/foto/{old_delivery.pk}/").status_code == 404
    assert client.get(f"/mitra/tugas/{cancelled.pk}/catat/").status_code == 404


def test_the_kecamatan_still_sees_cancelled_and_old_work(client, child, timah_user, verifikator):
    intervention, delivery = finished(child, CANCELLED, TODAY - timedelta(days=400), timah_user)
    client.force_login(verifikator)
    assert client.get(f"/intervensi/{intervention.pk}/").status_code == 200
    assert client.get(f"/intervensi/foto/{delivery.pk}/").status_code == 200
