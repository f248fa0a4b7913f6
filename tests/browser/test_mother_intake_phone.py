"""The mother's form in a real browser on a 360 px wide screen."""

from decimal import Decimal

import pytest

from registrations.models import MotherReport, Posyandu, Village
from tests.builders import fill_mother_form, make_image_bytes, make_mother_report, page_width

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def posyandu():
    matras = Village.objects.get(code="19.01.01.1009")
    return Posyandu.objects.create(name="Melati", village=matras, code="melati")


def fill(page, tmp_path, **overrides):
    data = fill_mother_form(page, **overrides)
    photo = tmp_path / "kk.jpg"
    photo.write_bytes(make_image_bytes(size=(1200, 900)))
    page.set_input_files("[name=kk_file]", str(photo))
    return data


def test_it_fits_a_phone_and_sends_a_report(live_server, phone, posyandu, tmp_path):
    phone.goto(f"{live_server.url}/lapor/melati/ibu/")
    phone.wait_for_selector("html[data-draft]", state="attached")
    assert page_width(phone) <= 360
    assert phone.locator("#send").bounding_box()["height"] >= 48
    assert phone.locator("[name=muac_cm]").bounding_box()["height"] >= 44

    # A status's fields show once it is chosen.
    assert phone.is_hidden("#field-pregnancy_month") and phone.is_hidden("#field-baby_birth_date")
    phone.check("[name=mother_status][value=breastfeeding]")
    assert phone.is_visible("#field-baby_birth_date") and phone.is_hidden("#field-due_date")
    phone.check("[name=mother_status][value=pregnant]")
    assert phone.is_visible("#field-pregnancy_month") and phone.is_visible("#field-due_date")
    assert phone.is_hidden("#field-baby_birth_date")

    fill(phone, tmp_path)
    # Said under the values as they are typed.
    assert phone.inner_text("#id_muac_cm_note") == "Di bawah 23,5 cm: KEK (kurang energi kronis)."
    assert phone.is_visible("#id_hb_g_dl_note")
    phone.fill("[name=hb_g_dl]", "11")
    assert phone.is_hidden("#id_hb_g_dl_note")
    phone.fill("[name=hb_g_dl]", "10,5")
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    assert page_width(phone) <= 360
    report = MotherReport.objects.get()
    assert phone.locator("#receipt-code").inner_text() == report.formatted_code
    assert (report.name, report.posyandu, report.kader_phone) == (
        "Rina Marlina",
        posyandu,
        "6281234567890",
    )
    assert (report.mother_status, report.pregnancy_month, report.baby_birth_date) == (
        "pregnant",
        5,
        None,
    )
    assert (report.muac_cm, report.hb_g_dl) == (Decimal("22.8"), Decimal("10.5"))
    doc = report.documents.get()
    assert doc.kind == "kk" and doc.content_type == "image/jpeg"
    assert "LiLA 22,8 cm: KEK" in phone.inner_text("#mother-flags")

    # The kader is remembered on the phone, for the child's form too.
    phone.goto(f"{live_server.url}/lapor/")
    phone.wait_for_selector("#remembered")
    assert phone.input_value("[name=kader_name]") == "Siti Aminah"
    assert phone.input_value("[name=kader_phone]") == "0812-3456-7890"


def test_each_form_keeps_its_own_draft(live_server, phone, posyandu):
    phone.goto(f"{live_server.url}/lapor/melati/")
    phone.wait_for_selector("html[data-draft]", state="attached")
    phone.fill("[name=child_name]", "Putri Ayu")
    phone.wait_for_timeout(600)  # the draft is saved 0.4 s after typing
    phone.goto(f"{live_server.url}/lapor/melati/ibu/")
    phone.wait_for_selector("html[data-draft]", state="attached")
    assert phone.input_value("[name=name]") == ""
    assert phone.locator("#restored").count() == 0
    phone.fill("[name=name]", "Rina")
    phone.wait_for_timeout(600)
    phone.goto(f"{live_server.url}/lapor/melati/")
    phone.wait_for_selector("#restored")
    assert phone.input_value("[name=child_name]") == "Putri Ayu"


