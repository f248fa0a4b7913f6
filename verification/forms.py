from decimal import Decimal
from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from registrations.dates import AGE_LIMIT_MONTHS, completed_months
from registrations.forms import (
    clean_reason,
    reported_as_field,
    risk_factors_field,
    risk_other_text_field,
)
from registrations.growth import HAZ_LABELS
from registrations.models import (
    NOT_RECORDED,
    Child,
    Measurement,
    Mother,
    MotherCheck,
    MotherReport,
    Posyandu,
    ReportedAs,
    RiskFactor,
    Submission,
    Village,
    risk_field,
)
from registrations.services import MeasurementValues
from registrations.validators import (
    BirthWeightField,
    OneDecimalField,
    PhoneField,
    SixteenDigitField,
    birth_length_field,
    date_field,
    height_field,
    is_record_id,
    validate_not_future,
    weight_field,
)
from verification.models import Decision


class PosyanduChoices(ModelChoiceIterator):
    """Posyandu grouped by village, one optgroup each (many share a name); only the chosen
    village's when the field has one."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        q = self.queryset.select_related("village")
        if self.field.village_id is not None:
            q = q.filter(village=self.field.village_id)
        q = q.order_by("village__name", "name", "pk")
        for village, group in groupby(q, key=lambda p: p.village):
            yield (str(village), [self.choice(p) for p in group])


class PosyanduSelect(forms.Select):
    """Each option says its village, so static/js/filters.js can hide the others'."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-village"] = instance.village_id
        return option


class PosyanduFilterField(forms.ModelChoiceField):
    iterator = PosyanduChoices
    widget = PosyanduSelect
    village_id = None


class PosyanduFilterMixin:
    """A list filter with a village and a posyandu: once a village is chosen, only its
    posyandu are offered, also without JavaScript (choose the village, apply, then the
    posyandu). A posyandu of another village than the one chosen is dropped, not an error:
    the village was changed after the posyandu had been chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        village = self.data.get("village") if self.is_bound else None
        if is_record_id(village):
            self.fields["posyandu"].village_id = int(village)

    def clean(self):
        cleaned = super().clean()
        village, posyandu = cleaned.get("village"), cleaned.get("posyandu")
        if village and posyandu and posyandu.village_id != village.pk:
            cleaned["posyandu"] = None
        return cleaned


def posyandu_filter_field():
    return PosyanduFilterField(
        label="Posyandu",
        queryset=Posyandu.objects.all(),
        required=False,
        empty_label="Semua",
    )


def reported_as_filter_field():
    return forms.ChoiceField(
        label="Dilaporkan sebagai",
        choices=[("", "Semua"), *ReportedAs.choices, (NOT_RECORDED, "Belum tercatat")],
        required=False,
    )


def risk_factor_filter_field():
    return forms.ChoiceField(
        label="Faktor risiko", choices=[("", "Semua"), *RiskFactor.choices], required=False
    )


# The two kinds of kader reports in the queue (?jenis=).
CHILD_REPORTS = "balita"
MOTHER_REPORTS = "ibu"
REPORT_KINDS = [(CHILD_REPORTS, "Balita"), (MOTHER_REPORTS, "Ibu hamil/menyusui")]


def report_kind(params):
    """The kind of reports the queue lists: children's unless ?jenis=ibu."""
    return MOTHER_REPORTS if params.get("jenis") == MOTHER_REPORTS else CHILD_REPORTS


class QueueFilterForm(PosyanduFilterMixin, forms.Form):
    ALL = "all"
    STATUS_CHOICES = list(Submission.Status.choices) + [(ALL, "Semua status")]

    q = forms.CharField(label="Cari nama anak, nama ibu, NIK", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)
    village = forms.ModelChoiceField(
        label="Kelurahan/desa",
        queryset=Village.objects.all(),
        required=False,
        empty_label="Semua",
    )
    posyandu = posyandu_filter_field()
    reported_as = reported_as_filter_field()
    risk_factor = risk_factor_filter_field()
    date_from = date_field("Dikirim sejak", required=False)
    date_to = date_field("Dikirim sampai", required=False)

    def clean(self):
        return check_date_range(self, super().clean())


