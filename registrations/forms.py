from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from registrations.models import SNAPSHOT_FIELDS, Posyandu, Submission, Village
from registrations.uploads import clean_upload, mark_size_limit
from registrations.validators import (
    PhoneField,
    SixteenDigitField,
    completed_months,
    date_field,
    height_field,
    weight_field,
)

OTHER_POSYANDU = "lain"
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


class IntakeForm(forms.ModelForm):
    has_stored_documents = False
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

    class Meta:
        model = Submission
        # posyandu is a plain choice field ("posyandu lain" is not a row), set in _post_clean.
        fields = [name for name in SNAPSHOT_FIELDS if name != "posyandu"]

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        posyandu = (
            Posyandu.objects.active().select_related("village").order_by("village__name", "name")
        )
        groups = {}
        for p in posyandu:
            groups.setdefault(p.village.name, []).append((p.code, p.name))
        choices = [("", "— pilih posyandu —")]
        choices += [(village, options) for village, options in groups.items()]
        choices.append((OTHER_POSYANDU, "Posyandu lain (tulis namanya di bawah)"))
        field = self.fields["posyandu"]
        field.choices = choices
        field.widget = PosyanduSelect(
            choices=choices, village_of={p.code: p.village.code for p in posyandu}
        )
        self._posyandu_by_code = {p.code: p for p in posyandu}
        for name in ("birth_date", "measured_on"):
            self.fields[name].widget.attrs["max"] = self.today.isoformat()
        for name in ("kk_file", "akta_file"):
            mark_size_limit(self.fields[name])
        if self.instance.pk and not self.is_bound:
            p = self.instance.posyandu
            self.initial["posyandu"] = p.code if p else OTHER_POSYANDU
            for name in ("kader_phone", "parent_phone"):
                self.initial[name] = local_phone(getattr(self.instance, name))

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > self.today:
            raise ValidationError("Tanggal lahir tidak boleh di masa depan.", code="future")
        return value

    def clean_measured_on(self):
        value = self.cleaned_data["measured_on"]
        if value > self.today:
            raise ValidationError("Tanggal ukur tidak boleh di masa depan.", code="future")
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

        birth, measured = cleaned.get("birth_date"), cleaned.get("measured_on")
        if birth and measured:
            if measured < birth:
                self.add_error(
                    "measured_on",
                    ValidationError("Tanggal ukur sebelum tanggal lahir.", code="before_birth"),
                )
            elif completed_months(birth, measured) >= 60:
                self.add_error(
                    "birth_date",
                    ValidationError(
                        "Anak sudah berumur 60 bulan atau lebih pada tanggal ukur; "
                        "GASKEN hanya untuk balita (di bawah 5 tahun).",
                        code="too_old",
                    ),
                )

        has_file = cleaned.get("kk_file") or cleaned.get("akta_file")
        file_errors = "kk_file" in self.errors or "akta_file" in self.errors
        if not has_file and not file_errors and not self.has_stored_documents:
            self.add_error(
                "kk_file",
                ValidationError(
                    "Unggah foto/scan Kartu Keluarga atau akta kelahiran (minimal salah satu).",
                    code="document_required",
                ),
            )
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
                    "posyandu_other",
                    ValidationError(
                        "Tulis nama posyandu yang tidak ada di daftar.", code="required"
                    ),
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

    @property
    def documents(self):
        """(kind, CleanFile) pairs of the files that passed their checks."""
        pairs = [
            ("kk", self.cleaned_data.get("kk_file")),
            ("akta", self.cleaned_data.get("akta_file")),
        ]
        return [(kind, f) for kind, f in pairs if f]


class CorrectionForm(IntakeForm):
    """The same report, sent back for correction: its files may stay as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent"]
        del self.fields["idempotency_key"]
        self.has_stored_documents = self.instance.documents.current().exists()
        for name in ("kk_file", "akta_file"):
            self.fields[name].label += " (kosongkan bila tidak diganti)"


def local_phone(number):
    """62812… as people write it: 0812…"""
    return "0" + number[2:] if number.startswith("62") else number


def prefill_from(submission):
    """Initial values for the next report by the same kader at the same posyandu."""
    initial = {
        "kader_name": submission.kader_name,
        "kader_phone": local_phone(submission.kader_phone),
        "village": submission.village.code,
    }
    if submission.posyandu_id:
        initial["posyandu"] = submission.posyandu.code
    else:
        initial["posyandu"] = OTHER_POSYANDU
        initial["posyandu_other"] = submission.posyandu_other
    return initial
