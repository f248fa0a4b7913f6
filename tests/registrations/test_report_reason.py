"""The rules of a report's reason (registrations.models.ReportReason) and how the services
store it."""

from decimal import Decimal

import pytest

from registrations.models import (
    NOT_RECORDED,
    Child,
    RiskFactor,
    Submission,
    implied_risk_factors,
    reason_filter,
)
from registrations.services import submission_resubmit
from registrations.validators import parse_birth_weight
from tests.builders import make_child, make_submission, measurement_values, report_values

AT_RISK = Submission.ReportedAs.AT_RISK
STUNTED = Submission.ReportedAs.STUNTED


@pytest.mark.parametrize(
    "ticked,weight,other,expected",
    [
        (set(), None, "", set()),
        (set(), 2499, "", {RiskFactor.LOW_BIRTH_WEIGHT}),
        (set(), 2500, "", set()),
        ({RiskFactor.PREMATURE}, None, "  ", {RiskFactor.PREMATURE}),
        (set(), None, "Ibu remaja", {RiskFactor.OTHER}),
    ],
)
def test_implied_risk_factors(ticked, weight, other, expected):
    assert implied_risk_factors(ticked, birth_weight_g=weight, risk_other_text=other) == expected


@pytest.mark.parametrize(
    "typed,grams", [("2800", 2800), ("2.800", 2800), ("2,8", 2800), ("3", 3000), ("0,45", 450)]
)
def test_parse_birth_weight(typed, grams):
    assert parse_birth_weight(typed) == grams


def test_risk_factors_are_read_and_set_in_the_order_of_the_list():
    child = Child()
    child.risk_factors = [RiskFactor.OTHER, RiskFactor.WEIGHT_FALTERING]
    assert child.risk_factors == [RiskFactor.WEIGHT_FALTERING, RiskFactor.OTHER]
    assert (child.risk_weight_faltering, child.risk_other, child.risk_premature) == (
        True,
        True,
        False,
    )
    assert child.risk_factors_short == "BB tidak naik, lainnya"
    with pytest.raises(ValueError, match="obesitas"):
        child.risk_factors = ["obesitas"]


def test_gathering_a_blank_reason_changes_nothing():
    child = Child(reported_as=AT_RISK, risk_premature=True, birth_weight_g=2400)
    assert child.gather_reason(Submission()) == []
    assert (child.reported_as, child.risk_factors, child.birth_weight_g) == (
        AT_RISK,
        [RiskFactor.PREMATURE],
        2400,
    )


def test_gathering_names_the_fields_that_changed():
    child = Child(reported_as=AT_RISK)
    other = Submission(reported_as=STUNTED, risk_undernutrition=True, birth_length_cm=Decimal("47"))
    assert child.gather_reason(other) == [
        "reported_as",
        "risk_undernutrition",
        "birth_length_cm",
    ]


@pytest.mark.django_db
def test_the_service_stores_the_factors_the_values_imply(village):
    s = make_submission(
        village, reported_as=AT_RISK, birth_weight_g=1900, risk_other_text="Ibu remaja"
    )
    s.refresh_from_db()
    assert s.risk_factors == [RiskFactor.LOW_BIRTH_WEIGHT, RiskFactor.OTHER]
    assert s.versions.get().data["risk_factors"] == ["low_birth_weight", "other"]


@pytest.mark.django_db
def test_a_correction_replaces_the_reason_and_keeps_the_old_version(village, verifikator):
    from verification.services import submission_decide

    s = make_submission(village, reported_as=STUNTED, birth_weight_g=2700)
    submission_decide(submission=s, action="needs_correction", user=verifikator, note="Cek")
    s.refresh_from_db()
    submission_resubmit(
        submission=s,
        report=report_values(
            village,
            reported_as=AT_RISK,
            risk_factors=frozenset({RiskFactor.POOR_SANITATION}),
            birth_length_cm=Decimal("48.0"),
        ),
        measurement=measurement_values(),
        documents={},
    )
    s.refresh_from_db()
    assert (s.reported_as, s.risk_factors, s.birth_weight_g, s.birth_length_cm) == (
        AT_RISK,
        [RiskFactor.POOR_SANITATION],
        None,
        Decimal("48.0"),
    )
    v1, v2 = s.versions.order_by("number")
    assert (v1.data["reported_as"], v1.data["risk_factors"], v1.data["birth_weight_g"]) == (
        "stunted",
        [],
        "2700",
    )
    assert (v2.data["reported_as"], v2.data["risk_factors"], v2.data["birth_length_cm"]) == (
        "at_risk",
        ["poor_sanitation"],
        "48.0",
    )


@pytest.mark.django_db
def test_reason_filter(village):
    a = make_child(village, name="A", reported_as=AT_RISK, risk_premature=True)
    b = make_child(village, name="B", reported_as=STUNTED)
    c = make_child(village, name="C")

    def found(**kwargs):
        return set(Child.objects.filter(reason_filter(**kwargs)))

    assert found() == {a, b, c}
    assert found(reported_as=AT_RISK) == {a}
    assert found(reported_as=NOT_RECORDED) == {c}
    assert found(risk_factor=RiskFactor.PREMATURE) == {a}
    assert found(reported_as=STUNTED, risk_factor=RiskFactor.PREMATURE) == set()
