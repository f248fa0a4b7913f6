import re

from django.db import migrations

# The access log's rows of delivery photos viewed get the delivery as their target, named
# in the detail text ("Foto layanan #12 (…)"). Backwards, the generic columns go away with
# registrations 0017, so there is nothing to undo here.
PHOTO = re.compile(r"Foto layanan #(\d+) ")


def forwards(apps, schema_editor):
    AccessLog = apps.get_model("registrations", "AccessLog")
    Delivery = apps.get_model("interventions", "Delivery")
    ContentType = apps.get_model("contenttypes", "ContentType")
    delivery_type = ContentType.objects.get_or_create(app_label="interventions", model="delivery")[0]
    changed = []
    logs = AccessLog.objects.filter(action="view_photo", target_type__isnull=True)
    for log in logs.iterator():
        photo = PHOTO.match(log.detail)
        if photo and Delivery.objects.filter(pk=int(photo[1])).exists():
            log.target_type, log.target_id = delivery_type, int(photo[1])
            changed.append(log)
    AccessLog.objects.bulk_update(changed, ["target_type", "target_id"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0010_intervention_kind"),
        ("registrations", "0017_access_log_generic_target"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
