"""Every test builder and shared test constant. Fixtures live in tests/conftest.py.

Builders save through the ORM (or the services) with valid defaults; a test passes only the
values it is about. Partners, intervention types and groups are the reference data of
tests/fixtures/reference.json, looked up by name.
"""

import io
import re
from dataclasses import fields as dataclass_fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import zxingcpp
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from interventions.models import (
    Activity,
    Delivery,
    Intervention,
    InterventionType,
    Obstacle,
    Partner,
    PartnerMember,
)
from interventions.services import (
    ActivityValues,
    MotherCheckValues,
    ObstacleValues,
    activity_record,
    obstacle_handle,
    obstacle_record,
)
from registrations.google_form import Age, ParsedRow, estimate_birth_date, import_key
from registrations.models import (
    Child,
    Measurement,
    Mother,
    MotherCheck,
    MotherReport,
    Submission,
)
from registrations.services import (
    MeasurementValues,
    MotherValues,
    ReportValues,
    mother_report_create,
    submission_create,
    submissions_import_google_form,
)
from registrations.uploads import CleanFile
from verification import roles
from verification.services import child_merge, mother_merge

# --- constants ------------------------------------------------------------------

# The "now" of the `clock` fixture: date rules are tested on this day, not on the real one.
TODAY = date(2026, 3, 16)
NOW = datetime(2026, 3, 16, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

# Reference data, by name.
TIMAH = "PT Timah Tbk"
PUSKESMAS = "Puskesmas Sungailiat"
PMT = "PMT"
PEMANTAUAN = "Pemantauan kesehatan"
RUJUKAN = "Rujukan ke fasilitas kesehatan"
PMT_IBU = "PMT ibu hamil KEK"
KELAS_IBU = "Kelas ibu hamil"
VERIFIKATOR_GROUP = "Verifikator Kecamatan"
PIMPINAN_GROUP = "Pimpinan"
MITRA_GROUP = "Mitra"
DESA_GROUP = "Pemerintah Kelurahan/Desa"

NOT_LINKED_PARTNER = "Akun ini belum terhubung ke mitra."
NOT_LINKED_VILLAGE = "Akun ini belum terhubung ke pemerintah kelurahan/desa."


def today():
    return timezone.localdate()


# --- people ---------------------------------------------------------------------


def make_user(username, group_name, **fields):
    """A user with a role; staff (the admin) for the roles that keep master data there."""
    fields.setdefault("is_staff", group_name in roles.ADMIN_ROLES)
    user = User.objects.create_user(username, password="password", **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def partner_user(username, partner_name=TIMAH, **fields):
    """A Mitra-group user acting for the named partner; `fields` such as email go to the user."""
    user = make_user(username, MITRA_GROUP, **fields)
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
    return user or make_user("kecamatan", VERIFIKATOR_GROUP)


# --- files ----------------------------------------------------------------------


def make_image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), **save_kwargs):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save_kwargs)
    return out.getvalue()


def make_pdf_bytes():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


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


# --- QR codes -------------------------------------------------------------------


def decode_png(content):
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(content)))
    assert len(results) == 1
    return results[0].text


def decode_svg(content):
    """Rasterise the unit squares of qrcode's SVG path and decode the picture."""
    svg = content.decode()
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    scale = 8
    img = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(img)
    squares = re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z", svg)
    assert squares
    for x0, y0, x1, y1 in squares:
        x0, y0, x1, y1 = (int(v) * scale for v in (x0, y0, x1, y1))
        draw.rectangle([x0, y0, x1 - 1, y1 - 1], fill=0)
    out = io.BytesIO()
    img.save(out, "PNG")
    return decode_png(out.getvalue())


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


# --- registrations ----------------------------------------------------------------


def intake_data(**overrides):
    """A valid intake POST for the `posyandu` fixture (files not included)."""
    birth = today() - timedelta(days=980)
    data = {
        "kader_name": "Siti Aminah",
        "kader_phone": "0812-3456-7890",
        "village": "19.01.01.1009",
        "posyandu": "melati",
        "posyandu_other": "",
        "child_name": "Muhammad Rizki",
        "child_nik": f"190101{birth:%d%m%y}0001",
        "child_sex": "L",
        "birth_date": birth.isoformat(),
        "mother_name": "Nur Aini",
        "father_name": "Ahmad",
        "parent_occupation": "Nelayan",
        "parent_phone": "+62 813 1111 2222",
        "address": "Jl. Pantai Matras RT 02/RW 01",
        "kk_number": "1901010101200001",
        "measured_on": (today() - timedelta(days=8)).isoformat(),
        "weight_kg": "9,8",
        "height_cm": "79.5",
        "measurement_position": "standing",
        "reported_as": "stunted",
        "consent": "on",
    }
    data.update(overrides)
    return data


