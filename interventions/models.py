import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from registrations.models import (
    AccessLog,
    Child,
    Measurement,
    Mother,
    MotherCheck,
    Posyandu,
    Village,
)

# What this app writes to the access log.
VIEW_DELIVERY_PHOTO = AccessLog.define_action("view_photo", "Melihat foto layanan")
VIEW_ACTIVITY_PHOTO = AccessLog.define_action("view_activity_photo", "Melihat foto kegiatan")

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Partner(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Pemerintah"
        HEALTH = "health", "Kesehatan"
        PRIVATE = "private", "Swasta"
        COMMUNITY = "community", "Masyarakat"

    name = models.CharField("nama", max_length=150, unique=True)
    kind = models.CharField("jenis", max_length=20, choices=Kind.choices)
    # Set for the government of a kelurahan/desa: its users see that village's children.
    village = models.OneToOneField(
        Village,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="government",
        verbose_name="kelurahan/desa",
    )
    contact_person = models.CharField("narahubung", max_length=100, blank=True)
    phone = models.CharField("nomor HP", max_length=16, blank=True)
    is_active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "mitra"
        verbose_name_plural = "mitra"

    def __str__(self):
        return self.name

    def visible_children(self):
        """The children this partner may read: those of its visible assignments."""
        visible = Intervention.objects.visible_to_partner(self)
        return Child.objects.current().filter(pk__in=visible.values("child"))

    def visible_mothers(self):
        """The mothers this partner may read: those of its visible assignments."""
        visible = Intervention.objects.visible_to_partner(self)
        return Mother.objects.current().filter(pk__in=visible.values("mother"))


class PartnerMember(models.Model):
    """A user acting for a partner (a Mitra user) or for a village government."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="partner_membership",
        verbose_name="pengguna",
    )
    partner = models.ForeignKey(
        Partner, models.PROTECT, related_name="members", verbose_name="mitra"
    )

    class Meta:
        verbose_name = "anggota mitra"
        verbose_name_plural = "anggota mitra"

    def __str__(self):
        return f"{self.user} – {self.partner}"

    @classmethod
    def of(cls, user):
        """The user's link to a partner, or None (also for anonymous users)."""
        try:
            return user.partner_membership
        except (AttributeError, cls.DoesNotExist):
            return None


class PasswordChangeRequired(models.Model):
    """The user's password was chosen by an administrator (a first password, or one set
    after "lupa sandi"): the user must choose an own one before doing anything else."""

    # Set at login, so that the check on every request reads the session, not the database.
    SESSION_KEY = "gasken_password_change_required"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        primary_key=True,
        related_name="password_change_required",
        verbose_name="pengguna",
    )
    created_at = models.DateTimeField("sejak", auto_now_add=True)

    class Meta:
        verbose_name = "kata sandi wajib diganti"
        verbose_name_plural = "kata sandi wajib diganti"

    def __str__(self):
        return str(self.user)

    @classmethod
    def require(cls, user: "User") -> None:
        cls.objects.get_or_create(user=user)

    @classmethod
    def clear(cls, request, user):
        """The user has chosen an own password."""
        cls.objects.filter(user=user).delete()
        request.session.pop(cls.SESSION_KEY, None)


def remember_password_change_required(sender, request, user, **kwargs):
    """On login (user_logged_in): note in the session whether the password must change."""
    if request is not None and PasswordChangeRequired.objects.filter(user=user).exists():
        request.session[PasswordChangeRequired.SESSION_KEY] = True


