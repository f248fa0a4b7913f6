import secrets
import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from registrations import growth
from registrations.dates import AGE_LIMIT_MONTHS, completed_months, date_at_months, months_before
from registrations.validators import validate_not_future, validate_under_five

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Receipt codes are read aloud and copied by hand: no 0/O, 1/I/L.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 12  # 31**12 ≈ 8 × 10**17 possibilities
POSYANDU_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def make_receipt_code():
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


# Paths under /lapor/ that a posyandu code would shadow.
RESERVED_POSYANDU_CODES = {"status", "qr", "baru", "cek-ukur", "desa", "poster", "ibu"}


def validate_posyandu_code(value):
    if value.lower() in RESERVED_POSYANDU_CODES:
        raise ValidationError(
            "Kode %(code)s dipakai oleh sistem; pilih kode lain.", params={"code": value}
        )


def make_posyandu_code():
    return "".join(secrets.choice(POSYANDU_CODE_ALPHABET) for _ in range(6))


class Village(models.Model):
    class Kind(models.TextChoices):
        KELURAHAN = "kelurahan", "Kelurahan"
        DESA = "desa", "Desa"

    code = models.CharField("kode Kemendagri", max_length=13, unique=True)
    name = models.CharField("nama", max_length=100)
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = "kelurahan/desa"
        verbose_name_plural = "kelurahan/desa"

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    def get_absolute_url(self):
        """The report form with this kelurahan/desa chosen."""
        return reverse("registrations:intake_village", args=[self.code])

    def public_url(self):
        return settings.PUBLIC_BASE_URL + self.get_absolute_url()


class PosyanduQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Posyandu(models.Model):
    name = models.CharField("nama", max_length=100)
    village = models.ForeignKey(
        Village, models.PROTECT, related_name="posyandu_set", verbose_name="kelurahan/desa"
    )
    code = models.SlugField(
        "kode",
        max_length=20,
        unique=True,
        default=make_posyandu_code,
        validators=[validate_posyandu_code],
        help_text="Dipakai di alamat formulir dan kode QR. Jangan diubah setelah poster dicetak.",
    )
    is_active = models.BooleanField("aktif", default=True)
    is_demo = models.BooleanField("data demo", default=False)

    objects = PosyanduQuerySet.as_manager()

    class Meta:
        ordering = ["village__name", "name"]
        verbose_name = "posyandu"
        verbose_name_plural = "posyandu"
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="posyandu_unique_name"),
        ]

    def __str__(self):
        return (
            f"Posyandu {self.name}" if not self.name.lower().startswith("posyandu") else self.name
        )

    def get_absolute_url(self):
        return reverse("registrations:intake_posyandu", args=[self.code])

    def public_url(self):
        return settings.PUBLIC_BASE_URL + self.get_absolute_url()


class ReportedAs(models.TextChoices):
    """Why a kader reports a child (guideline D.1–D.2)."""

    STUNTED = "stunted", "Stunting / pendek (sudah diukur)"
    AT_RISK = "at_risk", "Berisiko stunting"


class RiskFactor(models.TextChoices):
    """Why a child is at risk of stunting; a report may give several."""

    WEIGHT_FALTERING = "weight_faltering", "Berat badan tidak naik 2 kali berturut-turut"
    UNDERNUTRITION = "undernutrition", "Gizi kurang/buruk"
    LOW_BIRTH_WEIGHT = "low_birth_weight", "Berat lahir < 2.500 g"
    PREMATURE = "premature", "Lahir prematur"
    RECURRENT_ILLNESS = "recurrent_illness", "Sakit berulang/kronis"
    POOR_SANITATION = "poor_sanitation", "Tanpa air bersih atau jamban sehat"
    OTHER = "other", "Lainnya"


# Short words for lists and tables, where the full labels do not fit.
REPORTED_AS_SHORT = {ReportedAs.STUNTED: "Stunting", ReportedAs.AT_RISK: "Berisiko"}
RISK_FACTOR_SHORT = {
    RiskFactor.WEIGHT_FALTERING: "BB tidak naik",
    RiskFactor.UNDERNUTRITION: "gizi kurang/buruk",
    RiskFactor.LOW_BIRTH_WEIGHT: "BBLR",
    RiskFactor.PREMATURE: "prematur",
    RiskFactor.RECURRENT_ILLNESS: "sakit berulang",
    RiskFactor.POOR_SANITATION: "air/jamban",
    RiskFactor.OTHER: "lainnya",
}
# The filter value of records whose reason was never recorded (made before the form asked).
NOT_RECORDED = "none"

# A birth weight below this is low birth weight (BBLR) by definition.
LOW_BIRTH_WEIGHT_G = 2500
RISK_OTHER_MAX_LENGTH = 200


def risk_field(code: str) -> str:
    """The boolean column of a RiskFactor code on a report or a child."""
    return f"risk_{code}"


def implied_risk_factors(
    factors: "Iterable[str]", *, birth_weight_g: int | None, risk_other_text: str
) -> frozenset[str]:
    """The risk factors ticked plus those the rest of a report states: a birth weight under
    2,500 g is low birth weight, and a text under "lainnya" is another factor."""
    found = set(factors)
    if birth_weight_g is not None and birth_weight_g < LOW_BIRTH_WEIGHT_G:
        found.add(RiskFactor.LOW_BIRTH_WEIGHT)
    if risk_other_text.strip():
        found.add(RiskFactor.OTHER)
    return frozenset(found)


def reason_filter(reported_as: str = "", risk_factor: str = "", prefix: str = "") -> models.Q:
    """Q for the reports or children (at `prefix`, e.g. "child__") reported as `reported_as`
    (a ReportedAs value, or NOT_RECORDED) with the risk factor `risk_factor` (a RiskFactor
    value); empty values filter nothing."""
    q = models.Q()
    if reported_as:
        value = "" if reported_as == NOT_RECORDED else reported_as
        q &= models.Q(**{f"{prefix}reported_as": value})
    if risk_factor:
        q &= models.Q(**{f"{prefix}{risk_field(risk_factor)}": True})
    return q


