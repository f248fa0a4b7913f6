"""manage.py send_overdue_digest: the weekly mail of a partner's overdue assignments."""

import io
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from interventions.emails import week_of
from interventions.models import Intervention, OverdueDigest, Partner
from tests.builders import (
    NOW,
    PUSKESMAS,
    TODAY,
    make_child,
    make_intervention,
    partner_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

S = Intervention.Status
NIK = "1901015001240007"
KK = "1901010101200001"


def run():
    out = io.StringIO()
    call_command("send_overdue_digest", stdout=out)
    return out.getvalue()


def late(child, partner="PT Timah Tbk", days=14, **fields):
    """An assignment whose planned end was `days` days before the clock's day."""
    end = TODAY - timedelta(days=days)
    return make_intervention(
        child, partner, start_date=end - timedelta(days=90), planned_end=end, **fields
    )


@pytest.fixture
def timah_users(db):
    return [
        partner_user("timah-1", email="ani@timah.example", first_name="Ani"),
        partner_user("timah-2", email="budi@timah.example"),
    ]


@pytest.fixture
def overdue(village, timah_users):
    """Two overdue Timah assignments, and others that are not overdue or not Timah's."""
    running = late(
        make_child(village, name="Siti Rahma", nik=NIK, kk_number=KK),
        days=3,
        status=S.RUNNING,
        started_on=TODAY - timedelta(days=60),
    )
    planned = late(make_child(village, name="Budi Santoso"), days=14)
    make_intervention(make_child(village, name="Masih Berjalan"))  # planned end ahead
    late(make_child(village, name="Sudah Selesai"), status=S.DONE, finished_on=TODAY)
    late(make_child(village, name="Dibatalkan"), status=S.CANCELLED, finished_on=TODAY)
    late(make_child(village, name="Anak Puskesmas"), PUSKESMAS)
    return [planned, running]


def test_the_clock_day_is_a_monday():
    # The weeks below are counted from it.
    assert TODAY.weekday() == 0
    assert week_of(TODAY) == TODAY
    assert week_of(TODAY + timedelta(days=6)) == TODAY
    assert week_of(TODAY + timedelta(days=7)) == TODAY + timedelta(days=7)


def test_it_mails_each_partner_user_its_overdue_assignments(overdue):
    out = run()
    assert sorted(m.to[0] for m in mail.outbox) == ["ani@timah.example", "budi@timah.example"]
    ani = next(m for m in mail.outbox if m.to == ["ani@timah.example"])
    assert ani.subject == "GASKEN: 2 penugasan PT Timah Tbk lewat rencana selesai"
    body = ani.body
    assert body.startswith("Yth. Ani,\n")
    assert "Ringkasan mingguan per 16 Maret 2026: 2 penugasan PT Timah Tbk" in body
    planned, running = overdue
    base = "https://gasken.example.go.id/mitra/anak"
    # Longest overdue first, each with its status, planned end, days late and link.
    assert body.index("Budi Santoso") < body.index("Siti Rahma")
    assert (
        "- Budi Santoso, Matras: PMT, direncanakan, rencana selesai 2 Maret 2026 (lewat 14 hari)\n"
        f"  {base}/{planned.child_id}/#assignment-{planned.pk}\n"
    ) in body
    assert (
        "- Siti Rahma, Matras: PMT, berjalan, rencana selesai 13 Maret 2026 (lewat 3 hari)" in body
    )
    for absent in ["Masih Berjalan", "Sudah Selesai", "Dibatalkan", "Anak Puskesmas", NIK, KK]:
        assert absent not in body and absent not in ani.alternatives[0][0]
    assert out.strip() == (
        "Ringkasan minggu 16-03-2026: 2 email terkirim, 0 sudah terkirim sebelumnya minggu ini, "
        "0 gagal (dicoba lagi pada jalankan berikutnya)."
    )
    assert "Siti" not in out and "@" not in out
    assert sorted(OverdueDigest.objects.values_list("user__username", "week", "assignments")) == [
        ("timah-1", TODAY, 2),
        ("timah-2", TODAY, 2),
    ]


def test_it_mails_each_user_once_a_week_however_often_it_runs(clock, overdue):
    run()
    assert len(mail.outbox) == 2
    clock.move_to(NOW + timedelta(days=3))
    out = run()
    assert len(mail.outbox) == 2
    assert "0 email terkirim, 2 sudah terkirim sebelumnya minggu ini" in out

    # A user added during the week gets this week's digest on the next run.
    partner_user("timah-3", email="citra@timah.example")
    run()
    assert [m.to for m in mail.outbox[2:]] == [["citra@timah.example"]]

    clock.move_to(NOW + timedelta(days=7))
    out = run()
    assert len(mail.outbox) == 6
    assert "Ringkasan minggu 23-03-2026: 3 email terkirim" in out


def test_it_mails_each_partner_its_own_assignments(village, timah_users):
    late(make_child(village, name="Anak Timah"))
    late(make_child(village, name="Anak Puskesmas"), PUSKESMAS)
    partner_user("puskesmas", PUSKESMAS, email="pkm@example.go.id")
    run()
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_address) == {"ani@timah.example", "budi@timah.example", "pkm@example.go.id"}
    assert "Anak Puskesmas" in by_address["pkm@example.go.id"]
    assert "Anak Timah" not in by_address["pkm@example.go.id"]
    assert "Anak Puskesmas" not in by_address["ani@timah.example"]


def test_it_mails_no_one_without_overdue_assignments(village, timah_users):
    make_intervention(make_child(village))
    assert "0 email terkirim" in run()
    assert mail.outbox == []
    assert not OverdueDigest.objects.exists()


def test_it_skips_an_inactive_partner(overdue):
    Partner.objects.filter(name="PT Timah Tbk").update(is_active=False)
    run()
    assert mail.outbox == []


def test_a_failed_mail_is_sent_again_on_the_next_run(monkeypatch, overdue):
    send = EmailBackend.send_messages

    def refuse_ani(self, messages):
        if messages[0].to == ["ani@timah.example"]:
            raise smtplib.SMTPRecipientsRefused({"ani@timah.example": (451, b"try later")})
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_ani)
    with pytest.raises(CommandError, match="1 email ringkasan gagal dikirim"):
        run()
    assert [m.to for m in mail.outbox] == [["budi@timah.example"]]
    assert list(OverdueDigest.objects.values_list("user__username", flat=True)) == ["timah-2"]

    monkeypatch.setattr(EmailBackend, "send_messages", send)
    out = run()
    assert "1 email terkirim, 1 sudah terkirim" in out
    assert [m.to for m in mail.outbox] == [["budi@timah.example"], ["ani@timah.example"]]


def test_it_sends_nothing_without_email_configured(settings, overdue):
    settings.EMAIL_ENABLED = False
    out = run()
    assert out.strip() == "Email belum diatur (EMAIL_URL kosong): tidak ada yang dikirim."
    assert mail.outbox == []
    assert not OverdueDigest.objects.exists()


def test_the_database_refuses_a_second_digest_in_the_same_week(timah_users):
    OverdueDigest.objects.create(user=timah_users[0], week=TODAY, assignments=1)
    with pytest.raises(IntegrityError):
        OverdueDigest.objects.create(user=timah_users[0], week=TODAY, assignments=2)