class InterventionType(models.Model):
    name = models.CharField("nama", max_length=100, unique=True)
    description = models.TextField("keterangan", blank=True)
    default_duration_days = models.PositiveIntegerField(
        "lama bawaan (hari)",
        null=True,
        blank=True,
        help_text="Dipakai untuk mengisi tanggal selesai rencana, misalnya 56 atau 90 hari untuk PMT.",
    )
    has_quantity = models.BooleanField("pencatatan jumlah", default=False)
    quantity_unit = models.CharField(
        "satuan", max_length=30, blank=True, help_text="Misalnya: paket, kg, bungkus."
    )

    class Target(models.TextChoices):
        CHILD = "child", "Balita"
        MOTHER = "mother", "Ibu hamil/menyusui"

    # Whom the help is for: the assign forms offer a child's types for children and a
    # mother's types (PMT ibu hamil KEK, kelas ibu hamil, …) for mothers.
    target = models.CharField(
        "sasaran", max_length=10, choices=Target.choices, default=Target.CHILD
    )
    is_active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "jenis intervensi"
        verbose_name_plural = "jenis intervensi"

    def __str__(self):
        return self.name


class InterventionQuerySet(models.QuerySet):
    def open(self) -> "InterventionQuerySet":
        """Planned or running."""
        return self.filter(status__in=Intervention.OPEN)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(planned_end__lt=today, status__in=Intervention.OPEN)

    def visible_to_partner(self, partner, today=None):
        """The assignments a partner may read: open ones, and finished ones for
        PARTNER_ACCESS_AFTER_FINISH_DAYS days after the day they finished. A cancelled
        assignment gives no access at all."""
        today = today or timezone.localdate()
        since = today - timedelta(days=settings.PARTNER_ACCESS_AFTER_FINISH_DAYS)
        recently_done = models.Q(status=Intervention.Status.DONE, finished_on__gte=since)
        return self.filter(partner=partner).filter(
            models.Q(status__in=Intervention.OPEN) | recently_done
        )

    def new_for_partner(self, partner):
        """The partner's open assignments that none of its users has opened yet."""
        return self.filter(
            partner=partner, status__in=Intervention.OPEN, partner_opened_at__isnull=True
        )

    def mark_opened_by_partner(self, when=None):
        """Record the first time the partner opened these assignments; later opens keep it.
        An update, not a save: opening a page is no edit in the assignment's history."""
        return self.filter(partner_opened_at__isnull=True).update(
            partner_opened_at=when or timezone.now()
        )


