"""The growth charts of the staff and partner child pages on a 360 px phone: both charts and
their marks stay inside the screen, and what the marks mean can be read in real text."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from interventions.models import Intervention
from tests.builders import (
    PEMANTAUAN,
    PUSKESMAS,
    browser_login,
    make_child,
    make_delivery,
    make_intervention,
    make_measurement,
    make_user,
    page_width,
    partner_user,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def child():
    from registrations.models import Village

    today = timezone.localdate()
    matras = Village.objects.get(code="19.01.01.1009")
    verifikator = make_user("verifikator", "Verifikator Kecamatan")
    timah = partner_user("mitra")
    child = make_child(
        matras,
        name="Muhammad Rizki Ramadhan Saputra",
        birth_date=today - timedelta(days=700),
        parent_phone="6281311112222",
    )
    for days_ago, height, weight in [
        (400, "64.0", "6.9"),
        (200, "70.5", "7.8"),
        (10, "76.0", "8.9"),
    ]:
        make_measurement(child, today - timedelta(days=days_ago), height, weight_kg=weight)
    pmt = make_intervention(
        child,
        status=Intervention.Status.RUNNING,
        start_date=today - timedelta(days=180),
        started_on=today - timedelta(days=180),
        planned_end=today + timedelta(days=30),
        created_by=verifikator,
    )
    for days_ago in (170, 140, 110):
        make_delivery(pmt, timah, date=today - timedelta(days=days_ago), quantity=Decimal("4"))
    make_intervention(
        child,
        PUSKESMAS,
        kind=PEMANTAUAN,
        start_date=today + timedelta(days=5),
        planned_end=today + timedelta(days=95),
        created_by=verifikator,
    )
    return child


@pytest.mark.parametrize(
    "username,path", [("verifikator", "/verifikasi/anak/{}/"), ("mitra", "/mitra/anak/{}/")]
)
def test_the_growth_charts_fit_a_phone_and_explain_their_marks(
    phone, live_server, child, username, path
):
    browser_login(phone, live_server, username)
    phone.goto(live_server.url + path.format(child.pk))

    charts = phone.locator("svg.growth-chart")
    assert charts.count() == 2
    for chart in charts.all():
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        # Drawn at its size on the page, not shrunk to a stamp.
        assert box["width"] >= 280
        assert chart.locator("rect.band").count() == 2
        assert chart.locator("line.tick").count() == 3
    assert page_width(phone) <= 360

    # The marks in real text, at the page's own size.
    items = phone.locator("#growth-marks li")
    assert items.count() == 2
    assert "PMT oleh PT Timah Tbk" in items.first.inner_text()
    assert "3 layanan" in items.first.inner_text()
    font_size = items.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font_size >= 14
