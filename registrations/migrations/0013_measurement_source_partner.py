from django.db import migrations, models

# A measurement recorded by a partner was stored as "mitra"; its code is English now.
# "kader" and "puskesmas" stay: they name Indonesian institutions, like posyandu.
CODES = {"mitra": "partner"}


def rewrite(codes):
    def run(apps, schema_editor):
        Measurement = apps.get_model("registrations", "Measurement")
        for old, new in codes.items():
            Measurement.objects.filter(source=old).update(source=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0012_submission_status_codes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="measurement",
            name="source",
            field=models.CharField(
                choices=[
                    ("kader", "Kader posyandu"),
                    ("puskesmas", "Puskesmas/petugas kesehatan"),
                    ("partner", "Mitra"),
                ],
                max_length=10,
                verbose_name="sumber",
            ),
        ),
        migrations.RunPython(
            rewrite(CODES), rewrite({new: old for old, new in CODES.items()}), elidable=False
        ),
    ]