def mother_intake_data(**overrides):
    """A valid POST of the mother's form for the `posyandu` fixture (files not included): a
    pregnant mother in her 5th month, LiLA 22,8 cm (KEK), Hb 10,5 (anaemic)."""
    data = {
        "kader_name": "Siti Aminah",
        "kader_phone": "0812-3456-7890",
        "village": "19.01.01.1009",
        "posyandu": "melati",
        "posyandu_other": "",
        "name": "Rina Marlina",
        "nik": "1901014507950001",
        "birth_date": "1995-07-05",
        "phone": "+62 813 1111 2222",
        "address": "Jl. Pantai Matras RT 02/RW 01",
        "kk_number": "1901010101200001",
        "husband_name": "Ahmad",
        "mother_status": "pregnant",
        "pregnancy_month": "5",
        "due_date": "",
        "baby_birth_date": "",
        "measured_on": (today() - timedelta(days=2)).isoformat(),
        "muac_cm": "22,8",
        "hb_g_dl": "10,5",
        "weight_kg": "52,5",
        "height_cm": "151",
        "consent": "on",
    }
    data.update(overrides)
    return data


def mother_correction_data(mother_report, **overrides):
    """The mother's correction form's POST as the page sends it back unchanged (the report's
    last version), with `overrides`."""
    from registrations.forms import local_phone

    data = {k: v for k, v in mother_report.snapshot().items() if v is not None}
    data["kader_phone"] = local_phone(mother_report.kader_phone)
    data.update(overrides)
    return data


def report_values(village, posyandu=None, **fields):
    """What a kader reports about a child (ReportValues, as submission_create takes it)."""
    values = {
        "kader_name": "Siti Aminah",
        "kader_phone": "6281234567890",
        "village": village,
        "posyandu": posyandu,
        "posyandu_other": "" if posyandu else "Anggrek",
        "child_name": "Putri Ayu",
        "child_sex": "P",
        "birth_date": today() - timedelta(days=400),
        "mother_name": "Rina",
        "parent_occupation": "Buruh",
        "address": "Jl. Mawar RT 1",
        "reported_as": Submission.ReportedAs.STUNTED,
    }
    values.update(fields)
    return ReportValues(**values)


def measurement_values(**fields):
    """A measurement as the services take it (MeasurementValues); weight and length/height
    may be given as text."""
    values = {"measured_on": today(), "weight_kg": "8.1", "height_cm": "70.2", "position": "lying"}
    values.update(fields)
    for name in ("weight_kg", "height_cm"):
        values[name] = Decimal(str(values[name]))
    return MeasurementValues(**values)


def mother_check_values(**fields):
    """A mother's check at a partner's visit as the services take it (MotherCheckValues):
    today, LiLA 24.0 cm (not KEK), Hb 11.5 (not anaemic); values may be given as text."""
    values = {"checked_on": today(), "muac_cm": "24.0", "hb_g_dl": "11.5", "weight_kg": None}
    values.update(fields)
    for name in ("muac_cm", "hb_g_dl", "weight_kg"):
        if values[name] is not None:
            values[name] = Decimal(str(values[name]))
    return MotherCheckValues(**values)


def clean_jpeg(name="kk.jpg", **image):
    """A photo as it comes out of the upload checks (a CleanFile)."""
    content = make_image_bytes(**image)
    return CleanFile(content, "image/jpeg", name, len(content))


# make_submission's keyword arguments that are the kader's measurement, by MeasurementValues name.
_MEASUREMENT_FIELDS = {
    "measured_on": "measured_on",
    "weight_kg": "weight_kg",
    "height_cm": "height_cm",
    "measurement_position": "position",
}