def test_it_keeps_what_was_typed_after_an_error(live_server, phone, posyandu, tmp_path):
    phone.goto(f"{live_server.url}/lapor/ibu/")
    phone.wait_for_selector("html[data-draft]", state="attached")
    phone.select_option("[name=village]", "19.01.01.1009")
    phone.select_option("[name=posyandu]", "melati")
    fill(phone, tmp_path, muac_cm="99")
    phone.click("#send")
    phone.wait_for_selector("#form-errors")
    assert "antara 15,0 dan 45,0 cm" in phone.inner_text("#field-muac_cm")
    assert phone.input_value("[name=name]") == "Rina Marlina"
    assert phone.is_visible("#field-pregnancy_month")
    assert phone.eval_on_selector("[name=kk_file]", "i => i.files.length") == 1
    assert MotherReport.objects.count() == 0

    phone.fill("[name=muac_cm]", "24")
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    report = MotherReport.objects.get()
    assert (report.muac_cm, report.is_kek) == (Decimal("24.0"), False)
    assert report.documents.count() == 1


def test_a_breastfeeding_mother_without_javascript(live_server, browser, posyandu, tmp_path):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/melati/ibu/")
    # Every field shows; the server keeps only the chosen status's.
    assert page.is_visible("#field-pregnancy_month") and page.is_visible("#field-baby_birth_date")
    data = fill(page, tmp_path, mother_status="breastfeeding", baby_birth_date="2026-01-10")
    page.click("#send")
    page.wait_for_url("**/lapor/status/**")
    report = MotherReport.objects.get()
    assert report.mother_status == "breastfeeding"
    assert str(report.baby_birth_date) == data["baby_birth_date"]
    assert report.pregnancy_month is None
    context.close()


def test_the_correction_round_trip(live_server, phone, posyandu, tmp_path):
    report = make_mother_report(
        posyandu.village,
        posyandu,
        status=MotherReport.Status.NEEDS_CORRECTION,
        status_message="LiLA diukur ulang.",
    )
    phone.goto(f"{live_server.url}{report.get_absolute_url()}")
    assert "LiLA diukur ulang." in phone.inner_text("#staff-message")
    phone.click("#correct")
    phone.fill("[name=nomor_hp]", "0812 3456 7890")
    phone.click("#gate-send")
    phone.wait_for_selector("#intake-form")
    assert page_width(phone) <= 360
    assert phone.input_value("[name=muac_cm]") == "22,8"
    phone.fill("[name=muac_cm]", "24,2")
    phone.click("#send")
    phone.wait_for_url(f"**{report.get_absolute_url()}")
    report.refresh_from_db()
    assert (report.status, report.version, report.muac_cm) == ("pending", 2, Decimal("24.2"))
    assert "Perbaikan ke-1 sudah diterima." in phone.content()


def test_a_report_kept_offline_is_sent_to_its_own_form(live_server, phone, posyandu, tmp_path):
    phone.goto(f"{live_server.url}/lapor/melati/ibu/")
    phone.wait_for_selector("html[data-draft]", state="attached")
    # A form kept on the phone from before the checks before sending existed: the server
    # is the one to refuse the LiLA.
    phone.evaluate("delete window.GaskenChecks")
    phone.context.set_offline(True)
    fill(phone, tmp_path, muac_cm="99")
    phone.wait_for_selector("#photo-kk_file img:not([hidden])")
    phone.click("#send")
    phone.wait_for_selector("#outbox h2")
    assert "Rina Marlina" in phone.inner_text("#outbox")

    # Back online on the child's form: the report goes to the mother's form, which refuses
    # it; it is fixed on its own page, not in the child's form.
    phone.context.set_offline(False)
    phone.goto(f"{live_server.url}/lapor/melati/")
    phone.wait_for_selector("#outbox li.check")
    assert phone.locator("#outbox [data-open]").count() == 0
    phone.click("#outbox a[href='/lapor/melati/ibu/']")
    phone.wait_for_selector("#outbox [data-open]")
    phone.click("#outbox [data-open]")
    phone.wait_for_selector("#form-errors")
    assert "antara 15,0 dan 45,0 cm" in phone.inner_text("#field-muac_cm")
    assert phone.input_value("[name=name]") == "Rina Marlina"
    assert phone.eval_on_selector("[name=kk_file]", "i => i.files.length") == 1
    phone.fill("[name=muac_cm]", "23")
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    report = MotherReport.objects.get()
    assert (report.name, report.muac_cm) == ("Rina Marlina", Decimal("23.0"))
    assert report.documents.count() == 1
