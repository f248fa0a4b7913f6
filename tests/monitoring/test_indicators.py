"""Each dashboard figure on the hand-made programme of tests/monitoring/dataset.py."""

from datetime import date, datetime

import pytest

from monitoring import indicators as ind
from registrations.models import Village
from tests.builders import make_imported_submission
from tests.monitoring.dataset import MATRAS
from verification.models import Decision
from verification.services import submission_decide

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def matras(dataset):
    return Village.objects.filter(code=MATRAS)


@pytest.fixture
def everywhere(dataset):
    return Village.objects.all()


def test_report_figures_of_a_village(matras):
    figures = ind.report_figures(matras, *YEAR)
    assert figures == {
        "received": 11,  # S1-S11 (S0 was sent in 2025)
        "pending": 2,  # S8, S9
        "verified": 7,  # S1-S7
        "rejected": 1,  # S10
        "needs_correction": 1,  # S11
        "verified_children": 6,  # S2 and S3 are both Bunga
        "decided": 9,
        # Days to the first decision: 1, 1, 2, 2, 3, 4, 6, 7, 10 (S4's first decision
        # sent it back after a day; S8 and S9 wait).
        "median_days": 3.0,
        "p90_days": 7.6,  # 7 + 0.2 × (10 − 7)
        "pending_overdue": 1,  # S8, sent 14 days ago; S9 only yesterday
    }


def test_report_figures_of_the_kecamatan(everywhere):
    figures = ind.report_figures(everywhere, *YEAR)
    assert figures["received"] == 13
    assert figures["verified_children"] == 7
    # Rudi's report adds a 1-day decision: 1, 1, 1, 2, 2, 3, 4, 6, 7, 10.
    assert figures["median_days"] == 2.5
    assert figures["p90_days"] == 7.3
    assert figures["pending_overdue"] == 2  # S8 and Rebo's R2


def test_percentiles_of_nothing_are_none(db):
    figures = ind.report_figures(Village.objects.all(), *YEAR)
    assert figures["median_days"] is None and figures["p90_days"] is None


def test_nutrition_figures(matras):
    figures = ind.nutrition_figures(matras, *YEAR)
    assert figures["active"] == 7
    assert figures["measured_in_period"] == 6  # all active but Gilang
    assert figures["haz"] == [
        ("sangat_pendek", "Sangat pendek", 1),  # Andi
        ("pendek", "Pendek", 3),  # Citra, Fajar, Hana
        ("normal", "Normal", 2),  # Bunga, Dodi
        ("tinggi", "Tinggi", 0),
        ("", "Belum dapat dihitung", 1),  # Gilang
    ]
    assert sum(n for _, _, n in figures["waz"]) == 7
    # Every measurement of the dataset was given a normal weight for its length/height.
    assert dict((v, n) for v, _, n in figures["whz"]) == {
        "gizi_buruk": 0,
        "gizi_kurang": 0,
        "gizi_baik": 6,
        "berisiko_gizi_lebih": 0,
        "gizi_lebih": 0,
        "obesitas": 0,
        "": 1,
    }


def test_haz_by_village(everywhere, dataset):
    found = ind.haz_by_village(everywhere)
    assert found[dataset.matras.pk] == {"sangat_pendek": 1, "pendek": 3, "normal": 2, "": 1}
    assert found[dataset.rebo.pk] == {"sangat_pendek": 1}


def test_reach_lists(matras, everywhere, dataset):
    assert list(ind.stunted_without_help(matras)) == [dataset.children["citra"]]
    assert set(ind.stunted_without_help(everywhere)) == {
        dataset.children["citra"],
        dataset.children["rudi"],
    }
    # Dodi's planned PMT; Bunga's finished monitoring is not open any more.
    assert list(ind.help_for_not_stunted(everywhere)) == [dataset.interventions["dodi_pmt"]]


def test_partner_rows(matras):
    rows = {
        (r["partner__name"], r["kind__name"]): {
            k: r[k]
            for k in (
                "assigned",
                "planned",
                "running",
                "done",
                "cancelled",
                "overdue",
                "deliveries",
            )
        }
        for r in ind.partner_rows(matras, *YEAR)
    }
    assert rows == {
        ("KADIN Kabupaten Bangka", "PMT"): dict(
            assigned=1, planned=0, running=1, done=0, cancelled=0, overdue=0, deliveries=0
        ),
        ("PT Timah Tbk", "PMT"): dict(
            assigned=4, planned=1, running=1, done=1, cancelled=1, overdue=0, deliveries=2
        ),
        # Bunga's delivery of December 2025 is outside the period.
        ("Puskesmas Sungailiat", "Pemantauan kesehatan"): dict(
            assigned=2, planned=0, running=1, done=1, cancelled=0, overdue=1, deliveries=2
        ),
    }