class Intervention(models.Model):
    """One child, or one pregnant or breastfeeding mother, assigned to one partner for one
    kind of help."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Direncanakan"
        RUNNING = "running", "Berjalan"
        DONE = "done", "Selesai"
        CANCELLED = "cancelled", "Dibatalkan"

    OPEN = (Status.PLANNED, Status.RUNNING)
    # Which status may follow which; done and cancelled are final.
    TRANSITIONS = {
        Status.PLANNED: {Status.RUNNING, Status.CANCELLED},
        Status.RUNNING: {Status.DONE, Status.CANCELLED},
        Status.DONE: set(),
        Status.CANCELLED: set(),
    }

    # The target: a child or a pregnant/breastfeeding mother, exactly one.
    child = models.ForeignKey(
        Child,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name="anak",
    )
    mother = models.ForeignKey(
        Mother,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name="ibu",
    )
    kind = models.ForeignKey(
        InterventionType, models.PROTECT, related_name="interventions", verbose_name="jenis"
    )
    partner = models.ForeignKey(
        Partner, models.PROTECT, related_name="interventions", verbose_name="mitra"
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    start_date = models.DateField("tanggal mulai")
    planned_end = models.DateField("rencana selesai")
    started_on = models.DateField("mulai berjalan", null=True, blank=True)
    finished_on = models.DateField("selesai/dibatalkan", null=True, blank=True)
    note = models.TextField("catatan penugasan", blank=True)
    cancel_reason = models.TextField("alasan pembatalan", blank=True)
    # When one of the partner's users first opened the assignment's page: until then it is
    # "baru" for every user of that partner (the partner, not each user, owns the work).
    partner_opened_at = models.DateTimeField("dibuka mitra", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name="ditugaskan oleh",
    )
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    history = HistoricalRecords(
        verbose_name="riwayat intervensi", verbose_name_plural="riwayat intervensi"
    )
    # Set before a save, for the history entry: who made the change.
    _history_user: "User | None"
    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = "intervensi"
        verbose_name_plural = "intervensi"
        indexes = [
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["status", "planned_end"]),
            # Lists show the interventions due first; a partner's page shows its open ones
            # (the statuses of OPEN), which an index of every status made it skip through.
            models.Index(fields=["planned_end", "id"], name="intervention_planned_end_id"),
            models.Index(
                fields=["partner", "planned_end", "id"],
                condition=models.Q(status__in=["planned", "running"]),
                name="intervention_open_partner_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("start_date")),
                name="intervention_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(child__isnull=False, mother__isnull=True)
                | models.Q(child__isnull=True, mother__isnull=False),
                name="intervention_of_one_target",
            ),
        ]
        permissions = [
            ("work_as_partner", "Bekerja sebagai mitra: anak yang ditugaskan dan layanannya"),
            ("view_village", "Melihat anak dan intervensi di kelurahan/desanya"),
        ]

    def __str__(self):
        return f"{self.kind} – {self.target} ({self.partner})"

    @property
    def target(self):
        """The child or the mother the help is for."""
        return self.child if self.child_id else self.mother

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_new_for_partner(self):
        return self.is_open and self.partner_opened_at is None

    @property
    def is_overdue(self):
        return self.is_open and self.planned_end < timezone.localdate()

    @property
    def partner_access_until(self):
        """The last day the partner may still read a finished assignment."""
        if self.status != self.Status.DONE or self.finished_on is None:
            return None
        return self.finished_on + timedelta(days=settings.PARTNER_ACCESS_AFTER_FINISH_DAYS)

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    @staticmethod
    def planned_end_for(kind, start_date):
        if kind.default_duration_days:
            return start_date + timedelta(days=kind.default_duration_days)
        return None


def delivery_photo_upload_to(instance, filename):
    return f"deliveries/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class Delivery(models.Model):
    """What a partner gave or did on a day for one assignment."""

    intervention = models.ForeignKey(
        Intervention, models.PROTECT, related_name="deliveries", verbose_name="intervensi"
    )
    date = models.DateField("tanggal")
    description = models.CharField("yang diberikan/dilakukan", max_length=200)
    quantity = models.DecimalField("jumlah", max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.TextField("catatan", blank=True)
    # An internal note stays with the partner and the kecamatan: village governments and
    # other partners never see it.
    internal = models.BooleanField("catatan internal", default=False)
    photo = models.FileField(
        "foto bukti", upload_to=delivery_photo_upload_to, blank=True, max_length=200
    )
    photo_original_name = models.CharField("nama berkas foto asli", max_length=255, blank=True)
    photo_sha256 = models.CharField("SHA-256 foto", max_length=64, blank=True)
    measurement = models.OneToOneField(
        Measurement,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="delivery",
        verbose_name="pengukuran",
    )
    # A mother's check taken at the visit (LiLA, and Hb or weight if measured).
    mother_check = models.OneToOneField(
        MotherCheck,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="delivery",
        verbose_name="pemeriksaan ibu",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="dicatat oleh"
    )
    created_at = models.DateTimeField("dicatat", auto_now_add=True)

    history = HistoricalRecords(
        verbose_name="riwayat layanan", verbose_name_plural="riwayat layanan"
    )
    # Set before a save, for the history entry: who made the change.
    _history_user: "User | None"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "layanan"
        verbose_name_plural = "layanan"

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.description}"


class OverdueDigest(models.Model):
    """One weekly digest of overdue assignments mailed to one partner user: the row is
    claimed before sending, so repeated or concurrent runs mail each user once a week."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="+",
        verbose_name="pengguna",
    )
    week = models.DateField("minggu (Senin)")
    assignments = models.PositiveIntegerField("penugasan terlambat")
    sent_at = models.DateTimeField("dikirim", auto_now_add=True)

    class Meta:
        verbose_name = "ringkasan mingguan"
        verbose_name_plural = "ringkasan mingguan"
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="overdue_digest_once_a_week"),
        ]

    def __str__(self):
        return f"{self.user} – {self.week:%d-%m-%Y}"


