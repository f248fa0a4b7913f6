import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from registrations.models import Child, Measurement, Submission
from tests.builders import make_child, make_submission, make_user
from verification.models import Decision
from verification.services import DecisionConflict, submission_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(posyandu):
    return make_submission(
        posyandu.village,
        posyandu,
        child_name="Putri Ayu",
        child_nik="1901015003250001",
        kk_number="1901010101200001",
        father_name="Budi",
        parent_phone="6281311112222",
    )


def url(s):
    return f"/verifikasi/laporan/{s.pk}/putuskan/"


def post(client, s, **data):
    data.setdefault("version", s.version)
    return client.post(url(s), data)


def test_it_requires_login(client, submission):
    r = post(client, submission, action="verified_new")
    assert r.status_code == 302
    assert r.url.startswith("/akun/masuk/")
    submission.refresh_from_db()
    assert submission.status == "pending"


@pytest.mark.parametrize("who", ["outsider", "staff", "mitra_user", "desa_user", "pimpinan"])
def test_it_refuses_other_roles(client, request, submission, who):
    client.force_login(request.getfixturevalue(who))
    assert post(client, submission, action="verified_new").status_code == 403
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert not Child.objects.exists() and not Decision.objects.exists()


def test_it_rejects_get(client, verifikator, submission):
    client.force_login(verifikator)
    assert client.get(url(submission)).status_code == 405


def test_it_verifies_a_new_case(client, verifikator, submission):
    client.force_login(verifikator)
    r = post(client, submission, action="verified_new")
    assert r.status_code == 302
    assert r.url == f"/verifikasi/laporan/{submission.pk}/"

    submission.refresh_from_db()
    assert submission.status == "verified"
    child = Child.objects.get()
    assert submission.child == child
    assert (child.name, child.nik, child.sex, child.birth_date) == (
        "Putri Ayu",
        "1901015003250001",
        "P",
        submission.birth_date,
    )
    assert (child.mother_name, child.father_name, child.parent_phone) == (
        "Rina",
        "Budi",
        "6281311112222",
    )
    assert (child.village, child.posyandu, child.kk_number) == (
        submission.village,
        submission.posyandu,
        "1901010101200001",
    )
    measurement = submission.measurement
    assert measurement.child == child
    assert child.latest_measurement == measurement
    decision = Decision.objects.get()
    assert (decision.action, decision.decided_by, decision.child, decision.version) == (
        "verified_new",
        verifikator,
        child,
        1,
    )
    # Audit history records who registered the child.
    assert child.history.get().history_user == verifikator


def test_it_merges_a_follow_up_report_into_a_child(client, verifikator, village):
    today = timezone.localdate()
    child = make_child(village, birth_date=today - timedelta(days=500))
    first = Measurement.objects.create(
        child=child,
        measured_on=today - timedelta(days=100),
        height_cm=Decimal("70.0"),
        weight_kg=Decimal("8.0"),
        position="lying",
        source="puskesmas",
    )
    report = make_submission(
        village, child_name="Putri", birth_date=child.birth_date, measured_on=today
    )
    client.force_login(verifikator)
    r = post(client, report, action="merged", child=child.pk)
    assert r.status_code == 302

    report.refresh_from_db()
    assert report.status == "verified"
    assert report.child == child
    assert Child.objects.count() == 1
    m = report.measurement
    assert m.child == child
    assert set(child.measurements.all()) == {first, m}
    child.refresh_from_db()
    assert child.latest_measurement == m
    d = Decision.objects.get()
    assert (d.action, d.child) == ("merged", child)


def test_merge_needs_an_existing_child(client, verifikator, submission):
    client.force_login(verifikator)
    r = post(client, submission, action="merged", child="")
    assert r.status_code == 400
    assert "Pilih anak terdaftar yang akan digabungkan." in r.content.decode()
    r = post(client, submission, action="merged", child="999999")
    assert "Tidak ada anak terdaftar dengan nomor ini." in r.content.decode()
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert not Decision.objects.exists()


def test_it_sends_a_report_back_for_correction(client, verifikator, submission):
    client.force_login(verifikator)
    r = post(client, submission, action="needs_correction", note="  Foto KK buram, kirim ulang. ")
    assert r.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "needs_correction"
    assert submission.status_message == "Foto KK buram, kirim ulang."
    assert Decision.objects.get().note == "Foto KK buram, kirim ulang."
    assert not Child.objects.exists()


