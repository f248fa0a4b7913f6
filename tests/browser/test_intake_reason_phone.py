"""Why a child is reported, in a real browser on a 360 px wide screen: the kader's form
(its checks, the factors a birth weight or a text ticks, the draft), then the staff pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations.models import Child, RiskFactor, Submission
from tests.builders import (
    VERIFIKATOR_GROUP,
    browser_login,
    fill_intake_form,
    intake_data,
    make_image_bytes,
    make_user,
    page_width,
)

pytestmark = pytest.mark.django_db(transaction=True)

AT_RISK = Submission.ReportedAs.AT_RISK
LOW = "[name=risk_factors][value=low_birth_weight]"


def fill(page, tmp_path, **overrides):
    data = fill_intake_form(page, **overrides)
    photo = tmp_path / "kk.jpg"
    photo.write_bytes(make_image_bytes(size=(1200, 900)))
    page.set_input_files("[name=kk_file]", str(photo))
    return data


def test_a_child_at_risk_goes_from_the_kader_to_the_staff_pages(
    live_server, phone, posyandu, tmp_path
):
    phone.goto(f"{live_server.url}/lapor/melati/")
    assert phone.inner_text("h1").startswith("Laporan balita stunting atau berisiko stunting")
    fill(
        phone,
        tmp_path,
        reported_as=AT_RISK,
        risk_factors=[RiskFactor.WEIGHT_FALTERING, RiskFactor.POOR_SANITATION],
        birth_weight_g="2300",
        birth_length_cm="46,5",
    )
    assert page_width(phone) <= 360
    # The weight under 2,500 g ticked the low-birth-weight factor, and says so.
    assert phone.is_checked(LOW)
    assert phone.is_visible("#field-birth_weight_g .field-note")
    for box in phone.locator("[name=risk_factors]").all():
        assert box.bounding_box()["height"] >= 20
    phone.click("#send")
    phone.wait_for_url("**/lapor/status/**")

    s = Submission.objects.get()
    assert s.reported_as == AT_RISK
    assert s.risk_factors == [
        RiskFactor.WEIGHT_FALTERING,
        RiskFactor.LOW_BIRTH_WEIGHT,
        RiskFactor.POOR_SANITATION,
    ]
    assert (s.birth_weight_g, str(s.birth_length_cm)) == (2300, "46.5")

    make_user("verifikator", VERIFIKATOR_GROUP)
    browser_login(phone, live_server, "verifikator")
    phone.goto(f"{live_server.url}/verifikasi/?reported_as=at_risk&risk_factor=poor_sanitation")
    row = phone.locator("#queue tbody tr").first
    assert "Muhammad Rizki" in row.inner_text()
    assert "Berisiko" in row.inner_text() and "BB tidak naik, BBLR, air/jamban" in row.inner_text()
    row.locator("a").first.click()

    phone.wait_for_selector("#reported-as")
    assert phone.inner_text("#reported-as") == "Berisiko stunting"
    assert phone.inner_text("#risk-factors").splitlines() == [
        "Berat badan tidak naik 2 kali berturut-turut",
        "Berat lahir < 2.500 g",
        "Tanpa air bersih atau jamban sehat",
    ]
    assert phone.inner_text("#birth-weight") == "2.300 g"
    assert phone.inner_text("#birth-length") == "46,5 cm"

    phone.click("#decide-verified_new summary")
    phone.click("#decide-verified_new button[type=submit]")
    phone.wait_for_selector("#status.status-verified")
    child = Child.objects.get()
    phone.goto(f"{live_server.url}/verifikasi/anak/{child.pk}/")
    assert phone.inner_text("#reported-as") == "Berisiko stunting"
    assert "Berat lahir < 2.500 g" in phone.inner_text("#risk-factors")
    assert phone.inner_text("#birth-weight") == "2.300 g"

    phone.goto(f"{live_server.url}/verifikasi/anak/?reported_as=at_risk")
    assert "Muhammad Rizki" in phone.inner_text("#children")
    phone.goto(f"{live_server.url}/verifikasi/anak/?reported_as=stunted")
    assert "Muhammad Rizki" not in phone.inner_text("#children")

    phone.goto(f"{live_server.url}/pemantauan/")
    at_risk = phone.locator("#tabel-sasaran tbody tr").nth(1)
    assert at_risk.inner_text().split("\t")[:2] == ["Berisiko stunting", "1"]


def test_the_phone_gives_the_servers_messages(live_server, client, phone, posyandu, tmp_path):
    valid = intake_data()
    phone.goto(f"{live_server.url}/lapor/melati/")
    fill(phone, tmp_path)
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    def phone_message(field):
        phone.click("#send")
        phone.wait_for_selector(f"#field-{field} .errorlist")
        return phone.inner_text(f"#field-{field} .errorlist")

    def server_message(field, **overrides):
        kk = SimpleUploadedFile("kk.jpg", make_image_bytes(), "image/jpeg")
        r = client.post("/lapor/melati/", intake_data(**{"kk_file": kk, **overrides}))
        assert list(r.context["form"].errors) == [field]
        return r.context["form"].errors[field][0]

    for value in ("dua kilo", "399", "6001", "0,3", "2,8555"):
        phone.fill("[name=birth_weight_g]", value)
        expected = server_message("birth_weight_g", birth_weight_g=value)
        assert phone_message("birth_weight_g") == expected, value
    phone.fill("[name=birth_weight_g]", "")
    for value in ("29,9", "60,1", "48,25"):
        phone.fill("[name=birth_length_cm]", value)
        expected = server_message("birth_length_cm", birth_length_cm=value)
        assert phone_message("birth_length_cm") == expected, value
    phone.fill("[name=birth_length_cm]", "")

    phone.check("[name=reported_as][value=at_risk]")
    assert phone_message("risk_factors") == server_message("risk_factors", reported_as=AT_RISK)
    assert phone.get_attribute("#field-risk_factors [role=group]", "aria-describedby") == (
        "id_risk_factors_error"
    )

    phone.check("[name=risk_factors][value=other]")
    assert phone_message("risk_other_text") == server_message(
        "risk_other_text", reported_as=AT_RISK, risk_factors=["other"]
    )
    phone.uncheck("[name=risk_factors][value=other]")

    # A kader's own tick of "< 2.500 g" with a weight that is not low.
    phone.check(LOW)
    phone.fill("[name=birth_weight_g]", "2800")
    assert phone.is_checked(LOW)
    assert phone_message("birth_weight_g") == server_message(
        "birth_weight_g", birth_weight_g="2800", risk_factors=["low_birth_weight"]
    )

    assert posts == []
    assert Submission.objects.count() == 0
    assert valid["reported_as"] == "stunted"  # the one choice left to check: none at all


def test_the_phone_asks_why_before_sending(live_server, client, phone, posyandu, tmp_path):
    phone.goto(f"{live_server.url}/lapor/melati/")
    fill(phone, tmp_path)
    # Untick the builder's choice as a kader who never chose would have it.
    phone.eval_on_selector_all("[name=reported_as]", "rs => rs.forEach(r => (r.checked = false))")
    phone.click("#send")
    phone.wait_for_selector("#field-reported_as .errorlist")
    kk = SimpleUploadedFile("kk.jpg", make_image_bytes(), "image/jpeg")
    r = client.post("/lapor/melati/", intake_data(kk_file=kk, reported_as=""))
    assert (
        phone.inner_text("#field-reported_as .errorlist")
        == (r.context["form"].errors["reported_as"][0])
    )
    assert "Alasan dilaporkan: Pilih alasan anak dilaporkan" in phone.inner_text("#form-errors")
    phone.click("#form-errors a[href='#id_reported_as_0']")
    assert phone.evaluate("document.activeElement.id") == "id_reported_as_0"
    assert Submission.objects.count() == 0


def test_what_is_typed_ticks_its_factor_and_only_that(live_server, phone, posyandu):
    phone.goto(f"{live_server.url}/lapor/melati/")
    phone.fill("[name=birth_weight_g]", "2,3")
    assert phone.is_checked(LOW)
    assert phone.is_visible("#field-birth_weight_g .field-note")
    phone.fill("[name=birth_weight_g]", "2800")
    assert not phone.is_checked(LOW)
    assert phone.is_hidden("#field-birth_weight_g .field-note")

    phone.fill("[name=risk_other_text]", "Ibu usia remaja")
    assert phone.is_checked("[name=risk_factors][value=other]")
    phone.fill("[name=risk_other_text]", "")
    assert not phone.is_checked("[name=risk_factors][value=other]")

    # Ticked by the kader: a later weight leaves it for her to decide.
    phone.check(LOW)
    phone.fill("[name=birth_weight_g]", "2300")
    phone.fill("[name=birth_weight_g]", "")
    assert phone.is_checked(LOW)


def test_the_draft_keeps_the_reason(live_server, phone, posyandu):
    phone.goto(f"{live_server.url}/lapor/melati/")
    phone.wait_for_selector("html[data-draft]", state="attached")
    phone.fill("[name=child_name]", "Putri Ayu")
    phone.check("[name=reported_as][value=at_risk]")
    phone.check("[name=risk_factors][value=premature]")
    phone.check("[name=risk_factors][value=recurrent_illness]")
    phone.fill("[name=birth_weight_g]", "2300")
    phone.fill("[name=birth_length_cm]", "45")
    phone.wait_for_timeout(600)  # the draft is saved 0.4 s after typing

    phone.reload()
    phone.wait_for_selector("html[data-draft]", state="attached")
    assert phone.input_value("[name=child_name]") == "Putri Ayu"
    assert phone.is_checked("[name=reported_as][value=at_risk]")
    ticked = phone.eval_on_selector_all("[name=risk_factors]:checked", "bs => bs.map(b => b.value)")
    assert ticked == ["low_birth_weight", "premature", "recurrent_illness"]
    assert phone.input_value("[name=birth_weight_g]") == "2300"
    assert phone.input_value("[name=birth_length_cm]") == "45"
