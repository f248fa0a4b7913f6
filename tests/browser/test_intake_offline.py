"""The kader form on a phone with a weak signal, in a real browser: photos shrunk before
upload, reports kept on the phone until they are sent, each report counted once."""

import re

import pytest
from PIL import Image

from registrations.models import Document, Posyandu, Submission, Village
from tests.builders import fill_intake_form, make_image_bytes, page_width

pytestmark = pytest.mark.django_db(transaction=True)

FORM = "/lapor/melati/"


@pytest.fixture
def posyandu():
    matras = Village.objects.get(code="19.01.01.1009")
    return Posyandu.objects.create(name="Melati", village=matras, code="melati")


@pytest.fixture
def small_photo(tmp_path):
    path = tmp_path / "kk.jpg"
    path.write_bytes(make_image_bytes(size=(1200, 900)))
    return path


def fill(page, photo=None, **overrides):
    fill_intake_form(page, **overrides)
    if photo:
        page.set_input_files("[name=kk_file]", str(photo))
        page.wait_for_selector("#photo-kk_file img:not([hidden])")


def open_form(page, live_server, url=FORM):
    page.goto(live_server.url + url)
    page.wait_for_selector("html[data-draft]", state="attached")


def wait_until_kept_offline(page):
    page.wait_for_selector("html[data-offline=ready]", state="attached")


def test_a_camera_photo_is_shrunk_on_the_phone(
    live_server, phone, posyandu, camera_photo, posted_sizes
):
    open_form(phone, live_server)
    fill(phone, camera_photo)
    note = phone.inner_text("#photo-kk_file")
    assert re.fullmatch(r"foto diperkecil: [345],\d MB → 0,\d\d MB", note.strip()), note
    assert page_width(phone) <= 360

    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    # The whole request, form fields included, is under 400 KB.
    [(path, size)] = posted_sizes
    assert path == FORM and 100_000 < size <= 400_000
    doc = Document.objects.get()
    assert doc.original_size <= 400_000
    assert doc.original_name == "IMG_20250301_091500.jpg"
    # Turned upright on the phone, at most 2000 px long.
    with doc.file.open("rb") as f, Image.open(f) as img:
        assert img.size == (1500, 2000)


def test_it_shows_upload_progress(live_server, phone, posyandu, camera_photo):
    open_form(phone, live_server)
    fill(phone, camera_photo)
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 50, "downloadThroughput": -1, "uploadThroughput": 100_000},
    )
    phone.click("#send")
    phone.wait_for_selector("#send:text-matches('^Mengirim… [1-9][0-9]?%$')")
    assert phone.is_visible("#send-progress progress")
    assert phone.is_disabled("#send")
    phone.wait_for_url("**/lapor/status/**", timeout=30_000)
    assert Submission.objects.count() == 1


def test_it_refuses_a_too_large_file_before_uploading(
    live_server, phone, posyandu, settings, tmp_path
):
    settings.MAX_UPLOAD_SIZE = 1024 * 1024
    scan = tmp_path / "akta.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * 1_500_000)
    open_form(phone, live_server)
    phone.set_input_files("[name=akta_file]", str(scan))
    phone.wait_for_selector("#photo-akta_file .errorlist")
    assert phone.inner_text("#photo-akta_file") == (
        "Berkas akta.pdf berukuran 1,4 MB, melebihi batas 1 MB. "
        "Pilih foto atau berkas yang lebih kecil."
    )
    assert phone.eval_on_selector("[name=akta_file]", "i => i.files.length") == 0


def test_the_form_opens_with_no_signal_once_visited(live_server, phone, posyandu):
    open_form(phone, live_server)
    wait_until_kept_offline(phone)
    phone.context.set_offline(True)
    # Were the network still reachable, it would now answer 404 for this posyandu.
    Posyandu.objects.filter(code="melati").update(is_active=False)

    response = phone.reload()
    assert response.from_service_worker
    phone.wait_for_selector("html[data-draft]", state="attached")
    assert phone.is_visible("#intake-form")
    assert phone.input_value("[name=posyandu]") == "melati"
    # Its style and scripts came from the phone too.
    header = phone.eval_on_selector("header.top", "h => getComputedStyle(h).backgroundColor")
    assert header == "rgb(11, 110, 79)"
    assert page_width(phone) <= 360

    # The kecamatan-wide form, never opened here, opens as the kept one.
    open_form(phone, live_server, "/lapor/")
    assert phone.is_visible("#intake-form")

    # Any other page says there is no signal, and where the kept forms are.
    phone.goto(f"{live_server.url}/lapor/status/ABCDABCDABCD/")
    assert phone.inner_text("h1") == "Tidak ada sinyal"
    phone.click("text=/lapor/melati/")
    phone.wait_for_selector("html[data-draft]", state="attached")
    assert phone.input_value("[name=posyandu]") == "melati"