def check_date_range(form, cleaned):
    start, end = cleaned.get("date_from"), cleaned.get("date_to")
    if start and end and start > end:
        form.add_error("date_to", "Tanggal akhir sebelum tanggal awal.")
    return cleaned


class MotherQueueFilterForm(PosyanduFilterMixin, forms.Form):
    """The queue's filters for mothers' reports: those of children's that apply to them."""

    ALL = QueueFilterForm.ALL

    jenis = forms.CharField(widget=forms.HiddenInput, required=False)
    q = forms.CharField(label="Cari nama ibu, NIK", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", choices=QueueFilterForm.STATUS_CHOICES, required=False
    )
    village = forms.ModelChoiceField(
        label="Kelurahan/desa",
        queryset=Village.objects.all(),
        required=False,
        empty_label="Semua",
    )
    posyandu = posyandu_filter_field()
    mother_status = forms.ChoiceField(
        label="Hamil/menyusui",
        choices=[("", "Semua"), *MotherReport.MotherStatus.choices],
        required=False,
    )
    date_from = date_field("Dikirim sejak", required=False)
    date_to = date_field("Dikirim sampai", required=False)

    def clean(self):
        return check_date_range(self, super().clean())


AGE_GROUPS = {
    "0-5": ("0–5 bulan", 0, 5),
    "6-11": ("6–11 bulan", 6, 11),
    "12-23": ("12–23 bulan", 12, 23),
    "24-59": ("24–59 bulan", 24, 59),
}


class ChildFilterForm(PosyanduFilterMixin, forms.Form):
    q = forms.CharField(label="Cari nama anak, nama ibu, NIK", required=False, max_length=100)
    village = forms.ModelChoiceField(
        label="Kelurahan/desa", queryset=Village.objects.all(), required=False, empty_label="Semua"
    )
    posyandu = posyandu_filter_field()
    haz = forms.ChoiceField(
        label="Status TB/U terakhir",
        choices=[("", "Semua")] + list(HAZ_LABELS.items()),
        required=False,
    )
    age = forms.ChoiceField(
        label="Kelompok umur",
        choices=[("", "Semua")] + [(k, v[0]) for k, v in AGE_GROUPS.items()],
        required=False,
    )
    status = forms.ChoiceField(
        label="Status program",
        choices=[("", "Semua")] + list(Child.ProgrammeStatus.choices),
        required=False,
    )
    reported_as = reported_as_filter_field()
    risk_factor = risk_factor_filter_field()


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=Decision.Action.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Alasan/pesan",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    child = forms.ModelChoiceField(
        label="Anak terdaftar",
        queryset=Child.objects.current(),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid_choice": "Tidak ada anak terdaftar dengan nomor ini."},
    )
    # A report imported from the Google Form: its birth date is an estimate from the age,
    # confirmed (or corrected) here before it becomes a child's; its sex may be missing.
    birth_date = date_field("Tanggal lahir anak", required=False)
    birth_date_confirmed = forms.BooleanField(
        label="Tanggal lahir sudah dipastikan (KK/akta atau orang tua)", required=False
    )
    child_sex = forms.ChoiceField(
        label="Jenis kelamin", choices=Submission.Sex.choices, required=False
    )

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission = submission

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        note = cleaned.get("note", "").strip()
        cleaned["note"] = note
        s = self.submission
        if action == Decision.Action.VERIFIED_NEW and s is not None:
            self._check_imported(cleaned, s)
        if action == Decision.Action.NEEDS_CORRECTION and s is not None and s.is_imported:
            self.add_error(
                None,
                "Laporan impor Google Form tidak dapat dikembalikan ke kader (kader tidak "
                "memegang kode tanda terimanya). Perbaiki datanya setelah diverifikasi, "
                "atau tolak laporan ini.",
            )
        if action == Decision.Action.NEEDS_CORRECTION and not note:
            self.add_error("note", "Tulis pesan untuk kader: apa yang perlu diperbaiki.")
        if action == Decision.Action.REJECTED and not note:
            self.add_error("note", "Alasan penolakan wajib diisi.")
        if action == Decision.Action.MERGED and not cleaned.get("child"):
            if "child" not in self.errors:
                self.add_error("child", "Pilih anak terdaftar yang akan digabungkan.")
        elif action != Decision.Action.MERGED:
            # Only a merge names a registered child.
            cleaned["child"] = None
        return cleaned

    def _check_imported(self, cleaned, submission):
        if not submission.child_sex and not cleaned.get("child_sex"):
            self.add_error("child_sex", "Pilih jenis kelamin anak: laporan ini tidak mencatatnya.")
        if not submission.birth_date_estimated:
            return
        born = cleaned.get("birth_date")
        reported_on = timezone.localdate(submission.created_at)
        if born is None:
            if "birth_date" not in self.errors:
                self.add_error("birth_date", "Isi tanggal lahir anak.")
        elif born > reported_on:
            self.add_error(
                "birth_date",
                f"Tanggal lahir tidak boleh setelah laporan dikirim ({reported_on:%d-%m-%Y}).",
            )
        elif completed_months(born, reported_on) >= AGE_LIMIT_MONTHS:
            self.add_error(
                "birth_date",
                "Dengan tanggal lahir ini anak sudah berumur 60 bulan atau lebih saat "
                "dilaporkan; GASKEN hanya untuk balita.",
            )
        if not cleaned.get("birth_date_confirmed"):
            self.add_error(
                "birth_date_confirmed",
                "Tanggal lahir laporan ini hanya perkiraan dari umur: pastikan dengan KK/akta "
                "atau orang tua, lalu centang.",
            )