class ObstacleKind(models.TextChoices):
    FAMILY_MOVED = "family_moved", "Keluarga pindah"
    UNREACHABLE = "unreachable", "Tidak dapat dihubungi"
    REFUSED = "refused", "Menolak bantuan"
    CHILD_ILL = "child_ill", "Anak sakit"
    HELP_LATE = "help_late", "Bantuan terlambat"
    OTHER = "other", "Lainnya"


class ObstacleStatus(models.TextChoices):
    OPEN = "open", "Belum ditangani"
    HANDLED = "handled", "Sudah ditangani"


class Obstacle(models.Model):
    """Something that keeps a partner from helping on an assignment (guideline H.2, "kendala
    yang dihadapi"), recorded by the partner on its own or with a delivery, until the
    kecamatan marks it handled."""

    # Defined outside the class so that Meta's constraints can name them.
    Kind = ObstacleKind
    Status = ObstacleStatus

    intervention = models.ForeignKey(
        Intervention, models.PROTECT, related_name="obstacles", verbose_name="intervensi"
    )
    delivery = models.ForeignKey(
        Delivery,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="obstacles",
        verbose_name="layanan",
    )
    date = models.DateField("tanggal")
    kind = models.CharField("kendala", max_length=20, choices=Kind.choices)
    description = models.TextField("keterangan", blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.OPEN)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="dicatat oleh"
    )
    created_at = models.DateTimeField("dicatat", auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ditangani oleh",
    )
    handled_at = models.DateTimeField("ditangani", null=True, blank=True)
    handling_note = models.TextField("tindak lanjut", blank=True)

    history = HistoricalRecords(
        verbose_name="riwayat kendala", verbose_name_plural="riwayat kendala"
    )
    # Set before a save, for the history entry: who made the change.
    _history_user: "User | None"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "kendala"
        verbose_name_plural = "kendala"
        indexes = [models.Index(fields=["status", "date"], name="obstacle_status_date")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=ObstacleKind.OTHER) | ~models.Q(description=""),
                name="obstacle_other_is_described",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ObstacleStatus.OPEN, handled_at__isnull=True)
                | models.Q(
                    status=ObstacleStatus.HANDLED,
                    handled_at__isnull=False,
                    handled_by__isnull=False,
                ),
                name="obstacle_handled_has_who_and_when",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.intervention}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ActivityPartner(models.Model):
    """A partner that ran an activity."""

    activity = models.ForeignKey("Activity", models.CASCADE, verbose_name="kegiatan")
    partner = models.ForeignKey(Partner, models.PROTECT, verbose_name="mitra")

    class Meta:
        verbose_name = "mitra pelaksana kegiatan"
        verbose_name_plural = "mitra pelaksana kegiatan"
        constraints = [
            models.UniqueConstraint(fields=["activity", "partner"], name="activity_partner_once"),
        ]

    def __str__(self):
        return f"{self.partner} – {self.activity}"