class ReportReason(models.Model):
    """Why a child is reported, as a report (Submission) carries it and a registered child
    (Child) gathers it from its reports: stunted or at risk, the risk factors (one boolean
    column each, so that lists and counts filter on them in any database), and the birth
    weight and length. Blank on records made before the form asked."""

    reported_as = models.CharField(
        "dilaporkan sebagai", max_length=10, choices=ReportedAs.choices, blank=True
    )
    risk_weight_faltering = models.BooleanField(RiskFactor.WEIGHT_FALTERING.label, default=False)
    risk_undernutrition = models.BooleanField(RiskFactor.UNDERNUTRITION.label, default=False)
    risk_low_birth_weight = models.BooleanField(RiskFactor.LOW_BIRTH_WEIGHT.label, default=False)
    risk_premature = models.BooleanField(RiskFactor.PREMATURE.label, default=False)
    risk_recurrent_illness = models.BooleanField(RiskFactor.RECURRENT_ILLNESS.label, default=False)
    risk_poor_sanitation = models.BooleanField(RiskFactor.POOR_SANITATION.label, default=False)
    risk_other = models.BooleanField("faktor risiko lainnya", default=False)
    risk_other_text = models.CharField(
        "faktor risiko lainnya (keterangan)", max_length=RISK_OTHER_MAX_LENGTH, blank=True
    )
    birth_weight_g = models.PositiveSmallIntegerField("berat lahir (g)", null=True, blank=True)
    birth_length_cm = models.DecimalField(
        "panjang lahir (cm)", max_digits=3, decimal_places=1, null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def risk_factors(self) -> list[str]:
        """The RiskFactor codes set, in the order of the list."""
        return [code for code in RiskFactor.values if getattr(self, risk_field(code))]

    @risk_factors.setter
    def risk_factors(self, codes: "Iterable[str]") -> None:
        chosen = set(codes)
        unknown = chosen - set(RiskFactor.values)
        if unknown:
            raise ValueError(f"Unknown risk factors: {sorted(unknown)}")
        for code in RiskFactor.values:
            setattr(self, risk_field(code), code in chosen)

    def get_risk_factors_display(self) -> list[str]:
        """The risk factors as people read them; "Lainnya" with its text."""
        labels = []
        for code in self.risk_factors:
            label = RiskFactor(code).label
            if code == RiskFactor.OTHER and self.risk_other_text:
                label = f"{label}: {self.risk_other_text}"
            labels.append(label)
        return labels

    @property
    def reported_as_short(self) -> str:
        return REPORTED_AS_SHORT.get(self.reported_as, "")

    @property
    def risk_factors_short(self) -> str:
        """The risk factors in a few words each: "BBLR, prematur"."""
        return ", ".join(RISK_FACTOR_SHORT[RiskFactor(code)] for code in self.risk_factors)

    def reason_values(self) -> dict[str, Any]:
        """{field name: value} of every field of the reason."""
        return {name: getattr(self, name) for name in REASON_FIELDS}

    def gather_reason(self, other: "ReportReason") -> list[str]:
        """Add the reason of `other` (a report of this child, or a child merged into it) to
        this one; returns the names of the fields that changed.

        Stunted outweighs at risk (a child once measured stunted stays a stunting case;
        its nutrition status today is its latest measurement's); the risk factors are
        the union of both, the texts of "lainnya" both kept; the birth weight and length
        are those known first: a later report does not overwrite them."""
        before = self.reason_values()
        if other.reported_as == ReportedAs.STUNTED or not self.reported_as:
            self.reported_as = other.reported_as or self.reported_as
        self.risk_factors = set(self.risk_factors) | set(other.risk_factors)
        texts = [t for t in (self.risk_other_text, other.risk_other_text) if t]
        if len(texts) == 2 and texts[1].casefold() in texts[0].casefold():
            texts = texts[:1]
        self.risk_other_text = "; ".join(texts)[:RISK_OTHER_MAX_LENGTH]
        if self.birth_weight_g is None:
            self.birth_weight_g = other.birth_weight_g
        if self.birth_length_cm is None:
            self.birth_length_cm = other.birth_length_cm
        after = self.reason_values()
        return [name for name in after if after[name] != before[name]]


# The fields of ReportReason, in the order of the form.
REASON_FIELDS = [
    "reported_as",
    *(risk_field(code) for code in RiskFactor.values),
    "risk_other_text",
    "birth_weight_g",
    "birth_length_cm",
]


# The intake form's fields, in the order of the form: kept per version of a report.
SNAPSHOT_FIELDS = [
    "kader_name",
    "kader_phone",
    "village",
    "posyandu",
    "posyandu_other",
    "child_name",
    "child_nik",
    "child_sex",
    "birth_date",
    "mother_name",
    "father_name",
    "parent_occupation",
    "parent_phone",
    "address",
    "kk_number",
    "measured_on",
    "weight_kg",
    "height_cm",
    "measurement_position",
    "reported_as",
    "risk_factors",
    "risk_other_text",
    "birth_weight_g",
    "birth_length_cm",
]


def report_snapshot(report, names) -> dict[str, str | list[str] | None]:
    """A report's fields `names` as JSON-ready values: the village and posyandu by code."""
    data: dict[str, str | list[str] | None] = {}
    for name in names:
        value = getattr(report, name)
        if name == "village":
            value = value.code
        elif name == "posyandu":
            value = value.code if value else None
        elif value is not None and not isinstance(value, str | list):
            value = str(value)
        data[name] = value
    return data


def initialled(name: str) -> str:
    """The first name and the initial of the second word ("Muhammad R."): how a receipt,
    which anyone with its link may open, names the person reported."""
    words = name.split()
    if len(words) < 2:
        return " ".join(words)
    return f"{words[0]} {words[1][0].upper()}."


class ReportStatus(models.TextChoices):
    PENDING = "pending", "Menunggu verifikasi"
    VERIFIED = "verified", "Terverifikasi"
    NEEDS_CORRECTION = "needs_correction", "Perlu perbaikan"
    REJECTED = "rejected", "Ditolak"


class KaderReport(models.Model):
    """What every report a kader sends has, a child's (Submission) or a mother's
    (MotherReport): its receipt code, idempotency key, status and version, and the kader.
    The village and posyandu are on each report, for their related names."""

    Status = ReportStatus

    code = models.CharField(
        "kode tanda terima",
        max_length=RECEIPT_LENGTH,
        unique=True,
        default=make_receipt_code,
        editable=False,
    )
    # Made by the sending page; a repeated key (double tap, offline retry) returns the
    # receipt of the first report instead of creating a second one.
    idempotency_key = models.UUIDField(
        "kunci kiriman", null=True, blank=True, unique=True, editable=False
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # Shown to the kader on the receipt page: what to correct, or why the report was refused.
    status_message = models.TextField("pesan untuk kader", blank=True)
    # When a verifikator first decided on the report (set once by the decision service), so
    # that decision times are read from this table instead of the first of its decisions.
    first_decided_at = models.DateTimeField(
        "pertama diputuskan", null=True, blank=True, editable=False
    )
    # Raised each time the kader sends a corrected version; decisions name the version
    # they were made on, so a decision on a page that has gone stale fails.
    version = models.PositiveIntegerField("versi", default=1, editable=False)
    created_at = models.DateTimeField("dikirim", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    kader_name = models.CharField("nama kader", max_length=100)
    kader_phone = models.CharField("nomor HP/WhatsApp kader", max_length=16)
    posyandu_other = models.CharField("nama posyandu lain", max_length=100, blank=True)

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return reverse("registrations:receipt", args=[self.code])

    @property
    def formatted_code(self):
        c = self.code
        return f"{c[:4]}-{c[4:8]}-{c[8:]}"

    @property
    def posyandu_label(self):
        if self.posyandu_id:
            return str(self.posyandu)
        if not self.posyandu_other:
            return "–"
        return f"{self.posyandu_other} (posyandu lain)"


class ReportSource(models.TextChoices):
    """Where a report came from: this app's form, or the Google Form used before it."""

    KADER = "kader", "Formulir GASKEN"
    GOOGLE_FORM = "google_form", "Impor Google Form"


class Submission(ReportReason, KaderReport):
    """A report exactly as a kader sent it."""

    Source = ReportSource

    class Sex(models.TextChoices):
        MALE = "L", "Laki-laki"
        FEMALE = "P", "Perempuan"

    class Position(models.TextChoices):
        LYING = "lying", "Terlentang (diukur berbaring)"
        STANDING = "standing", "Berdiri"

    ReportedAs = ReportedAs
    RiskFactor = RiskFactor

    child = models.ForeignKey(
        "Child",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="anak terdaftar",
    )
    village = models.ForeignKey(
        Village, models.PROTECT, related_name="submissions", verbose_name="kelurahan/desa"
    )
    posyandu = models.ForeignKey(
        Posyandu,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="posyandu",
    )

    child_name = models.CharField("nama anak", max_length=100)
    child_nik = models.CharField("NIK anak", max_length=16, blank=True)
    child_sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("tanggal lahir")
    mother_name = models.CharField("nama ibu", max_length=100)
    father_name = models.CharField("nama ayah", max_length=100, blank=True)
    parent_occupation = models.CharField("pekerjaan orang tua", max_length=100)
    parent_phone = models.CharField("nomor HP orang tua", max_length=16, blank=True)
    address = models.TextField("alamat", max_length=300)
    kk_number = models.CharField("nomor KK", max_length=16, blank=True)

    # Required from the kader's form (its fields and the constraint below say so); empty
    # only on reports imported from the Google Form, which asked for none of them.
    measured_on = models.DateField("tanggal ukur", null=True)
    weight_kg = models.DecimalField("berat badan (kg)", max_digits=4, decimal_places=1, null=True)
    height_cm = models.DecimalField(
        "panjang/tinggi badan (cm)", max_digits=4, decimal_places=1, null=True
    )
    measurement_position = models.CharField("cara ukur", max_length=10, choices=Position.choices)
    consent_at = models.DateTimeField("persetujuan orang tua/wali dicatat", null=True)

    # Reports from the Google Form used before this app (manage.py import_google_form).
    source = models.CharField(
        "asal laporan", max_length=20, choices=Source.choices, default=Source.KADER
    )
    # A hash of the row's timestamp, kader and child: importing an export twice adds nothing.
    import_key = models.CharField(
        "kunci impor", max_length=64, null=True, blank=True, unique=True, editable=False
    )
    imported_at = models.DateTimeField("diimpor", null=True, blank=True, editable=False)
    # The form asked for the child's age ("2 tahun 3 bulan"): the birth date is worked out
    # from it and the date of the report, and the verifikator confirms it before verifying.
    birth_date_estimated = models.BooleanField("tanggal lahir perkiraan", default=False)
    # The form's KK/akta uploads stayed in Google Drive: their links, for staff to open.
    file_links = models.JSONField("tautan berkas (Google Drive)", default=list, blank=True)
    # The row as exported (column header → text), kept as sent.
    imported_row = models.JSONField("baris asli Google Form", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "laporan kader"
        verbose_name_plural = "laporan kader"
        indexes = [
            # The queue, oldest first: all reports, one status, or one village.
            models.Index(fields=["created_at", "id"], name="submission_created_id"),
            models.Index(
                fields=["status", "created_at", "id"], name="submission_status_created_id"
            ),
            models.Index(
                fields=["village", "created_at", "id"], name="submission_village_created_id"
            ),
            models.Index(fields=["village", "status"]),
            # The duplicate check looks reports up by NIK or birth date.
            models.Index(fields=["child_nik"]),
            # The receipt looks up the same kader's recent reports.
            models.Index(fields=["kader_phone", "created_at"]),
            models.Index(fields=["birth_date"], name="submission_birth_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(measured_on__gte=models.F("birth_date")),
                name="submission_measured_after_birth",
            ),
            # A kader's report always has its measurement and consent; an imported one has
            # its import key instead.
            models.CheckConstraint(
                condition=models.Q(
                    source=ReportSource.KADER,
                    measured_on__isnull=False,
                    weight_kg__isnull=False,
                    height_cm__isnull=False,
                    consent_at__isnull=False,
                )
                | models.Q(source=ReportSource.GOOGLE_FORM, import_key__isnull=False),
                name="submission_measured_or_imported",
            ),
        ]

    def __str__(self):
        return f"{self.child_name} ({self.formatted_code})"

    @property
    def short_child_name(self):
        """Enough for the kader to recognise her report, too little to identify the child."""
        return initialled(self.child_name)

    def earlier_reports_of_same_child(self, within=timedelta(hours=24)):
        """The same kader's reports of the same child sent up to `within` before this one.

        Same kader: the same (normalised) phone number. Same child: the same NIK, or the
        same name, birth date and mother's name, ignoring case."""
        same_child = models.Q(
            child_name__iexact=self.child_name,
            birth_date=self.birth_date,
            mother_name__iexact=self.mother_name,
        )
        if self.child_nik:
            same_child |= models.Q(child_nik=self.child_nik)
        earlier = models.Q(created_at__lt=self.created_at) | models.Q(
            created_at=self.created_at, pk__lt=self.pk
        )
        q = Submission.objects.filter(
            kader_phone=self.kader_phone, created_at__gte=self.created_at - within
        )
        q = q.filter(earlier).filter(same_child).exclude(pk=self.pk)
        return q.order_by("-created_at", "-pk")

    def snapshot(self) -> dict[str, str | list[str] | None]:
        """The report's fields as sent, as JSON-ready values (field names of the form; the
        risk factors as a list of codes)."""
        return report_snapshot(self, SNAPSHOT_FIELDS)

    @property
    def is_imported(self):
        return self.source == ReportSource.GOOGLE_FORM

    @property
    def reported_age_months(self):
        """Completed months on the day the report was sent."""
        return completed_months(self.birth_date, timezone.localdate(self.created_at))


class DocumentQuerySet(models.QuerySet):
    def current(self) -> "DocumentQuerySet":
        return self.filter(superseded_at__isnull=True)


def document_upload_to(instance, filename):
    # The stored name says nothing about the child or the original file.
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Document(models.Model):
    class Kind(models.TextChoices):
        KK = "kk", "Kartu Keluarga"
        AKTA = "akta", "Akta kelahiran"

    # A child's report (Submission) or a mother's report (MotherReport): exactly one.
    submission = models.ForeignKey(
        Submission,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="laporan",
    )
    mother_report = models.ForeignKey(
        "MotherReport",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="laporan ibu",
    )

    class PurgeReason(models.TextChoices):
        RETENTION = "retention", "Masa simpan laporan ditolak habis"
        MISSING = "missing", "Tidak ditemukan di penyimpanan"

    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    # Empty once the file is purged: the row stays, as the record of what was sent.
    file = models.FileField("berkas", upload_to=document_upload_to, max_length=200, blank=True)
    original_name = models.CharField("nama berkas asli", max_length=255)
    original_size = models.PositiveIntegerField("ukuran asli (byte)")
    content_type = models.CharField("tipe", max_length=50)
    size = models.PositiveIntegerField("ukuran tersimpan (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)
    version = models.PositiveIntegerField("versi laporan", default=1)
    # Set when a corrected report brings a new file of the same kind; the old file stays.
    superseded_at = models.DateTimeField("diganti", null=True, blank=True)
    created_at = models.DateTimeField("diunggah", auto_now_add=True)
    purged_at = models.DateTimeField("berkas dihapus", null=True, blank=True)
    purge_reason = models.CharField(
        "alasan berkas dihapus", max_length=10, choices=PurgeReason.choices, blank=True
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "mother_report", "kind"]
        verbose_name = "dokumen"
        verbose_name_plural = "dokumen"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submission__isnull=False, mother_report__isnull=True)
                | models.Q(submission__isnull=True, mother_report__isnull=False),
                name="document_of_one_report",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.report}"

    def get_absolute_url(self):
        return reverse("registrations:document", args=[self.pk])

    @property
    def report(self):
        """The report the document came with: a child's or a mother's."""
        return self.submission if self.submission_id else self.mother_report

    @property
    def extension(self):
        return ".pdf" if self.content_type == "application/pdf" else ".jpg"

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    @property
    def is_purged(self):
        return self.purged_at is not None

    def mark_purged(self, reason: str) -> None:
        """Record that the file is gone; the caller removes it from storage, if it is there."""
        self.file = ""
        self.purged_at = timezone.now()
        self.purge_reason = reason
        self.save(update_fields=["file", "purged_at", "purge_reason"])

    def mark_file_missing(self, field_name):
        # Called by sweep_storage for a row whose file is not in storage.
        self.mark_purged(self.PurgeReason.MISSING)


class SubmissionVersion(models.Model):
    """A report as it was sent, once per send: the first one and every correction."""

    submission = models.ForeignKey(
        Submission, models.CASCADE, related_name="versions", verbose_name="laporan"
    )
    number = models.PositiveIntegerField("versi")
    data = models.JSONField("isi laporan")
    document_ids = models.JSONField("dokumen", default=list)
    created_at = models.DateTimeField("dikirim", auto_now_add=True)

    class Meta:
        ordering = ["submission", "number"]
        verbose_name = "versi laporan"
        verbose_name_plural = "versi laporan"
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="submission_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.submission} v{self.number}"


class AccessLog(models.Model):
    """Who looked at or exported personal data, and from where.

    Generic, so that each app logs its own things: an app names its actions with
    define_action() when its models load, and records any of its rows as the target
    (or none, as for a workbook). Every caller writes through record()."""

    # {action code: what the admin shows}, filled by define_action().
    ACTIONS: ClassVar[dict[str, str]] = {}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="pengguna"
    )
    action = models.CharField("tindakan", max_length=40)
    target_type = models.ForeignKey(
        ContentType,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="jenis data",
    )
    target_id = models.PositiveBigIntegerField("nomor data", null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # In words, as it was when logged: still readable after the target is gone.
    detail = models.CharField("keterangan", max_length=255, blank=True)
    # What else the app wants on record, e.g. the filters and row count of a workbook.
    extra = models.JSONField("rincian", default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField("alamat IP", null=True, blank=True)
    created_at = models.DateTimeField("waktu", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "log akses data pribadi"
        verbose_name_plural = "log akses data pribadi"
        indexes = [models.Index(fields=["target_type", "target_id"], name="access_log_target")]

    def __str__(self):
        return f"{self.user} – {self.get_action_display()} – {self.created_at:%d-%m-%Y %H:%M}"

    @classmethod
    def define_action(cls, code: str, label: str) -> str:
        """Name an action an app logs; returns the code, for the app's constant."""
        if cls.ACTIONS.get(code, label) != label:
            raise ValueError(f"Access-log action {code!r} is already defined otherwise.")
        cls.ACTIONS[code] = label
        return code

    @classmethod
    def record(
        cls,
        *,
        user: AbstractBaseUser,
        action: str,
        ip_address: str | None,
        target: models.Model | None = None,
        detail: str = "",
        **extra: Any,
    ) -> "AccessLog":
        """Log that `user` did `action` (to `target`, described by `detail`)."""
        if action not in cls.ACTIONS:
            raise ValueError(f"Unknown access-log action {action!r}: define it first.")
        return cls.objects.create(
            user=user,
            action=action,
            target=target,
            detail=(detail or str(target or ""))[:255],
            extra=extra,
            ip_address=ip_address,
        )

    def get_action_display(self) -> str:
        return self.ACTIONS.get(self.action, self.action)


# What this app writes to the access log.
VIEW_DOCUMENT = AccessLog.define_action("view_document", "Melihat dokumen")
EXPORT_CHILD_DATA = AccessLog.define_action("export_child", "Mengekspor semua data anak")


# GASKEN serves children under five: a child leaves the programme at 60 completed months.


class ChildQuerySet(models.QuerySet):
    def current(self) -> "ChildQuerySet":
        """Children not merged into another one: every list, count and indicator starts
        here, so that a child merged away is not counted twice."""
        return self.filter(merged_into__isnull=True)

    def active(self) -> "ChildQuerySet":
        return self.current().filter(programme_status=Child.ProgrammeStatus.ACTIVE)

    def refresh_latest_haz_category(self):
        """Copy each child's latest TB/U category from its latest measurement where it
        differs (after z-scores were recomputed); returns how many children changed."""
        category = Coalesce(
            models.Subquery(
                Measurement.objects.filter(pk=models.OuterRef("latest_measurement_id")).values(
                    "haz_category"
                )
            ),
            models.Value(""),
        )
        stale = self.annotate(category=category).exclude(latest_haz_category=models.F("category"))
        return stale.update(latest_haz_category=category)

    def refresh_first_haz_measurement(self) -> int:
        """Point each child at its first measurement with a HAZ where that changed (after
        z-scores were recomputed); returns how many children changed."""
        first = models.Subquery(
            Measurement.objects.filter(child=models.OuterRef("pk"), haz__isnull=False)
            .order_by(*Measurement.FIRST_FIRST)
            .values("pk")[:1]
        )
        stored, found = models.Q(first_haz_measurement__isnull=False), models.Q(first__isnull=False)
        changed = (
            (~stored & found)
            | (stored & ~found)
            | (stored & found & ~models.Q(first_haz_measurement=models.F("first")))
        )
        return self.annotate(first=first).filter(changed).update(first_haz_measurement=first)

    def aged_out(self, today: date) -> "ChildQuerySet":
        """Active children who are 60 completed months old or more on `today`."""
        return self.active().filter(birth_date__lte=months_before(today, AGE_LIMIT_MONTHS))


class Child(ReportReason):
    """A verified case: one real child, whatever number of reports mention it."""

    # What identifies the child and its family: edited by staff (their page and the admin)
    # and compared when two registrations are merged.
    IDENTITY_FIELDS = [
        "name",
        "nik",
        "sex",
        "birth_date",
        "mother_name",
        "father_name",
        "parent_occupation",
        "parent_phone",
        "address",
        "kk_number",
        "village",
        "posyandu",
    ]

    Sex = Submission.Sex
    ReportedAs = ReportedAs
    RiskFactor = RiskFactor

    class ProgrammeStatus(models.TextChoices):
        ACTIVE = "active", "Aktif"
        EXITED = "exited", "Keluar"

    class ExitReason(models.TextChoices):
        NOT_STUNTED = "not_stunted", "Tidak stunting lagi"
        AGED_OUT = "aged_out", "Usia 5 tahun"
        MOVED = "moved", "Pindah"
        DIED = "died", "Meninggal"
        OTHER = "other", "Lainnya"

    name = models.CharField("nama anak", max_length=100)
    nik = models.CharField("NIK", max_length=16, blank=True)
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("tanggal lahir")
    mother_name = models.CharField("nama ibu", max_length=100)
    father_name = models.CharField("nama ayah", max_length=100, blank=True)
    parent_occupation = models.CharField("pekerjaan orang tua", max_length=100, blank=True)
    parent_phone = models.CharField("nomor HP orang tua", max_length=16, blank=True)
    address = models.TextField("alamat", max_length=300)
    kk_number = models.CharField("nomor KK", max_length=16, blank=True)
    village = models.ForeignKey(
        Village, models.PROTECT, related_name="children", verbose_name="kelurahan/desa"
    )
    posyandu = models.ForeignKey(
        Posyandu,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="posyandu",
    )
    # Kept up to date by Measurement.save() and delete() (refresh_latest_measurement), so
    # lists and recaps over many children read the current nutrition status without a
    # query per child.
    latest_measurement = models.ForeignKey(
        "Measurement",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="pengukuran terakhir",
    )
    # The first measurement with a HAZ, kept up to date with latest_measurement: outcomes
    # compare it with a later one without looking through every measurement of every child.
    first_haz_measurement = models.ForeignKey(
        "Measurement",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="pengukuran pertama dengan TB/U",
    )
    # The latest measurement's TB/U category, stored with it so that filters and counts
    # by village and category use an index on this table instead of joining measurements.
    latest_haz_category = models.CharField(
        "status TB/U terakhir", max_length=20, blank=True, editable=False
    )
    # Whether the child is still a target of the programme; indicators count active ones.
    programme_status = models.CharField(
        "status program",
        max_length=10,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.ACTIVE,
    )
    exit_reason = models.CharField(
        "alasan keluar", max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_date = models.DateField("tanggal keluar", null=True, blank=True)
    exit_note = models.CharField("keterangan keluar", max_length=200, blank=True)
    # Set when staff found this child registered twice and merged it into the other record:
    # everything it had moved there, and this row stays only for its history. Set only by
    # verification.services.child_merge (read-only in the admin); editable so that the
    # history's diffs show it.
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_children",
        verbose_name="digabungkan ke",
    )
    created_at = models.DateTimeField("terdaftar", auto_now_add=True)

    history = HistoricalRecords(
        excluded_fields=["latest_measurement", "latest_haz_category", "first_haz_measurement"],
        verbose_name="riwayat anak",
        verbose_name_plural="riwayat anak",
    )
    # Set before a save, for the history entry: who changed the child, and why.
    _history_user: "User | None"
    _change_reason: str | None

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "anak"
        verbose_name_plural = "anak"
        indexes = [
            # The children list, by name; and filtered by village and latest TB/U category.
            models.Index(fields=["name", "id"], name="child_name_id"),
            models.Index(
                fields=["village", "latest_haz_category", "name", "id"],
                name="child_village_haz_name_id",
            ),
            models.Index(fields=["village", "name"]),
            models.Index(fields=["nik"]),
            models.Index(fields=["birth_date"]),
            models.Index(fields=["programme_status", "village"]),
        ]
        constraints = [
            # An exited child always has its reason and date; an active one has neither.
            models.CheckConstraint(
                condition=(
                    models.Q(programme_status="active", exit_reason="", exit_date__isnull=True)
                    | models.Q(programme_status="exited", exit_date__isnull=False)
                    & ~models.Q(exit_reason="")
                ),
                name="child_exit_reason_and_date",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def age_months(self):
        """Completed months today."""
        return completed_months(self.birth_date, timezone.localdate())

    @property
    def is_active(self):
        return self.programme_status == self.ProgrammeStatus.ACTIVE

    @property
    def is_merged(self):
        return self.merged_into_id is not None

    @property
    def registered_on(self):
        return timezone.localdate(self.created_at)

    @property
    def aged_out_on(self):
        """The day the child reaches 60 completed months and leaves the programme."""
        return date_at_months(self.birth_date, AGE_LIMIT_MONTHS)

    def check_birth_date(self, value: date, *, today: date) -> None:
        """Raise ValidationError (Indonesian) when `value` cannot be this child's birth date:
        the rules of the kader's report (not in the future, under five when measured), and
        not after the child's first measurement or its exit from the programme."""
        validate_not_future(value, what="Tanggal lahir", today=today)
        first = self.measurements.order_by("measured_on").first() if self.pk else None
        if first and value > first.measured_on:
            raise ValidationError(
                "Tanggal lahir tidak boleh setelah pengukuran pertama (%(date)s).",
                code="after_first_measurement",
                params={"date": first.measured_on.strftime("%d-%m-%Y")},
            )
        validate_under_five(value, first.measured_on if first else self._registered_or(today))
        if self.exit_date and value > self.exit_date:
            raise ValidationError(
                "Tanggal lahir tidak boleh setelah tanggal keluar dari program (%(date)s).",
                code="after_exit",
                params={"date": self.exit_date.strftime("%d-%m-%Y")},
            )

    def _registered_or(self, today):
        return self.registered_on if self.pk else today

    @property
    def seems_no_longer_stunted(self):
        """Active, and the latest length/height-for-age is −2 SD or above.

        An implausible z-score asks for a re-measurement first, so it suggests nothing."""
        m = self.latest_measurement
        return (
            self.is_active
            and m is not None
            and m.haz is not None
            and m.haz >= -2
            and "haz_implausible" not in m.flags
        )

    def refresh_latest_measurement(self) -> None:
        """Store the latest measurement, its TB/U category and the first measurement with a
        HAZ after a measurement of this child was saved or deleted."""
        latest = self.measurements.order_by(*Measurement.LATEST_FIRST).first()
        first = (
            self.measurements.filter(haz__isnull=False).order_by(*Measurement.FIRST_FIRST).first()
        )
        category = latest.haz_category if latest else ""
        stored = (
            self.latest_measurement_id,
            self.latest_haz_category,
            self.first_haz_measurement_id,
        )
        if stored != (latest.pk if latest else None, category, first.pk if first else None):
            self.latest_measurement = latest
            self.latest_haz_category = category
            self.first_haz_measurement = first
            Child.objects.filter(pk=self.pk).update(
                latest_measurement=latest, latest_haz_category=category, first_haz_measurement=first
            )


class Measurement(models.Model):
    """Weight and length/height on a date, with its WHO z-scores stored when saved."""

    Position = Submission.Position
    # "Latest" means the latest date, then the latest recorded on that date.
    LATEST_FIRST = ("-measured_on", "-created_at", "-pk")
    FIRST_FIRST = ("measured_on", "created_at", "pk")
    # Filled by assess(); recompute_growth rewrites exactly these.
    COMPUTED_FIELDS = [
        "age_days",
        "age_months",
        "height_used_cm",
        "haz",
        "waz",
        "whz",
        "haz_category",
        "waz_category",
        "whz_category",
        "flags",
    ]

    class Source(models.TextChoices):
        # A kader's report through the form.
        KADER = "kader", "Kader posyandu"
        # Typed in by kecamatan staff, from where the child was measured.
        KECAMATAN = "kecamatan", "Kecamatan"
        PUSKESMAS = "puskesmas", "Puskesmas/petugas kesehatan"
        POSYANDU = "posyandu", "Posyandu"
        PARTNER = "partner", "Mitra"

    child = models.ForeignKey(
        Child,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name="anak",
    )
    submission = models.OneToOneField(
        Submission,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="measurement",
        verbose_name="laporan",
    )
    measured_on = models.DateField("tanggal ukur")
    weight_kg = models.DecimalField(
        "berat badan (kg)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    height_cm = models.DecimalField(
        "panjang/tinggi badan (cm)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    position = models.CharField("cara ukur", max_length=10, choices=Position.choices, blank=True)
    source = models.CharField("sumber", max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dicatat oleh",
    )
    created_at = models.DateTimeField("dicatat", auto_now_add=True)

    # Computed by assess() from the WHO tables; recompute_growth refreshes them.
    age_days = models.PositiveIntegerField("umur (hari)", editable=False)
    age_months = models.PositiveIntegerField("umur (bulan)", editable=False)
    height_used_cm = models.FloatField("panjang/tinggi terkoreksi (cm)", null=True, editable=False)
    haz = models.FloatField("z-score TB/U", null=True, editable=False)
    waz = models.FloatField("z-score BB/U", null=True, editable=False)
    whz = models.FloatField("z-score BB/TB", null=True, editable=False)
    haz_category = models.CharField("status TB/U", max_length=20, blank=True, editable=False)
    waz_category = models.CharField("status BB/U", max_length=20, blank=True, editable=False)
    whz_category = models.CharField("status BB/TB", max_length=20, blank=True, editable=False)
    flags = models.JSONField("catatan pemeriksaan", default=list, editable=False)

    class Meta:
        ordering = ["measured_on", "created_at", "pk"]
        verbose_name = "pengukuran"
        verbose_name_plural = "pengukuran"
        indexes = [
            models.Index(fields=["child", "measured_on"]),
            models.Index(fields=["haz_category"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(child__isnull=False) | models.Q(submission__isnull=False),
                name="measurement_has_child_or_submission",
            ),
        ]

    def __str__(self):
        return f"{self.measured_on:%d-%m-%Y}: {self.weight_kg} kg, {self.height_cm} cm"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.assess()
        super().save(*args, **kwargs)
        if self.child_id:
            self.child.refresh_latest_measurement()

    def delete(self, *args, **kwargs):
        child = self.child
        deleted = super().delete(*args, **kwargs)
        if child is not None:
            child.refresh_latest_measurement()
        return deleted

    @property
    def subject_sex_and_birth_date(self):
        # The child, when there is one, even one not saved yet (bulk data generation).
        child = self.child
        if child is not None:
            return child.sex, child.birth_date
        return self.submission.child_sex, self.submission.birth_date

    def assess(self):
        """Fill the computed fields; raises ValueError (Indonesian) for impossible dates."""
        sex, birth_date = self.subject_sex_and_birth_date
        lying = {"lying": True, "standing": False}.get(self.position)
        result = growth.assess(
            sex, birth_date, self.measured_on, self.height_cm, self.weight_kg, lying
        )
        self.age_days, self.age_months = result.age_days, result.age_months
        self.height_used_cm = result.height_used_cm
        self.haz, self.waz, self.whz = result.haz, result.waz, result.whz
        self.haz_category = result.haz_category or ""
        self.waz_category = result.waz_category or ""
        self.whz_category = result.whz_category or ""
        self.flags = sorted(result.flags)

    @property
    def is_stunted(self):
        return self.haz_category in growth.STUNTED

    def get_haz_category_display(self):
        return growth.HAZ_LABELS.get(self.haz_category, "–")

    def get_waz_category_display(self):
        return growth.WAZ_LABELS.get(self.waz_category, "–")

    def get_whz_category_display(self):
        return growth.WHZ_LABELS.get(self.whz_category, "–")

    @property
    def flag_messages(self):
        return [growth.FLAG_LABELS.get(f, f) for f in self.flags]

    @property
    def summary(self):
        """One plain-language sentence about length/height-for-age."""
        if not self.haz_category:
            return "Status gizi menurut TB/U tidak dapat dihitung dari data ini."
        label = self.get_haz_category_display().lower()
        if self.haz_category == "normal":
            return "Hasil ukur menunjukkan panjang/tinggi badan anak normal menurut TB/U."
        return f"Hasil ukur menunjukkan anak {label} menurut TB/U."


# --- Pregnant and breastfeeding mothers (guideline D.3) ------------------------------------

# Upper-arm circumference below this is chronic energy deficiency (KEK); haemoglobin below
# this is anaemia in pregnancy (Kemenkes).
KEK_BELOW_MUAC_CM = Decimal("23.5")
ANAEMIA_BELOW_HB = Decimal("11.0")


# The mother's form's fields, in the order of the form: kept per version of a report.
MOTHER_SNAPSHOT_FIELDS = [
    "kader_name",
    "kader_phone",
    "village",
    "posyandu",
    "posyandu_other",
    "name",
    "nik",
    "birth_date",
    "phone",
    "address",
    "kk_number",
    "husband_name",
    "mother_status",
    "pregnancy_month",
    "due_date",
    "baby_birth_date",
    "measured_on",
    "muac_cm",
    "hb_g_dl",
    "weight_kg",
    "height_cm",
]


class MotherStatus(models.TextChoices):
    PREGNANT = "pregnant", "Hamil"
    BREASTFEEDING = "breastfeeding", "Menyusui"


class MotherCondition(models.Model):
    """What a mother's report, and each check in her history, records about her condition:
    pregnant (with the month or the expected birth date, HPL) or breastfeeding (with the
    baby's birth date, and the baby when registered), LiLA, and optionally Hb, weight and
    height."""

    mother_status = models.CharField("status ibu", max_length=15, choices=MotherStatus.choices)
    pregnancy_month = models.PositiveSmallIntegerField(
        "usia kehamilan (bulan)", null=True, blank=True
    )
    due_date = models.DateField("hari perkiraan lahir (HPL)", null=True, blank=True)
    baby_birth_date = models.DateField("tanggal lahir bayi", null=True, blank=True)
    baby = models.ForeignKey(
        "Child",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bayi terdaftar",
    )
    muac_cm = models.DecimalField("LiLA (cm)", max_digits=3, decimal_places=1)
    hb_g_dl = models.DecimalField(
        "Hb (g/dL)", max_digits=3, decimal_places=1, null=True, blank=True
    )
    weight_kg = models.DecimalField(
        "berat badan (kg)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    height_cm = models.DecimalField(
        "tinggi badan (cm)", max_digits=4, decimal_places=1, null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def is_kek(self) -> bool:
        """Kurang energi kronis: LiLA below 23.5 cm."""
        return self.muac_cm is not None and self.muac_cm < KEK_BELOW_MUAC_CM

    @property
    def is_anaemic(self) -> bool:
        """Anaemia: Hb below 11 g/dL (unknown when not measured)."""
        return self.hb_g_dl is not None and self.hb_g_dl < ANAEMIA_BELOW_HB


class MotherReport(MotherCondition, KaderReport):
    """A pregnant or breastfeeding mother as a kader reported her, kept as sent: the
    mother's counterpart of Submission, with the same receipt, status, correction round
    trip and idempotency."""

    MotherStatus = MotherStatus

    mother = models.ForeignKey(
        "Mother",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="ibu terdaftar",
    )
    village = models.ForeignKey(
        Village, models.PROTECT, related_name="mother_reports", verbose_name="kelurahan/desa"
    )
    posyandu = models.ForeignKey(
        Posyandu,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="mother_reports",
        verbose_name="posyandu",
    )

    name = models.CharField("nama ibu", max_length=100)
    nik = models.CharField("NIK ibu", max_length=16, blank=True)
    birth_date = models.DateField("tanggal lahir ibu")
    phone = models.CharField("nomor HP ibu", max_length=16, blank=True)
    address = models.TextField("alamat", max_length=300)
    kk_number = models.CharField("nomor KK", max_length=16, blank=True)
    husband_name = models.CharField("nama suami", max_length=100, blank=True)
    measured_on = models.DateField("tanggal periksa")
    consent_at = models.DateTimeField("persetujuan ibu dicatat")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "laporan ibu"
        verbose_name_plural = "laporan ibu"
        indexes = [
            models.Index(fields=["status", "created_at", "id"], name="motherreport_status_created"),
            models.Index(
                fields=["village", "created_at", "id"], name="motherreport_village_created"
            ),
            models.Index(fields=["nik"], name="motherreport_nik"),
            models.Index(fields=["kader_phone", "created_at"], name="motherreport_kader"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mother_status=MotherStatus.PREGNANT)
                | models.Q(mother_status=MotherStatus.BREASTFEEDING, baby_birth_date__isnull=False),
                name="motherreport_breastfeeding_has_baby_date",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.formatted_code})"

    def snapshot(self) -> dict[str, str | list[str] | None]:
        """The report's fields as sent, as JSON-ready values (field names of the form)."""
        return report_snapshot(self, MOTHER_SNAPSHOT_FIELDS)

    @property
    def short_name(self):
        """The mother's name as the receipt shows it ("Siti A.")."""
        return initialled(self.name)


class MotherReportVersion(models.Model):
    """A mother's report as it was sent, once per send: the first one and every correction."""

    report = models.ForeignKey(
        MotherReport, models.CASCADE, related_name="versions", verbose_name="laporan ibu"
    )
    number = models.PositiveIntegerField("versi")
    data = models.JSONField("isi laporan")
    document_ids = models.JSONField("dokumen", default=list)
    created_at = models.DateTimeField("dikirim", auto_now_add=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = "versi laporan ibu"
        verbose_name_plural = "versi laporan ibu"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="motherreport_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"


class MotherQuerySet(models.QuerySet):
    def current(self) -> "MotherQuerySet":
        return self.filter(merged_into__isnull=True)

    def active(self) -> "MotherQuerySet":
        return self.current().filter(programme_status=Mother.ProgrammeStatus.ACTIVE)


class Mother(models.Model):
    """A verified pregnant or breastfeeding mother: one real person, whatever number of
    reports mention her. Her condition is that of her latest check."""

    IDENTITY_FIELDS = [
        "name",
        "nik",
        "birth_date",
        "phone",
        "address",
        "kk_number",
        "husband_name",
        "village",
        "posyandu",
    ]
    MotherStatus = MotherStatus

    class ProgrammeStatus(models.TextChoices):
        ACTIVE = "active", "Aktif"
        EXITED = "exited", "Keluar"

    class ExitReason(models.TextChoices):
        FINISHED = "finished", "Selesai menyusui"
        MISCARRIAGE = "miscarriage", "Keguguran"
        MOVED = "moved", "Pindah"
        DIED = "died", "Meninggal"
        OTHER = "other", "Lainnya"

    name = models.CharField("nama ibu", max_length=100)
    nik = models.CharField("NIK", max_length=16, blank=True)
    birth_date = models.DateField("tanggal lahir")
    phone = models.CharField("nomor HP", max_length=16, blank=True)
    address = models.TextField("alamat", max_length=300)
    kk_number = models.CharField("nomor KK", max_length=16, blank=True)
    husband_name = models.CharField("nama suami", max_length=100, blank=True)
    village = models.ForeignKey(
        Village, models.PROTECT, related_name="mothers", verbose_name="kelurahan/desa"
    )
    posyandu = models.ForeignKey(
        Posyandu,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="mothers",
        verbose_name="posyandu",
    )
    latest_check = models.ForeignKey(
        "MotherCheck",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="pemeriksaan terakhir",
    )
    # The latest check's status, KEK and anaemia, stored so that lists and counts filter
    # on this table alone (kept by MotherCheck.save and mother services).
    mother_status = models.CharField(
        "status ibu", max_length=15, choices=MotherStatus.choices, blank=True, editable=False
    )
    is_kek = models.BooleanField("KEK (LiLA < 23,5 cm)", default=False, editable=False)
    is_anaemic = models.BooleanField("anemia (Hb < 11 g/dL)", default=False, editable=False)
    programme_status = models.CharField(
        "status program",
        max_length=10,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.ACTIVE,
    )
    exit_reason = models.CharField(
        "alasan keluar", max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_date = models.DateField("tanggal keluar", null=True, blank=True)
    exit_note = models.CharField("keterangan keluar", max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_mothers",
        verbose_name="digabungkan ke",
    )
    created_at = models.DateTimeField("terdaftar", auto_now_add=True)

    history = HistoricalRecords(
        excluded_fields=["latest_check", "mother_status", "is_kek", "is_anaemic"],
        verbose_name="riwayat ibu",
        verbose_name_plural="riwayat ibu",
    )

    objects = MotherQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "ibu"
        verbose_name_plural = "ibu hamil dan menyusui"
        indexes = [
            models.Index(fields=["nik"], name="mother_nik"),
            models.Index(fields=["birth_date"], name="mother_birth_date"),
            models.Index(fields=["village", "programme_status"], name="mother_village_status"),
        ]

    def __str__(self):
        return self.name

    def refresh_latest_check(self, save: bool = True) -> None:
        """Point at the latest check (by date, then the latest recorded) and copy its
        status, KEK and anaemia."""
        latest = self.checks.order_by(*MotherCheck.LATEST_FIRST).first()
        self.latest_check = latest
        self.mother_status = latest.mother_status if latest else ""
        self.is_kek = bool(latest and latest.is_kek)
        self.is_anaemic = bool(latest and latest.is_anaemic)
        if save:
            # An update, not save(): these stored copies are not in her audit history, and a
            # save would add an empty entry to it.
            Mother.objects.filter(pk=self.pk).update(
                latest_check=latest,
                mother_status=self.mother_status,
                is_kek=self.is_kek,
                is_anaemic=self.is_anaemic,
            )


class MotherCheck(MotherCondition):
    """One check of a mother: from her verified report, or recorded by staff or a partner."""

    LATEST_FIRST = ("-checked_on", "-created_at", "-pk")

    class Source(models.TextChoices):
        KADER = "kader", "Kader posyandu"
        KECAMATAN = "kecamatan", "Kecamatan"
        PUSKESMAS = "puskesmas", "Puskesmas/petugas kesehatan"
        PARTNER = "partner", "Mitra"

    mother = models.ForeignKey(Mother, models.CASCADE, related_name="checks", verbose_name="ibu")
    report = models.OneToOneField(
        MotherReport,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="mother_check",
        verbose_name="laporan ibu",
    )
    checked_on = models.DateField("tanggal periksa")
    source = models.CharField("sumber", max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dicatat oleh",
    )
    created_at = models.DateTimeField("dicatat", auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-created_at", "-pk"]
        verbose_name = "pemeriksaan ibu"
        verbose_name_plural = "pemeriksaan ibu"

    def __str__(self):
        return f"{self.mother} – {self.checked_on:%d-%m-%Y}"
