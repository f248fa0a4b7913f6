"""mother_report_decide: a verifikator's decision on a mother's report."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from registrations.models import Mother, MotherCheck, MotherReport
from tests.builders import TODAY, make_child, make_mother, make_mother_report
from verification.models import Decision
from verification.services import DecisionConflict, mother_report_decide

pytestmark = pytest.mark.django_db


def decide(report, user, action, **kwargs):
    kwargs.setdefault("version", report.version)
    return mother_report_decide(report=report, action=action, user=user, **kwargs)


def test_it_registers_a_new_mother_with_her_first_check(clock, village, posyandu, verifikator):
    report = make_mother_report(village, posyandu)
    decision = decide(report, verifikator, Decision.Action.VERIFIED_NEW)

    mother = Mother.objects.get()
    assert (mother.name, mother.nik, mother.birth_date) == (
        "Siti Aminah",
        "1901014507950001",
        date(1995, 7, 5),
    )
    assert (mother.village, mother.posyandu, mother.husband_name) == (village, posyandu, "Ahmad")
    check = MotherCheck.objects.get()
    assert check.mother == mother and check.report == report
    assert check.source == MotherCheck.Source.KADER
    assert (check.checked_on, check.muac_cm, check.hb_g_dl) == (
        TODAY,
        Decimal("22.8"),
        Decimal("10.5"),
    )
    assert check.pregnancy_month == 5
    assert mother.latest_check == check
    assert (mother.mother_status, mother.is_kek, mother.is_anaemic) == ("pregnant", True, True)

    report.refresh_from_db()
    assert report.status == MotherReport.Status.VERIFIED
    assert report.mother == mother
    assert report.first_decided_at == decision.decided_at
    assert (decision.mother_report, decision.mother, decision.submission) == (report, mother, None)
    assert decision.decided_by == verifikator and decision.version == 1
    assert mother.history.get().history_user == verifikator


def test_it_links_the_baby_of_a_breastfeeding_mother(village, verifikator):
    baby = make_child(village, birth_date=date(2026, 1, 2), mother_name="Siti Aminah")
    report = make_mother_report(
        village,
        mother_status="breastfeeding",
        pregnancy_month=None,
        baby_birth_date=date(2026, 1, 2),
    )
    decide(report, verifikator, Decision.Action.VERIFIED_NEW, baby=baby)
    check = MotherCheck.objects.get()
    assert check.baby == baby
    assert check.mother.mother_status == "breastfeeding"


def test_it_refuses_a_baby_for_a_pregnant_mother(village, verifikator):
    baby = make_child(village)
    report = make_mother_report(village)
    with pytest.raises(ValidationError) as e:
        decide(report, verifikator, Decision.Action.VERIFIED_NEW, baby=baby)
    assert "Hanya ibu menyusui" in str(e.value)
    assert not Mother.objects.exists()
    report.refresh_from_db()
    assert report.status == MotherReport.Status.PENDING


def test_it_merges_into_a_registered_mother(clock, village, verifikator):
    mother = make_mother(village, nik="", phone="", check=False)
    old = MotherCheck.objects.create(
        mother=mother,
        checked_on=date(2025, 12, 1),
        source="puskesmas",
        mother_status="pregnant",
        pregnancy_month=2,
        muac_cm=Decimal("25.0"),
    )
    mother.refresh_latest_check()
    assert not mother.is_kek

    report = make_mother_report(village)
    decision = decide(report, verifikator, Decision.Action.MERGED, mother=mother)

    mother.refresh_from_db()
    assert Mother.objects.count() == 1
    assert mother.checks.count() == 2
    new = mother.checks.exclude(pk=old.pk).get()
    assert mother.latest_check == new
    assert (mother.is_kek, mother.is_anaemic) == (True, True)
    # Empty identity fields are filled from the report, in her history.
    assert (mother.nik, mother.phone) == ("1901014507950001", "6281377889900")
    assert mother.history.first().history_change_reason.startswith("Dilengkapi dari laporan")
    report.refresh_from_db()
    assert report.mother == mother and report.status == MotherReport.Status.VERIFIED
    assert decision.action == Decision.Action.MERGED and decision.mother == mother


def test_a_merge_names_a_mother_and_nothing_else_does(village, verifikator):
    report = make_mother_report(village)
    with pytest.raises(ValueError):
        decide(report, verifikator, Decision.Action.MERGED)
    with pytest.raises(ValueError):
        decide(report, verifikator, Decision.Action.VERIFIED_NEW, mother=make_mother(village))


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("needs_correction", MotherReport.Status.NEEDS_CORRECTION, "Tulis pesan untuk kader"),
        ("rejected", MotherReport.Status.REJECTED, "Alasan penolakan wajib diisi"),
    ],
)
def test_sending_back_and_rejecting_need_a_note(village, verifikator, action, status, message):
    report = make_mother_report(village)
    with pytest.raises(ValidationError) as e:
        decide(report, verifikator, action, note="  ")
    assert message in str(e.value)
    report.refresh_from_db()
    assert report.status == MotherReport.Status.PENDING
    assert not Decision.objects.exists()

    decision = decide(report, verifikator, action, note=" Foto KK buram. ")
    report.refresh_from_db()
    assert report.status == status
    assert report.status_message == "Foto KK buram."
    assert decision.note == "Foto KK buram." and decision.mother is None
    assert not Mother.objects.exists()


def test_it_refuses_a_stale_version(village, verifikator):
    report = make_mother_report(village)
    MotherReport.objects.filter(pk=report.pk).update(version=2)
    with pytest.raises(DecisionConflict) as e:
        decide(report, verifikator, Decision.Action.VERIFIED_NEW, version=1)
    assert "sudah diputuskan petugas lain" in str(e.value)
    assert not Mother.objects.exists()
    assert not Decision.objects.exists()


def test_only_the_first_of_two_decisions_counts(village, verifikator):
    report = make_mother_report(village)
    first = decide(report, verifikator, Decision.Action.VERIFIED_NEW, version=1)
    with pytest.raises(DecisionConflict):
        decide(report, verifikator, Decision.Action.REJECTED, version=1, note="Ganda")
    report.refresh_from_db()
    assert report.status == MotherReport.Status.VERIFIED
    assert report.first_decided_at == first.decided_at
    assert list(Decision.objects.all()) == [first]


def test_first_decided_at_stays_after_a_correction_round(village, verifikator, clock):
    report = make_mother_report(village)
    first = decide(report, verifikator, Decision.Action.NEEDS_CORRECTION, note="NIK kurang")
    # The kader corrects: pending again, a new version.
    MotherReport.objects.filter(pk=report.pk).update(status="pending", version=2)
    report.refresh_from_db()
    clock.shift(3600)
    decide(report, verifikator, Decision.Action.VERIFIED_NEW)
    report.refresh_from_db()
    assert report.first_decided_at == first.decided_at
    assert report.status == MotherReport.Status.VERIFIED