class Activity(models.Model):
    """A group activity that reaches many people at once (guideline A, D.4–D.7, F.7):
    outreach, nutrition education, a BKB class, a PMT cooking demonstration, kader training."""

    class Kind(models.TextChoices):
        OUTREACH = "outreach", "Sosialisasi"
        NUTRITION_EDUCATION = "nutrition_education", "Edukasi gizi"
        BKB_CLASS = "bkb_class", "Kelas BKB"
        PMT_COOKING_DEMO = "pmt_cooking_demo", "Demo masak PMT"
        KADER_TRAINING = "kader_training", "Pelatihan kader"

    # The audiences counted at an activity (guideline D.3–D.6 and others), as the field
    # holding each count and its label, in the order forms and tables show them.
    AUDIENCES = [
        ("parents_count", "Orang tua balita"),
        ("mothers_count", "Ibu hamil/menyusui"),
        ("kader_count", "Kader posyandu/PKK"),
        ("officials_count", "Aparat desa/kelurahan"),
        ("others_count", "Lainnya"),
    ]
    MAX_PHOTOS = 3

    kind = models.CharField("jenis kegiatan", max_length=30, choices=Kind.choices)
    date = models.DateField("tanggal")
    village = models.ForeignKey(
        Village, models.PROTECT, related_name="activities", verbose_name="kelurahan/desa"
    )
    posyandu = models.ForeignKey(
        Posyandu,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="posyandu",
    )
    partners = models.ManyToManyField(
        Partner,
        through=ActivityPartner,
        related_name="activities",
        verbose_name="mitra pelaksana",
    )
    topic = models.CharField("topik", max_length=200)
    parents_count = models.PositiveIntegerField("orang tua balita", default=0)
    mothers_count = models.PositiveIntegerField("ibu hamil/menyusui", default=0)
    kader_count = models.PositiveIntegerField("kader posyandu/PKK", default=0)
    officials_count = models.PositiveIntegerField("aparat desa/kelurahan", default=0)
    others_count = models.PositiveIntegerField("peserta lainnya", default=0)
    notes = models.TextField("catatan", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="dicatat oleh"
    )
    created_at = models.DateTimeField("dicatat", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    # The partners are part of each entry: who ran the activity is what is audited most.
    history = HistoricalRecords(
        m2m_fields=["partners"],
        verbose_name="riwayat kegiatan",
        verbose_name_plural="riwayat kegiatan",
    )
    # Set before a save, for the history entry: who made the change.
    _history_user: "User | None"
    # Set while simple-history should write no entry (a change saved in two steps).
    skip_history_when_saving: bool

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "kegiatan kelompok"
        verbose_name_plural = "kegiatan kelompok"
        indexes = [models.Index(fields=["village", "date"], name="activity_village_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parents_count__gt=0)
                | models.Q(mothers_count__gt=0)
                | models.Q(kader_count__gt=0)
                | models.Q(officials_count__gt=0)
                | models.Q(others_count__gt=0),
                name="activity_has_attendance",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y} ({self.village})"

    @classmethod
    def people_expression(cls, prefix=""):
        """The people an activity reached (its attendance summed), for the database; with
        `prefix` (e.g. "activity__") from a model that points at the activity."""
        first, *rest = (models.F(prefix + name) for name, _ in cls.AUDIENCES)
        return sum(rest, first)

    @property
    def people(self) -> int:
        return sum(getattr(self, name) for name, _ in self.AUDIENCES)

    def attendance(self):
        """(label, count) of each audience."""
        return [(label, getattr(self, name)) for name, label in self.AUDIENCES]


def activity_photo_upload_to(instance, filename):
    return f"activities/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, models.PROTECT, related_name="photos", verbose_name="kegiatan"
    )
    photo = models.FileField("foto", upload_to=activity_photo_upload_to, max_length=200)
    photo_original_name = models.CharField("nama berkas foto asli", max_length=255, blank=True)
    photo_sha256 = models.CharField("SHA-256 foto", max_length=64, blank=True)
    created_at = models.DateTimeField("diunggah", auto_now_add=True)

    history = HistoricalRecords(
        verbose_name="riwayat foto kegiatan", verbose_name_plural="riwayat foto kegiatan"
    )
    # Set before a save or delete, for the history entry: who made the change.
    _history_user: "User | None"

    class Meta:
        ordering = ["pk"]
        verbose_name = "foto kegiatan"
        verbose_name_plural = "foto kegiatan"

    def __str__(self):
        return f"Foto kegiatan #{self.pk}"