def make_submission(village, posyandu=None, *, documents=("kk",), **fields):
    """A kader's report as the intake saves it (submission_create): its measurement, a JPEG
    per kind in `documents` and version 1. Fields of the report and its measurement go in
    through the service; any others (status, status_message, child, code) are set after."""
    report_fields = {f.name for f in dataclass_fields(ReportValues)}
    report, measurement, state = {}, {}, {}
    for name, value in fields.items():
        if name in report_fields:
            report[name] = value
        elif name in _MEASUREMENT_FIELDS:
            measurement[_MEASUREMENT_FIELDS[name]] = value
        else:
            state[name] = value
    submission = submission_create(
        report=report_values(village, posyandu, **report),
        measurement=measurement_values(**measurement),
        documents={kind: clean_jpeg(f"{kind}.jpg") for kind in documents},
    )
    if state:
        Submission.objects.filter(pk=submission.pk).update(**state)
        submission.refresh_from_db()
    return submission


def correction_url(submission):
    return f"/lapor/status/{submission.code}/perbaiki/"


def correction_data(submission, **overrides):
    """The correction form's POST as the page sends it back unchanged (the report's last
    version), with `overrides`."""
    from registrations.forms import local_phone

    data = {k: v for k, v in submission.snapshot().items() if v is not None}
    data["kader_phone"] = local_phone(submission.kader_phone)
    data["weight_kg"] = str(submission.weight_kg).replace(".", ",")
    data.update(overrides)
    return data


def pass_correction_gate(client, submission, phone="0812-3456-7890"):
    """The kader's phone number, as she would type it, opens the correction page."""
    url = correction_url(submission)
    r = client.post(url, {"nomor_hp": phone})
    assert r.status_code == 302 and r.url == url
    return client


DRIVE_LINK = "https://drive.google.com/open?id=1QwErTy8uIoP5aSdFgHjKlZxCvBnM4qW2"


def make_imported_submission(village, *, sent_at=None, age_months=27, **fields):
    """A report imported from the Google Form by the import service: sent `sent_at` (local,
    naive; 300 days ago by default) by a kader with no phone, an age instead of a birth
    date, no sex, measurement or consent, and a Drive link."""
    sent_at = sent_at or (timezone.localtime() - timedelta(days=300)).replace(
        tzinfo=None, microsecond=0
    )
    values = {
        "number": 2,
        "created_at": sent_at,
        "kader_name": "Siti Rahmawati",
        "kader_phone": "",
        "village_code": village.code,
        "posyandu_code": "",
        "posyandu_other": "",
        "child_name": "Nabila Putri",
        "child_nik": "",
        "child_sex": "",
        "birth_date": estimate_birth_date(Age(months=age_months), sent_at.date()),
        "birth_date_estimated": True,
        "age_text": "27 bln",
        "mother_name": "Sri Wahyuni",
        "father_name": "",
        "parent_occupation": "Nelayan",
        "address": "Jl. Pahlawan 12 RT 01",
        "links": [DRIVE_LINK],
        "original": {"Umur Anak": "27 bln", "Upload Dokumen (KK/Akta Kelahiran)": DRIVE_LINK},
    }
    values.update(fields)
    values.setdefault("key", import_key(sent_at, values["kader_name"], values["child_name"]))
    (submission,) = submissions_import_google_form(rows=[ParsedRow(**values)])
    return Submission.objects.get(pk=submission.pk)


def make_child(village, **fields):
    values = {
        "name": "Putri Ayu",
        "sex": "P",
        "birth_date": date(2024, 1, 10),
        "mother_name": "Rina",
        "address": "Jl. Mawar",
        "village": village,
    }
    values.update(fields)
    return Child.objects.create(**values)


def mother_values(village, posyandu=None, **fields):
    """What a kader reports about a pregnant mother (MotherValues, as mother_report_create
    takes it): month 5, LiLA 22.8 cm and Hb 10.5 (KEK and anaemic)."""
    values = {
        "kader_name": "Bu Sari",
        "kader_phone": "6281234567890",
        "village": village,
        "posyandu": posyandu,
        "posyandu_other": "" if posyandu else "Anggrek",
        "name": "Siti Aminah",
        "nik": "1901014507950001",
        "birth_date": date(1995, 7, 5),
        "phone": "6281377889900",
        "address": "Jl. Melati 3",
        "kk_number": "1901010101200001",
        "husband_name": "Ahmad",
        "mother_status": Mother.MotherStatus.PREGNANT,
        "pregnancy_month": 5,
        "muac_cm": Decimal("22.8"),
        "hb_g_dl": Decimal("10.5"),
        "weight_kg": Decimal("52.0"),
        "height_cm": Decimal("151.0"),
        "measured_on": TODAY,
    }
    values.update(fields)
    return MotherValues(**values)


