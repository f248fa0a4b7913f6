from django.core.management.base import BaseCommand
from django.db import transaction

from registrations.models import Child, Measurement

COMPUTED_FIELDS = Measurement.COMPUTED_FIELDS


class Command(BaseCommand):
    help = "Hitung ulang z-score dan status gizi semua pengukuran (setelah tabel/aturan berubah)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        total = Measurement.objects.count()
        done = changed = 0
        last_pk = 0
        q = Measurement.objects.select_related("child", "submission").order_by("pk")
        while True:
            # Keyset pagination: stable and cheap however many rows there are.
            batch = list(q.filter(pk__gt=last_pk)[:batch_size])
            if not batch:
                break
            dirty = []
            for m in batch:
                before = [getattr(m, f) for f in COMPUTED_FIELDS]
                try:
                    m.assess()
                except ValueError as e:
                    # e.g. a birth date corrected to after this measurement: report, go on.
                    self.stderr.write(f"Pengukuran #{m.pk} dilewati: {e}")
                    continue
                if [getattr(m, f) for f in COMPUTED_FIELDS] != before:
                    dirty.append(m)
            with transaction.atomic():
                Measurement.objects.bulk_update(dirty, COMPUTED_FIELDS)
            done += len(batch)
            changed += len(dirty)
            last_pk = batch[-1].pk
            self.stdout.write(f"{done}/{total} pengukuran diperiksa, {changed} diperbarui")
        # Children keep their latest TB/U category beside the measurement: bring it along.
        children = Child.objects.refresh_latest_haz_category()
        Child.objects.refresh_first_haz_measurement()
        self.stdout.write(f"Status TB/U terakhir diperbarui pada {children} anak.")
        self.stdout.write(
            self.style.SUCCESS(f"Selesai: {changed} dari {done} pengukuran diperbarui.")
        )