def test_a_report_made_offline_is_sent_when_the_signal_returns(
    live_server, phone, posyandu, camera_photo
):
    open_form(phone, live_server)
    wait_until_kept_offline(phone)
    phone.context.set_offline(True)
    phone.reload()
    phone.wait_for_selector("html[data-draft]", state="attached")
    key = phone.evaluate("document.documentElement.dataset.draft")
    fill(phone, camera_photo)
    phone.click("#send")
    phone.wait_for_selector("#outbox h2")
    assert phone.inner_text("#outbox h2") == "Menunggu dikirim (1)"
    assert "Muhammad Rizki" in phone.inner_text("#outbox")
    assert Submission.objects.count() == 0
    # The form is ready for the next child; the kader's details stay.
    assert phone.input_value("[name=child_name]") == ""
    assert phone.input_value("[name=kader_name]") == "Siti Aminah"
    assert phone.evaluate("document.documentElement.dataset.draft") != key

    phone.context.set_offline(False)
    phone.wait_for_selector("#notices .alert-ok")
    submission = Submission.objects.get()
    assert str(submission.idempotency_key) == key
    assert submission.child_name == "Muhammad Rizki"
    assert submission.documents.get().original_size <= 400_000
    assert submission.formatted_code in phone.inner_text("#notices .alert-ok")
    assert phone.is_hidden("#outbox")


def test_a_queued_report_is_removed_only_when_confirmed(live_server, phone, posyandu, small_photo):
    open_form(phone, live_server)
    phone.context.set_offline(True)
    fill(phone, small_photo)
    phone.click("#send")
    phone.wait_for_selector("#outbox [data-remove]")

    phone.once("dialog", lambda d: d.dismiss())
    phone.click("#outbox [data-remove]")
    phone.wait_for_timeout(200)
    assert phone.inner_text("#outbox h2") == "Menunggu dikirim (1)"

    messages = []
    phone.once("dialog", lambda d: (messages.append(d.message), d.accept()))
    phone.click("#outbox [data-remove]")
    phone.wait_for_selector("#outbox", state="hidden")
    assert "Muhammad Rizki" in messages[0]
    phone.context.set_offline(False)
    phone.reload()
    phone.wait_for_selector("html[data-draft]", state="attached")
    assert phone.is_hidden("#outbox")
    assert Submission.objects.count() == 0


def test_a_lost_answer_does_not_make_a_second_report(live_server, browser, posyandu, small_photo):
    # No service worker: the test stands between the page and the server.
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    page = context.new_page()
    open_form(page, live_server)
    fill(page, small_photo)

    def lose_the_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        route.fetch()  # the server saves the report…
        route.abort()  # …and the phone never hears back

    page.route(f"**{FORM}", lose_the_answer)
    page.click("#send")
    page.wait_for_selector("#outbox h2")
    assert Submission.objects.count() == 1
    page.unroute(f"**{FORM}")

    page.reload()
    page.wait_for_selector("#notices .alert-ok")
    submission = Submission.objects.get()
    assert submission.formatted_code in page.inner_text("#notices .alert-ok")
    assert page.is_hidden("#outbox")
    context.close()


def test_a_reload_while_sending_keeps_the_report_and_its_key(
    live_server, browser, posyandu, small_photo
):
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    page = context.new_page()
    open_form(page, live_server)
    key = page.evaluate("document.documentElement.dataset.draft")
    fill(page, small_photo)
    held = []

    def hold_the_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        route.fetch()  # saved; the answer never comes before the kader reloads
        held.append(route)

    page.route(f"**{FORM}", hold_the_answer)
    page.click("#send")
    while not held:
        page.wait_for_timeout(50)
    page.reload()
    page.wait_for_selector("html[data-draft]", state="attached")
    page.unroute(f"**{FORM}")
    assert Submission.objects.count() == 1

    # The draft came back: same key, what was typed, the photo.
    assert page.evaluate("document.documentElement.dataset.draft") == key
    assert page.input_value("[name=child_name]") == "Muhammad Rizki"
    assert page.eval_on_selector("[name=kk_file]", "i => i.files.length") == 1
    assert page.is_visible("#restored")
    page.click("#send")
    page.wait_for_url("**/lapor/status/**")
    submission = Submission.objects.get()
    assert page.inner_text("#receipt-code") == submission.formatted_code
    assert str(submission.idempotency_key) == key

    # A receipt ends the draft: the next form is a new report with a new key.
    open_form(page, live_server)
    assert page.evaluate("document.documentElement.dataset.draft") != key
    assert page.input_value("[name=child_name]") == ""
    context.close()


