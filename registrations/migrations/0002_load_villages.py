import csv
from pathlib import Path

from django.db import migrations

# Kepmendagri No. 300.2.2-2138 Tahun 2025: Kecamatan Sungailiat (19.01.01).
DATA = Path(__file__).resolve().parent.parent / "data" / "wilayah_sungailiat.csv"


def load_villages(apps, schema_editor):
    Village = apps.get_model("registrations", "Village")
    with DATA.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["jenis"] not in ("kelurahan", "desa"):
                continue
            Village.objects.update_or_create(
                code=row["kode"], defaults={"name": row["nama"], "kind": row["jenis"]}
            )


class Migration(migrations.Migration):
    dependencies = [("registrations", "0001_initial")]

    operations = [migrations.RunPython(load_villages, migrations.RunPython.noop)]
