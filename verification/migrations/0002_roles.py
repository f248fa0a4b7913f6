from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of verification.roles at the time of this migration.
GROUP_PERMISSIONS = {
    "Verifikator Kecamatan": [
        "verification.view_cases",
        "verification.decide_submission",
        "verification.view_decision",
        "registrations.view_submission",
        "registrations.view_document",
        "registrations.view_child",
        "registrations.change_child",
        "registrations.view_measurement",
        "registrations.add_measurement",
    ],
    # Read-only officials: the lists and pages, never the KK/akta images.
    "Pimpinan": [
        "verification.view_cases",
        "verification.view_decision",
        "registrations.view_submission",
        "registrations.view_child",
        "registrations.view_measurement",
    ],
    # Partners and village governments get their own, scoped pages.
    "Mitra": [],
    "Pemerintah Kelurahan/Desa": [],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("verification", "0001_initial"),
        ("registrations", "0003_children_measurements_versions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
