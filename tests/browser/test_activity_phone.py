"""A partner records a group activity with a photo on a 360 px phone."""

import re
from datetime import timedelta

import pytest

from interventions.models import Activity
from tests.builders import PUSKESMAS, TIMAH, browser_login, page_width, partner, partner_user, today

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_partner_records_an_activity_with_a_photo(
    live_server, phone, camera_photo, posted_sizes, village, posyandu, other_posyandu
):
    user = partner_user("mitra", TIMAH)
    browser_login(phone, live_server, "mitra")
    phone.goto(f"{live_server.url}/mitra/kegiatan/")
    phone.click("text=Catat kegiatan")
    phone.wait_for_url("**/mitra/kegiatan/baru/")
    assert page_width(phone) <= 360

    phone.check("[name=kind][value=bkb_class]")
    day = today() - timedelta(days=2)
    phone.fill("[name=date]", day.isoformat())
    phone.select_option("[name=village]", str(village.pk))
    # Only the chosen village's posyandu are offered.
    assert phone.locator(f"[name=posyandu] option[value='{other_posyandu.pk}']").is_hidden()
    phone.select_option("[name=posyandu]", str(posyandu.pk))
    phone.check(f"[name=partners][value='{partner(PUSKESMAS).pk}']")
    phone.fill("[name=topic]", "Pola asuh dan gizi balita")
    phone.fill("[name=parents_count]", "14")
    phone.fill("[name=kader_count]", "3")
    phone.fill("[name=notes]", "Di posyandu, setelah penimbangan")
    phone.set_input_files("[name=photo_1]", str(camera_photo))
    phone.wait_for_selector("#photo-photo_1 img:not([hidden])")
    note = phone.inner_text("#photo-photo_1").strip()
    assert re.fullmatch(r"foto diperkecil: [345],\d MB → 0,\d\d MB", note), note
    assert page_width(phone) <= 360
    phone.click("button[type=submit]:has-text('Simpan')")
    phone.wait_for_url(re.compile(r".*/mitra/kegiatan/\d+/$"))

    path, size = posted_sizes[-1]
    assert path == "/mitra/kegiatan/baru/"
    assert size <= 500_000
    activity = Activity.objects.get()
    assert activity.kind == Activity.Kind.BKB_CLASS
    assert (activity.date, activity.village, activity.posyandu) == (day, village, posyandu)
    assert set(activity.partners.all()) == {partner(TIMAH), partner(PUSKESMAS)}
    assert (activity.parents_count, activity.kader_count, activity.people) == (14, 3, 17)
    assert activity.notes == "Di posyandu, setelah penimbangan"
    assert activity.recorded_by == user
    assert activity.photos.get().photo_original_name == "IMG_20250301_091500.jpg"
    assert "Kegiatan dicatat." in phone.inner_text("main")
    assert page_width(phone) <= 360
