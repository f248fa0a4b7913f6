from django.db import migrations, models

# Intervention statuses were stored as Indonesian words; their codes are English now (the
# labels people read stay Indonesian). The audit history keeps the same codes.
CODES = {
    "direncanakan": "planned",
    "berjalan": "running",
    "selesai": "done",
    "dibatalkan": "cancelled",
}
CHOICES = [
    ("planned", "Direncanakan"),
    ("running", "Berjalan"),
    ("done", "Selesai"),
    ("cancelled", "Dibatalkan"),
]


def rewrite(codes):
    def run(apps, schema_editor):
        for name in ("Intervention", "HistoricalIntervention"):
            model = apps.get_model("interventions", name)
            for old, new in codes.items():
                model.objects.filter(status=old).update(status=new)

    return run


def status_field():
    return models.CharField(
        choices=CHOICES, default="planned", max_length=20, verbose_name="status"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0007_verifikator_admin"),
    ]

    operations = [
        # The partial index names the open statuses by their codes.
        migrations.RemoveIndex(
            model_name="intervention",
            name="intervention_open_partner_due",
        ),
        migrations.AlterField(
            model_name="historicalintervention", name="status", field=status_field()
        ),
        migrations.AlterField(model_name="intervention", name="status", field=status_field()),
        migrations.RunPython(
            rewrite(CODES), rewrite({new: old for old, new in CODES.items()}), elidable=False
        ),
        migrations.AddIndex(
            model_name="intervention",
            index=models.Index(
                condition=models.Q(("status__in", ["planned", "running"])),
                fields=["partner", "planned_end", "id"],
                name="intervention_open_partner_due",
            ),
        ),
    ]
