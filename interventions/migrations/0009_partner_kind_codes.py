from django.db import migrations, models

# Partner kinds were stored as Indonesian words; their codes are English now (the labels
# people read stay Indonesian).
CODES = {
    "pemerintah": "government",
    "kesehatan": "health",
    "swasta": "private",
    "masyarakat": "community",
}


def rewrite(codes):
    def run(apps, schema_editor):
        Partner = apps.get_model("interventions", "Partner")
        for old, new in codes.items():
            Partner.objects.filter(kind=old).update(kind=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0008_intervention_status_codes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="partner",
            name="kind",
            field=models.CharField(
                choices=[
                    ("government", "Pemerintah"),
                    ("health", "Kesehatan"),
                    ("private", "Swasta"),
                    ("community", "Masyarakat"),
                ],
                max_length=20,
                verbose_name="jenis",
            ),
        ),
        migrations.RunPython(
            rewrite(CODES), rewrite({new: old for old, new in CODES.items()}), elidable=False
        ),
    ]
