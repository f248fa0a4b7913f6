import re
import secrets
from dataclasses import fields
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property

from registrations import growth
from registrations.dates import AGE_LIMIT_MONTHS, completed_months
from registrations.formats import phone_display
from registrations.models import (
    ANAEMIA_BELOW_HB,
    KEK_BELOW_MUAC_CM,
    LOW_BIRTH_WEIGHT_G,
    MOTHER_SNAPSHOT_FIELDS,
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    RISK_OTHER_MAX_LENGTH,
    SNAPSHOT_FIELDS,
    Document,
    MotherReport,
    MotherStatus,
    Posyandu,
    ReportedAs,
    RiskFactor,
    Submission,
    Village,
    implied_risk_factors,
)
from registrations.services import MeasurementValues, MotherValues, ReportValues
from registrations.uploads import clean_upload, mark_size_limit
from registrations.validators import (
    FUTURE_BIRTH_MESSAGE,
    TOO_OLD_MESSAGE,
    BirthWeightField,
    OneDecimalField,
    PhoneField,
    SixteenDigitField,
    birth_length_field,
    client_checks,
    date_field,
    future_message,
    height_field,
    validate_not_future,
    validate_under_five,
    weight_field,
)

OTHER_POSYANDU = "lain"
BEFORE_BIRTH_MESSAGE = "Tanggal ukur sebelum tanggal lahir."
FUTURE_MEASURED_MESSAGE = future_message("Tanggal ukur")
OTHER_POSYANDU_MESSAGE = "Tulis nama posyandu yang tidak ada di daftar."
DOCUMENT_MESSAGE = "Unggah foto/scan Kartu Keluarga atau akta kelahiran (minimal salah satu)."
LOW_BIRTH_WEIGHT_NOTE = "Di bawah 2.500 g: “Berat lahir < 2.500 g” ikut dicentang."
REPORTED_AS_MESSAGE = "Pilih alasan anak dilaporkan: stunting/pendek atau berisiko stunting."
RISK_REQUIRED_MESSAGE = "Pilih minimal satu faktor risiko untuk anak yang berisiko stunting."
RISK_OTHER_MESSAGE = "Tulis faktor risiko lainnya."
NOT_LOW_BIRTH_WEIGHT_MESSAGE = (
    "Berat lahir ini tidak kurang dari 2.500 g, padahal “Berat lahir < 2.500 g” dicentang: "
    "periksa berat lahir, atau hapus centang itu."
)
CONSENT_TEXT = (
    "Orang tua/wali anak ini sudah menyetujui datanya saya kirim ke Kecamatan Sungailiat. "
    "Data anak, orang tua, hasil ukur, dan foto KK/akta hanya dipakai untuk pendataan, "
    "verifikasi, dan penanganan stunting dalam program GASKEN, dan hanya dilihat oleh petugas "
    "kecamatan, tenaga kesehatan, dan mitra yang ditugaskan mendampingi anak ini "
    "(UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi)."
)


