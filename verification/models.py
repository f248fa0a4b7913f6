from django.conf import settings
from django.db import models

from registrations.models import AccessLog, Child, Mother, MotherReport, Submission

# What this app writes to the access log: a report's or a registered child's page, which
# show the full NIK and KK number.
VIEW_CHILD = AccessLog.define_action("view_child", "Melihat data anak")
# A mother's report or registered mother's page, with her full NIK and KK number.
VIEW_MOTHER = AccessLog.define_action("view_mother", "Melihat data ibu")


class Decision(models.Model):
    """What a verifikator decided about one version of a report, and why."""

    class Action(models.TextChoices):
        VERIFIED_NEW = "verified_new", "Diverifikasi sebagai kasus baru"
        MERGED = "merged", "Digabungkan dengan anak yang sudah terdaftar"
        NEEDS_CORRECTION = "needs_correction", "Dikembalikan untuk perbaikan"
        REJECTED = "rejected", "Ditolak"

    # A decision is on a child's report (Submission) or a mother's (MotherReport).
    submission = models.ForeignKey(
        Submission,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="laporan",
    )
    mother_report = models.ForeignKey(
        MotherReport,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="laporan ibu",
    )
    version = models.PositiveIntegerField("versi laporan")
    action = models.CharField("keputusan", max_length=20, choices=Action.choices)
    child = models.ForeignKey(
        Child,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="anak",
    )
    mother = models.ForeignKey(
        Mother,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="ibu",
    )
    note = models.TextField("alasan/pesan", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="oleh"
    )
    decided_at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = "keputusan verifikasi"
        verbose_name_plural = "keputusan verifikasi"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submission__isnull=False, mother_report__isnull=True)
                | models.Q(submission__isnull=True, mother_report__isnull=False),
                name="decision_on_one_report",
            ),
        ]
        permissions = [
            ("view_cases", "Melihat antrean laporan dan daftar anak se-kecamatan"),
            ("decide_submission", "Memutuskan verifikasi laporan kader"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} – {self.submission or self.mother_report}"
