"""A partner downloads its workbooks from /mitra/ on a phone: the form's dates and buttons."""

import io

import pytest
from openpyxl import load_workbook

from interventions.models import Intervention
from tests.builders import (
    PUSKESMAS,
    browser_login,
    make_intervention,
    make_mother,
    page_width,
    partner_user,
    today,
)

pytestmark = pytest.mark.django_db(transaction=True)


def assign_mothers(village):
    siti = make_mother(village)
    make_intervention(siti, PUSKESMAS, status=Intervention.Status.RUNNING)
    # Another partner's mother never reaches the Puskesmas' workbook.
    dewi = make_mother(village, name="Dewi Sartika", nik="1901015505970003")
    make_intervention(dewi, "PT Timah Tbk")


def test_a_partner_downloads_its_mothers(phone, live_server, village):
    partner_user("puskesmas", PUSKESMAS)
    browser_login(phone, live_server, "puskesmas")
    phone.goto(f"{live_server.url}/mitra/")
    # Assigned once the page is shown: the download reads the assignments of that moment,
    # whatever the page's own list shows of mothers.
    assign_mothers(village)
    day = today()
    phone.fill("#dl-from", f"{day.year}-01-01")
    phone.fill("#dl-to", day.isoformat())
    assert page_width(phone) <= 360
    with phone.expect_download() as info:
        phone.click("text=Daftar ibu dampingan")
    download = info.value
    assert download.suggested_filename == f"daftar-ibu-{day.isoformat()}.xlsx"
    with open(download.path(), "rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert f"Periode 01-01-{day.year} s.d. {day:%d-%m-%Y}" in rows[0][0]
    assert "Mitra: Puskesmas Sungailiat" in rows[0][0]
    names = [row[1] for row in rows[2:]]
    assert names == ["Siti Aminah"]
    assert rows[2][0] == "190101********01"  # masked NIK, no KK number column
