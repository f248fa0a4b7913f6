from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gasken import emails
from interventions.emails import send_overdue_digests, week_of


class Command(BaseCommand):
    help = (
        "Kirim email ringkasan mingguan penugasan yang lewat rencana selesai kepada pengguna "
        "setiap mitra. Aman dijalankan berulang kali: setiap pengguna menerima paling banyak "
        "satu ringkasan per minggu (Senin-Minggu)."
    )

    def handle(self, *args, **options):
        if not emails.enabled():
            self.stdout.write("Email belum diatur (EMAIL_URL kosong): tidak ada yang dikirim.")
            return
        today = timezone.localdate()
        counts = send_overdue_digests(today=today)
        # Numbers only: this output ends up in cron mail and logs.
        self.stdout.write(
            f"Ringkasan minggu {week_of(today):%d-%m-%Y}: {counts['sent']} email terkirim, "
            f"{counts['already']} sudah terkirim sebelumnya minggu ini, "
            f"{counts['failed']} gagal (dicoba lagi pada jalankan berikutnya)."
        )
        if counts["failed"]:
            # A non-zero exit, so that cron or a monitor reports it.
            raise CommandError(f"{counts['failed']} email ringkasan gagal dikirim; lihat log.")
