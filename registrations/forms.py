import re
import secrets
from dataclasses import fields

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property

from registrations import growth
from registrations.dates import AGE_LIMIT_MONTHS
from registrations.formats import phone_display
from registrations.models import (
    LOW_BIRTH_WEIGHT_G,
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    RISK_OTHER_MAX_LENGTH,
    SNAPSHOT_FIELDS,
    Document,
    Posyandu,
    ReportedAs,
    RiskFactor,
    Submission,
    Village,
    implied_risk_factors,
)
from registrations.services import MeasurementValues, ReportValues
from registrations.uploads import clean_upload, mark_size_limit
from registrations.validators import (
    FUTURE_BIRTH_MESSAGE,
    TOO_OLD_MESSAGE,
    BirthWeightField,
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


class IntakeForm(forms.ModelForm):
    has_stored_documents = False
    summary_labels = {
        "consent": "Persetujuan orang tua/wali",
        "reported_as": "Alasan dilaporkan",
        "risk_factors": "Faktor risiko",
    }
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

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        if self.instance.pk and not self.is_bound:
            # The village field is keyed by Kemendagri code; the instance gives its pk.
            self.initial["village"] = self.instance.village.code
            p = self.instance.posyandu
            self.initial["posyandu"] = p.code if p else OTHER_POSYANDU
            for name in ("kader_phone", "parent_phone"):
                self.initial[name] = local_phone(getattr(self.instance, name))
            self.initial["risk_factors"] = self.instance.risk_factors
        self._set_posyandu_choices()
        for name in ("birth_date", "measured_on"):
            self.fields[name].widget.attrs["max"] = self.today.isoformat()
        for name in ("kk_file", "akta_file"):
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
        self.fields["posyandu_other"].widget.attrs.update(
            {
                "data-required-if": f"posyandu={OTHER_POSYANDU}",
                "data-msg-required": OTHER_POSYANDU_MESSAGE,
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

    def _clean_file(self, name):
        f = self.cleaned_data.get(name)
        if not f:
            return None
        return clean_upload(f)

    def clean(self):
        cleaned = super().clean()
        self._clean_posyandu(cleaned)
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

    def _clean_reason(self, cleaned):
        clean_reason(self, cleaned)

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

    @property
    def documents(self):
        """{kind: CleanFile} of the files chosen that passed their checks."""
        files = {
            Document.Kind.KK: self.cleaned_data.get("kk_file"),
            Document.Kind.AKTA: self.cleaned_data.get("akta_file"),
        }
        return {kind: f for kind, f in files.items() if f}


class CorrectionForm(IntakeForm):
    """The same report, sent back for correction: its files may stay as they are."""

    @cached_property
    def has_stored_documents(self):
        return self.instance.documents.current().exists()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent"]
        del self.fields["idempotency_key"]
        for name in ("kk_file", "akta_file"):
            self.fields[name].label += " (kosongkan bila tidak diganti)"


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
        if not Submission.objects.filter(code=code).exists():
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
