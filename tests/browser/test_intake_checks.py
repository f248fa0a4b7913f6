"""The kader form's checks and error summary in a real browser on a 360 px wide screen."""

import pytest

from registrations.models import Submission
from tests.browser.conftest import page_width
from tests.builders import intake_data, make_image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

TEXT_FIELDS = (
    "kader_name",
    "kader_phone",
    "child_name",
    "child_nik",
    "mother_name",
    "father_name",
    "parent_occupation",
    "parent_phone",
    "address",
    "kk_number",
    "weight_kg",
    "height_cm",
    "birth_date",
    "measured_on",
)


def fill(page, tmp_path, photo=None, **overrides):
    """Fill the form as a kader does, with a KK photo chosen."""
    data = intake_data(**overrides)
    for name in TEXT_FIELDS:
        page.fill(f"[name={name}]", data[name])
    page.check(f"[name=child_sex][value={data['child_sex']}]")
    page.check(f"[name=measurement_position][value={data['measurement_position']}]")
    page.check("[name=consent]")
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
