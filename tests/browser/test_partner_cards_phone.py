"""/mitra/ on a 360 px phone: one card per assignment, nothing off-screen."""

from datetime import timedelta

import pytest

from interventions.models import Intervention
from tests.builders import (
    PEMANTAUAN,
    browser_login,
    make_child,
    make_intervention,
    page_width,
    partner_user,
    today,
)

pytestmark = pytest.mark.django_db(transaction=True)

FIELDS = ["Kelurahan/desa", "Jenis", "Mulai", "Rencana selesai", "Status"]


@pytest.fixture
def assignments(village):
    partner_user("mitra")
    long_name = make_child(village, name="Muhammad Rizki Ramadhan Saputra Wijaya Kusuma")
    overdue = make_intervention(
        long_name,
        kind=PEMANTAUAN,
        status=Intervention.Status.RUNNING,
        start_date=today() - timedelta(days=100),
        planned_end=today() - timedelta(days=3),
    )
    new = make_intervention(make_child(village, name="Putri Ayu"))
    seen = make_intervention(make_child(village, name="Bunga Citra"))
    Intervention.objects.filter(pk=seen.pk).mark_opened_by_partner()
    return {"overdue": overdue, "new": new, "seen": seen}


def box_inside_screen(locator):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_the_partner_list_shows_cards_on_a_phone(live_server, phone, assignments):
    browser_login(phone, live_server, "mitra")
    phone.goto(f"{live_server.url}/mitra/")
    assert page_width(phone) <= 360
    # Nothing scrolls sideways inside the list either.
    scroller = phone.locator(".table-wrap")
    widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], widths
    # No column headers and no partner column: each card labels its own fields.
    assert not phone.locator("#interventions thead").is_visible()
    assert phone.locator("#interventions th", has_text="Mitra").count() == 0
    assert phone.locator("#interventions td", has_text="PT Timah Tbk").count() == 0

    for key, intervention in assignments.items():
        card = phone.locator(f"#assignment-{intervention.pk}")
        assert card.is_visible()
        assert box_inside_screen(card), key
        title = card.locator("td.card-title a")
        assert title.inner_text() == intervention.child.name
        assert box_inside_screen(title), key
        for label in FIELDS:
            cell = card.locator(f'td[data-label="{label}"]')
            assert cell.is_visible(), (key, label)
            assert box_inside_screen(cell), (key, label)
            before = cell.evaluate("e => getComputedStyle(e, '::before').content")
            assert before == f'"{label}: "', before

    overdue = phone.locator(f"#assignment-{assignments['overdue'].pk}")
    assert overdue.locator('td[data-label="Jenis"]').inner_text() == PEMANTAUAN
    assert overdue.locator('td[data-label="Status"]').inner_text() == "Berjalan"
    assert overdue.locator(".overdue").inner_text() == "lewat"
    end = assignments["overdue"].planned_end
    assert (
        overdue.locator('td[data-label="Rencana selesai"]')
        .inner_text()
        .startswith(f"{end:%d-%m-%Y}")
    )
    # New assignments carry "baru" in the card and the menu counts them (two are new).
    assert phone.locator(f"#assignment-{assignments['new'].pk} .badge-new").is_visible()
    assert phone.locator(f"#assignment-{assignments['seen'].pk} .badge-new").count() == 0
    assert phone.locator("nav .badge-new").inner_text() == "2 baru"


def test_the_cards_fit_a_320_px_phone(live_server, phone, assignments):
    browser_login(phone, live_server, "mitra")
    phone.set_viewport_size({"width": 320, "height": 640})
    phone.goto(f"{live_server.url}/mitra/")
    assert page_width(phone) <= 320
    widths = phone.locator(".table-wrap").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], widths
    overdue = phone.locator(f"#assignment-{assignments['overdue'].pk}")
    for part in ['td[data-label="Rencana selesai"] .nowrap', ".overdue", ".card-title a"]:
        box = overdue.locator(part).bounding_box()
        assert box is not None and box["x"] + box["width"] <= 320, part


def test_the_partner_list_stays_a_table_on_a_laptop(live_server, phone, assignments):
    browser_login(phone, live_server, "mitra")
    phone.set_viewport_size({"width": 1280, "height": 800})
    phone.goto(f"{live_server.url}/mitra/")
    headers = phone.locator("#interventions thead th")
    assert headers.first.is_visible()
    assert headers.all_inner_texts() == ["Anak", *FIELDS]
    title = phone.locator("td.card-title").first
    assert title.evaluate("e => getComputedStyle(e).display") == "table-cell"
