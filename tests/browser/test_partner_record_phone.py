"""A partner records a delivery with a camera photo on a phone: the photo is shrunk first."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from interventions.models import Delivery
from registrations.models import Village
from tests.builders import browser_login, make_child, make_intervention, page_width, partner_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_delivery_photo_is_shrunk_before_upload(live_server, phone, camera_photo, posted_sizes):
    partner_user("mitra", "PT Timah Tbk")
    matras = Village.objects.get(code="19.01.01.1009")
    child = make_child(matras, birth_date=timezone.localdate() - timedelta(days=500))
    intervention = make_intervention(child, "PT Timah Tbk")

    browser_login(phone, live_server, "mitra")
    phone.goto(f"{live_server.url}/mitra/tugas/{intervention.pk}/catat/")
    phone.fill("[name=description]", "Paket biskuit dan susu")
    phone.fill("[name=quantity]", "4")
    phone.set_input_files("[name=photo]", str(camera_photo))
    phone.wait_for_selector("#photo-photo img:not([hidden])")
    note = phone.inner_text("#photo-photo").strip()
    assert re.fullmatch(r"foto diperkecil: [345],\d MB → 0,\d\d MB", note), note
    assert page_width(phone) <= 360
    phone.click("button[type=submit]:has-text('Simpan')")
    phone.wait_for_url(f"**/mitra/anak/{child.pk}/")

    path, size = posted_sizes[-1]
    assert path == f"/mitra/tugas/{intervention.pk}/catat/"
    assert 100_000 < size <= 400_000
    delivery = Delivery.objects.get()
    assert delivery.photo and delivery.photo_original_name == "IMG_20250301_091500.jpg"
