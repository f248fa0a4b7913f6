"""Why a child was reported travels from the report to the registered child: verified as a
new case it is copied; a report merged into a child, or a child merged into another one,
adds to it (stunted outweighs at risk, the factors are the union, the birth weight and
length known first stay)."""

from decimal import Decimal

import pytest

from registrations.models import Child, RiskFactor
from tests.builders import make_child, make_submission, merge_children
from verification.services import submission_decide

pytestmark = pytest.mark.django_db

STUNTED = Child.ReportedAs.STUNTED
AT_RISK = Child.ReportedAs.AT_RISK


def report(posyandu, **fields):
    return make_submission(posyandu.village, posyandu, **fields)


def reason(child):
    child.refresh_from_db()
    return (
        child.reported_as,
        child.risk_factors,
        child.risk_other_text,
        child.birth_weight_g,
        child.birth_length_cm,
    )


def test_a_new_case_copies_the_reports_reason(posyandu, verifikator):
    s = report(
        posyandu,
        reported_as=AT_RISK,
        risk_factors=frozenset({RiskFactor.LOW_BIRTH_WEIGHT, RiskFactor.OTHER}),
        risk_other_text="Ibu usia remaja",
        birth_weight_g=2300,
        birth_length_cm=Decimal("45.5"),
    )
    decision = submission_decide(submission=s, action="verified_new", user=verifikator)
    assert reason(decision.child) == (
        AT_RISK,
        [RiskFactor.LOW_BIRTH_WEIGHT, RiskFactor.OTHER],
        "Ibu usia remaja",
        2300,
        Decimal("45.5"),
    )
    created = decision.child.history.get()
    assert (created.reported_as, created.risk_low_birth_weight) == (AT_RISK, True)


def test_a_merged_report_adds_its_factors_and_stunted_outweighs_at_risk(posyandu, verifikator):
    child = make_child(
        posyandu.village,
        reported_as=AT_RISK,
        risk_low_birth_weight=True,
        risk_premature=True,
        risk_other=True,
        risk_other_text="Ibu usia remaja",
        birth_weight_g=2300,
    )
    s = report(
        posyandu,
        reported_as=STUNTED,
        risk_factors=frozenset({RiskFactor.POOR_SANITATION, RiskFactor.OTHER}),
        risk_other_text="Pola asuh kurang",
        birth_weight_g=2650,
        birth_length_cm=Decimal("46.0"),
    )
    submission_decide(submission=s, action="merged", child=child, user=verifikator)
    assert reason(child) == (
        STUNTED,
        [
            RiskFactor.LOW_BIRTH_WEIGHT,
            RiskFactor.PREMATURE,
            RiskFactor.POOR_SANITATION,
            RiskFactor.OTHER,
        ],
        "Ibu usia remaja; Pola asuh kurang",
        # The birth weight known first stays; the missing length is filled in.
        2300,
        Decimal("46.0"),
    )
    entry = child.history.latest()
    assert entry.history_user == verifikator
    assert entry.history_change_reason == f"Alasan dari laporan {s.formatted_code}"


def test_a_later_report_at_risk_leaves_a_stunted_child_stunted(posyandu, verifikator):
    child = make_child(posyandu.village, reported_as=STUNTED)
    s = report(posyandu, reported_as=AT_RISK, risk_factors=frozenset({RiskFactor.UNDERNUTRITION}))
    submission_decide(submission=s, action="merged", child=child, user=verifikator)
    assert reason(child)[:2] == (STUNTED, [RiskFactor.UNDERNUTRITION])


def test_a_report_that_adds_nothing_writes_no_history(posyandu, verifikator):
    child = make_child(posyandu.village, reported_as=STUNTED, risk_premature=True)
    before = child.history.count()
    s = report(posyandu, reported_as=STUNTED, risk_factors=frozenset({RiskFactor.PREMATURE}))
    submission_decide(submission=s, action="merged", child=child, user=verifikator)
    assert child.history.count() == before


def test_a_child_registered_before_the_question_gets_the_reports_reason(posyandu, verifikator):
    child = make_child(posyandu.village)  # registered before the form asked: blank
    assert reason(child) == ("", [], "", None, None)
    s = report(posyandu, reported_as=AT_RISK, risk_factors=frozenset({RiskFactor.PREMATURE}))
    submission_decide(submission=s, action="merged", child=child, user=verifikator)
    assert reason(child)[:2] == (AT_RISK, [RiskFactor.PREMATURE])


def test_rejecting_or_sending_back_changes_no_child(posyandu, verifikator):
    child = make_child(posyandu.village, reported_as=AT_RISK, risk_premature=True)
    for action in ("rejected", "needs_correction"):
        s = report(posyandu, reported_as=STUNTED, birth_weight_g=2000)
        submission_decide(submission=s, action=action, user=verifikator, note="Data kurang")
    assert reason(child) == (AT_RISK, [RiskFactor.PREMATURE], "", None, None)


def test_merging_two_children_gathers_both_reasons(village):
    kept = make_child(village, reported_as=AT_RISK, risk_weight_faltering=True)
    merged = make_child(
        village,
        name="Putri A.",
        reported_as=STUNTED,
        risk_recurrent_illness=True,
        birth_weight_g=2600,
        birth_length_cm=Decimal("49.0"),
    )
    kept, merged = merge_children(kept, merged)
    assert reason(kept) == (
        STUNTED,
        [RiskFactor.WEIGHT_FALTERING, RiskFactor.RECURRENT_ILLNESS],
        "",
        2600,
        Decimal("49.0"),
    )
    # The merged record keeps its own, for its history.
    assert reason(merged)[:2] == (STUNTED, [RiskFactor.RECURRENT_ILLNESS])


def test_merging_keeps_the_kept_childs_birth_weight_and_one_copy_of_a_text(village):
    kept = make_child(
        village, birth_weight_g=2400, risk_other=True, risk_other_text="Ibu usia remaja"
    )
    merged = make_child(
        village,
        name="Putri A.",
        birth_weight_g=2450,
        risk_other=True,
        risk_other_text="ibu usia remaja",
    )
    kept, _ = merge_children(kept, merged)
    assert (kept.birth_weight_g, kept.risk_other_text) == (2400, "Ibu usia remaja")
