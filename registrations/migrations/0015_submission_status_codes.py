from django.db import migrations, models

# Report statuses were stored as Indonesian words; their codes are English now (the labels
# people read stay Indonesian).
CODES = {
    "menunggu": "pending",
    "terverifikasi": "verified",
    "perlu_perbaikan": "needs_correction",
    "ditolak": "rejected",
}


def rewrite(codes):
    def run(apps, schema_editor):
        Submission = apps.get_model("registrations", "Submission")
        for old, new in codes.items():
            Submission.objects.filter(status=old).update(status=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0014_child_merged_into_measurement_sources"),
    ]

    operations = [
        migrations.AlterField(
            model_name="submission",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Menunggu verifikasi"),
                    ("verified", "Terverifikasi"),
                    ("needs_correction", "Perlu perbaikan"),
                    ("rejected", "Ditolak"),
                ],
                default="pending",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(
            rewrite(CODES), rewrite({new: old for old, new in CODES.items()}), elidable=False
        ),
    ]