class ChildForm(forms.ModelForm):
    birth_date = date_field("Tanggal lahir")
    nik = SixteenDigitField(name="NIK", label="NIK")
    kk_number = SixteenDigitField(name="Nomor KK", label="Nomor KK")
    parent_phone = PhoneField(label="Nomor HP orang tua", required=False)
    # Why the child was reported, by the kader's rules; blank for a child registered
    # before the form asked.
    reported_as = reported_as_field(required=False)
    risk_factors = risk_factors_field()
    risk_other_text = risk_other_text_field()
    birth_weight_g = BirthWeightField(label="Berat lahir (gram)")
    birth_length_cm = birth_length_field(label="Panjang lahir (cm)")

    class Meta:
        model = Child
        # risk_factors is a field of the form only: changes() sets one column per factor.
        fields = [
            *Child.IDENTITY_FIELDS,
            "reported_as",
            "risk_other_text",
            "birth_weight_g",
            "birth_length_cm",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["risk_factors"] = self.instance.risk_factors

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        self.instance.check_birth_date(value, today=timezone.localdate())
        return value

    def clean(self):
        cleaned = super().clean()
        village, posyandu = cleaned.get("village"), cleaned.get("posyandu")
        if village and posyandu and posyandu.village_id != village.pk:
            self.add_error("posyandu", "Posyandu ini bukan di kelurahan/desa yang dipilih.")
        clean_reason(self, cleaned)
        return cleaned

    def changes(self):
        """{model field: cleaned value} of what was changed, for child_update: the risk
        factors as their columns."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data}
        if "risk_factors" in changes or "risk_other_text" in changes or "birth_weight_g" in changes:
            factors = self.cleaned_data["risk_factors"]
            changes.pop("risk_factors", None)
            for code in RiskFactor.values:
                changes[risk_field(code)] = code in factors
        return changes


# Where a measurement typed in by staff was taken; a kader's comes with the report.
STAFF_SOURCES = [
    Measurement.Source.KECAMATAN,
    Measurement.Source.PUSKESMAS,
    Measurement.Source.POSYANDU,
    Measurement.Source.PARTNER,
]


class MeasurementForm(forms.ModelForm):
    measured_on = date_field("Tanggal ukur")
    weight_kg = weight_field()
    height_cm = height_field()
    position = forms.ChoiceField(
        label="Cara ukur", choices=Measurement.Position.choices, widget=forms.RadioSelect
    )
    source = forms.ChoiceField(
        label="Sumber pengukuran",
        choices=[(s.value, s.label) for s in STAFF_SOURCES],
        initial=Measurement.Source.KECAMATAN,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Pilih sumber pengukuran dari daftar.",
            "invalid_choice": "Pilih sumber pengukuran dari daftar.",
        },
    )

    class Meta:
        model = Measurement
        fields = ["measured_on", "weight_kg", "height_cm", "position", "source"]

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child

    def clean_measured_on(self):
        value = self.cleaned_data["measured_on"]
        validate_not_future(value, what="Tanggal ukur")
        if value < self.child.birth_date:
            raise ValidationError("Tanggal ukur sebelum tanggal lahir anak.")
        return value

    def values(self):
        """The cleaned values, as measurement_create takes them."""
        cleaned = self.cleaned_data
        return MeasurementValues(
            measured_on=cleaned["measured_on"],
            weight_kg=cleaned["weight_kg"],
            height_cm=cleaned["height_cm"],
            position=cleaned["position"],
        )


class ProgrammeStatusForm(forms.Form):
    """A child's move out of the programme or back in.

    Only reads the values: the rules (reason, dates, note) are child_set_programme_status's,
    and its errors are put on these fields."""

    status = forms.ChoiceField(choices=Child.ProgrammeStatus.choices, widget=forms.HiddenInput)
    # The status the page was showing: a change someone else made meanwhile is not overwritten.
    current = forms.ChoiceField(choices=Child.ProgrammeStatus.choices, widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label="Alasan keluar",
        choices=Child.ExitReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    date = date_field("Tanggal keluar", required=False)
    note = forms.CharField(
        label="Keterangan",
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    """Two registrations of one child: which one stays (the other is merged into it)."""

    other = forms.ModelChoiceField(
        queryset=Child.objects.current(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Pilih anak yang akan digabungkan.",
            "invalid_choice": "Anak yang dipilih tidak ada atau sudah digabungkan ke anak lain.",
        },
    )
    kept = forms.TypedChoiceField(
        label="Data anak yang dipertahankan",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih anak yang datanya dipertahankan."},
    )
    note = forms.CharField(
        label="Alasan penggabungan (singkat, boleh dikosongkan)", required=False, max_length=60
    )

    def __init__(self, *args, child, other=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A child, or a mother (MotherMergeForm): the other is one of the same registry.
        self.fields["other"].queryset = type(child).objects.current().exclude(pk=child.pk)
        pair = [child, other] if other is not None else [child]
        self.fields["kept"].choices = [
            (c.pk, f"#{c.pk} {c.name} (terdaftar {timezone.localdate(c.created_at):%d-%m-%Y})")
            for c in pair
        ]


class MotherMergeForm(MergeForm):
    """Two registrations of one mother: which one stays (the other is merged into her)."""

    other = forms.ModelChoiceField(
        queryset=Mother.objects.current(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Pilih ibu yang akan digabungkan.",
            "invalid_choice": "Ibu yang dipilih tidak ada atau sudah digabungkan ke ibu lain.",
        },
    )
    kept = forms.TypedChoiceField(
        label="Data ibu yang dipertahankan",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih ibu yang datanya dipertahankan."},
    )

    def __init__(self, *args, mother, other=None, **kwargs):
        super().__init__(*args, child=mother, other=other, **kwargs)


# --- mothers -----------------------------------------------------------------------------

YES_NO = [("", "Semua"), ("ya", "Ya"), ("tidak", "Tidak")]


class MotherDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=Decision.Action.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Alasan/pesan",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mother = forms.ModelChoiceField(
        label="Ibu terdaftar",
        queryset=Mother.objects.current(),
        required=False,
        error_messages={"invalid_choice": "Tidak ada ibu terdaftar dengan nomor ini."},
    )
    baby = forms.ModelChoiceField(
        label="Bayi terdaftar",
        queryset=Child.objects.current(),
        required=False,
        error_messages={"invalid_choice": "Tidak ada anak terdaftar dengan nomor ini."},
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        note = cleaned.get("note", "").strip()
        cleaned["note"] = note
        if action == Decision.Action.NEEDS_CORRECTION and not note:
            self.add_error("note", "Tulis pesan untuk kader: apa yang perlu diperbaiki.")
        if action == Decision.Action.REJECTED and not note:
            self.add_error("note", "Alasan penolakan wajib diisi.")
        if action == Decision.Action.MERGED and not cleaned.get("mother"):
            if "mother" not in self.errors:
                self.add_error("mother", "Pilih ibu terdaftar yang akan digabungkan.")
        elif action != Decision.Action.MERGED:
            cleaned["mother"] = None
        verifies = action in (Decision.Action.VERIFIED_NEW, Decision.Action.MERGED)
        breastfeeding = self.report.mother_status == MotherReport.MotherStatus.BREASTFEEDING
        if not (verifies and breastfeeding):
            cleaned["baby"] = None
        return cleaned


class MotherFilterForm(PosyanduFilterMixin, forms.Form):
    q = forms.CharField(label="Cari nama ibu, NIK", required=False, max_length=100)
    village = forms.ModelChoiceField(
        label="Kelurahan/desa", queryset=Village.objects.all(), required=False, empty_label="Semua"
    )
    posyandu = posyandu_filter_field()
    mother_status = forms.ChoiceField(
        label="Hamil/menyusui",
        choices=[("", "Semua"), *Mother.MotherStatus.choices],
        required=False,
    )
    kek = forms.ChoiceField(label="KEK (LiLA < 23,5 cm)", choices=YES_NO, required=False)
    anaemia = forms.ChoiceField(label="Anemia (Hb < 11 g/dL)", choices=YES_NO, required=False)
    status = forms.ChoiceField(
        label="Status program",
        choices=[("", "Semua"), *Mother.ProgrammeStatus.choices],
        required=False,
    )


class MotherForm(forms.ModelForm):
    """A registered mother's identity, as staff correct it."""

    birth_date = date_field("Tanggal lahir")
    nik = SixteenDigitField(name="NIK", label="NIK")
    kk_number = SixteenDigitField(name="Nomor KK", label="Nomor KK")
    phone = PhoneField(label="Nomor HP", required=False)

    class Meta:
        model = Mother
        fields = Mother.IDENTITY_FIELDS
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        validate_not_future(value, what="Tanggal lahir")
        today = timezone.localdate()
        if not (today.year - 60 <= value.year <= today.year - 10):
            raise ValidationError("Tanggal lahir ibu tidak masuk akal: periksa tahunnya.")
        return value

    def clean(self):
        cleaned = super().clean()
        village, posyandu = cleaned.get("village"), cleaned.get("posyandu")
        if village and posyandu and posyandu.village_id != village.pk:
            self.add_error("posyandu", "Posyandu ini bukan di kelurahan/desa yang dipilih.")
        return cleaned

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.changed_data}


