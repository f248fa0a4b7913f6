import re
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone

# The names our upload_to functions give ("documents/2026/03/<32 hex>.jpg"). Only such
# files are ever removed: whatever else is in the storage is not ours to judge.
UPLOAD_NAME = re.compile(r"^[a-z]+/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|pdf)$")


def file_fields():
    """(model, field name) of every file field in every installed app. The historical
    copies kept by simple-history count as references but are never changed."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field.name


def is_history(model):
    # simple-history's models point back at the model they copy.
    return hasattr(model, "instance_type")


def walk(storage, folder=""):
    """Every file name in the storage below `folder`, through the storage API only, so the
    same walk works on local disk and on S3."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local folder that nothing was saved to yet
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from walk(storage, f"{folder}/{sub}" if folder else sub)


class Command(BaseCommand):
    help = (
        "Cari berkas di penyimpanan yang tidak dirujuk data mana pun (misalnya karena proses "
        "mati di tengah penyimpanan) dan data yang berkasnya hilang, keduanya lebih tua dari "
        "satu jam. Tanpa --delete hanya menampilkan. Aman dijalankan setiap hari."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Hapus berkas yatim dan tandai data yang berkasnya hilang.",
        )
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="Abaikan berkas dan data yang lebih baru (bawaan 60 menit): mungkin sedang "
            "disimpan.",
        )

    def handle(self, *args, delete, min_age_minutes, **options):
        storage = default_storage
        cutoff = timezone.now() - timedelta(minutes=max(min_age_minutes, 0))

        # References first, then the walk: a file saved after this read is younger than the
        # cutoff, so it is never taken for an orphan.
        referenced = set()
        for model, field in file_fields():
            names = model._default_manager.exclude(**{field: ""}).exclude(
                **{f"{field}__isnull": True}
            )
            referenced.update(names.values_list(field, flat=True).iterator())

        seen, orphans = set(), []
        for name in walk(storage):
            if not UPLOAD_NAME.match(name):
                continue
            seen.add(name)
            if name not in referenced and storage.get_modified_time(name) < cutoff:
                orphans.append(name)

        missing = []
        for model, field in file_fields():
            if is_history(model):
                continue
            rows = model._default_manager.exclude(**{field: ""}).exclude(
                **{f"{field}__isnull": True}
            )
            if any(f.name == "created_at" for f in model._meta.get_fields()):
                rows = rows.filter(created_at__lt=cutoff)
            for row in rows.iterator():
                name = getattr(row, field).name
                known = name in seen if UPLOAD_NAME.match(name) else storage.exists(name)
                if not known:
                    missing.append((row, field, name))

        for name in orphans:
            self.stdout.write(f"Berkas tanpa data: {name}")
            if delete:
                storage.delete(name)
        for row, field, name in missing:
            label = f"{row._meta.verbose_name} #{row.pk}"
            self.stdout.write(f"Data tanpa berkas: {label} ({name})")
            if delete:
                self._mark_missing(row, field)

        if delete:
            summary = (
                f"{len(orphans)} berkas tanpa data dihapus; {len(missing)} data tanpa berkas "
                "ditandai."
            )
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            self.stdout.write(
                f"Uji coba: {len(orphans)} berkas tanpa data, {len(missing)} data tanpa "
                "berkas; tidak ada yang diubah (pakai --delete untuk bertindak)."
            )

    def _mark_missing(self, row, field):
        # The row is kept (it is the record of a report or a delivery); only its link to
        # the lost file goes, so its pages show "missing" instead of failing.
        if hasattr(row, "mark_file_missing"):
            row.mark_file_missing(field)
        else:
            setattr(row, field, "")
            row._change_reason = "Berkas tidak ditemukan di penyimpanan (sweep_storage)"
            row.save(update_fields=[field])