def make_mother_report(village, posyandu=None, *, documents=("kk",), **fields):
    """A pregnant mother's report as the mother's form saves it (mother_report_create): a
    JPEG per kind in `documents` and version 1. Fields of MotherValues go in through the
    service; any others (status, status_message, mother, code) are set after."""
    report_fields = {f.name for f in dataclass_fields(MotherValues)}
    report = {k: v for k, v in fields.items() if k in report_fields}
    state = {k: v for k, v in fields.items() if k not in report_fields}
    mother_report = mother_report_create(
        report=mother_values(village, posyandu, **report),
        documents={kind: clean_jpeg(f"{kind}.jpg") for kind in documents},
    )
    if state:
        MotherReport.objects.filter(pk=mother_report.pk).update(**state)
        mother_report.refresh_from_db()
    return mother_report


def make_mother(village, *, check=True, **fields):
    """A registered mother; with `check`, one check of her (pregnant, month 5, LiLA 22.8 cm
    and Hb 10.5: KEK and anaemic) that becomes her latest."""
    values = {
        "name": "Siti Aminah",
        "nik": "1901014507950001",
        "birth_date": date(1995, 7, 5),
        "address": "Jl. Melati 3",
        "village": village,
    }
    values.update(fields)
    mother = Mother.objects.create(**values)
    if check:
        make_mother_check(mother)
    return mother


def make_mother_check(mother, checked_on=TODAY, **fields):
    values = {
        "mother": mother,
        "checked_on": checked_on,
        "source": MotherCheck.Source.KADER,
        "mother_status": Mother.MotherStatus.PREGNANT,
        "pregnancy_month": 5,
        "muac_cm": Decimal("22.8"),
        "hb_g_dl": Decimal("10.5"),
    }
    values.update(fields)
    check = MotherCheck.objects.create(**values)
    mother.refresh_latest_check()
    return check


def merge_children(kept, merged, user=None, note=""):
    """Merge `merged` into `kept` as the merge page does (by kecamatan_user() by default);
    returns both, fresh from the database."""
    child_merge(kept=kept, merged=merged, user=user or kecamatan_user(), note=note)
    return Child.objects.get(pk=kept.pk), Child.objects.get(pk=merged.pk)


def merge_mothers(kept, merged, user=None, note=""):
    """Merge `merged` into `kept` as the mother's merge page does (by kecamatan_user() by
    default); returns both, fresh from the database."""
    mother_merge(kept=kept, merged=merged, user=user or kecamatan_user(), note=note)
    return Mother.objects.get(pk=kept.pk), Mother.objects.get(pk=merged.pk)


def make_measurement(child, measured_on, height_cm, weight_kg="9.0", position="lying", **fields):
    """A measurement of a registered child (from the Puskesmas unless `source` says otherwise);
    saving it computes the z-scores and updates the child's latest measurement."""
    return Measurement.objects.create(
        child=child,
        measured_on=measured_on,
        height_cm=None if height_cm is None else Decimal(height_cm),
        weight_kg=None if weight_kg is None else Decimal(weight_kg),
        position=position,
        source=fields.pop("source", Measurement.Source.PUSKESMAS),
        **fields,
    )


# --- interventions ------------------------------------------------------------------


def partner(name=TIMAH):
    return Partner.objects.get(name=name)


def kind(name=PMT):
    return InterventionType.objects.get(name=name)


