"""Builders for the partner portal and village page tests (staff tests have staff_helpers)."""

import io
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from interventions.models import Delivery, Intervention, InterventionType, Partner, PartnerMember
from tests.conftest import make_image_bytes, make_user

TIMAH = "PT Timah Tbk"
PUSKESMAS = "Puskesmas Sungailiat"
PMT = "PMT"
PEMANTAUAN = "Pemantauan kesehatan"
MITRA_GROUP = "Mitra"
DESA_GROUP = "Pemerintah Kelurahan/Desa"
NOT_LINKED_PARTNER = "Akun ini belum terhubung ke mitra."
NOT_LINKED_VILLAGE = "Akun ini belum terhubung ke pemerintah kelurahan/desa."


def today():
    return timezone.localdate()


def partner(name=TIMAH):
    return Partner.objects.get(name=name)


def kind(name=PMT):
    return InterventionType.objects.get(name=name)


def partner_user(username, partner_name=TIMAH):
    """A Mitra-group user acting for the named partner."""
    user = make_user(username, MITRA_GROUP)
    PartnerMember.objects.create(user=user, partner=partner(partner_name))
    return user


def village_user(username, village):
    """A village government user linked to the government partner of `village`."""
    user = make_user(username, DESA_GROUP)
    PartnerMember.objects.create(user=user, partner=village.government)
    return user


def kecamatan_user():
    """The staff member who assigns interventions (created once per test)."""
    user = User.objects.filter(username="kecamatan").first()
    return user or make_user("kecamatan", "Verifikator Kecamatan")


def make_intervention(child, partner_name=TIMAH, *, kind_name=PMT, **fields):
    """An intervention saved directly, planned by default, started ten days ago."""
    start = fields.pop("start_date", today() - timedelta(days=10))
    values = {
        "child": child,
        "type": kind(kind_name),
        "partner": partner(partner_name),
        "start_date": start,
        "planned_end": start + timedelta(days=90),
        "created_by": kecamatan_user(),
    }
    values.update(fields)
    return Intervention.objects.create(**values)


def make_delivery(intervention, recorded_by, *, photo=False, **fields):
    values = {
        "intervention": intervention,
        "date": intervention.start_date,
        "description": "Paket PMT biskuit dan susu",
        "recorded_by": recorded_by,
    }
    values.update(fields)
    delivery = Delivery(**values)
    if photo:
        delivery.photo_original_name = "bukti.jpg"
        delivery.photo.save("foto.jpg", ContentFile(make_image_bytes()), save=False)
    delivery.save()
    return delivery


def jpeg_upload(name="bukti.jpg", **kwargs):
    return SimpleUploadedFile(name, make_image_bytes(**kwargs), "image/jpeg")


def gps_jpeg_bytes():
    """A camera-like JPEG carrying a GPS position and a maker name in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    exif[0x8825] = {1: "S", 2: (1.0, 52.0, 30.0), 3: "E", 4: (106.0, 7.0, 12.0)}  # GPSInfo
    raw = make_image_bytes(exif=exif.tobytes())
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the upload does carry GPS
    return raw


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def login_redirect(url):
    return f"/akun/masuk/?next={url}"
