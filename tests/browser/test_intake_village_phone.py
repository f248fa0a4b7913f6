"""The report form of one kelurahan/desa, opened from the village's poster on a phone."""

import json

import pytest

from registrations.models import Posyandu, Submission, Village
from tests.builders import fill_intake_form, make_image_bytes, page_width

pytestmark = pytest.mark.django_db(transaction=True)

REBO = "19.01.01.2007"


@pytest.fixture
def places():
    matras = Village.objects.get(code="19.01.01.1009")
    rebo = Village.objects.get(code=REBO)
    Posyandu.objects.create(name="Melati", village=matras, code="melati")
    return Posyandu.objects.create(name="Kenanga", village=rebo, code="kenanga")


def test_it_opens_with_the_village_and_sends_a_report(live_server, phone, places, tmp_path):
    url = f"{live_server.url}/lapor/desa/{REBO}/"
    phone.goto(url)
    # This kader last reported from a Matras posyandu on this phone.
    remembered = {"kader_name": "Siti Aminah", "village": "19.01.01.1009", "posyandu": "melati"}
    phone.evaluate(f"localStorage.setItem('gasken:kader', {json.dumps(json.dumps(remembered))})")
    phone.goto(url)
    phone.wait_for_selector("#remembered")
    assert page_width(phone) <= 360
    assert "Desa Rebo" in phone.inner_text("h1")
    # The village of the poster wins; the remembered posyandu of another village is dropped.
    assert phone.input_value("[name=village]") == REBO
    assert phone.input_value("[name=posyandu]") == ""
    assert phone.input_value("[name=kader_name]") == "Siti Aminah"
    visible = phone.eval_on_selector_all(
        "[name=posyandu] option:not([hidden])", "os => os.map(o => o.value)"
    )
    assert "kenanga" in visible and "melati" not in visible

    fill_intake_form(phone)
    phone.select_option("[name=posyandu]", "kenanga")
    photo = tmp_path / "kk.jpg"
    photo.write_bytes(make_image_bytes(size=(1200, 900)))
    phone.set_input_files("[name=kk_file]", str(photo))
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")

    s = Submission.objects.get()
    assert (s.village.code, s.posyandu, s.child_name) == (REBO, places, "Muhammad Rizki")
    assert phone.locator("#receipt-code").inner_text() == s.formatted_code
