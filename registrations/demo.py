"""Demo data for `manage.py seed_demo`: posyandu, an admin and reports from kader."""

import io
import uuid
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image, ImageDraw

from registrations.models import (
    Document,
    MotherStatus,
    Posyandu,
    ReportedAs,
    RiskFactor,
    Village,
)
from registrations.services import (
    MeasurementValues,
    MotherValues,
    ReportValues,
    mother_report_create,
    submission_create,
)
from registrations.uploads import CleanFile

DEMO_PASSWORD = "gasken-demo"
DEMO_POSYANDU = ["Demo Melati", "Demo Mawar"]

# (child, sex, age in days, mother, weight, height, position, village code)
DEMO_REPORTS = [
    ("Aisyah Putri", "P", 420, "Rahmawati", "7.6", "69.5", "lying", "19.01.01.1001"),
    ("Muhammad Rizki", "L", 700, "Nur Aini", "9.4", "79.0", "lying", "19.01.01.1009"),
    ("Dimas Saputra", "L", 1100, "Sri Wahyuni", "11.2", "88.0", "standing", "19.01.01.1003"),
    ("Nabila Zahra", "P", 250, "Yuliana", "6.1", "62.0", "lying", "19.01.01.2007"),
    ("Rafa Pratama", "L", 1500, "Dewi Lestari", "12.8", "95.5", "standing", "19.01.01.1005"),
    ("Siti Khadijah", "P", 900, "Fatimah", "9.0", "80.5", "standing", "19.01.01.1002"),
    ("Fajar Ramadhan", "L", 540, "Hasanah", "8.7", "74.0", "lying", "19.01.01.1009"),
    ("Aulia Rahma", "P", 1300, "Marlina", "11.0", "89.0", "standing", "19.01.01.1010"),
]

# The demo children reported at risk: (risk factors, birth weight in g); the others stunted.
DEMO_AT_RISK = {
    "Nabila Zahra": (frozenset({RiskFactor.PREMATURE}), 2200),
    "Fajar Ramadhan": (
        frozenset({RiskFactor.POOR_SANITATION, RiskFactor.RECURRENT_ILLNESS}),
        None,
    ),
}

# Mothers' reports: (mother, age in years, status, pregnancy month or the baby's age in days,
# LiLA cm, Hb g/dL or None, weight kg, village code). Rahmawati breastfeeds Aisyah Putri.
DEMO_MOTHERS = [
    ("Wulan Sari", 24, MotherStatus.PREGNANT, 5, "22.4", "10.2", "48.0", "19.01.01.1009"),
    ("Rahmawati", 29, MotherStatus.BREASTFEEDING, 420, "24.8", "11.8", "53.5", "19.01.01.1001"),
    ("Indah Permata", 31, MotherStatus.PREGNANT, 7, "23.9", None, "57.0", "19.01.01.1003"),
    ("Yuliana", 22, MotherStatus.BREASTFEEDING, 250, "22.9", "10.8", "45.5", "19.01.01.2007"),
]


def seed(stdout):
    for village in Village.objects.all():
        for name in DEMO_POSYANDU:
            Posyandu.objects.get_or_create(village=village, name=name, defaults={"is_demo": True})
    admin = demo_user("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    for row in DEMO_REPORTS:
        demo_report(*row)
    for row in DEMO_MOTHERS:
        demo_mother_report(*row)
    stdout.write(
        f"Posyandu demo: {Posyandu.objects.filter(is_demo=True).count()}, "
        f"laporan demo: {len(DEMO_REPORTS)} balita, {len(DEMO_MOTHERS)} ibu."
    )
    return [("admin", DEMO_PASSWORD, "Admin (superuser)")]


def demo_user(username):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def demo_report(child, sex, age_days, mother, weight, height, position, village_code):
    """A kader report, created once: the same demo child always has the same key."""
    village = Village.objects.get(code=village_code)
    today = timezone.localdate()
    birth = today - timedelta(days=age_days)
    card = _sample_card(f"CONTOH KARTU KELUARGA\n{child} / {mother}")
    factors, birth_weight = DEMO_AT_RISK.get(child, (frozenset(), None))
    return submission_create(
        report=ReportValues(
            kader_name="Kader Demo",
            kader_phone="6281200000000",
            village=village,
            posyandu=village.posyandu_set.filter(is_demo=True).first(),
            child_name=child,
            child_sex=sex,
            birth_date=birth,
            # A NIK whose date matches the birth date (girls: day + 40).
            child_nik=f"190101{birth.day + (40 if sex == 'P' else 0):02}{birth:%m%y}{age_days % 10000:04}",
            mother_name=mother,
            parent_occupation="Nelayan",
            address=f"Jl. Contoh No. {age_days % 50 + 1}, {village.name}",
            reported_as=ReportedAs.AT_RISK if factors else ReportedAs.STUNTED,
            risk_factors=factors,
            birth_weight_g=birth_weight,
        ),
        measurement=MeasurementValues(
            measured_on=today - timedelta(days=3),
            weight_kg=Decimal(weight),
            height_cm=Decimal(height),
            position=position,
        ),
        documents={Document.Kind.KK: CleanFile(card, "image/jpeg", "contoh-kk.jpg", len(card))},
        idempotency_key=uuid.uuid5(uuid.NAMESPACE_URL, f"gasken-demo/{child}"),
    )


def demo_mother_report(name, age_years, status, month_or_days, muac, hb, weight, village_code):
    """A kader's report of a mother, created once: the same demo mother has the same key."""
    village = Village.objects.get(code=village_code)
    today = timezone.localdate()
    birth = today.replace(year=today.year - age_years, day=min(today.day, 28))
    pregnant = status == MotherStatus.PREGNANT
    card = _sample_card(f"CONTOH KARTU KELUARGA\n{name}")
    return mother_report_create(
        report=MotherValues(
            kader_name="Kader Demo",
            kader_phone="6281200000000",
            village=village,
            posyandu=village.posyandu_set.filter(is_demo=True).first(),
            name=name,
            # A woman's NIK: the day of birth + 40.
            nik=f"190101{birth.day + 40:02}{birth:%m%y}{age_years * 37 % 10000:04}",
            birth_date=birth,
            address=f"Jl. Contoh No. {age_years}, {village.name}",
            husband_name="Suami Demo",
            mother_status=status,
            pregnancy_month=month_or_days if pregnant else None,
            baby_birth_date=None if pregnant else today - timedelta(days=month_or_days),
            measured_on=today - timedelta(days=2),
            muac_cm=Decimal(muac),
            hb_g_dl=Decimal(hb) if hb else None,
            weight_kg=Decimal(weight),
        ),
        documents={Document.Kind.KK: CleanFile(card, "image/jpeg", "contoh-kk.jpg", len(card))},
        idempotency_key=uuid.uuid5(uuid.NAMESPACE_URL, f"gasken-demo/ibu/{name}"),
    )


def _sample_card(text):
    img = Image.new("RGB", (800, 500), (235, 242, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle([20, 20, 780, 480], outline=(40, 80, 140), width=6)
    draw.multiline_text((60, 200), text + "\n(DATA DEMO)", fill=(40, 80, 140), spacing=12)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()
