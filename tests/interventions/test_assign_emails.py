"""The e-mail a partner's users get when children are assigned to the partner."""

import logging
import smtplib
from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction

from interventions.models import Intervention, PartnerMember
from interventions.services import intervention_assign
from tests.builders import (
    DESA_GROUP,
    PUSKESMAS,
    TIMAH,
    kind,
    make_child,
    make_user,
    messages_of,
    partner,
    partner_user,
)

pytestmark = pytest.mark.django_db
URL = "/intervensi/tugaskan/"
NIK = "1901015001240007"
KK = "1901010101200001"


@pytest.fixture
def timah_users(db):
    """Two Timah users with an address, and Timah accounts that must get no mail."""
    users = [
        partner_user("timah-1", email="ani@timah.example", first_name="Ani", last_name="Lestari"),
        partner_user("timah-2", email="budi@timah.example"),
    ]
    partner_user("timah-tanpa-email")
    partner_user("timah-nonaktif", email="lama@timah.example", is_active=False)
    # Linked to Timah but without the partner role: it cannot open the linked page.
    other_role = make_user("timah-desa", DESA_GROUP, email="desa@timah.example")
    PartnerMember.objects.create(user=other_role, partner=partner(TIMAH))
    partner_user("puskesmas", PUSKESMAS, email="puskesmas@example.go.id")
    return users


@pytest.fixture
def children(village, other_village):
    return [
        make_child(village, name="Siti Ma'ruf", nik=NIK, kk_number=KK, mother_name="Rina"),
        make_child(other_village, name="Budi Santoso", address="Jl. Rahasia 7"),
    ]


def post_data(children, **overrides):
    data = {
        "children": [c.pk for c in children],
        "partner": partner(TIMAH).pk,
        "kind": kind("PMT").pk,
        "start_date": "2026-03-02",
        "planned_end": "2026-05-31",
        "note": "Ibu minta kunjungan sore.",
    }
    data.update(overrides)
    return data


def test_it_mails_each_partner_user_the_children_assigned_at_once(
    client, settings, verifikator, timah_users, children, django_capture_on_commit_callbacks
):
    client.force_login(verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(URL, post_data(children))
    assert r.status_code == 302
    assert Intervention.objects.count() == 2

    # One mail per Timah user with an address and the partner role; nobody else.
    assert sorted(m.to[0] for m in mail.outbox) == ["ani@timah.example", "budi@timah.example"]
    ani = next(m for m in mail.outbox if m.to == ["ani@timah.example"])
    assert ani.subject == "GASKEN: 2 anak baru ditugaskan ke PT Timah Tbk (PMT)"
    assert ani.from_email == settings.DEFAULT_FROM_EMAIL
    assert ani.body.startswith("Yth. Ani Lestari,\n")
    base = "https://gasken.example.go.id/mitra/anak"
    for child, village in zip(children, ["Matras", "Rebo"], strict=True):
        i = Intervention.objects.get(child=child)
        # Text as typed (no HTML escaping), dates in Indonesian, a link to the assignment.
        line = (
            f"- {child.name}, {village}: PMT, mulai 2 Maret 2026, rencana selesai 31 Mei 2026\n"
            f"  {base}/{child.pk}/#assignment-{i.pk}\n"
        )
        assert line in ani.body
        [(html, kind_of)] = ani.alternatives
        assert kind_of == "text/html"
        assert f'<a href="{base}/{child.pk}/#assignment-{i.pk}">' in html
    assert "Siti Ma&#x27;ruf" in html
    assert "https://gasken.example.go.id/mitra/" in ani.body


def test_it_never_puts_nik_kk_or_other_details_in_the_mail(
    client, verifikator, timah_users, children, django_capture_on_commit_callbacks
):
    client.force_login(verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, post_data(children))
    assert mail.outbox
    for m in mail.outbox:
        whole = m.subject + m.body + m.alternatives[0][0]
        for secret in [NIK, NIK[:6], KK, "Rina", "Jl. Rahasia", "kunjungan sore", "10 Januari"]:
            assert secret not in whole, secret


def test_it_mails_one_child_assigned_from_its_page(
    client, verifikator, timah_users, children, django_capture_on_commit_callbacks
):
    client.force_login(verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(URL, post_data(children[:1], kind=kind("Pemantauan kesehatan").pk))
    assert r.url == f"/verifikasi/anak/{children[0].pk}/"
    assert len(mail.outbox) == 2
    subject = "GASKEN: 1 anak baru ditugaskan ke PT Timah Tbk (Pemantauan kesehatan)"
    assert {m.subject for m in mail.outbox} == {subject}
    assert "Budi Santoso" not in mail.outbox[0].body


def test_it_mails_only_after_the_assignment_is_committed(
    verifikator, timah_users, children, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        intervention_assign(
            children=children,
            partner=partner(TIMAH),
            kind=kind("PMT"),
            start_date=date(2026, 3, 2),
            planned_end=date(2026, 5, 31),
            note="",
            user=verifikator,
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 2


def test_it_mails_nothing_when_the_assignment_is_rolled_back(
    verifikator, timah_users, children, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            intervention_assign(
                children=children,
                partner=partner(TIMAH),
                kind=kind("PMT"),
                start_date=date(2026, 3, 2),
                planned_end=date(2026, 5, 31),
                note="",
                user=verifikator,
            )
            raise RuntimeError("something after the assignment failed")
    assert callbacks == []
    assert mail.outbox == []
    assert not Intervention.objects.exists()


def test_it_mails_nothing_for_a_refused_form(
    client, verifikator, timah_users, children, django_capture_on_commit_callbacks
):
    client.force_login(verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(URL, post_data(children, planned_end="2026-01-01"))
    assert r.status_code == 200
    assert mail.outbox == []


def test_it_sends_nothing_without_email_configured(
    client, settings, verifikator, timah_users, children, django_capture_on_commit_callbacks
):
    settings.EMAIL_ENABLED = False
    client.force_login(verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(URL, post_data(children))
    assert r.status_code == 302
    assert Intervention.objects.count() == 2
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_break_the_assignment(
    client, monkeypatch, caplog, verifikator, timah_users, children,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    client.force_login(verifikator)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        r = client.post(URL, post_data(children))
    assert r.status_code == 302
    assert Intervention.objects.count() == 2
    assert messages_of(r) == ["2 anak ditugaskan ke PT Timah Tbk (PMT)."]
    failures = [rec for rec in caplog.records if rec.name == "gasken.emails"]
    assert len(failures) == 2
    # The log names the mail, not its recipient or the children.
    assert "Siti" not in caplog.text and "ani@timah.example" not in caplog.text


def test_one_refused_address_does_not_stop_the_others(
    monkeypatch, verifikator, timah_users, children, django_capture_on_commit_callbacks
):
    send = EmailBackend.send_messages

    def refuse_ani(self, messages):
        if messages[0].to == ["ani@timah.example"]:
            raise smtplib.SMTPRecipientsRefused({"ani@timah.example": (550, b"no such user")})
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_ani)
    with django_capture_on_commit_callbacks(execute=True):
        intervention_assign(
            children=children,
            partner=partner(TIMAH),
            kind=kind("PMT"),
            start_date=date(2026, 3, 2),
            planned_end=date(2026, 5, 31),
            note="",
            user=verifikator,
        )
    assert [m.to for m in mail.outbox] == [["budi@timah.example"]]
