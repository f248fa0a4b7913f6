from django.core.management.base import BaseCommand
from django.utils import timezone

from registrations.models import Child
from registrations.services import child_close_aged_out


class Command(BaseCommand):
    help = (
        "Tandai keluar (alasan: usia 5 tahun) setiap anak aktif yang sudah genap 60 bulan. "
        "Aman dijalankan setiap hari, misalnya dari cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Hanya tampilkan anak yang akan ditutup; tidak ada yang diubah.",
        )

    def handle(self, *args, dry_run, **options):
        today = timezone.localdate()
        if dry_run:
            children = list(Child.objects.aged_out(today).order_by("birth_date", "pk"))
        else:
            children = child_close_aged_out(
                today=today, change_reason="Ditutup otomatis oleh close_aged_out"
            )
        # Numbers only: this output ends up in cron mail and logs, names do not belong there.
        for child in children:
            self.stdout.write(
                f"Anak #{child.pk}: lahir {child.birth_date:%d-%m-%Y}, "
                f"genap 60 bulan {child.aged_out_on:%d-%m-%Y}"
            )
        if dry_run:
            self.stdout.write(
                f"Uji coba: {len(children)} anak akan ditutup (usia 5 tahun); tidak ada yang diubah."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(children)} anak ditutup (usia 5 tahun)."))
