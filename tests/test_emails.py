"""gasken.emails: the helper every e-mail goes through."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from gasken import emails

pytestmark = pytest.mark.django_db


def message(to="ani@timah.example"):
    ctx = {
        "name": "Ani",
        "partner": "PT Timah Tbk",
        "kinds": ["PMT"],
        "items": [],
        "count": 0,
        "home_url": "https://gasken.example.go.id/mitra/",
    }
    return emails.make("new_assignments", to, ctx)


def test_it_renders_subject_text_and_html():
    m = message()
    assert m.subject == "GASKEN: 0 anak baru ditugaskan ke PT Timah Tbk (PMT)"
    assert "\n" not in m.subject
    assert m.body.startswith("Yth. Ani,")
    assert m.alternatives[0][1] == "text/html"
    assert '<html lang="id">' in m.alternatives[0][0]


def test_it_sends_and_reports_each_message():
    assert emails.send([message(), message("budi@timah.example")]) == [True, True]
    assert [m.to for m in mail.outbox] == [["ani@timah.example"], ["budi@timah.example"]]
    assert emails.send([]) == []


def test_an_unreachable_mail_server_is_logged_not_raised(monkeypatch, caplog):
    def unreachable(self):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(EmailBackend, "open", unreachable, raising=False)
    with caplog.at_level(logging.ERROR):
        assert emails.send([message(), message()]) == [False, False]
    assert mail.outbox == []
    assert "Could not connect to the mail server; 2 e-mail(s) not sent." in caplog.text


def test_a_refused_message_is_logged_and_the_rest_are_sent(monkeypatch, caplog):
    send = EmailBackend.send_messages

    def refuse_first(self, messages):
        if messages[0].to == ["ani@timah.example"]:
            raise smtplib.SMTPDataError(554, b"rejected")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_first)
    with caplog.at_level(logging.ERROR):
        assert emails.send([message(), message("budi@timah.example")]) == [False, True]
    assert [m.to for m in mail.outbox] == [["budi@timah.example"]]
    assert "Sending an e-mail failed (GASKEN: 0 anak baru ditugaskan" in caplog.text
