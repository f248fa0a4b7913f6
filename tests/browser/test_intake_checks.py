"""The kader form's checks and error summary in a real browser on a 360 px wide screen."""

import pytest

from registrations.models import Submission
from tests.builders import fill_intake_form, intake_data, make_image_bytes, page_width

pytestmark = pytest.mark.django_db(transaction=True)


def fill(page, tmp_path, photo=None, **overrides):
    """Fill the form as a kader does, with a KK photo chosen."""
    data = fill_intake_form(page, **overrides)
    path = tmp_path / "kk.jpg"
    path.write_bytes(photo if photo is not None else make_image_bytes(size=(1200, 900)))
    page.set_input_files("[name=kk_file]", str(path))
    return data


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_the_server_error_summary_takes_focus_and_links_to_the_input(
    live_server, phone, posyandu, tmp_path
):
    phone.goto(f"{live_server.url}/lapor/melati/")
    fill(phone, tmp_path, photo=b"this is not a photo")
    phone.click("#send")
    phone.wait_for_selector("#form-errors")
    assert page_width(phone) <= 360
    assert focused_id(phone) == "form-errors"
    summary = phone.inner_text("#form-errors")
    assert "Ada 1 isian yang perlu diperbaiki" in summary
    assert "Foto/scan Kartu Keluarga: " in summary

    phone.click("#form-errors a[href='#id_kk_file']")
    assert focused_id(phone) == "id_kk_file"
    assert Submission.objects.count() == 0


def post_requests(page):
    """The form POSTs the page makes from now on."""
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    return sent


def test_a_15_digit_nik_is_refused_before_anything_is_uploaded(
    live_server, phone, posyandu, tmp_path
):
    phone.goto(f"{live_server.url}/lapor/melati/")
    posts = post_requests(phone)
    fill(phone, tmp_path, child_nik="190101150324001")
    phone.click("#send")
    phone.wait_for_selector("#form-errors")

    assert posts == []
    assert Submission.objects.count() == 0
    assert phone.inner_text("#id_child_nik_error") == (
        "NIK harus tepat 16 angka (sekarang 15 karakter)."
    )
    assert phone.get_attribute("#id_child_nik", "aria-describedby") == "id_child_nik_error"
    assert phone.get_attribute("#id_child_nik", "aria-invalid") == "true"
    assert "has-error" in phone.get_attribute("#field-child_nik", "class")
    summary = phone.inner_text("#form-errors")
    assert "Ada 1 isian yang perlu diperbaiki" in summary
    assert "NIK anak: NIK harus tepat 16 angka (sekarang 15 karakter)." in summary
    assert focused_id(phone) == "form-errors"
    assert page_width(phone) <= 360
    # Everything typed and chosen is still there, the photo too.
    assert phone.input_value("[name=child_nik]") == "190101150324001"
    assert phone.input_value("[name=child_name]") == "Muhammad Rizki"
    assert phone.is_checked("[name=consent]")
    assert phone.eval_on_selector("[name=kk_file]", "i => i.files.length") == 1
    assert phone.inner_text("#send") == "Kirim laporan"

    phone.click("#form-errors a[href='#id_child_nik']")
    assert focused_id(phone) == "id_child_nik"
    phone.fill("[name=child_nik]", intake_data()["child_nik"])
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    assert len(posts) == 1
    assert Submission.objects.get().child_nik == intake_data()["child_nik"]


def test_the_phone_gives_the_servers_messages(
    live_server, client, phone, posyandu, other_posyandu, tmp_path
):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    today = timezone.localdate()
    cases = [
        ("kader_name", ""),
        ("kader_phone", "12345"),
        ("kader_phone", "021 5551234"),
        ("kader_phone", "0812abc45678"),
        ("child_nik", "19010115032400AB"),
        ("child_nik", "1901 0115 0324 00"),
        ("kk_number", "1901"),
        ("parent_phone", "abc"),
        ("address", "   "),
        ("weight_kg", "0,9"),
        ("weight_kg", "40.1"),
        ("weight_kg", "9,75"),
        ("weight_kg", "sembilan"),
        ("weight_kg", "-9"),
        ("height_cm", "39,9"),
        ("height_cm", "130.1"),
        ("height_cm", "1.000,5"),
        ("birth_date", (today + timedelta(days=1)).isoformat()),
        ("birth_date", (today - timedelta(days=1900)).isoformat()),
        ("measured_on", (today + timedelta(days=1)).isoformat()),
        ("measured_on", (today - timedelta(days=2000)).isoformat()),
    ]
    valid = intake_data()
    phone.goto(f"{live_server.url}/lapor/melati/")
    fill(phone, tmp_path)
    posts = post_requests(phone)

    def phone_message(field):
        phone.click("#send")
        phone.wait_for_selector(f"#field-{field} .errorlist")
        return phone.inner_text(f"#field-{field} .errorlist")

    def server_message(field, **overrides):
        kk = SimpleUploadedFile("kk.jpg", make_image_bytes(), "image/jpeg")
        r = client.post("/lapor/melati/", intake_data(**{"kk_file": kk, **overrides}))
        assert list(r.context["form"].errors) == [field]
        return r.context["form"].errors[field][0]

    for field, value in cases:
        phone.fill(f"[name={field}]", value)
        assert phone_message(field) == server_message(field, **{field: value}), (field, value)
        phone.fill(f"[name={field}]", valid[field])

    phone.uncheck("[name=consent]")
    assert phone_message("consent") == server_message("consent", consent="")
    phone.check("[name=consent]")

    phone.select_option("[name=posyandu]", "lain")
    assert phone_message("posyandu_other") == server_message("posyandu_other", posyandu="lain")
    phone.select_option("[name=posyandu]", "melati")

    phone.set_input_files("[name=kk_file]", [])
    r = client.post("/lapor/melati/", intake_data())
    assert phone_message("kk_file") == r.context["form"].errors["kk_file"][0]

    assert posts == []
    assert Submission.objects.count() == 0


