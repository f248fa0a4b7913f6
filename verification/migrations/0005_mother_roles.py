from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of what each role may do with mothers' reports, registered mothers and their
# checks at the time of this migration: the verifikator as with children, the officials read.
GROUP_PERMISSIONS = {
    "Verifikator Kecamatan": [
        "view_motherreport",
        "view_mother",
        "change_mother",
        "view_mothercheck",
        "add_mothercheck",
    ],
    "Pimpinan": ["view_motherreport", "view_mother", "view_mothercheck"],
}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label="registrations", codename=codename)
        for codename in codenames
    ]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for group_name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*_permissions(apps, codenames))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group_name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group:
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("verification", "0004_decision_on_mother_report"),
        ("registrations", "0022_mothers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
