"""The kader's correction of a report sent back carries why the child was reported: the
form opens with it, a changed reason is the next version, a bad one is refused with what
was typed kept."""

import re
from decimal import Decimal

import pytest

from registrations.models import RiskFactor, Submission
from tests.builders import (
    correction_data,
    correction_url,
    make_submission,
    pass_correction_gate,
)
from verification.services import submission_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_back(posyandu, verifikator):
    s = make_submission(
        posyandu.village,
        posyandu,
        reported_as=Submission.ReportedAs.AT_RISK,
        risk_factors=frozenset({RiskFactor.PREMATURE, RiskFactor.OTHER}),
        risk_other_text="Ibu usia remaja",
        birth_weight_g=2300,
        birth_length_cm=Decimal("45.5"),
    )
    submission_decide(
        submission=s, action="needs_correction", user=verifikator, note="Periksa berat lahir."
    )
    s.refresh_from_db()
    return s


def test_the_form_opens_with_the_reason_sent(client, sent_back):
    pass_correction_gate(client, sent_back)
    html = client.get(correction_url(sent_back)).content.decode()
    assert re.search(r'<input type="radio" name="reported_as" value="at_risk"[^>]* checked>', html)
    ticked = re.findall(
        r'<input type="checkbox" name="risk_factors" value="(\w+)"[^>]*checked', html
    )
    # The weight under 2,500 g was the low-birth-weight factor when sent.
    assert ticked == ["low_birth_weight", "premature", "other"]
    assert 'value="Ibu usia remaja"' in html
    assert re.search(r'name="birth_weight_g" value="2300"', html)
    assert re.search(r'name="birth_length_cm" value="45,5"', html)


def test_the_corrected_reason_is_the_next_version(client, sent_back):
    pass_correction_gate(client, sent_back)
    data = correction_data(
        sent_back,
        reported_as="stunted",
        risk_factors=["premature"],
        risk_other_text="",
        birth_weight_g="2,6",
        birth_length_cm="47",
    )
    r = client.post(correction_url(sent_back), data)
    assert r.status_code == 302
    s = Submission.objects.get()
    assert (s.version, s.status) == (2, Submission.Status.PENDING)
    assert (s.reported_as, s.risk_factors, s.risk_other_text) == ("stunted", ["premature"], "")
    assert (s.birth_weight_g, s.birth_length_cm) == (2600, Decimal("47.0"))
    v1, v2 = s.versions.order_by("number")
    assert v1.data["risk_factors"] == ["low_birth_weight", "premature", "other"]
    assert v1.data["risk_other_text"] == "Ibu usia remaja"
    assert (v2.data["reported_as"], v2.data["risk_factors"], v2.data["birth_weight_g"]) == (
        "stunted",
        ["premature"],
        "2600",
    )


def test_a_bad_reason_is_refused_and_what_was_typed_kept(client, sent_back):
    pass_correction_gate(client, sent_back)
    data = correction_data(
        sent_back,
        reported_as="at_risk",
        risk_factors=["low_birth_weight"],
        risk_other_text="",
        birth_weight_g="2900",
    )
    r = client.post(correction_url(sent_back), data)
    assert r.status_code == 200
    assert list(r.context["form"].errors) == ["birth_weight_g"]
    html = r.content.decode()
    assert 'value="2900"' in html
    assert re.search(r'value="low_birth_weight"[^>]*checked', html)
    s = Submission.objects.get()
    assert (s.version, s.birth_weight_g) == (1, 2300)