# Where a check typed in by staff was done; a kader's comes with the report.
MOTHER_STAFF_SOURCES = [
    MotherCheck.Source.KECAMATAN,
    MotherCheck.Source.PUSKESMAS,
    MotherCheck.Source.PARTNER,
]


class MotherCheckForm(forms.Form):
    checked_on = date_field("Tanggal periksa")
    source = forms.ChoiceField(
        label="Sumber pemeriksaan",
        choices=[(s.value, s.label) for s in MOTHER_STAFF_SOURCES],
        initial=MotherCheck.Source.KECAMATAN,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Pilih sumber pemeriksaan dari daftar.",
            "invalid_choice": "Pilih sumber pemeriksaan dari daftar.",
        },
    )
    mother_status = forms.ChoiceField(
        label="Status ibu",
        choices=Mother.MotherStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih hamil atau menyusui."},
    )
    pregnancy_month = forms.TypedChoiceField(
        label="Usia kehamilan (bulan)",
        choices=[("", "–")] + [(n, str(n)) for n in range(1, 11)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    due_date = date_field("Hari perkiraan lahir (HPL)", required=False)
    baby_birth_date = date_field("Tanggal lahir bayi", required=False)
    muac_cm = OneDecimalField(
        label="LiLA (cm)",
        min_value=Decimal("10.0"),
        max_value=Decimal("50.0"),
        unit="cm",
        error_messages={"required": "Isi LiLA (lingkar lengan atas) dalam cm."},
    )
    hb_g_dl = OneDecimalField(
        label="Hb (g/dL)",
        min_value=Decimal("3.0"),
        max_value=Decimal("20.0"),
        unit="g/dL",
        required=False,
    )
    weight_kg = OneDecimalField(
        label="Berat badan (kg)",
        min_value=Decimal("25.0"),
        max_value=Decimal("150.0"),
        unit="kg",
        required=False,
    )
    height_cm = OneDecimalField(
        label="Tinggi badan (cm)",
        min_value=Decimal("120.0"),
        max_value=Decimal("200.0"),
        unit="cm",
        required=False,
    )

    def __init__(self, *args, mother, **kwargs):
        super().__init__(*args, **kwargs)
        self.mother = mother

    def clean_checked_on(self):
        value = self.cleaned_data["checked_on"]
        validate_not_future(value, what="Tanggal periksa")
        if value < self.mother.birth_date:
            raise ValidationError("Tanggal periksa sebelum tanggal lahir ibu.")
        return value

    def clean_baby_birth_date(self):
        value = self.cleaned_data["baby_birth_date"]
        if value is not None:
            validate_not_future(value, what="Tanggal lahir bayi")
        return value

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("mother_status")
        checked_on = cleaned.get("checked_on")
        if status == Mother.MotherStatus.PREGNANT:
            cleaned["baby_birth_date"] = None
            if not cleaned.get("pregnancy_month") and not cleaned.get("due_date"):
                if "due_date" not in self.errors:
                    self.add_error(
                        "pregnancy_month", "Isi usia kehamilan atau hari perkiraan lahir (HPL)."
                    )
            due = cleaned.get("due_date")
            if due and checked_on and due < checked_on:
                self.add_error("due_date", "HPL sebelum tanggal periksa: periksa tanggalnya.")
        elif status == Mother.MotherStatus.BREASTFEEDING:
            cleaned["pregnancy_month"] = None
            cleaned["due_date"] = None
            born = cleaned.get("baby_birth_date")
            if born is None:
                if "baby_birth_date" not in self.errors:
                    self.add_error("baby_birth_date", "Isi tanggal lahir bayi.")
            elif checked_on and born > checked_on:
                self.add_error("baby_birth_date", "Tanggal lahir bayi setelah tanggal periksa.")
        return cleaned

    def values(self):
        """The condition, as mother_check_create takes it."""
        names = [
            "mother_status",
            "pregnancy_month",
            "due_date",
            "baby_birth_date",
            "muac_cm",
            "hb_g_dl",
            "weight_kg",
            "height_cm",
        ]
        return {name: self.cleaned_data[name] for name in names}


class MotherProgrammeStatusForm(forms.Form):
    """A mother's move out of the programme or back in; the rules are
    mother_set_programme_status's."""

    status = forms.ChoiceField(choices=Mother.ProgrammeStatus.choices, widget=forms.HiddenInput)
    current = forms.ChoiceField(choices=Mother.ProgrammeStatus.choices, widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label="Alasan keluar",
        choices=Mother.ExitReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    date = date_field("Tanggal keluar", required=False)
    note = forms.CharField(
        label="Keterangan",
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
