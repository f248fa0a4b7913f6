"""Demo data for `manage.py seed_demo`: partner users and interventions with deliveries."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group

from interventions.models import Intervention, InterventionType, Partner, PartnerMember
from interventions.services import delivery_record, intervention_assign, intervention_change_status
from registrations.demo import DEMO_PASSWORD, demo_user
from registrations.models import Child
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
    return logins
