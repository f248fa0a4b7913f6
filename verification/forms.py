from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from registrations.dates import AGE_LIMIT_MONTHS, completed_months
from registrations.growth import HAZ_LABELS
from registrations.models import Child, Measurement, Posyandu, Submission, Village
from registrations.validators import (
    PhoneField,
    SixteenDigitField,
    date_field,
    height_field,
    validate_birth_date,
    validate_under_five,
    weight_field,
)
from verification.models import Decision


class QueueFilterForm(forms.Form):
    STATUS_CHOICES = list(Submission.Status.choices) + [("semua", "Semua status")]

    q = forms.CharField(label="Cari nama anak, nama ibu, NIK", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)
    village = forms.ModelChoiceField(
        label="Kelurahan/desa",
        queryset=Village.objects.all(),
        required=False,
        empty_label="Semua",
    )
    posyandu = forms.ModelChoiceField(
        label="Posyandu",
        queryset=Posyandu.objects.select_related("village"),
        required=False,
        empty_label="Semua",
    )
    date_from = date_field("Dikirim sejak", required=False)
    date_to = date_field("Dikirim sampai", required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "Tanggal akhir sebelum tanggal awal.")
        return cleaned


AGE_GROUPS = {
    "0-5": ("0–5 bulan", 0, 5),
    "6-11": ("6–11 bulan", 6, 11),
    "12-23": ("12–23 bulan", 12, 23),
    "24-59": ("24–59 bulan", 24, 59),
}


class ChildFilterForm(forms.Form):
    q = forms.CharField(label="Cari nama anak, nama ibu, NIK", required=False, max_length=100)
    village = forms.ModelChoiceField(
        label="Kelurahan/desa", queryset=Village.objects.all(), required=False, empty_label="Semua"
    )
    posyandu = forms.ModelChoiceField(
        label="Posyandu",
        queryset=Posyandu.objects.select_related("village"),
        required=False,
        empty_label="Semua",
    )
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
        label="Nomor anak terdaftar",
        queryset=Child.objects.all(),
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

    class Meta:
        model = Child
        fields = [
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
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        # The rules of the kader's report: not in the future, under five when measured.
        validate_birth_date(value, today=timezone.localdate())
        first = (
            self.instance.measurements.order_by("measured_on").first() if self.instance.pk else None
        )
        if first and value > first.measured_on:
            raise ValidationError(
                "Tanggal lahir tidak boleh setelah pengukuran pertama (%(date)s).",
                params={"date": first.measured_on.strftime("%d-%m-%Y")},
            )
        validate_under_five(value, first.measured_on if first else self._registered_on())
        exit_date = self.instance.exit_date
        if exit_date and value > exit_date:
            raise ValidationError(
                "Tanggal lahir tidak boleh setelah tanggal keluar dari program (%(date)s).",
                params={"date": exit_date.strftime("%d-%m-%Y")},
            )
        return value

    def _registered_on(self):
        return self.instance.registered_on if self.instance.pk else timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        village, posyandu = cleaned.get("village"), cleaned.get("posyandu")
        if village and posyandu and posyandu.village_id != village.pk:
            self.add_error("posyandu", "Posyandu ini bukan di kelurahan/desa yang dipilih.")
        return cleaned


class MeasurementForm(forms.ModelForm):
    measured_on = date_field("Tanggal ukur")
    weight_kg = weight_field()
    height_cm = height_field()
    position = forms.ChoiceField(
        label="Cara ukur", choices=Measurement.Position.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Measurement
        fields = ["measured_on", "weight_kg", "height_cm", "position"]

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child

    def clean_measured_on(self):
        value = self.cleaned_data["measured_on"]
        if value > timezone.localdate():
            raise ValidationError("Tanggal ukur tidak boleh di masa depan.")
        if value < self.child.birth_date:
            raise ValidationError("Tanggal ukur sebelum tanggal lahir anak.")
        return value


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
