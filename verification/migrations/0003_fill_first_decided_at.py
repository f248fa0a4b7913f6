from django.db import migrations, models


def fill_first_decided_at(apps, schema_editor):
    Submission = apps.get_model("registrations", "Submission")
    Decision = apps.get_model("verification", "Decision")
    first = Decision.objects.filter(submission=models.OuterRef("pk")).order_by("decided_at", "pk")
    Submission.objects.update(first_decided_at=models.Subquery(first.values("decided_at")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("verification", "0002_roles"),
        ("registrations", "0012_first_haz_and_first_decision"),
    ]

    operations = [
        migrations.RunPython(fill_first_decided_at, migrations.RunPython.noop),
    ]
