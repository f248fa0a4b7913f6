"""The kader form in a real browser on a 360 px wide screen."""

import pytest

from registrations.models import Posyandu, Submission, Village
from tests.builders import fill_intake_form, make_image_bytes, page_width

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def posyandu():
    matras = Village.objects.get(code="19.01.01.1009")
    rebo = Village.objects.get(code="19.01.01.2007")
    Posyandu.objects.create(name="Kenanga", village=rebo, code="kenanga")
    return Posyandu.objects.create(name="Melati", village=matras, code="melati")


def fill(page, tmp_path, **overrides):
    fill_intake_form(page, **overrides)
    photo = tmp_path / "kk.jpg"
    photo.write_bytes(make_image_bytes(size=(1200, 900)))
    page.set_input_files("[name=kk_file]", str(photo))


def test_it_fits_a_phone_screen_and_sends_a_report(live_server, phone, posyandu, tmp_path):
    phone.goto(f"{live_server.url}/lapor/melati/")
    assert page_width(phone) <= 360
    # Labels and buttons are large enough to tap.
    assert phone.locator("#send").bounding_box()["height"] >= 48
    assert phone.locator("[name=kader_name]").bounding_box()["height"] >= 44

    fill(phone, tmp_path)
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    assert page_width(phone) <= 360
    submission = Submission.objects.get()
    assert phone.locator("#receipt-code").inner_text() == submission.formatted_code
    assert submission.documents.count() == 1

    # "Laporkan anak lain" opens a form with the kader and posyandu filled in.
    phone.click("#next")
    assert phone.input_value("[name=kader_name]") == "Siti Aminah"
    assert phone.input_value("[name=posyandu]") == "melati"
    assert phone.input_value("[name=child_name]") == ""


def test_it_keeps_typed_values_after_an_error(live_server, phone, posyandu, tmp_path):
    phone.goto(f"{live_server.url}/lapor/melati/")
    fill(phone, tmp_path, weight_kg="95")
    phone.click("#send")
    phone.wait_for_selector("#form-errors")
    assert page_width(phone) <= 360
    assert "antara 1,0 dan 40,0 kg" in phone.inner_text("#field-weight_kg")
    assert phone.input_value("[name=child_name]") == "Muhammad Rizki"
    assert phone.is_checked("[name=consent]")
    assert Submission.objects.count() == 0
    # The page keeps the chosen photo: nothing to choose again.
    assert "harus dipilih lagi" not in phone.inner_text("#form-errors")
    assert phone.eval_on_selector("[name=kk_file]", "i => i.files.length") == 1
    assert phone.is_visible("#photo-kk_file img")

    phone.fill("[name=weight_kg]", "9,5")
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    assert Submission.objects.get().documents.count() == 1


def test_it_shows_only_the_villages_posyandu(live_server, phone, posyandu):
    phone.goto(f"{live_server.url}/lapor/")
    phone.select_option("[name=village]", "19.01.01.2007")
    visible = phone.eval_on_selector_all(
        "[name=posyandu] option:not([hidden])", "os => os.map(o => o.value)"
    )
    assert "kenanga" in visible and "melati" not in visible
    assert phone.is_hidden("#field-posyandu_other")
    phone.select_option("[name=posyandu]", "lain")
    assert phone.is_visible("#field-posyandu_other")


def test_it_works_without_javascript(live_server, browser, posyandu, tmp_path):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/")
    page.select_option("[name=village]", "19.01.01.1009")
    page.select_option("[name=posyandu]", "melati")
    fill(page, tmp_path)
    page.click("#send")
    page.wait_for_url("**/lapor/status/**")
    assert Submission.objects.get().posyandu.code == "melati"
    context.close()


def posyandu_options(page):
    return page.eval_on_selector_all(
        "[name=posyandu] optgroup",
        "gs => gs.map(g => [g.label, Array.from(g.children, o => o.value)])",
    )


def test_a_posyandu_form_offers_the_other_villages_posyandu(live_server, phone, posyandu):
    jelitik = Village.objects.get(code="19.01.01.1010")
    Posyandu.objects.create(name="Anggrek", village=jelitik, code="anggrek")
    everything = [["Jelitik", ["anggrek"]], ["Matras", ["melati"]], ["Rebo", ["kenanga"]]]
    phone.goto(f"{live_server.url}/lapor/melati/")
    # The page lists only Matras's posyandu; the script adds the others, in order.
    assert posyandu_options(phone) == everything
    assert phone.input_value("[name=posyandu]") == "melati"
    phone.select_option("[name=village]", "19.01.01.2007")
    visible = phone.eval_on_selector_all(
        "[name=posyandu] option:not([hidden])", "os => os.map(o => o.value)"
    )
    assert visible == ["", "kenanga", "lain"]
    phone.select_option("[name=posyandu]", "kenanga")
    assert phone.input_value("[name=posyandu]") == "kenanga"
    # The same list as the kecamatan's form, which has every posyandu in its page.
    phone.goto(f"{live_server.url}/lapor/")
    assert posyandu_options(phone) == everything


def test_a_posyandu_form_works_without_javascript(live_server, browser, posyandu, tmp_path):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/melati/")
    assert posyandu_options(page) == [["Matras", ["melati"]]]
    assert page.input_value("[name=posyandu]") == "melati"
    fill(page, tmp_path)
    page.click("#send")
    page.wait_for_url("**/lapor/status/**")
    assert Submission.objects.get().posyandu.code == "melati"
    context.close()


def test_a_posyandu_code_wins_over_an_earlier_draft(live_server, phone, posyandu):
    # The phone first opened the kecamatan's form and began a report there...
    phone.goto(f"{live_server.url}/lapor/")
    phone.wait_for_selector("html[data-draft]", state="attached")
    phone.fill("[name=child_name]", "Putri Ayu")
    phone.wait_for_timeout(600)  # the draft is saved 0.4 s after typing
    # ...then its kader scanned the code of Posyandu Melati.
    phone.goto(f"{live_server.url}/lapor/melati/")
    phone.wait_for_selector("html[data-draft]", state="attached")
    assert phone.input_value("[name=village]") == "19.01.01.1009"
    assert phone.input_value("[name=posyandu]") == "melati"
    # What was typed in the draft is still there.
    assert phone.input_value("[name=child_name]") == "Putri Ayu"
