"""Demo data for `manage.py seed_demo`: partner users, interventions with deliveries, an
obstacle and group activities."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from interventions.models import (
    Activity,
    Intervention,
    InterventionType,
    Obstacle,
    Partner,
    PartnerMember,
)
from interventions.services import (
    ActivityValues,
    ObstacleValues,
    activity_record,
    delivery_record,
    intervention_assign,
    intervention_change_status,
    obstacle_record,
)
from registrations.demo import DEMO_PASSWORD, demo_user
from registrations.models import Child, Mother, Village
from verification import roles

# (username, partner, group)
DEMO_MEMBERS = [
    ("mitra-timah", "PT Timah Tbk", roles.MITRA),
    ("mitra-puskesmas", "Puskesmas Sungailiat", roles.MITRA),
    ("desa", "Pemerintah Kelurahan Matras", roles.DESA),
]

# (child, intervention type, partner, days ago started, deliveries)
DEMO_INTERVENTIONS = [
    ("Muhammad Rizki", "PMT", "PT Timah Tbk", 40, 2),
    ("Aisyah Putri", "PMT", "PT Timah Tbk", 100, 1),
    ("Muhammad Rizki", "Pemantauan kesehatan", "Puskesmas Sungailiat", 30, 1),
    ("Dimas Saputra", "Pemantauan kesehatan", "Puskesmas Sungailiat", 5, 0),
    ("Nabila Zahra", "Pendampingan orang tua (BKB)", "TP PKK (Bina Keluarga Balita)", 20, 0),
]

# (mother, intervention type, partner, days ago started, deliveries)
DEMO_MOTHER_INTERVENTIONS = [
    ("Wulan Sari", "PMT ibu hamil KEK", "Puskesmas Sungailiat", 20, 1),
    ("Wulan Sari", "Kelas ibu hamil", "TP PKK (Bina Keluarga Balita)", 10, 0),
    ("Rahmawati", "Pendampingan menyusui", "Puskesmas Sungailiat", 15, 1),
]


def seed(stdout):
    logins = []
    for username, partner_name, role in DEMO_MEMBERS:
        user = demo_user(username)
        user.groups.add(Group.objects.get(name=role))
        PartnerMember.objects.update_or_create(
            user=user, defaults={"partner": Partner.objects.get(name=partner_name)}
        )
        logins.append((username, DEMO_PASSWORD, f"{role}: {partner_name}"))

    if Intervention.objects.exists():
        return logins
    staff = demo_user("verifikator")
    for child_name, type_name, partner_name, days_ago, deliveries in DEMO_INTERVENTIONS:
        child = Child.objects.filter(name=child_name).first()
        if child is None:
            continue
        kind = InterventionType.objects.get(name=type_name)
        start = child.latest_measurement.measured_on - timedelta(days=days_ago)
        start = max(start, child.birth_date)
        (intervention,) = intervention_assign(
            children=[child],
            partner=Partner.objects.get(name=partner_name),
            kind=kind,
            start_date=start,
            planned_end=Intervention.planned_end_for(kind, start),
            note="Data demo.",
            user=staff,
        )
        partner_user = PartnerMember.objects.filter(partner=intervention.partner).first()
        worker = partner_user.user if partner_user else staff
        for n in range(deliveries):
            delivery_record(
                intervention=intervention,
                date=start + timedelta(days=14 * n + 1),
                description="Paket PMT biskuit dan susu"
                if kind.has_quantity
                else "Kunjungan rumah",
                quantity=Decimal("4") if kind.has_quantity else None,
                note="Anak mau makan, ibu diberi contoh menu.",
                user=worker,
            )
        if days_ago > 95:
            intervention_change_status(
                intervention=intervention, status=Intervention.Status.DONE, user=worker
            )
        elif deliveries == 0 and intervention.is_open:
            obstacle_record(
                intervention=intervention,
                values=ObstacleValues(
                    kind=Obstacle.Kind.UNREACHABLE,
                    date=timezone.localdate(),
                    description="Nomor HP orang tua tidak aktif; akan dikunjungi ke rumah.",
                ),
                user=worker,
            )
    seed_mother_interventions(staff)
    seed_activities(staff)
    return logins


def seed_mother_interventions(staff):
    """Help for the demo mothers registered by verification's demo data."""
    for name, type_name, partner_name, days_ago, deliveries in DEMO_MOTHER_INTERVENTIONS:
        mother = Mother.objects.current().filter(name=name).first()
        if mother is None:
            continue
        kind = InterventionType.objects.get(name=type_name)
        start = timezone.localdate() - timedelta(days=days_ago)
        (intervention,) = intervention_assign(
            mothers=[mother],
            partner=Partner.objects.get(name=partner_name),
            kind=kind,
            start_date=start,
            planned_end=Intervention.planned_end_for(kind, start),
            note="Data demo.",
            user=staff,
        )
        member = PartnerMember.objects.filter(partner=intervention.partner).first()
        for n in range(deliveries):
            delivery_record(
                intervention=intervention,
                date=start + timedelta(days=7 * n + 1),
                description="Paket PMT ibu hamil" if kind.has_quantity else "Kunjungan rumah",
                quantity=Decimal("2") if kind.has_quantity else None,
                note="Ibu diberi contoh menu bergizi.",
                user=member.user if member else staff,
            )


# (kind, days ago, village code, partners, topic, parents, mothers, kader, officials)
DEMO_ACTIVITIES = [
    (
        Activity.Kind.OUTREACH,
        30,
        "19.01.01.1009",
        ["PT Timah Tbk", "Puskesmas Sungailiat"],
        "Cegah stunting sejak kehamilan",
        25,
        8,
        4,
        2,
    ),
    (
        Activity.Kind.BKB_CLASS,
        12,
        "19.01.01.2007",
        ["TP PKK (Bina Keluarga Balita)"],
        "Pola asuh dan stimulasi balita",
        14,
        0,
        3,
        0,
    ),
]


def seed_activities(user):
    today = timezone.localdate()
    for (
        kind,
        days_ago,
        code,
        partners,
        topic,
        parents,
        mothers,
        kader,
        officials,
    ) in DEMO_ACTIVITIES:
        activity_record(
            values=ActivityValues(
                kind=kind,
                date=today - timedelta(days=days_ago),
                village=Village.objects.get(code=code),
                partners=list(Partner.objects.filter(name__in=partners)),
                topic=topic,
                parents_count=parents,
                mothers_count=mothers,
                kader_count=kader,
                officials_count=officials,
                notes="Data demo.",
            ),
            user=user,
        )
