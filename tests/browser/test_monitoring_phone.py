"""The monitoring pages on a 360 px wide phone screen: charts and tables stay inside it."""

import pytest

from tests.browser.conftest import login, page_width
from tests.builders import make_user, village_user
from tests.monitoring.dataset import build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def programme():
    ds = build()
    make_user("verifikator", "Verifikator Kecamatan")
    village_user("desa", ds.matras)
    return ds


@pytest.mark.parametrize("username", ["verifikator", "desa"])
def test_the_dashboard_fits_a_phone(phone, live_server, programme, username):
    login(phone, live_server, username)
    phone.goto(f"{live_server.url}/pemantauan/")
    assert phone.locator("h1").inner_text() == "Pemantauan dan evaluasi"
    assert phone.locator("svg").count() == 3
    for svg in phone.locator("svg").all():
        box = svg.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page_width(phone) <= 360


@pytest.mark.parametrize("username", ["verifikator", "desa"])
def test_a_worklist_fits_a_phone(phone, live_server, programme, username):
    login(phone, live_server, username)
    phone.goto(f"{live_server.url}/pemantauan/daftar/belum-diukur/?hari=30")
    assert phone.locator("#worklist tbody tr").count() >= 1
    assert page_width(phone) <= 360


def test_the_public_summary_fits_a_phone(phone, live_server, programme):
    phone.goto(f"{live_server.url}/ringkasan/")
    assert phone.locator("#ringkasan tbody tr").count() == 14  # 13 villages and the total
    assert page_width(phone) <= 360
