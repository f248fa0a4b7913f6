import re

from django.db import migrations
from django.db.models import F

# The rows about this app's records get their target: the document viewed (from the old
# document column), the report or child whose staff page was opened (the verification app's
# action) and the child whose data an administrator exported (both named in the detail text). A child's export has its own action now;
# "export" is left to the monitoring app's workbooks. The other apps move their own rows.
REPORT_PAGE = re.compile(r"Laporan (\w{4})-(\w{4})-(\w{4}) ")
CHILD_PAGE = re.compile(r"Data anak #(\d+) ")
CHILD_EXPORT = re.compile(r"Ekspor data anak #(\d+) ")


def content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="registrations", model=model)[0]


def forwards(apps, schema_editor):
    AccessLog = apps.get_model("registrations", "AccessLog")
    Child = apps.get_model("registrations", "Child")
    Submission = apps.get_model("registrations", "Submission")
    untargeted = AccessLog.objects.filter(target_type__isnull=True)
    untargeted.filter(document__isnull=False).update(
        target_type=content_type(apps, "document"), target_id=F("document_id")
    )

    child_type, report_type = content_type(apps, "child"), content_type(apps, "submission")
    changed = []
    for log in untargeted.filter(action__in=["view_child", "export"]).iterator():
        child = CHILD_PAGE.match(log.detail) if log.action == "view_child" else None
        report = REPORT_PAGE.match(log.detail) if log.action == "view_child" else None
        export = CHILD_EXPORT.match(log.detail) if log.action == "export" else None
        if export:
            log.action = "export_child"
            child = export
        if child and Child.objects.filter(pk=int(child[1])).exists():
            log.target_type, log.target_id = child_type, int(child[1])
        elif report:
            found = Submission.objects.filter(code="".join(report.groups())).first()
            if found:
                log.target_type, log.target_id = report_type, found.pk
        if export or log.target_id:
            changed.append(log)
    AccessLog.objects.bulk_update(
        changed, ["action", "target_type", "target_id"], batch_size=500
    )


def backwards(apps, schema_editor):
    AccessLog = apps.get_model("registrations", "AccessLog")
    AccessLog.objects.filter(target_type=content_type(apps, "document")).update(
        document_id=F("target_id")
    )
    AccessLog.objects.filter(action="export_child").update(action="export")


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0017_access_log_generic_target"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
