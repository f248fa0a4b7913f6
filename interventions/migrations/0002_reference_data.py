from django.contrib.auth.management import create_permissions
from django.db import migrations

PARTNERS = [
    ("Kecamatan Sungailiat", "pemerintah"),
    ("Puskesmas Sungailiat", "kesehatan"),
    ("TP PKK (Bina Keluarga Balita)", "masyarakat"),
    ("PT Timah Tbk", "swasta"),
    ("KADIN Kabupaten Bangka", "swasta"),
    ("RS Siloam", "kesehatan"),
]

# (name, default duration in days, has quantity, unit, description)
TYPES = [
    ("PMT", 90, True, "paket", "Pemberian makanan tambahan."),
    ("Pemantauan kesehatan", 90, False, "", "Pemeriksaan dan pemantauan berkala."),
    ("Pendampingan orang tua (BKB)", 90, False, "", "Pendampingan pengasuhan melalui Bina Keluarga Balita."),
    ("Rujukan ke fasilitas kesehatan", 30, False, "", "Rujukan ke Puskesmas atau rumah sakit."),
]

GROUP_PERMISSIONS = {
    "Verifikator Kecamatan": [
        "view_partner",
        "view_interventiontype",
        "view_intervention",
        "add_intervention",
        "change_intervention",
        "view_delivery",
    ],
    "Pimpinan": ["view_partner", "view_intervention", "view_delivery"],
    "Mitra": ["work_as_partner"],
    "Pemerintah Kelurahan/Desa": ["view_village"],
}


def load(apps, schema_editor):
    Partner = apps.get_model("interventions", "Partner")
    InterventionType = apps.get_model("interventions", "InterventionType")
    Village = apps.get_model("registrations", "Village")
    for name, kind in PARTNERS:
        Partner.objects.get_or_create(name=name, defaults={"kind": kind})
    for village in Village.objects.all():
        label = "Pemerintah Kelurahan" if village.kind == "kelurahan" else "Pemerintah Desa"
        Partner.objects.get_or_create(
            name=f"{label} {village.name}", defaults={"kind": "pemerintah", "village": village}
        )
    for name, days, has_quantity, unit, description in TYPES:
        InterventionType.objects.get_or_create(
            name=name,
            defaults={
                "default_duration_days": days,
                "has_quantity": has_quantity,
                "quantity_unit": unit,
                "description": description,
            },
        )

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="interventions", codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0001_initial"),
        ("registrations", "0002_load_villages"),
        ("verification", "0002_roles"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
