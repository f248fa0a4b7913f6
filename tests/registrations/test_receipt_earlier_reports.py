"""The receipt warns when the same kader reported the same child in the last 24 hours."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations.models import Submission
from tests.builders import intake_data, make_image_bytes, make_submission

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 3, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
CHILD = {
    "child_name": "Putri Ayu",
    "birth_date": date(2024, 5, 1),
    "mother_name": "Rina",
    "measured_on": date(2025, 6, 2),
}


def report(village, at, **fields):
    with time_machine.travel(at, tick=False):
        return make_submission(village, documents=(), **{**CHILD, **fields})


def warning(client, submission):
    html = client.get(submission.get_absolute_url()).content.decode()
    if 'id="earlier-reports"' not in html:
        return None
    return html.split('id="earlier-reports"')[1].split("</div>")[0]


def test_it_warns_about_the_same_child_by_name_birth_date_and_mother(client, village):
    first = report(village, NOW - timedelta(hours=23))
    second = report(village, NOW, child_name="PUTRI AYU", mother_name="rina", code="AEDVGE7UKE2D")
    text = warning(client, second)
    assert "Anak ini sudah Anda laporkan dalam 24 jam terakhir" in text
    assert (
        f'<a class="nowrap" href="/lapor/status/{first.code}/">{first.formatted_code}</a>' in text
    )
    assert "(2 Juni 2025, 10:00 WIB)" in text
    # The first receipt does not point at the later one.
    assert warning(client, first) is None
    assert list(second.earlier_reports_of_same_child()) == [first]


def test_it_warns_about_the_same_nik_under_another_name(client, village):
    first = report(village, NOW - timedelta(hours=2), child_nik="1901014105240001")
    second = report(
        village, NOW, child_nik="1901014105240001", child_name="Ayu", mother_name="Rina Wati"
    )
    assert first.formatted_code in warning(client, second)


@pytest.mark.parametrize(
    "earlier",
    [
        pytest.param({"at": NOW - timedelta(hours=24, seconds=1)}, id="more than 24 hours ago"),
        pytest.param({"kader_phone": "6281399998888"}, id="another kader"),
        pytest.param({"child_name": "Putra Ayu"}, id="another name"),
        pytest.param({"birth_date": date(2024, 5, 2)}, id="another birth date"),
        pytest.param({"mother_name": "Rini"}, id="another mother"),
        pytest.param(
            {"child_nik": "1901014105240001", "child_name": "Ayu"}, id="another name, other NIK"
        ),
    ],
)
def test_it_does_not_warn_about_other_reports(client, village, earlier):
    at = earlier.pop("at", NOW - timedelta(hours=1))
    report(village, at, **earlier)
    second = report(village, NOW, child_nik="1901014105240002")
    assert warning(client, second) is None


def test_it_lists_every_earlier_report_newest_first(client, village):
    a = report(village, NOW - timedelta(hours=5))
    b = report(village, NOW - timedelta(hours=1))
    c = report(village, NOW)
    text = warning(client, c)
    assert text.index(b.formatted_code) < text.index(a.formatted_code)


def test_a_second_send_through_the_form_is_received_with_a_warning(client, posyandu):
    def send(phone):
        kk = SimpleUploadedFile("kk.jpg", make_image_bytes(), "image/jpeg")
        return client.post("/lapor/melati/", intake_data(kader_phone=phone, kk_file=kk))

    send("0812-3456-7890")
    r = send("+62 812 3456 7890")  # the same number, written another way
    assert r.status_code == 302
    first, second = Submission.objects.order_by("created_at", "pk")
    assert r.url == second.get_absolute_url()
    assert first.formatted_code in warning(client, second)
