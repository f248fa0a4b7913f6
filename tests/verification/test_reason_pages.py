"""Why a child was reported, on the staff pages: the report and the child show it, the
queue and the children list show it in a column and filter by it."""

import re
from decimal import Decimal

import pytest

from registrations.models import Child, RiskFactor, Submission
from tests.builders import make_child, make_submission
from verification.services import submission_decide

pytestmark = pytest.mark.django_db

STUNTED = Submission.ReportedAs.STUNTED
AT_RISK = Submission.ReportedAs.AT_RISK


def names(response, attr):
    return sorted(getattr(row, attr) for row in response.context["page"])


@pytest.fixture
def reports(village):
    """Four pending reports: stunted, at risk for low birth weight and sanitation, at risk
    for recurrent illness, and one sent before the form asked."""
    make_submission(village, child_name="Ani Stunting", reported_as=STUNTED)
    make_submission(
        village,
        child_name="Budi Berisiko",
        reported_as=AT_RISK,
        risk_factors=frozenset({RiskFactor.LOW_BIRTH_WEIGHT, RiskFactor.POOR_SANITATION}),
        birth_weight_g=2300,
    )
    make_submission(
        village,
        child_name="Citra Sakit",
        reported_as=AT_RISK,
        risk_factors=frozenset({RiskFactor.RECURRENT_ILLNESS}),
    )
    make_submission(village, child_name="Dedi Lama", reported_as="")


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", ["Ani Stunting", "Budi Berisiko", "Citra Sakit", "Dedi Lama"]),
        ("reported_as=stunted", ["Ani Stunting"]),
        ("reported_as=at_risk", ["Budi Berisiko", "Citra Sakit"]),
        ("reported_as=none", ["Dedi Lama"]),
        ("risk_factor=poor_sanitation", ["Budi Berisiko"]),
        ("reported_as=at_risk&risk_factor=recurrent_illness", ["Citra Sakit"]),
        ("reported_as=stunted&risk_factor=recurrent_illness", []),
        # An unknown code is no filter (the form drops it), never an error.
        ("reported_as=curiga", ["Ani Stunting", "Budi Berisiko", "Citra Sakit", "Dedi Lama"]),
    ],
)
def test_the_queue_filters_by_reason(client, verifikator, reports, query, expected):
    client.force_login(verifikator)
    r = client.get(f"/verifikasi/?{query}")
    assert r.status_code == 200
    assert names(r, "child_name") == expected


def test_the_queue_counts_by_status_within_the_reason_filter(client, verifikator, reports):
    Submission.objects.filter(child_name="Citra Sakit").update(status=Submission.Status.REJECTED)
    client.force_login(verifikator)
    r = client.get("/verifikasi/?reported_as=at_risk")
    counts = {value: n for value, _, n in r.context["status_counts"]}
    assert (counts["pending"], counts["rejected"], r.context["total"]) == (1, 1, 2)


def test_the_queue_shows_the_reason_in_a_column(client, verifikator, reports):
    client.force_login(verifikator)
    html = client.get("/verifikasi/").content.decode()
    assert "<th>Alasan</th>" in html
    assert re.search(
        r"Budi Berisiko.*?<span class=\"reason reason-at_risk\">Berisiko</span><br>"
        r"<small>BBLR, air/jamban</small>",
        html,
        re.S,
    )
    assert re.search(
        r'Ani Stunting.*?<span class="reason reason-stunted">Stunting</span>', html, re.S
    )
    assert '<option value="at_risk">Berisiko stunting</option>' in html
    assert '<option value="none">Belum tercatat</option>' in html


@pytest.fixture
def children(village):
    make_child(village, name="Ani Stunting", reported_as=STUNTED, risk_undernutrition=True)
    make_child(village, name="Budi Berisiko", reported_as=AT_RISK, risk_premature=True)
    make_child(village, name="Citra Sakit", reported_as=AT_RISK, risk_undernutrition=True)
    make_child(village, name="Dedi Lama")


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", ["Ani Stunting", "Budi Berisiko", "Citra Sakit", "Dedi Lama"]),
        ("reported_as=stunted", ["Ani Stunting"]),
        ("reported_as=at_risk", ["Budi Berisiko", "Citra Sakit"]),
        ("reported_as=none", ["Dedi Lama"]),
        ("risk_factor=undernutrition", ["Ani Stunting", "Citra Sakit"]),
        ("reported_as=at_risk&risk_factor=undernutrition", ["Citra Sakit"]),
        ("risk_factor=other", []),
    ],
)
def test_the_children_list_filters_by_reason(client, verifikator, children, query, expected):
    client.force_login(verifikator)
    r = client.get(f"/verifikasi/anak/?{query}")
    assert r.status_code == 200
    assert names(r, "name") == expected