def make_intervention(
    child,
    partner=TIMAH,
    *,
    kind=None,
    created_by=None,
    partner_name=None,
    kind_name=None,
    **fields,
):
    """An intervention saved directly, planned by default, started ten days ago and planned
    for 90 days. `child` is the target: a Child, or a Mother (then the kind defaults to
    PMT ibu hamil KEK instead of PMT). `partner` and `kind` take a name or the object;
    `partner_name` and `kind_name` are older spellings of the same. `created_by` defaults
    to kecamatan_user()."""
    for_mother = isinstance(child, Mother)
    partner = partner_name or partner
    kind = kind_name or kind or (PMT_IBU if for_mother else PMT)
    if not isinstance(partner, str | Partner):
        raise TypeError(f"partner must be a name or a Partner, not {partner!r}")
    if isinstance(partner, str):
        partner = Partner.objects.get(name=partner)
    if isinstance(kind, str):
        kind = InterventionType.objects.get(name=kind)
    start = fields.pop("start_date", today() - timedelta(days=10))
    values = {
        "child": None if for_mother else child,
        "mother": child if for_mother else None,
        "kind": kind,
        "partner": partner,
        "start_date": start,
        "planned_end": start + timedelta(days=90),
        "created_by": created_by or kecamatan_user(),
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


def make_obstacle(intervention, *, reported_by=None, handled_by=None, note="", **values):
    """An obstacle on an open assignment, recorded through obstacle_record (by
    kecamatan_user() unless `reported_by`), "anak sakit" today by default; marked handled
    by `handled_by` if given."""
    values = {"kind": Obstacle.Kind.CHILD_ILL, "date": today(), **values}
    obstacle = obstacle_record(
        intervention=intervention,
        values=ObstacleValues(**values),
        user=reported_by or kecamatan_user(),
    )
    if handled_by is not None:
        obstacle_handle(obstacle=obstacle, note=note or "Sudah dihubungi.", user=handled_by)
    return obstacle


def activity_values(village, partners=(TIMAH,), **fields):
    """A group activity as the services take it (ActivityValues): outreach in `village` a
    week ago, run by the named partners (names or Partner objects), 12 parents came."""
    values = {
        "kind": Activity.Kind.OUTREACH,
        "date": today() - timedelta(days=7),
        "village": village,
        "partners": [p if isinstance(p, Partner) else partner(p) for p in partners],
        "topic": "Gizi seimbang untuk balita",
        "parents_count": 12,
    }
    values.update(fields)
    return ActivityValues(**values)


def make_activity(village, partners=(TIMAH,), *, recorded_by=None, photos=0, **fields):
    """A group activity recorded through activity_record (by kecamatan_user() unless
    `recorded_by`), with `photos` JPEGs."""
    return activity_record(
        values=activity_values(village, partners, **fields),
        photos=[clean_jpeg(f"kegiatan-{n}.jpg") for n in range(1, photos + 1)],
        user=recorded_by or kecamatan_user(),
    )


# --- records of an earlier schema (migration tests) --------------------------------
# Each takes `apps`, the models as a migration test moved the database to, and saves
# through them with the same defaults as the builders above.


def old_submission(apps, **fields):
    Submission = apps.get_model("registrations", "Submission")
    values = {
        "kader_name": "Siti Aminah",
        "kader_phone": "6281234567890",
        "village": apps.get_model("registrations", "Village").objects.get(code="19.01.01.1009"),
        "posyandu_other": "Anggrek",
        "child_name": "Putri Ayu",
        "child_sex": "P",
        "birth_date": date(2025, 1, 10),
        "mother_name": "Rina",
        "parent_occupation": "Buruh",
        "address": "Jl. Mawar RT 1",
        "measured_on": date(2026, 3, 2),
        "weight_kg": Decimal("8.1"),
        "height_cm": Decimal("70.2"),
        "measurement_position": "lying",
        "consent_at": timezone.now(),
    }
    values.update(fields)
    return Submission.objects.create(**values)


def old_document(apps, submission):
    return apps.get_model("registrations", "Document").objects.create(
        submission=submission,
        kind="kk",
        file="documents/x.jpg",
        original_name="kk.jpg",
        original_size=100,
        content_type="image/jpeg",
        size=100,
        sha256="0" * 64,
    )


def old_child(apps, **fields):
    values = {
        "name": "Putri Ayu",
        "sex": "P",
        "birth_date": date(2025, 1, 10),
        "mother_name": "Rina",
        "address": "Jl. Mawar",
        "village": apps.get_model("registrations", "Village").objects.get(code="19.01.01.1009"),
    }
    values.update(fields)
    return apps.get_model("registrations", "Child").objects.create(**values)


def old_measurement(apps, child, **fields):
    """A measurement without its z-scores (the historical model computes nothing)."""
    values = {"measured_on": date(2026, 3, 2), "source": "puskesmas", "age_days": 416}
    values.update(fields)
    Measurement = apps.get_model("registrations", "Measurement")
    return Measurement.objects.create(child=child, age_months=13, **values)


def old_user(apps, username="kecamatan"):
    return apps.get_model("auth", "User").objects.create(username=username)


def old_intervention(apps, child, user, **fields):
    """An intervention by PT Timah; pass its type as `type=` or `kind=`, whichever the
    schema of `apps` calls it."""
    values = {
        "child": child,
        "partner": apps.get_model("interventions", "Partner").objects.get(name=TIMAH),
        "start_date": date(2026, 3, 2),
        "planned_end": date(2026, 5, 31),
        "created_by": user,
    }
    values.update(fields)
    return apps.get_model("interventions", "Intervention").objects.create(**values)


def old_history(apps, intervention, user, **fields):
    """An audit-history row of `intervention`, as simple-history writes it."""
    History = apps.get_model("interventions", "HistoricalIntervention")
    values = {
        f.attname: getattr(intervention, f.attname) for f in intervention._meta.concrete_fields
    }
    values.update(history_date=timezone.now(), history_type="~", history_user=user)
    values.update(fields)
    return History.objects.create(**values)


def old_delivery(apps, intervention, user):
    return apps.get_model("interventions", "Delivery").objects.create(
        intervention=intervention,
        date=intervention.start_date,
        description="Paket PMT biskuit dan susu",
        recorded_by=user,
    )


# --- responses ----------------------------------------------------------------------


def messages_of(response):
    """The flash messages of a request, as text: those queued before a redirect, or those
    shown on the page that was rendered (after follow=True, the last page's)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def login_redirect(url):
    return f"/akun/masuk/?next={url}"


def hidden_value(html, name):
    """The value of the hidden input `name` in a page (the form's key, its CSRF token)."""
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else None


# --- browser pages ------------------------------------------------------------------


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def browser_login(page, live_server, username):
    """Logs `username` in through the login form, checking the form fits a phone."""
    page.goto(f"{live_server.url}/akun/masuk/")
    assert page_width(page) <= 360
    page.fill("#id_username", username)
    page.fill("#id_password", "password")
    page.click("button[type=submit]")
    page.wait_for_load_state()


# The intake form's typed fields, in the order a kader meets them.
INTAKE_TYPED_FIELDS = (
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


# Typed only when a test gives them: the form leaves them empty.
INTAKE_OPTIONAL_TYPED_FIELDS = ("risk_other_text", "birth_weight_g", "birth_length_cm")


def fill_intake_form(page, **overrides):
    """Type intake_data(**overrides) into the form as a kader does (photos not included):
    why the child is reported (`reported_as`, and the `risk_factors` ticked, a list), and
    the optional reason fields when given."""
    data = intake_data(**overrides)
    for name in INTAKE_TYPED_FIELDS:
        page.fill(f"[name={name}]", data[name])
    page.check(f"[name=child_sex][value={data['child_sex']}]")
    page.check(f"[name=reported_as][value={data['reported_as']}]")
    for code in data.get("risk_factors", []):
        page.check(f"[name=risk_factors][value={code}]")
    for name in INTAKE_OPTIONAL_TYPED_FIELDS:
        if name in data:
            page.fill(f"[name={name}]", data[name])
    page.check(f"[name=measurement_position][value={data['measurement_position']}]")
    page.check("[name=consent]")
    return data


# The mother's form's typed fields, in the order a kader meets them.
MOTHER_TYPED_FIELDS = (
    "kader_name",
    "kader_phone",
    "name",
    "birth_date",
    "nik",
    "phone",
    "husband_name",
    "address",
    "kk_number",
    "measured_on",
    "muac_cm",
    "hb_g_dl",
    "weight_kg",
    "height_cm",
)


def fill_mother_form(page, **overrides):
    """Type mother_intake_data(**overrides) into the mother's form as a kader does (photo
    not included): the status first, then the fields it shows."""
    data = mother_intake_data(**overrides)
    for name in MOTHER_TYPED_FIELDS:
        page.fill(f"[name={name}]", data[name])
    page.check(f"[name=mother_status][value={data['mother_status']}]")
    status_fields = ("pregnancy_month", "due_date", "baby_birth_date")
    for name in status_fields:
        if data[name]:
            page.fill(f"[name={name}]", data[name])
    page.check("[name=consent]")
    return data
