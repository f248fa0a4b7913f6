from django.db import migrations, models

# A measurement recorded by a partner (or typed in by staff as taken by one) was stored as
# "mitra"; its code is English now. "kader", "kecamatan", "puskesmas" and "posyandu" stay:
# they name Indonesian institutions.
CODES = {"mitra": "partner"}


def rewrite(codes):
    def run(apps, schema_editor):
        Measurement = apps.get_model("registrations", "Measurement")
        for old, new in codes.items():
            Measurement.objects.filter(source=old).update(source=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0015_submission_status_codes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="measurement",
            name="source",
            field=models.CharField(
                choices=[
                    ("kader", "Kader posyandu"),
                    ("kecamatan", "Kecamatan"),
                    ("puskesmas", "Puskesmas/petugas kesehatan"),
                    ("posyandu", "Posyandu"),
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