def test_the_children_list_shows_the_reason(client, pimpinan, children):
    client.force_login(pimpinan)
    html = client.get("/verifikasi/anak/?reported_as=at_risk").content.decode()
    assert re.search(
        r"Budi Berisiko.*?<span class=\"reason reason-at_risk\">Berisiko</span><br>"
        r"<small>prematur</small>",
        html,
        re.S,
    )


def test_the_report_page_shows_the_reason(client, verifikator, village):
    s = make_submission(
        village,
        reported_as=AT_RISK,
        risk_factors=frozenset({RiskFactor.WEIGHT_FALTERING, RiskFactor.OTHER}),
        risk_other_text="Ibu usia remaja",
        birth_weight_g=2650,
        birth_length_cm=Decimal("46.5"),
    )
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/laporan/{s.pk}/").content.decode()
    assert (
        '<dd id="reported-as"><span class="reason reason-at_risk">Berisiko stunting</span></dd>'
        in html
    )
    assert (
        '<dd id="risk-factors"><ul class="plain"><li>Berat badan tidak naik 2 kali '
        "berturut-turut</li><li>Lainnya: Ibu usia remaja</li></ul></dd>" in html
    )
    assert '<dd id="birth-weight">2.650 g</dd>' in html
    assert '<dd id="birth-length">46,5 cm</dd>' in html


def test_the_report_page_marks_a_reason_the_kader_corrected(client, verifikator, village):
    s = make_submission(village, reported_as=STUNTED)
    submission_decide(
        submission=s, action="needs_correction", user=verifikator, note="Periksa alasan"
    )
    s.refresh_from_db()
    # The kader's correction, through the service the correction page calls.
    from registrations.services import submission_resubmit
    from tests.builders import measurement_values, report_values

    submission_resubmit(
        submission=s,
        report=report_values(
            village,
            reported_as=AT_RISK,
            risk_factors=frozenset({RiskFactor.PREMATURE}),
        ),
        measurement=measurement_values(),
        documents={},
    )
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/laporan/{s.pk}/").content.decode()
    assert '<dd id="reported-as" class="diff">' in html
    assert '<dd id="risk-factors" class="diff">' in html
    assert '<dd id="birth-weight">–</dd>' in html


def test_a_report_sent_before_the_question_says_so(client, verifikator, village):
    s = make_submission(village, reported_as="")
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/laporan/{s.pk}/").content.decode()
    assert '<dd id="reported-as"><span class="muted">belum tercatat</span></dd>' in html
    assert '<dd id="risk-factors">–</dd>' in html


def test_the_child_page_shows_the_gathered_reason(client, pimpinan, village, verifikator):
    s = make_submission(
        village,
        reported_as=AT_RISK,
        risk_factors=frozenset({RiskFactor.PREMATURE}),
        birth_weight_g=2100,
    )
    child = submission_decide(submission=s, action="verified_new", user=verifikator).child
    client.force_login(pimpinan)
    html = client.get(f"/verifikasi/anak/{child.pk}/").content.decode()
    assert '<span class="reason reason-at_risk">Berisiko stunting</span>' in html
    # The weight below 2,500 g brought the low-birth-weight factor with it.
    assert "<li>Berat lahir &lt; 2.500 g</li><li>Lahir prematur</li>" in html
    assert '<dd id="birth-weight">2.100 g</dd>' in html
    assert Child.objects.get().risk_factors == [RiskFactor.LOW_BIRTH_WEIGHT, RiskFactor.PREMATURE]


def test_the_merge_page_compares_the_reasons(client, verifikator, village):
    first = make_child(village, name="Putri Ayu", reported_as=STUNTED, birth_weight_g=2600)
    second = make_child(
        village,
        name="Putri Ayuu",
        reported_as=AT_RISK,
        risk_premature=True,
        risk_other=True,
        risk_other_text="Ibu usia remaja",
        birth_weight_g=2600,
    )
    client.force_login(verifikator)
    r = client.get(f"/verifikasi/anak/{first.pk}/gabungkan/", {"dengan": second.pk})
    rows = {label: (a, b, differ) for label, a, b, differ in r.context["rows"]}
    assert rows["dilaporkan sebagai"] == (
        "Stunting / pendek (sudah diukur)",
        "Berisiko stunting",
        True,
    )
    assert rows["faktor risiko"] == ("", "Lahir prematur; Lainnya: Ibu usia remaja", True)
    assert rows["berat lahir"] == ("2.600 g", "2.600 g", False)
    assert rows["panjang lahir"] == ("", "", False)
    assert "“stunting” mengalahkan “berisiko”" in r.content.decode()
