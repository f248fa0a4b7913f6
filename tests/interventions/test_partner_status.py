from datetime import timedelta

import pytest

from interventions.models import Intervention
from tests.builders import (
    MITRA_GROUP,
    NOT_LINKED_PARTNER,
    login_redirect,
    make_child,
    make_intervention,
    make_user,
    messages_of,
    partner_user,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

Status = Intervention.Status


def url(intervention):
    return f"/mitra/tugas/{intervention.pk}/status/"


def child_url(intervention):
    return f"/mitra/anak/{intervention.child_id}/"


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


@pytest.fixture
def child(village):
    return make_child(village, name="Bunga Citra")


@pytest.fixture
def planned(child):
    return make_intervention(child)


@pytest.fixture
def logged_in(client, timah_user):
    client.force_login(timah_user)
    return client


def snapshot(intervention):
    intervention.refresh_from_db()
    return (
        intervention.status,
        intervention.started_on,
        intervention.finished_on,
        intervention.cancel_reason,
        intervention.history.count(),
    )


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, planned):
    before = snapshot(planned)
    r = client.post(url(planned), {"status": Status.RUNNING})
    assert r.status_code == 302
    assert r.url == login_redirect(url(planned))
    assert snapshot(planned) == before


def test_it_accepts_only_post(logged_in, planned):
    before = snapshot(planned)
    assert logged_in.get(url(planned), {"status": Status.RUNNING}).status_code == 405
    assert snapshot(planned) == before


@pytest.mark.parametrize("user", ["outsider", "pimpinan", "verifikator", "desa_user"])
def test_it_refuses_users_without_the_partner_role(client, planned, user, request):
    before = snapshot(planned)
    client.force_login(request.getfixturevalue(user))
    r = client.post(url(planned), {"status": Status.RUNNING})
    assert r.status_code == 403
    assert snapshot(planned) == before


def test_it_refuses_a_partner_user_not_linked_to_a_partner(client, planned):
    before = snapshot(planned)
    client.force_login(make_user("mitra-baru", MITRA_GROUP))
    r = client.post(url(planned), {"status": Status.RUNNING})
    assert r.status_code == 403
    assert NOT_LINKED_PARTNER in r.content.decode()
    assert snapshot(planned) == before


def test_it_returns_404_for_an_unknown_intervention(logged_in, planned):
    r = logged_in.post(f"/mitra/tugas/{planned.pk + 1000}/status/", {"status": Status.RUNNING})
    assert r.status_code == 404


# --- transitions --------------------------------------------------------------


def test_it_starts_a_planned_intervention(logged_in, planned, timah_user):
    r = logged_in.post(url(planned), {"status": Status.RUNNING})
    assert r.status_code == 302
    assert r.url == child_url(planned)
    planned.refresh_from_db()
    assert planned.status == Status.RUNNING
    assert planned.started_on == today()
    assert planned.finished_on is None
    latest = planned.history.latest()
    assert latest.history_user == timah_user
    assert latest.status == Status.RUNNING


def test_it_finishes_a_running_intervention(logged_in, child, timah_user):
    started = today() - timedelta(days=5)
    running = make_intervention(child, status=Status.RUNNING, started_on=started)
    r = logged_in.post(url(running), {"status": Status.DONE})
    assert r.status_code == 302
    assert r.url == child_url(running)
    running.refresh_from_db()
    assert running.status == Status.DONE
    assert running.started_on == started
    assert running.finished_on == today()
    assert running.cancel_reason == ""
    latest = running.history.latest()
    assert latest.history_user == timah_user
    assert latest.status == Status.DONE


def test_it_says_what_the_status_now_is(logged_in, planned):
    r = logged_in.post(url(planned), {"status": Status.RUNNING}, follow=True)
    assert r.redirect_chain == [(child_url(planned), 302)]
    assert messages_of(r) == ["Status sekarang: berjalan."]
    assert "PMT — Berjalan" in r.content.decode()


@pytest.mark.parametrize("status", [Status.PLANNED, Status.RUNNING])
def test_it_does_not_let_the_partner_cancel(logged_in, child, status):
    intervention = make_intervention(child, status=status)
    before = snapshot(intervention)
    r = logged_in.post(url(intervention), {"status": Status.CANCELLED, "reason": "Pindah rumah"})
    assert r.status_code == 403
    assert snapshot(intervention) == before


def test_it_does_not_let_the_partner_cancel_even_without_a_reason(logged_in, planned):
    before = snapshot(planned)
    r = logged_in.post(url(planned), {"status": Status.CANCELLED})
    assert snapshot(planned) == before
    assert r.status_code == 403


@pytest.mark.parametrize(
    "current,target,message",
    [
        (Status.DONE, Status.RUNNING, "Status selesai tidak dapat diubah menjadi berjalan."),
        (Status.PLANNED, Status.DONE, "Status direncanakan tidak dapat diubah menjadi selesai."),
        (Status.RUNNING, Status.RUNNING, "Status berjalan tidak dapat diubah menjadi berjalan."),
    ],
)
def test_it_refuses_a_transition_the_workflow_does_not_allow(
    logged_in, child, current, target, message
):
    finished_on = today() if current == Status.DONE else None
    intervention = make_intervention(child, status=current, finished_on=finished_on)
    before = snapshot(intervention)
    r = logged_in.post(url(intervention), {"status": target}, follow=True)
    assert r.redirect_chain == [(child_url(intervention), 302)]
    assert messages_of(r) == [message]
    assert message in r.content.decode()
    assert snapshot(intervention) == before


def test_it_answers_404_on_a_cancelled_assignment(logged_in, child):
    # A cancelled assignment gives the partner no access at all.
    intervention = make_intervention(child, status=Status.CANCELLED, finished_on=today())
    before = snapshot(intervention)
    assert logged_in.post(url(intervention), {"status": Status.DONE}).status_code == 404
    assert snapshot(intervention) == before


@pytest.mark.parametrize("value", ["", "ditunda", "BERJALAN"])
def test_it_refuses_an_unknown_status(logged_in, planned, value):
    # Partners may only start or finish: anything else is refused before it is read.
    before = snapshot(planned)
    r = logged_in.post(url(planned), {"status": value})
    assert r.status_code == 403
    assert snapshot(planned) == before
