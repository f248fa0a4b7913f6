from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of what each role may do with group activities and obstacles at the time of
# this migration. Partners and village governments work through their own role's
# permission (work_as_partner, view_village) and see only their own activities.
GROUP_PERMISSIONS = {
    "Verifikator Kecamatan": [
        "view_activity",
        "add_activity",
        "change_activity",
        "view_obstacle",
        "change_obstacle",
    ],
    "Pimpinan": ["view_activity", "view_obstacle"],
}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label="interventions", codename=codename)
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
        ("interventions", "0012_activities_obstacles"),
        ("verification", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
