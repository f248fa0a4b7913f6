"""Cek status laporan from the intake form, on a 360 px wide screen."""

import pytest

from tests.builders import make_submission, page_width

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent(posyandu):
    return make_submission(posyandu.village, posyandu, code="AEDVGE7UKE2D")


def test_the_status_box_finds_a_code_as_written_down(live_server, phone, sent):
    phone.goto(f"{live_server.url}/lapor/melati/")
    phone.fill("#status-form [name=kode]", "aedv-ge7u ke2d")
    phone.click("#status-send")
    phone.wait_for_url("**/lapor/status/AEDVGE7UKE2D/")
    assert phone.inner_text("#receipt-code") == "AEDV-GE7U-KE2D"
    assert page_width(phone) <= 360


def test_an_unknown_code_is_explained_and_kept(live_server, browser, sent):
    # Without JavaScript too: a plain GET form.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/")
    page.fill("#status-form [name=kode]", "aedv-ge7u ke2e")
    page.click("#status-send")
    page.wait_for_url("**/lapor/status/?kode=*")
    assert "tidak ditemukan" in page.inner_text("#field-kode")
    assert page.input_value("[name=kode]") == "aedv-ge7u ke2e"
    assert page_width(page) <= 360
    context.close()