class PosyanduSelect(forms.Select):
    """Each option says its village so the page script can hide the others."""

    def __init__(self, *args, village_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.village_of = village_of or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.village_of:
            option["attrs"]["data-village"] = self.village_of[value]
        return option


def _text(label, *, required=True, max_length=100, **attrs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
    )


def input_id(bound_field):
    """The id of the input a link to this field leads to: the first radio or checkbox of
    a group."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label


def summary_label(bound_field):
    """The field's name in the error summary: its label without the hint in brackets."""
    short = getattr(bound_field.form, "summary_labels", {}).get(bound_field.name)
    return short or str(bound_field.label).split(" (")[0]


# Why a child is reported: the intake form's fields, and the staff's on the child's page.


def reported_as_field(*, required=True):
    choices = ReportedAs.choices if required else [("", "Belum tercatat"), *ReportedAs.choices]
    return forms.ChoiceField(
        label="Anak ini dilaporkan karena",
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": REPORTED_AS_MESSAGE},
    )


def risk_factors_field():
    return forms.MultipleChoiceField(
        label="Faktor risiko (wajib bila berisiko stunting; boleh lebih dari satu)",
        choices=RiskFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def risk_other_text_field():
    return _text(
        "Faktor risiko lainnya (tulis)",
        required=False,
        max_length=RISK_OTHER_MAX_LENGTH,
        autocomplete="off",
    )


def clean_reason(form, cleaned):
    """What was typed says more than what was ticked (implied_risk_factors): the cleaned
    risk factors include those. Reasons are required for a child at risk; a stunted child
    may have them too. Errors go to `form`'s fields."""
    other = cleaned.get("risk_other_text", "").strip()
    cleaned["risk_other_text"] = other
    ticked = set(cleaned.get("risk_factors") or [])
    weight = cleaned.get("birth_weight_g")
    if RiskFactor.OTHER in ticked and not other and "risk_other_text" not in form.errors:
        form.add_error("risk_other_text", ValidationError(RISK_OTHER_MESSAGE, code="required"))
    if weight is not None and weight >= LOW_BIRTH_WEIGHT_G:
        if RiskFactor.LOW_BIRTH_WEIGHT in ticked:
            form.add_error(
                "birth_weight_g",
                ValidationError(NOT_LOW_BIRTH_WEIGHT_MESSAGE, code="not_low_birth_weight"),
            )
    factors = implied_risk_factors(ticked, birth_weight_g=weight, risk_other_text=other)
    cleaned["risk_factors"] = factors
    if (
        cleaned.get("reported_as") == ReportedAs.AT_RISK
        and not factors
        and "risk_factors" not in form.errors
    ):
        form.add_error("risk_factors", ValidationError(RISK_REQUIRED_MESSAGE, code="required"))


class KaderReportForm(forms.ModelForm):
    """What the child's and the mother's forms share: the kader and the place (kelurahan/
    desa, posyandu), the dates that cannot be in the future, the document photos, the
    client checks and the error summary. A subclass names its stored phone numbers in
    `phone_fields`, its past dates in `past_date_fields`, and its files by Document.Kind in
    `document_fields`."""

    has_stored_documents = False
    summary_labels: dict[str, str] = {}
    phone_fields: tuple[str, ...] = ("kader_phone",)
    past_date_fields: tuple[str, ...] = ()
    document_fields: dict[str, str] = {}

    kader_name = _text("Nama kader", autocomplete="name")
    kader_phone = PhoneField(
        label="Nomor HP/WhatsApp kader", widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    village = forms.ModelChoiceField(
        label="Kelurahan/desa",
        queryset=Village.objects.all(),
        to_field_name="code",
        empty_label="— pilih kelurahan/desa —",
    )
    posyandu = forms.ChoiceField(label="Posyandu")
    posyandu_other = _text("Nama posyandu (jika tidak ada di daftar)", required=False)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        if self.instance.pk and not self.is_bound:
            # The village field is keyed by Kemendagri code; the instance gives its pk.
            self.initial["village"] = self.instance.village.code
            p = self.instance.posyandu
            self.initial["posyandu"] = p.code if p else OTHER_POSYANDU
            for name in self.phone_fields:
                self.initial[name] = local_phone(getattr(self.instance, name))
        self._set_posyandu_choices()
        for name in self.past_date_fields:
            self.fields[name].widget.attrs["max"] = self.today.isoformat()
        for name in self.document_fields.values():
            mark_size_limit(self.fields[name])
        self._add_client_checks()

    def _set_posyandu_choices(self):
        """Every active posyandu is a valid choice, but with a village chosen (a posyandu's
        own form, a form sent back with messages, a correction) the list shows only that
        village's posyandu: the others go to `other_posyandu`, which the page carries in a
        <template> for static/js/intake.js to add when the kader picks another village.
        Without JavaScript that list serves the kader at her posyandu; after changing the
        village she picks "Posyandu lain", or sends and gets the form back with the new
        village's posyandu. With no village chosen (the kecamatan's form), or one without
        posyandu, the list shows every posyandu, grouped by village."""
        posyandu = (
            Posyandu.objects.active().select_related("village").order_by("village__name", "name")
        )
        groups = {}
        for p in posyandu:
            groups.setdefault(p.village, []).append((p.code, p.name))
        chosen = self._chosen_village_code()
        shown = {v: options for v, options in groups.items() if v.code == chosen} or groups
        self.other_posyandu = [(v, options) for v, options in groups.items() if v not in shown]
        first = [("", "— pilih posyandu —")]
        last = [(OTHER_POSYANDU, "Posyandu lain (tulis namanya di bawah)")]
        field = self.fields["posyandu"]
        field.choices = first + [(v.name, options) for v, options in groups.items()] + last
        field.widget = PosyanduSelect(
            choices=first + [(v.name, options) for v, options in shown.items()] + last,
            village_of={p.code: p.village.code for p in posyandu},
        )
        self._posyandu_by_code = {p.code: p for p in posyandu}

    def _chosen_village_code(self):
        if self.is_bound:
            return self.data.get(self.add_prefix("village"))
        village = self.initial.get("village")
        return getattr(village, "code", village)

    def _add_client_checks(self):
        """The rules static/js/checks.js applies before sending, as data- attributes."""
        for field in self.fields.values():
            field.widget.attrs.update(client_checks(field))
        self.fields["posyandu_other"].widget.attrs.update(
            {
                "data-required-if": f"posyandu={OTHER_POSYANDU}",
                "data-msg-required": OTHER_POSYANDU_MESSAGE,
            }
        )

    def _clean_file(self, name):
        f = self.cleaned_data.get(name)
        if not f:
            return None
        return clean_upload(f)

    def clean(self):
        cleaned = super().clean()
        self._clean_posyandu(cleaned)
        return cleaned

    def _clean_posyandu(self, cleaned):
        village = cleaned.get("village")
        code = cleaned.get("posyandu")
        other = cleaned.get("posyandu_other", "").strip()
        cleaned["posyandu_other"] = other
        if code == OTHER_POSYANDU:
            cleaned["posyandu"] = None
            if not other:
                self.add_error(
                    "posyandu_other", ValidationError(OTHER_POSYANDU_MESSAGE, code="required")
                )
            return
        posyandu = self._posyandu_by_code.get(code)
        cleaned["posyandu"] = posyandu
        cleaned["posyandu_other"] = ""
        if posyandu is None:
            self.add_error(
                "posyandu", ValidationError("Pilih posyandu dari daftar.", code="invalid_choice")
            )
        elif village and posyandu.village_id != village.pk:
            self.add_error(
                "posyandu",
                ValidationError(
                    "Posyandu %(posyandu)s ada di %(village)s, bukan di kelurahan/desa yang dipilih.",
                    code="wrong_village",
                    params={"posyandu": posyandu.name, "village": posyandu.village.name},
                ),
            )

    def _post_clean(self):
        super()._post_clean()
        if "posyandu" in self.cleaned_data:
            self.instance.posyandu = self.cleaned_data["posyandu"]

    def error_summary(self):
        """One line per field with errors, in the order of the form, for the summary
        above it: {"id": input id or None, "label": ..., "message": ...}."""
        items = [{"id": None, "label": "", "message": e} for e in self.non_field_errors()]
        for field in self:
            if not field.errors:
                continue
            # A hidden field has nothing to link to or name; its message still shows.
            shown = not field.is_hidden
            items.append(
                {
                    "id": input_id(field) if shown else None,
                    "label": summary_label(field) if shown else "",
                    "message": " ".join(field.errors),
                }
            )
        return items

    @property
    def documents(self):
        """{kind: CleanFile} of the files chosen that passed their checks."""
        files = {kind: self.cleaned_data.get(name) for kind, name in self.document_fields.items()}
        return {kind: f for kind, f in files.items() if f}


class IntakeForm(KaderReportForm):
    phone_fields = ("kader_phone", "parent_phone")
    past_date_fields = ("birth_date", "measured_on")
    document_fields = {Document.Kind.KK: "kk_file", Document.Kind.AKTA: "akta_file"}
    summary_labels = {
        "consent": "Persetujuan orang tua/wali",
        "reported_as": "Alasan dilaporkan",
        "risk_factors": "Faktor risiko",
    }
    child_name = _text("Nama anak", autocomplete="off")
    child_nik = SixteenDigitField(name="NIK", label="NIK anak (16 angka, boleh dikosongkan)")
    child_sex = forms.ChoiceField(
        label="Jenis kelamin", choices=Submission.Sex.choices, widget=forms.RadioSelect
    )
    birth_date = date_field("Tanggal lahir anak")
    mother_name = _text("Nama ibu", autocomplete="off")
    father_name = _text("Nama ayah (boleh dikosongkan)", required=False, autocomplete="off")
    parent_occupation = _text("Pekerjaan orang tua", autocomplete="off")
    parent_phone = PhoneField(
        label="Nomor HP orang tua (boleh dikosongkan)",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    address = forms.CharField(
        label="Alamat (jalan, RT/RW)",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    kk_number = SixteenDigitField(name="Nomor KK", label="Nomor KK (16 angka, boleh dikosongkan)")
    measured_on = date_field("Tanggal ukur")
    weight_kg = weight_field()
    height_cm = height_field()
    measurement_position = forms.ChoiceField(
        label="Cara ukur", choices=Submission.Position.choices, widget=forms.RadioSelect
    )
    reported_as = reported_as_field()
    risk_factors = risk_factors_field()
    risk_other_text = risk_other_text_field()
    birth_weight_g = BirthWeightField(label="Berat lahir (gram, boleh dikosongkan)")
    birth_length_cm = birth_length_field()
    kk_file = forms.FileField(
        label="Foto/scan Kartu Keluarga",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    akta_file = forms.FileField(
        label="Foto/scan akta kelahiran",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": "Centang persetujuan ini; tanpa persetujuan data tidak dapat dikirim."
        },
    )
    idempotency_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # The measurement values the kader confirmed as right after the page's plausibility
    # check, so the same values are not questioned twice. Not stored, and without a length
    # limit: a field the kader cannot see must never refuse the report.
    measurement_confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Submission
        # posyandu is a plain choice field ("posyandu lain" is not a row), set in _post_clean.
        # risk_factors is a field of the form only: it sets one column per factor.
        fields = [name for name in SNAPSHOT_FIELDS if name not in ("posyandu", "risk_factors")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["risk_factors"] = self.instance.risk_factors

    def _add_client_checks(self):
        super()._add_client_checks()
        self.fields["birth_date"].widget.attrs.update(
            {
                "data-msg-future": FUTURE_BIRTH_MESSAGE,
                "data-age-at": "measured_on",
                "data-age-limit-months": str(AGE_LIMIT_MONTHS),
                "data-msg-age-limit": TOO_OLD_MESSAGE,
            }
        )
        self.fields["measured_on"].widget.attrs.update(
            {
                "data-msg-future": FUTURE_MEASURED_MESSAGE,
                "data-not-before": "birth_date",
                "data-msg-not-before": BEFORE_BIRTH_MESSAGE,
            }
        )
        if not self.has_stored_documents:
            self.fields["kk_file"].widget.attrs.update(
                {"data-one-of": "akta_file", "data-msg-one-of": DOCUMENT_MESSAGE}
            )
        self.fields["risk_factors"].widget.attrs.update(
            {
                "data-required-if": f"reported_as={ReportedAs.AT_RISK}",
                "data-msg-required": RISK_REQUIRED_MESSAGE,
            }
        )
        self.fields["risk_other_text"].widget.attrs.update(
            {
                "data-required-if": f"risk_factors={RiskFactor.OTHER}",
                "data-msg-required": RISK_OTHER_MESSAGE,
            }
        )
        # A weight below it ticks the low-birth-weight factor; one at or above it with the
        # factor ticked is refused (see clean()).
        self.fields["birth_weight_g"].widget.attrs.update(
            {
                "data-low-below": str(LOW_BIRTH_WEIGHT_G),
                "data-low-factor": f"risk_factors={RiskFactor.LOW_BIRTH_WEIGHT}",
                "data-msg-not-low": NOT_LOW_BIRTH_WEIGHT_MESSAGE,
                "data-msg-low": LOW_BIRTH_WEIGHT_NOTE,
            }
        )
        # Not refused (the height is corrected by 0.7 cm), but asked about before sending.
        self.fields["measurement_position"].widget.attrs.update(
            {
                "data-young-months": str(growth.STANDING_FROM_MONTHS),
                "data-msg-young": growth.FLAG_LABELS["standing_under_9_months"],
            }
        )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        validate_not_future(value, what="Tanggal lahir", today=self.today)
        return value

    def clean_measured_on(self):
        value = self.cleaned_data["measured_on"]
        validate_not_future(value, what="Tanggal ukur", today=self.today)
        return value

    def clean_kk_file(self):
        return self._clean_file("kk_file")

    def clean_akta_file(self):
        return self._clean_file("akta_file")

    def clean(self):
        cleaned = super().clean()
        self._clean_reason(cleaned)

        birth, measured = cleaned.get("birth_date"), cleaned.get("measured_on")
        if birth and measured:
            if measured < birth:
                self.add_error(
                    "measured_on",
                    ValidationError(BEFORE_BIRTH_MESSAGE, code="before_birth"),
                )
            else:
                try:
                    validate_under_five(birth, measured)
                except ValidationError as e:
                    self.add_error("birth_date", e)

        has_file = cleaned.get("kk_file") or cleaned.get("akta_file")
        file_errors = "kk_file" in self.errors or "akta_file" in self.errors
        if not has_file and not file_errors and not self.has_stored_documents:
            self.add_error("kk_file", ValidationError(DOCUMENT_MESSAGE, code="document_required"))
        return cleaned

    def _clean_reason(self, cleaned):
        clean_reason(self, cleaned)

    # The cleaned values, as the services take them.

    def report_values(self):
        cleaned = self.cleaned_data
        return ReportValues(**{f.name: cleaned[f.name] for f in fields(ReportValues)})

    def measurement_values(self):
        cleaned = self.cleaned_data
        return MeasurementValues(
            measured_on=cleaned["measured_on"],
            weight_kg=cleaned["weight_kg"],
            height_cm=cleaned["height_cm"],
            position=cleaned["measurement_position"],
        )


class Correction:
    """A report sent back for correction, in its form: consent was given and the key used
    when it was first sent, and its files may stay as they are."""

    @cached_property
    def has_stored_documents(self):
        return self.instance.documents.current().exists()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent"]
        del self.fields["idempotency_key"]
        for name in self.document_fields.values():
            self.fields[name].label += " (kosongkan bila tidak diganti)"


class CorrectionForm(Correction, IntakeForm):
    """The same report, sent back for correction: its files may stay as they are."""


# --- The mother's form (guideline D.3) ------------------------------------------------

MOTHER_CONSENT_TEXT = (
    "Ibu ini sudah menyetujui datanya saya kirim ke Kecamatan Sungailiat. Data ibu, hasil "
    "periksa, dan foto KK hanya dipakai untuk pendataan, verifikasi, dan pendampingan ibu "
    "hamil dan menyusui dalam program GASKEN, dan hanya dilihat oleh petugas kecamatan, "
    "tenaga kesehatan, dan mitra yang ditugaskan mendampingi ibu ini "
    "(UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi)."
)
MOTHER_MIN_AGE_YEARS = 10
MOTHER_MAX_AGE_YEARS = 60
MOTHER_AGE_MESSAGE = (
    "Umur ibu pada tanggal periksa harus antara 10 dan 60 tahun. Periksa tanggal lahir ibu."
)
MOTHER_STATUS_MESSAGE = "Pilih status ibu: hamil atau menyusui."
PREGNANCY_MESSAGE = "Isi usia kehamilan (bulan) atau HPL, minimal salah satu."
PREGNANCY_MONTH_MESSAGE = "Usia kehamilan ditulis dalam bulan, angka 1 sampai 10."
# An HPL is at most about ten months after the check, and a birth is at most a month late.
DUE_DATE_MAX_DAYS_AHEAD = 305
DUE_DATE_MAX_DAYS_PAST = 30
DUE_DATE_TOO_FAR_MESSAGE = (
    "HPL lebih dari 10 bulan sesudah tanggal periksa. Periksa lagi tanggalnya."
)
DUE_DATE_PAST_MESSAGE = (
    "HPL sudah lewat lebih dari 1 bulan pada tanggal periksa. Bila ibu sudah melahirkan, "
    "pilih status menyusui dan isi tanggal lahir bayi."
)
BABY_REQUIRED_MESSAGE = "Isi tanggal lahir bayi untuk ibu menyusui."
BABY_FUTURE_MESSAGE = future_message("Tanggal lahir bayi")
BABY_AFTER_CHECK_MESSAGE = "Tanggal lahir bayi sesudah tanggal periksa. Periksa kedua tanggal."
BABY_MAX_MONTHS = 24
BABY_TOO_OLD_MESSAGE = (
    "Bayi sudah berumur 24 bulan atau lebih pada tanggal periksa; ibu menyusui dilaporkan "
    "sampai bayinya berumur 2 tahun."
)
KK_MESSAGE = "Unggah foto/scan Kartu Keluarga."
KEK_NOTE = "Di bawah 23,5 cm: KEK (kurang energi kronis)."
ANAEMIA_NOTE = "Di bawah 11 g/dL: anemia."
FUTURE_CHECK_MESSAGE = future_message("Tanggal periksa")

# The fields that belong to one status only: the other status's are ignored.
STATUS_FIELDS = {
    MotherStatus.PREGNANT: ("pregnancy_month", "due_date"),
    MotherStatus.BREASTFEEDING: ("baby_birth_date",),
}


class MotherReportForm(KaderReportForm):
    """A pregnant or breastfeeding mother, as a kader reports her. The baby of a
    breastfeeding mother is asked by birth date only: staff link a registered child at
    verification (the public form never searches the registry)."""

    past_date_fields = ("birth_date", "measured_on", "baby_birth_date")
    phone_fields = ("kader_phone", "phone")
    document_fields = {Document.Kind.KK: "kk_file"}
    summary_labels = {
        "consent": "Persetujuan ibu",
        "mother_status": "Status ibu",
        "muac_cm": "LiLA",
    }
    name = _text("Nama ibu", autocomplete="off")
    nik = SixteenDigitField(name="NIK", label="NIK ibu (16 angka, boleh dikosongkan)")
    birth_date = date_field("Tanggal lahir ibu")
    phone = PhoneField(
        label="Nomor HP ibu (boleh dikosongkan)",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    address = forms.CharField(
        label="Alamat (jalan, RT/RW)",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    kk_number = SixteenDigitField(name="Nomor KK", label="Nomor KK (16 angka, boleh dikosongkan)")
    husband_name = _text("Nama suami (boleh dikosongkan)", required=False, autocomplete="off")
    mother_status = forms.ChoiceField(
        label="Status ibu",
        choices=MotherStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": MOTHER_STATUS_MESSAGE},
    )
    pregnancy_month = forms.IntegerField(
        label="Usia kehamilan (bulan)",
        required=False,
        min_value=1,
        max_value=10,
        error_messages={
            "invalid": PREGNANCY_MONTH_MESSAGE,
            "min_value": PREGNANCY_MONTH_MESSAGE,
            "max_value": PREGNANCY_MONTH_MESSAGE,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    due_date = date_field("HPL – hari perkiraan lahir", required=False)
    baby_birth_date = date_field("Tanggal lahir bayi", required=False)
    measured_on = date_field("Tanggal periksa")
    muac_cm = OneDecimalField(
        label="LiLA – lingkar lengan atas (cm)",
        min_value=Decimal("15.0"),
        max_value=Decimal("45.0"),
        unit="cm",
    )
    hb_g_dl = OneDecimalField(
        label="Hb – hemoglobin (g/dL, boleh dikosongkan)",
        required=False,
        min_value=Decimal("4.0"),
        max_value=Decimal("20.0"),
        unit="g/dL",
    )
    weight_kg = OneDecimalField(
        label="Berat badan (kg)", min_value=Decimal("30.0"), max_value=Decimal("150.0"), unit="kg"
    )
    height_cm = OneDecimalField(
        label="Tinggi badan (cm, boleh dikosongkan)",
        required=False,
        min_value=Decimal("120.0"),
        max_value=Decimal("200.0"),
        unit="cm",
    )
    kk_file = forms.FileField(
        label="Foto/scan Kartu Keluarga",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    consent = forms.BooleanField(
        label=MOTHER_CONSENT_TEXT,
        error_messages={
            "required": "Centang persetujuan ini; tanpa persetujuan data tidak dapat dikirim."
        },
    )
    idempotency_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = MotherReport
        # posyandu is a plain choice field ("posyandu lain" is not a row), set in _post_clean.
        fields = [name for name in MOTHER_SNAPSHOT_FIELDS if name != "posyandu"]

    def _add_client_checks(self):
        super()._add_client_checks()
        self.fields["birth_date"].widget.attrs["data-msg-future"] = FUTURE_BIRTH_MESSAGE
        self.fields["measured_on"].widget.attrs["data-msg-future"] = FUTURE_CHECK_MESSAGE
        self.fields["baby_birth_date"].widget.attrs.update(
            {
                "data-msg-future": BABY_FUTURE_MESSAGE,
                "data-required-if": f"mother_status={MotherStatus.BREASTFEEDING}",
                "data-msg-required": BABY_REQUIRED_MESSAGE,
            }
        )
        # Said under the value as it is typed (static/js/checks.js), as on the receipt.
        self.fields["muac_cm"].widget.attrs.update(
            {"data-below": str(KEK_BELOW_MUAC_CM), "data-msg-below": KEK_NOTE}
        )
        self.fields["hb_g_dl"].widget.attrs.update(
            {"data-below": str(ANAEMIA_BELOW_HB), "data-msg-below": ANAEMIA_NOTE}
        )
        # static/js/intake.js shows a status's fields only while that status is chosen.
        for status, names in STATUS_FIELDS.items():
            for name in names:
                self.fields[name].widget.attrs["data-status"] = status
        if not self.has_stored_documents:
            self.fields["kk_file"].widget.attrs.update(
                {"data-one-of": "kk_file", "data-msg-one-of": KK_MESSAGE}
            )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        validate_not_future(value, what="Tanggal lahir", today=self.today)
        return value

    def clean_measured_on(self):
        value = self.cleaned_data["measured_on"]
        validate_not_future(value, what="Tanggal periksa", today=self.today)
        return value

    def clean_baby_birth_date(self):
        value = self.cleaned_data["baby_birth_date"]
        if value:
            validate_not_future(value, what="Tanggal lahir bayi", today=self.today)
        return value

    def clean_kk_file(self):
        return self._clean_file("kk_file")

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("mother_status")
        # What was typed for the other status, before the kader switched, is not hers.
        for other, names in STATUS_FIELDS.items():
            if status and other != status:
                for name in names:
                    self._errors.pop(name, None)
                    cleaned[name] = None
        checked_on = cleaned.get("measured_on") or self.today
        self._clean_age(cleaned, checked_on)
        if status == MotherStatus.PREGNANT:
            self._clean_pregnancy(cleaned, checked_on)
        elif status == MotherStatus.BREASTFEEDING:
            self._clean_baby(cleaned, checked_on)
        file_error = "kk_file" in self.errors
        if not cleaned.get("kk_file") and not file_error and not self.has_stored_documents:
            self.add_error("kk_file", ValidationError(KK_MESSAGE, code="document_required"))
        return cleaned

    def _clean_age(self, cleaned, checked_on):
        birth = cleaned.get("birth_date")
        if not birth:
            return
        years = completed_months(birth, checked_on) // 12
        if not MOTHER_MIN_AGE_YEARS <= years < MOTHER_MAX_AGE_YEARS:
            self.add_error(
                "birth_date", ValidationError(MOTHER_AGE_MESSAGE, code="implausible_age")
            )

    def _clean_pregnancy(self, cleaned, checked_on):
        month, due = cleaned.get("pregnancy_month"), cleaned.get("due_date")
        if month is None and due is None:
            if "pregnancy_month" not in self.errors and "due_date" not in self.errors:
                self.add_error(
                    "pregnancy_month", ValidationError(PREGNANCY_MESSAGE, code="required")
                )
            return
        if due is None:
            return
        if due > checked_on + timedelta(days=DUE_DATE_MAX_DAYS_AHEAD):
            self.add_error("due_date", ValidationError(DUE_DATE_TOO_FAR_MESSAGE, code="too_far"))
        elif due < checked_on - timedelta(days=DUE_DATE_MAX_DAYS_PAST):
            self.add_error("due_date", ValidationError(DUE_DATE_PAST_MESSAGE, code="past"))

    def _clean_baby(self, cleaned, checked_on):
        baby = cleaned.get("baby_birth_date")
        if baby is None:
            if "baby_birth_date" not in self.errors:
                self.add_error(
                    "baby_birth_date", ValidationError(BABY_REQUIRED_MESSAGE, code="required")
                )
            return
        if baby > checked_on:
            self.add_error(
                "baby_birth_date", ValidationError(BABY_AFTER_CHECK_MESSAGE, code="after_check")
            )
        elif completed_months(baby, checked_on) >= BABY_MAX_MONTHS:
            self.add_error("baby_birth_date", ValidationError(BABY_TOO_OLD_MESSAGE, code="too_old"))

    def mother_values(self):
        """The cleaned values, as the services take them."""
        cleaned = self.cleaned_data
        return MotherValues(**{f.name: cleaned[f.name] for f in fields(MotherValues)})


class MotherCorrectionForm(Correction, MotherReportForm):
    """A mother's report sent back for correction: its KK photo may stay as it is."""


def local_phone(number):
    """62812… as people write it: 0812-…"""
    return phone_display(number)


def prefill_from(submission):
    """Initial values for the next report by the same kader at the same posyandu.

    Not the kader's phone number: it opens the correction pages, and a receipt code is
    seen by whoever reads the chat it was shared in. The phone remembers its own number."""
    initial = {
        "kader_name": submission.kader_name,
        "village": submission.village.code,
    }
    if submission.posyandu_id:
        initial["posyandu"] = submission.posyandu.code
    else:
        initial["posyandu"] = OTHER_POSYANDU
        initial["posyandu_other"] = submission.posyandu_other
    return initial


class CorrectionGateForm(forms.Form):
    """The kader's phone number, as on the report, before its correction page opens: the
    receipt code alone travels in chats and must not open the child's full data."""

    WRONG_PHONE = (
        "Nomor HP tidak cocok dengan nomor kader pada laporan ini. Tulis nomor HP yang "
        "dipakai saat mengirim laporan."
    )

    nomor_hp = PhoneField(
        label="Nomor HP kader yang mengirim laporan",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "placeholder": "contoh: 0812…"}),
    )

    def __init__(self, *args, submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission = submission

    def clean_nomor_hp(self):
        number = self.cleaned_data["nomor_hp"]
        if not secrets.compare_digest(number, self.submission.kader_phone):
            raise ValidationError(self.WRONG_PHONE, code="wrong_phone")
        return number


class ReceiptLookupForm(forms.Form):
    """A receipt code as written down: any case, with or without dashes and spaces."""

    kode = forms.CharField(
        label="Kode tanda terima",
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "contoh: ABCD-EFGH-JKMN",
            }
        ),
    )

    def clean_kode(self):
        code = re.sub(r"[^0-9A-Za-z]", "", self.cleaned_data["kode"]).upper()
        if len(code) != RECEIPT_LENGTH or any(c not in RECEIPT_ALPHABET for c in code):
            raise ValidationError(
                "Kode tanda terima terdiri dari 12 huruf dan angka, misalnya ABCD-EFGH-JKMN. "
                "Periksa lagi kode yang Anda catat.",
                code="invalid",
            )
        # The same answer for every unknown code: nothing tells how close a guess was.
        known = Submission.objects.filter(code=code).exists()
        if not known and not MotherReport.objects.filter(code=code).exists():
            raise ValidationError(
                "Laporan dengan kode %(code)s tidak ditemukan. Periksa lagi kode di tanda "
                "terima, screenshot, atau pesan WhatsApp Anda.",
                code="not_found",
                params={"code": f"{code[:4]}-{code[4:8]}-{code[8:]}"},
            )
        return code


class MeasurementCheckForm(forms.Form):
    """The values the WHO assessment needs, as the intake form's script sends them."""

    jenis_kelamin = forms.ChoiceField(choices=Submission.Sex.choices)
    tanggal_lahir = date_field("Tanggal lahir anak")
    tanggal_ukur = date_field("Tanggal ukur")
    berat = weight_field()
    tinggi = height_field()
    cara_ukur = forms.ChoiceField(choices=Submission.Position.choices)

    def clean(self):
        cleaned = super().clean()
        birth, measured = cleaned.get("tanggal_lahir"), cleaned.get("tanggal_ukur")
        if birth and measured and measured < birth:
            self.add_error(
                "tanggal_ukur",
                ValidationError(BEFORE_BIRTH_MESSAGE, code="before_birth"),
            )
        return cleaned
