from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from registrations.models import Document, MotherReport, Submission
from registrations.services import documents_purge
from verification.models import Decision


class Command(BaseCommand):
    help = (
        "Hapus berkas KK/akta dari laporan balita dan ibu yang ditolak lebih dari PURGE_REJECTED_AFTER_DAYS "
        "hari yang lalu (bawaan 90). Datanya tetap ada, dengan tanda kapan berkasnya dihapus. "
        "Aman dijalankan setiap hari, misalnya dari cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Hanya tampilkan dokumen yang akan dihapus; tidak ada yang diubah.",
        )

    def handle(self, *args, dry_run, **options):
        days = settings.PURGE_REJECTED_AFTER_DAYS
        cutoff = timezone.now() - timedelta(days=days)
        # A rejection is final: only a pending report can be decided. A report marked
        # rejected without a decision (imported) counts from its last change. Children's and
        # mothers' reports alike.
        rejected = [
            model.objects.filter(status=Submission.Status.REJECTED)
            .annotate(
                rejected_at=Coalesce(
                    Max(
                        "decisions__decided_at",
                        filter=Q(decisions__action=Decision.Action.REJECTED),
                    ),
                    "updated_at",
                )
            )
            .filter(rejected_at__lt=cutoff)
            .values("pk")
            for model in (Submission, MotherReport)
        ]
        documents = (
            Document.objects.filter(
                Q(submission__in=rejected[0]) | Q(mother_report__in=rejected[1]),
                purged_at__isnull=True,
            )
            .select_related("submission", "mother_report")
            .order_by("pk")
        )
        if dry_run:
            purged = list(documents)
        else:
            purged = documents_purge(documents=documents, reason=Document.PurgeReason.RETENTION)
        # Numbers and codes only: this output ends up in cron mail and logs.
        for doc in purged:
            self.stdout.write(
                f"Dokumen #{doc.pk} ({doc.get_kind_display()}, laporan {doc.report.formatted_code})"
            )
        if dry_run:
            self.stdout.write(
                f"Uji coba: berkas {len(purged)} dokumen akan dihapus (laporan ditolak lebih "
                f"dari {days} hari); tidak ada yang diubah."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Berkas {len(purged)} dokumen dihapus (laporan ditolak lebih dari "
                    f"{days} hari)."
                )
            )