def test_the_phone_remembers_the_kader_and_her_reports(live_server, phone, posyandu, small_photo):
    open_form(phone, live_server)
    fill(phone, small_photo)
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    submission = Submission.objects.get()

    # The kecamatan-wide form, as from another QR code: her details are filled in.
    open_form(phone, live_server, "/lapor/")
    assert phone.input_value("[name=kader_name]") == "Siti Aminah"
    assert phone.input_value("[name=kader_phone]") == "0812-3456-7890"
    assert phone.input_value("[name=village]") == "19.01.01.1009"
    assert phone.input_value("[name=posyandu]") == "melati"
    assert "Siti Aminah" in phone.inner_text("#remembered")

    phone.click("#my-reports summary")
    phone.wait_for_selector("#my-reports .status:text-is('Menunggu verifikasi')", state="attached")
    reports = phone.inner_text("#my-reports")
    assert "Laporan saya (1)" in reports
    assert submission.formatted_code in reports and "Muhammad Rizki" in reports

    phone.click("#not-me")
    assert phone.input_value("[name=kader_name]") == ""
    assert phone.input_value("[name=kader_phone]") == ""
    assert phone.input_value("[name=village]") == ""
    assert phone.input_value("[name=posyandu]") == ""
    assert phone.evaluate("localStorage.getItem('gasken:kader')") is None
    open_form(phone, live_server, "/lapor/")
    assert phone.input_value("[name=kader_name]") == ""
    assert phone.is_hidden("#remembered")


def test_a_queued_report_the_server_refuses_waits_for_the_kader(
    live_server, phone, posyandu, small_photo
):
    open_form(phone, live_server)
    # A form kept on the phone from before the checks before sending existed: the server
    # is the one to refuse the weight.
    phone.evaluate("delete window.GaskenChecks")
    phone.context.set_offline(True)
    fill(phone, small_photo, weight_kg="95")
    phone.click("#send")
    phone.wait_for_selector("#outbox h2")
    key = phone.get_attribute("#outbox li", "data-key")

    phone.context.set_offline(False)
    phone.wait_for_selector("#outbox li.check")
    assert "perlu diperbaiki" in phone.inner_text("#outbox li")
    assert Submission.objects.count() == 0

    # Opened again, it shows the server's messages with everything kept, photo included.
    phone.click("#outbox [data-open]")
    phone.wait_for_selector("#form-errors")
    assert "antara 1,0 dan 40,0 kg" in phone.inner_text("#field-weight_kg")
    assert phone.evaluate("document.documentElement.dataset.draft") == key
    assert phone.input_value("[name=child_name]") == "Muhammad Rizki"
    assert phone.eval_on_selector("[name=kk_file]", "i => i.files.length") == 1
    assert phone.is_hidden("#outbox")
    phone.fill("[name=weight_kg]", "9,5")
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    submission = Submission.objects.get()
    assert str(submission.idempotency_key) == key
    assert submission.documents.count() == 1


def test_a_report_sent_from_another_tab_ends_the_draft_there_too(
    live_server, phone, posyandu, small_photo
):
    open_form(phone, live_server)
    other = phone.context.new_page()
    open_form(other, live_server)
    key = phone.evaluate("document.documentElement.dataset.draft")
    # A rescanned QR code in a second tab continues the same report.
    assert other.evaluate("document.documentElement.dataset.draft") == key

    phone.bring_to_front()
    fill(phone, small_photo)
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    # The other tab is in the background now: poll by time, not by animation frames.
    other.wait_for_selector(f"html[data-draft]:not([data-draft='{key}'])", state="attached")
    assert "tab lain" in other.inner_text("#notices")
    assert str(Submission.objects.get().idempotency_key) == key
