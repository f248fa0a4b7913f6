from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of what a Verifikator Kecamatan needs in the Django admin at the time of this
# migration: keeping posyandu, partners, partner users and intervention types. Reports,
# documents and measurements stay read-only there (their view permissions came earlier).
VERIFIKATOR = "Verifikator Kecamatan"
ADMIN_PERMISSIONS = [
    "registrations.view_posyandu",
    "registrations.add_posyandu",
    "registrations.change_posyandu",
    "interventions.add_partner",
    "interventions.change_partner",
    "interventions.view_partnermember",
    "interventions.add_partnermember",
    "interventions.change_partnermember",
    "interventions.add_interventiontype",
    "interventions.change_interventiontype",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
]


def _permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    for code in ADMIN_PERMISSIONS:
        app_label, codename = code.split(".")
        yield Permission.objects.get(content_type__app_label=app_label, codename=codename)


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    group, _ = Group.objects.get_or_create(name=VERIFIKATOR)
    group.permissions.add(*_permissions(apps))
    # The admin opens only to staff accounts.
    User.objects.filter(groups=group).update(is_staff=True)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=VERIFIKATOR).first()
    if group:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0006_password_change_required_and_labels"),
        ("registrations", "0013_labels_in_indonesian"),
        ("verification", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
