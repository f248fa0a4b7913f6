from django.core.management.base import BaseCommand
from django.utils import timezone

from monitoring import snapshot
from monitoring.forms import FilterForm
from registrations.models import Village


class Command(BaseCommand):
    help = (
        "Hitung ulang angka dasbor pemantauan yang paling sering dibuka (tahun berjalan, "
        "seluruh kecamatan dan setiap kelurahan/desa) dan ringkasan publik agar pengguna tidak "
        "menunggu. "
        f"Jalankan dari cron lebih sering dari {snapshot.SNAPSHOT_SECONDS // 60} menit sekali."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        form = FilterForm({})
        form.is_valid()
        date_from, date_to = form.period()
        villages = Village.objects.all()
        scopes = [villages] + [
            villages.filter(pk=pk) for pk in villages.values_list("pk", flat=True)
        ]
        for scope in scopes:
            snapshot.figures(scope, date_from, date_to, today=today, refresh=True)
        snapshot.public_figures(today=today, refresh=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Angka dasbor {date_from:%d-%m-%Y} – {date_to:%d-%m-%Y} dihitung ulang untuk "
                f"kecamatan dan {len(scopes) - 1} kelurahan/desa, serta ringkasan publik."
            )
        )
