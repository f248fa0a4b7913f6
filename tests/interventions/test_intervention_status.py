from datetime import date

import pytest
from django.utils import timezone

from interventions.models import Intervention
from tests.builders import (
    PMT,
    PUSKESMAS,
    kind,
    make_child,
    make_intervention,
    make_user,
    messages_of,
    partner,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
S = Intervention.Status


def url(intervention):
    return f"/intervensi/{intervention.pk}/status/"


def detail(intervention):
    return f"/intervensi/{intervention.pk}/"


@pytest.fixture
def intervention(village, verifikator):
    return make_intervention(
        make_child(village),
        created_by=verifikator,
        start_date=date(2026, 3, 2),
        planned_end=date(2026, 5, 31),
    )


def set_status(intervention, status, **fields):
    Intervention.objects.filter(pk=intervention.pk).update(status=status, **fields)
    intervention.refresh_from_db()


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


def test_it_sends_anonymous_users_to_the_login_page(client, intervention):
    before = snapshot(intervention)
    r = client.post(url(intervention), {"status": "running"})
    assert r.status_code == 302
    assert r.url == f"/akun/masuk/?next=/intervensi/{intervention.pk}/status/"
    assert snapshot(intervention) == before


@pytest.mark.parametrize("who", ["outsider", "pimpinan", "mitra_user", "desa_user"])
@pytest.mark.parametrize("status", ["running", "cancelled"])
def test_it_refuses_users_who_may_not_change(client, request, who, intervention, status):
    before = snapshot(intervention)
    client.force_login(request.getfixturevalue(who))
    r = client.post(url(intervention), {"status": status, "reason": "Tidak perlu lagi."})
    assert r.status_code == 403
    assert snapshot(intervention) == before


def test_it_only_accepts_post(client, verifikator, intervention):
    before = snapshot(intervention)
    client.force_login(verifikator)
    assert client.get(url(intervention), {"status": "running"}).status_code == 405
    assert snapshot(intervention) == before


def test_it_answers_404_for_an_unknown_intervention(client, verifikator):
    client.force_login(verifikator)
    assert client.post("/intervensi/999999/status/", {"status": "running"}).status_code == 404


# --- allowed transitions -------------------------------------------------------


def test_it_starts_a_planned_intervention(client, verifikator, intervention):
    client.force_login(verifikator)
    r = client.post(url(intervention), {"status": "running"})
    assert r.status_code == 302
    assert r.url == detail(intervention)
    intervention.refresh_from_db()
    assert intervention.status == S.RUNNING
    assert intervention.started_on == timezone.localdate()
    assert intervention.finished_on is None
    assert messages_of(r) == ["Status sekarang: berjalan."]
    latest = intervention.history.latest()
    assert (latest.status, latest.history_type, latest.history_user) == (
        "running",
        "~",
        verifikator,
    )


def test_it_finishes_a_running_intervention(client, verifikator, intervention):
    set_status(intervention, S.RUNNING, started_on=date(2026, 3, 3))
    client.force_login(verifikator)
    r = client.post(url(intervention), {"status": "done"})
    assert r.status_code == 302
    assert r.url == detail(intervention)
    intervention.refresh_from_db()
    assert intervention.status == S.DONE
    assert intervention.started_on == date(2026, 3, 3)
    assert intervention.finished_on == timezone.localdate()
    assert intervention.cancel_reason == ""
    assert messages_of(r) == ["Status sekarang: selesai."]
    assert intervention.history.latest().history_user == verifikator


@pytest.mark.parametrize("current", [S.PLANNED, S.RUNNING])
def test_it_cancels_an_open_intervention_with_a_reason(client, verifikator, intervention, current):
    set_status(intervention, current)
    client.force_login(verifikator)
    r = client.post(
        url(intervention),
        {"status": "cancelled", "reason": "  Keluarga pindah ke Pangkalpinang. "},
    )
    assert r.status_code == 302
    assert r.url == detail(intervention)
    intervention.refresh_from_db()
    assert intervention.status == S.CANCELLED
    assert intervention.cancel_reason == "Keluarga pindah ke Pangkalpinang."
    assert intervention.finished_on == timezone.localdate()
    assert messages_of(r) == ["Status sekarang: dibatalkan."]
    latest = intervention.history.latest()
    assert (latest.status, latest.cancel_reason, latest.history_user) == (
        "cancelled",
        "Keluarga pindah ke Pangkalpinang.",
        verifikator,
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_requires_a_reason_to_cancel(client, verifikator, intervention, reason):
    before = snapshot(intervention)
    client.force_login(verifikator)
    r = client.post(url(intervention), {"status": "cancelled", "reason": reason})
    assert r.status_code == 302
    assert r.url == detail(intervention)
    assert snapshot(intervention) == before
    assert messages_of(r) == ["Alasan pembatalan wajib diisi."]


def test_it_shows_the_error_on_the_detail_page(client, verifikator, intervention):
    client.force_login(verifikator)
    r = client.post(url(intervention), {"status": "cancelled"}, follow=True)
    assert r.redirect_chain == [(detail(intervention), 302)]
    assert "Alasan pembatalan wajib diisi." in r.content.decode()


def test_it_refuses_an_unknown_status(client, verifikator, intervention):
    before = snapshot(intervention)
    client.force_login(verifikator)
    r = client.post(url(intervention), {"status": "hilang"})
    assert r.status_code == 302
    assert snapshot(intervention) == before
    assert len(messages_of(r)) == 1


# --- forbidden transitions -----------------------------------------------------


@pytest.mark.parametrize(
    "current,target,message",
    [
        (S.DONE, "running", "Status selesai tidak dapat diubah menjadi berjalan."),
        (S.CANCELLED, "running", "Status dibatalkan tidak dapat diubah menjadi berjalan."),
        (S.PLANNED, "done", "Status direncanakan tidak dapat diubah menjadi selesai."),
        (S.DONE, "cancelled", "Status selesai tidak dapat diubah menjadi dibatalkan."),
        (S.RUNNING, "planned", "Status berjalan tidak dapat diubah menjadi direncanakan."),
        (S.RUNNING, "running", "Status berjalan tidak dapat diubah menjadi berjalan."),
    ],
)
def test_it_refuses_forbidden_transitions(
    client, verifikator, intervention, current, target, message
):
    set_status(intervention, current)
    before = snapshot(intervention)
    client.force_login(verifikator)
    r = client.post(url(intervention), {"status": target, "reason": "Coba saja."})
    assert r.status_code == 302
    assert r.url == detail(intervention)
    assert snapshot(intervention) == before
    assert messages_of(r) == [message]


# --- history ---------------------------------------------------------------------


def test_it_records_every_change_with_its_user(client, verifikator, village):
    client.force_login(verifikator)
    child = make_child(village)
    r = client.post(
        "/intervensi/tugaskan/",
        {
            "children": [child.pk],
            "partner": partner(PUSKESMAS).pk,
            "kind": kind(PMT).pk,
            "start_date": "2026-03-02",
        },
    )
    assert r.status_code == 302
    intervention = Intervention.objects.get()
    client.post(url(intervention), {"status": "running"})
    other = make_user("verifikator2", "Verifikator Kecamatan")
    client.force_login(other)
    client.post(url(intervention), {"status": "done"})

    records = list(intervention.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.status, h.history_user) for h in records] == [
        ("+", "planned", verifikator),
        ("~", "running", verifikator),
        ("~", "done", other),
    ]