def test_correction_needs_a_message(client, verifikator, submission):
    client.force_login(verifikator)
    r = post(client, submission, action="needs_correction", note=" ")
    assert r.status_code == 400
    html = r.content.decode()
    assert "Tulis pesan untuk kader" in html
    assert 'id="decide-needs_correction" open' in html
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_it_rejects_with_a_reason(client, verifikator, submission):
    client.force_login(verifikator)
    assert post(client, submission, action="rejected", note="").status_code == 400
    submission.refresh_from_db()
    assert submission.status == "pending"

    post(client, submission, action="rejected", note="Anak sudah berumur 6 tahun.")
    submission.refresh_from_db()
    assert submission.status == "rejected"
    assert submission.status_message == "Anak sudah berumur 6 tahun."
    assert Decision.objects.get().action == "rejected"


def test_it_refuses_an_unknown_action(client, verifikator, submission):
    client.force_login(verifikator)
    assert post(client, submission, action="delete").status_code == 400
    assert not Decision.objects.exists()


@pytest.mark.parametrize("action,note", [("verified_new", ""), ("needs_correction", "Foto buram.")])
def test_a_child_number_sent_with_another_action_is_ignored(
    client, verifikator, submission, village, action, note
):
    other = make_child(village, name="Anak Lain")
    client.force_login(verifikator)
    assert post(client, submission, action=action, note=note, child=other.pk).status_code == 302
    decision = Decision.objects.get()
    assert decision.action == action
    assert decision.child != other
    submission.refresh_from_db()
    assert submission.child != other
    assert not other.measurements.exists()


def test_a_second_decision_fails(client, verifikator, pimpinan, submission, django_user_model):
    other = django_user_model.objects.create_user("verifikator2")
    other.groups.set(verifikator.groups.all())
    client.force_login(verifikator)
    post(client, submission, action="rejected", note="Ganda")
    client.force_login(other)
    r = post(client, submission, action="verified_new")
    assert r.status_code == 302
    follow = client.get(r.url)
    assert "sudah diputuskan petugas lain" in follow.content.decode()
    submission.refresh_from_db()
    assert submission.status == "rejected"
    assert Decision.objects.count() == 1
    assert not Child.objects.exists()


def test_a_decision_on_a_stale_version_fails(verifikator, submission):
    Submission.objects.filter(pk=submission.pk).update(version=2)
    with pytest.raises(DecisionConflict):
        submission_decide(submission=submission, action="verified_new", user=verifikator, version=1)
    assert not Child.objects.exists()


def test_it_keeps_the_time_of_the_first_decision(verifikator, submission, clock):
    assert submission.first_decided_at is None
    sent_back = submission_decide(
        submission=submission,
        action=Decision.Action.NEEDS_CORRECTION,
        user=verifikator,
        version=1,
        note="Foto KK buram",
    )
    assert submission.first_decided_at == sent_back.decided_at
    # The kader corrects it two days later; the verification does not move the first time.
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.PENDING, version=2)
    clock.shift(timedelta(days=2))
    verified = submission_decide(
        submission=submission, action=Decision.Action.VERIFIED_NEW, user=verifikator, version=2
    )
    submission.refresh_from_db()
    assert verified.decided_at - sent_back.decided_at >= timedelta(days=2)
    assert submission.first_decided_at == sent_back.decided_at


@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_once_only_one_succeeds(village):
    users = [make_user(name, "Verifikator Kecamatan") for name in ("a", "b")]
    submission = make_submission(village, documents=())
    barrier = threading.Barrier(2)
    results = []

    def worker(user):
        try:
            s = Submission.objects.get(pk=submission.pk)
            barrier.wait()
            submission_decide(submission=s, action="verified_new", user=user, version=1)
            results.append("ok")
        except DecisionConflict:
            results.append("conflict")
        except Exception as e:  # SQLite may refuse the second writer outright
            results.append(type(e).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results.count("ok") == 1, results
    assert Child.objects.count() == 1
    assert Decision.objects.count() == 1
    submission.refresh_from_db()
    assert submission.status == "verified"