def test_an_implausible_measurement_is_confirmed_then_sent_once(
    live_server, phone, posyandu, tmp_path
):
    phone.goto(f"{live_server.url}/lapor/melati/")
    # About 32 months old, 62 cm and 25 kg: a typing or measuring mistake, most likely.
    fill(phone, tmp_path, height_cm="62", weight_kg="25")
    phone.click("#send")
    phone.wait_for_selector("#measurement-check")
    panel = phone.inner_text("#measurement-check")
    assert "Periksa lagi hasil ukur" in panel
    assert "Nilai TB/U di luar batas wajar" in panel
    assert "Nilai BB/U di luar batas wajar" in panel
    assert focused_id(phone) == "measurement-check"
    assert page_width(phone) <= 360
    assert Submission.objects.count() == 0

    phone.click("text=Sudah benar, kirim")
    phone.wait_for_url("**/lapor/status/**")
    s = Submission.objects.get()
    assert (s.height_cm, s.weight_kg) == (62, 25)
    assert "haz_implausible" in s.measurement.flags
    assert "Nilai TB/U di luar batas wajar" in phone.inner_text("#measurement-flags")


def test_the_kader_can_go_back_and_fix_the_measurement(live_server, phone, posyandu, tmp_path):
    phone.goto(f"{live_server.url}/lapor/melati/")
    fill(phone, tmp_path, height_cm="62", weight_kg="25")
    phone.click("#send")
    phone.wait_for_selector("#measurement-check")
    phone.click("text=Perbaiki hasil ukur")
    assert phone.locator("#measurement-check").count() == 0
    assert focused_id(phone) == "id_weight_kg"

    phone.fill("[name=weight_kg]", "12,5")
    phone.fill("[name=height_cm]", "89,5")
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    s = Submission.objects.get()
    assert s.measurement.flags == []


def test_without_the_check_the_report_is_sent_and_flagged_on_the_receipt(
    live_server, phone, posyandu, tmp_path
):
    # A weak or lost signal: the check does not answer. The server flags the values later.
    phone.route("**/lapor/cek-ukur/**", lambda route: route.abort())
    phone.goto(f"{live_server.url}/lapor/melati/")
    fill(phone, tmp_path, height_cm="62", weight_kg="25")
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    assert Submission.objects.count() == 1
    assert "Nilai TB/U di luar batas wajar" in phone.inner_text("#measurement-flags")


def test_confirmed_values_are_not_questioned_again(live_server, phone, posyandu, tmp_path):
    phone.goto(f"{live_server.url}/lapor/melati/")
    fill(phone, tmp_path, height_cm="62", weight_kg="25", photo=b"not a photo")
    phone.click("#send")
    phone.wait_for_selector("#measurement-check")
    phone.click("text=Sudah benar, kirim")
    # The server refuses the file; the page comes back with the confirmation kept.
    phone.wait_for_selector("#form-errors")
    assert "Foto/scan Kartu Keluarga" in phone.inner_text("#form-errors")
    assert phone.input_value("[name=measurement_confirmed]") != ""

    photo = tmp_path / "kk2.jpg"
    photo.write_bytes(make_image_bytes())
    phone.set_input_files("[name=kk_file]", str(photo))
    checks = []
    phone.on("request", lambda r: checks.append(r.url) if "/cek-ukur/" in r.url else None)
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    assert checks == []
    assert Submission.objects.count() == 1


def test_the_api_for_the_submit_pipeline(live_server, phone, posyandu, tmp_path):
    phone.goto(f"{live_server.url}/lapor/melati/")
    fill(phone, tmp_path, child_nik="123")
    validate = "f => window.GaskenChecks.validate(f)"
    assert phone.eval_on_selector("#intake-form", validate) is False
    assert phone.inner_text("#id_child_nik_error").startswith("NIK harus tepat 16 angka")
    phone.fill("[name=child_nik]", "")
    assert phone.eval_on_selector("#intake-form", validate) is True
    assert phone.locator("#form-errors").count() == 0
    assert phone.locator("#id_child_nik_error").count() == 0

    # The form is marked for the submit pipeline (static/js/intake.js): checks.js adds no
    # submit handler of its own, and the pipeline asks it before sending anything.
    assert phone.get_attribute("#intake-form", "data-pipeline") == "intake"
    phone.fill("[name=child_nik]", "123")
    posts = post_requests(phone)
    phone.click("#send")
    phone.wait_for_selector("#form-errors")
    assert phone.inner_text("#id_child_nik_error").startswith("NIK harus tepat 16 angka")
    assert posts == []
    phone.fill("[name=child_nik]", "")
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")
    assert len(posts) == 1
    assert Submission.objects.count() == 1