def test_partner_rows_of_the_kecamatan(everywhere):
    rows = {(r["partner__name"], r["kind__name"]): r for r in ind.partner_rows(everywhere, *YEAR)}
    timah = rows[("PT Timah Tbk", "PMT")]
    assert (timah["assigned"], timah["planned"], timah["overdue"]) == (5, 2, 1)  # + Rudi


def test_participation_figures(matras, everywhere):
    figures = ind.participation_figures(matras, *YEAR)
    assert figures["active_partners"] == 19
    assert figures["working_partners"] == 2  # PT Timah and Puskesmas delivered in 2026
    assert figures["kader"] == 2  # Siti Aminah (also typed " SITI AMINAH"), Dewi
    assert figures["posyandu_active"] == 2
    assert [p.name for p in figures["silent_posyandu"]] == ["Mawar"]
    assert ind.participation_figures(everywhere, *YEAR)["kader"] == 3


def test_outcome_figures(matras):
    figures = ind.outcome_figures(matras, *YEAR)
    assert {k: figures[k] for k in figures if k != "exits"} == {
        "helped": 5,  # Andi, Bunga, Eka, Fajar, Hana
        "compared": 4,
        "improved": 2,  # Bunga −2.5 → −1.5, Fajar −3.4 → −2.6
        "same": 1,  # Andi −3.5 → −3.45
        "worsened": 1,  # Hana −1.9 → −2.2
        "not_compared": 1,  # Eka: one measurement only
        "left_stunting": 1,  # Bunga
        "exited": 1,
    }
    assert ("moved", "Pindah", 1) in figures["exits"]
    assert sum(n for _, _, n in figures["exits"]) == 1


def test_outcomes_take_the_last_measurement_within_the_period(matras):
    figures = ind.outcome_figures(matras, date(2026, 1, 1), date(2026, 3, 31))
    # Bunga's last measurement of the quarter (28 Feb, −2.3) is not normal yet; Andi, Hana
    # and Fajar have no second measurement within the quarter.
    assert figures["left_stunting"] == 0
    assert figures["improved"] == 1  # Bunga −2.5 → −2.3
    assert figures["compared"] == 1


def test_monthly_trend(matras):
    trend = ind.monthly_trend(matras, *YEAR)
    assert len(trend) == 12
    assert [m["month"] for m in trend[:2]] == [date(2026, 1, 1), date(2026, 2, 1)]
    assert [m["reports"] for m in trend[:6]] == [3, 2, 1, 1, 2, 2]
    assert [m["verified"] for m in trend[:6]] == [3, 2, 1, 1, 0, 0]
    # January: Andi, Bunga, Eka, Fajar measured (Eka has left since, but was measured).
    assert [m["measured"] for m in trend[:6]] == [4, 2, 1, 1, 2, 1]
    assert [m["stunted"] for m in trend[:6]] == [4, 2, 0, 1, 1, 1]
    assert sum(m["reports"] for m in trend) == 11


def test_worklists(matras, everywhere, dataset):
    c = dataset.children
    today = date(2026, 6, 15)
    assert set(ind.not_measured_since(matras, 30, today)) == {
        c["andi"],
        c["bunga"],
        c["citra"],
        c["dodi"],
        c["gilang"],
        c["hana"],
    }
    assert set(ind.not_measured_since(matras, 60, today)) == {
        c["citra"],
        c["dodi"],
        c["gilang"],
        c["hana"],
    }
    assert set(ind.not_measured_since(matras, 90, today)) == {c["citra"], c["gilang"]}
    assert list(ind.overdue_interventions(matras, today)) == [dataset.interventions["fajar_pantau"]]
    assert ind.overdue_interventions(everywhere, today).count() == 2
    assert list(ind.turning_five(everywhere, 30, today)) == [c["fajar"]]
    assert list(ind.pending_reports(matras)) == [dataset.reports["S8"]]


def test_years_before_a_leap_day():
    assert ind.years_before(date(2028, 2, 29), 5) == date(2023, 2, 28)


def test_decision_times_leave_out_reports_imported_from_the_google_form(matras, verifikator):
    # Sent on the Google Form in January, imported and decided today (June): counted as
    # received and decided, but five months are no measure of the verifikator's pace.
    report = make_imported_submission(
        matras.get(), sent_at=datetime(2026, 1, 5, 8, 0), birth_date_estimated=False
    )
    submission_decide(
        submission=report,
        action=Decision.Action.REJECTED,
        user=verifikator,
        version=report.version,
        note="Ganda",
    )
    figures = ind.report_figures(matras, *YEAR)
    assert (figures["received"], figures["rejected"], figures["decided"]) == (12, 2, 10)
    assert (figures["median_days"], figures["p90_days"]) == (3.0, 7.6)
