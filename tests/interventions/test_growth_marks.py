"""The interventions and deliveries on the growth charts of the child pages: staff, partner
and village."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interventions.models import Intervention
from interventions.templatetags.interventions import growth_marks, intervention_marks
from registrations.growth_chart import BAND_COLOURS
from tests.builders import (
    PEMANTAUAN,
    PUSKESMAS,
    TIMAH,
    TODAY,
    make_child,
    make_delivery,
    make_intervention,
    make_measurement,
    partner,
    partner_user,
    village_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

BIRTH = date(2024, 1, 10)
Status = Intervention.Status


def day(d):
    return (d - BIRTH).days


@pytest.fixture
def child(village):
    child = make_child(village, name="Bunga Citra", birth_date=BIRTH, parent_phone="")
    make_measurement(child, date(2025, 6, 1), "74.0", weight_kg="8.4")
    make_measurement(child, date(2026, 2, 1), "78.5", weight_kg="9.6")
    return child


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


@pytest.fixture
def help_given(child, timah_user):
    """PMT by PT Timah, finished; health visits by the Puskesmas, still running."""
    pmt = make_intervention(
        child,
        TIMAH,
        status=Status.DONE,
        start_date=date(2025, 11, 15),
        started_on=date(2025, 11, 17),
        planned_end=date(2026, 2, 13),
        finished_on=date(2026, 2, 15),
    )
    visits = make_intervention(
        child,
        PUSKESMAS,
        kind=PEMANTAUAN,
        status=Status.RUNNING,
        start_date=date(2025, 12, 1),
        started_on=date(2025, 12, 1),
        planned_end=date(2026, 5, 31),
    )
    puskesmas_user = partner_user("puskesmas", PUSKESMAS)
    make_delivery(pmt, timah_user, date=date(2025, 11, 20), description="Paket PMT 1")
    make_delivery(pmt, timah_user, date=date(2025, 12, 20), description="Paket PMT 2")
    make_delivery(visits, puskesmas_user, date=date(2026, 1, 5), description="Kunjungan rumah")
    return pmt, visits


# --- the marks ------------------------------------------------------------------------


def test_it_marks_each_intervention_from_its_start_to_its_end(child, help_given):
    pmt, visits = help_given
    marks = growth_marks(child)

    done, running = marks.bands
    assert (done.start_day, done.end_day) == (day(date(2025, 11, 17)), day(date(2026, 2, 15)))
    assert (done.lane, done.legend) == ("PMT", TIMAH)
    assert done.title == (
        "PMT oleh PT Timah Tbk: 17 November 2025 s.d. 15 Februari 2026, selesai, 2 layanan"
    )
    assert not done.planned
    # Still running, before its planned end: drawn to the planned end.
    assert (running.start_day, running.end_day) == (day(date(2025, 12, 1)), day(date(2026, 5, 31)))
    assert (running.lane, running.legend) == (PEMANTAUAN, PUSKESMAS)
    assert running.title.endswith("s.d. 31 Mei 2026, berjalan, 1 layanan")
    # One colour per partner, the same in every lane.
    assert (done.colour, running.colour) == (BAND_COLOURS[0], BAND_COLOURS[1])


def test_it_marks_each_delivery_in_the_lane_of_its_kind(child, help_given):
    marks = growth_marks(child)
    assert [(t.day, t.lane) for t in marks.ticks] == [
        (day(date(2025, 11, 20)), "PMT"),
        (day(date(2025, 12, 20)), "PMT"),
        (day(date(2026, 1, 5)), PEMANTAUAN),
    ]
    assert marks.ticks[0].title == "20 November 2025: Paket PMT 1 (PT Timah Tbk)"


def test_it_runs_an_overdue_intervention_to_today(child):
    make_intervention(
        child,
        status=Status.RUNNING,
        start_date=date(2025, 10, 1),
        started_on=date(2025, 10, 1),
        planned_end=date(2026, 1, 1),
    )
    (band,) = growth_marks(child).bands
    assert band.end_day == day(TODAY)
    assert "s.d. hari ini (lewat rencana selesai), berjalan" in band.title


def test_it_draws_a_planned_intervention_as_planned(child):
    make_intervention(child, start_date=date(2026, 4, 1), planned_end=date(2026, 6, 30))
    (band,) = growth_marks(child).bands
    assert band.planned
    assert (band.start_day, band.end_day) == (day(date(2026, 4, 1)), day(date(2026, 6, 30)))
    assert band.title.endswith("1 April 2026 s.d. 30 Juni 2026, direncanakan")


def test_it_marks_a_cancelled_intervention_only_while_it_ran(child):
    make_intervention(
        child, status=Status.CANCELLED, start_date=date(2025, 5, 1), finished_on=date(2025, 5, 2)
    )
    ran = make_intervention(
        child,
        PUSKESMAS,
        status=Status.CANCELLED,
        start_date=date(2025, 7, 1),
        started_on=date(2025, 7, 1),
        finished_on=date(2025, 7, 20),
    )
    (band,) = growth_marks(child).bands
    assert band.legend == ran.partner.name
    assert (band.start_day, band.end_day) == (day(date(2025, 7, 1)), day(date(2025, 7, 20)))
    assert band.title.endswith(", dibatalkan")


def test_it_gives_partners_colours_in_order_of_their_names(child):
    interventions = [
        make_intervention(child, name, start_date=date(2025, 1, 1) + timedelta(days=n))
        for n, name in enumerate([PUSKESMAS, TIMAH])
    ]
    marks = intervention_marks(child, interventions, [], TODAY)
    assert {b.legend: b.colour for b in marks.bands} == {
        TIMAH: BAND_COLOURS[0],
        PUSKESMAS: BAND_COLOURS[1],
    }


def test_a_partner_sees_the_other_partners_help_but_only_its_own_deliveries(
    child, help_given, timah_user
):
    marks = growth_marks(child, partner(TIMAH))
    assert [b.legend for b in marks.bands] == [TIMAH, PUSKESMAS]
    assert [t.title for t in marks.ticks] == [
        "20 November 2025: Paket PMT 1 (PT Timah Tbk)",
        "20 Desember 2025: Paket PMT 2 (PT Timah Tbk)",
    ]
    # Its own band still counts its deliveries; another partner's says nothing about them.
    assert marks.bands[0].title.endswith("2 layanan")
    assert marks.bands[1].title.endswith(", berjalan")


def test_a_partner_no_longer_sees_its_own_assignment_after_the_access_window(child, timah_user):
    old = make_intervention(
        child,
        status=Status.DONE,
        start_date=date(2024, 6, 1),
        started_on=date(2024, 6, 1),
        finished_on=date(2024, 9, 1),
    )
    make_delivery(old, timah_user, date=date(2024, 6, 5))
    make_intervention(child, PUSKESMAS, status=Status.RUNNING, started_on=date(2026, 3, 1))
    marks = growth_marks(child, partner(TIMAH))
    assert [b.legend for b in marks.bands] == [PUSKESMAS]
    assert marks.ticks == ()
    # Staff see both.
    assert len(growth_marks(child).bands) == 2


# --- the pages ------------------------------------------------------------------------


def charts_of(html):
    """The two chart containers of a child page: length, then weight."""
    return re.findall(r'<div class="chart"[^>]*>(.*?)</div>', html, re.S)


def marks_list(html):
    return html.split('id="growth-marks"')[1].split("</div>")[0]


def test_the_staff_child_page_marks_the_help_on_both_charts(client, verifikator, child, help_given):
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/anak/{child.pk}/").content.decode()

    length, weight = charts_of(html)
    assert "panjang/tinggi badan menurut umur" in length
    assert "berat badan menurut umur" in weight
    for chart in (length, weight):
        assert chart.count('<rect class="band"') == 2
        assert chart.count('<rect class="band-shade"') == 2
        assert chart.count('<line class="tick"') == 3
        assert chart.count('<circle class="measurement"') == 2
        assert "PMT oleh PT Timah Tbk: 17 November 2025 s.d. 15 Februari 2026" in chart
    # Read as text too: each period, with its partner's colour.
    listed = marks_list(html)
    assert listed.count("<li>") == 2
    assert f'fill="{BAND_COLOURS[0]}"' in listed
    assert (
        "Pemantauan kesehatan oleh Puskesmas Sungailiat: 1 Desember 2025 s.d. 31 Mei 2026, "
        "berjalan, 1 layanan"
    ) in listed


def test_the_staff_child_page_shows_plain_charts_without_help(client, verifikator, child):
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/anak/{child.pk}/").content.decode()
    length, weight = charts_of(html)
    assert "<svg" in length and "<svg" in weight
    assert 'class="band' not in html and 'class="tick"' not in html
    assert 'id="growth-marks"' not in html


def test_the_weight_chart_plots_each_weighed_measurement(client, verifikator, child):
    make_measurement(child, date(2026, 3, 1), None, weight_kg="9.9", position="")
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/anak/{child.pk}/").content.decode()
    length, weight = charts_of(html)
    assert length.count('<circle class="measurement"') == 2
    assert weight.count('<circle class="measurement"') == 3
    assert "9,9 kg</title></circle>" in weight


def test_the_partner_child_page_marks_the_help_it_may_see(client, child, help_given, timah_user):
    client.force_login(timah_user)
    html = client.get(f"/mitra/anak/{child.pk}/").content.decode()
    length, weight = charts_of(html)
    for chart in (length, weight):
        assert chart.count('<rect class="band"') == 2
        assert chart.count('<line class="tick"') == 2
        assert "Kunjungan rumah" not in chart
    assert marks_list(html).count("<li>") == 2
    # The measurements are there as a table too.
    table = html.split('id="measurement-table"')[1].split("</details>")[0]
    assert "01-06-2025" in table and "78,5 cm, terlentang" in table


def test_the_village_child_page_marks_all_help(client, village, child, help_given):
    client.force_login(village_user("desa-matras", village))
    html = client.get(f"/desa/anak/{child.pk}/").content.decode()
    length, weight = charts_of(html)
    assert length.count('<rect class="band"') == 2
    assert length.count('<line class="tick"') == 3


def test_the_marks_cost_the_same_queries_for_more_help(client, verifikator, child, timah_user):
    def build(n):
        for i in range(n):
            intervention = make_intervention(
                child, status=Status.RUNNING, start_date=date(2025, 1, 1) + timedelta(days=40 * i)
            )
            make_delivery(intervention, timah_user, date=intervention.start_date)

    client.force_login(verifikator)
    counts = []
    for n in (1, 4):
        build(n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/verifikasi/anak/{child.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
