"""The kader corrects a report sent back, in a real browser on a 360 px wide screen."""

import pytest

from registrations.models import Submission, SubmissionVersion
from tests.builders import make_submission, page_width
from verification.services import submission_decide

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent_back(posyandu, verifikator):
    s = make_submission(posyandu.village, posyandu, child_name="Putri Ayu")
    submission_decide(
        submission=s,
        action="needs_correction",
        user=verifikator,
        version=1,
        note="Nama anak sesuai akta: Putri Ayu Lestari.",
    )
    return s


def test_the_first_correction_is_accepted_and_keeps_the_village(live_server, phone, sent_back):
    phone.goto(f"{live_server.url}/lapor/status/{sent_back.code}/")
    phone.click("#correct")
    phone.wait_for_url("**/perbaiki/")
    assert page_width(phone) <= 360
    # First the kader's phone number, typed as she would write it.
    assert phone.locator("[name=child_name]").count() == 0
    phone.fill("[name=nomor_hp]", "0812 3456 7891")
    phone.click("#gate-send")
    phone.wait_for_selector("#id_nomor_hp_error")
    assert "tidak cocok" in phone.inner_text("#id_nomor_hp_error")
    assert phone.input_value("[name=nomor_hp]") == "0812 3456 7891"
    phone.fill("[name=nomor_hp]", "0812 3456 7890")
    phone.click("#gate-send")
    phone.wait_for_selector("[name=child_name]")
    assert page_width(phone) <= 360
    assert phone.input_value("[name=village]") == "19.01.01.1009"
    assert phone.input_value("[name=posyandu]") == "melati"

    phone.fill("[name=child_name]", "Putri Ayu Lestari")
    phone.click("#send")
    phone.wait_for_url(f"**/lapor/status/{sent_back.code}/")
    assert "Menunggu verifikasi" in phone.inner_text("#status")

    s = Submission.objects.get()
    assert (s.status, s.version, s.child_name) == ("pending", 2, "Putri Ayu Lestari")
    assert s.village.code == "19.01.01.1009"
    assert s.posyandu.code == "melati"
    assert s.documents.current().count() == 1
    v2 = SubmissionVersion.objects.get(number=2)
    assert (v2.data["village"], v2.data["child_name"]) == ("19.01.01.1009", "Putri Ayu Lestari")
