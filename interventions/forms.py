from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from interventions.models import Intervention, InterventionType, Partner
from registrations.models import Child, Measurement, Village
from registrations.services import MeasurementValues
from registrations.uploads import clean_upload, mark_size_limit
from registrations.validators import (
    date_field,
    height_field,
    is_record_id,
    validate_not_future,
    weight_field,
)


class InterventionFilterForm(forms.Form):
    q = forms.CharField(label="Cari nama anak", required=False, max_length=100)
    partner = forms.ModelChoiceField(
        label="Mitra", queryset=Partner.objects.all(), required=False, empty_label="Semua"
    )
    kind = forms.ModelChoiceField(
        label="Jenis", queryset=InterventionType.objects.all(), required=False, empty_label="Semua"
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Semua")] + list(Intervention.Status.choices),
        required=False,
    )
    village = forms.ModelChoiceField(
        label="Kelurahan/desa", queryset=Village.objects.all(), required=False, empty_label="Semua"
    )
    overdue = forms.BooleanField(label="Hanya yang lewat rencana selesai", required=False)


class ChildrenField(forms.ModelMultipleChoiceField):
    """Children by id, from the hidden inputs of the assignment form."""

    def _check_values(self, value):
        # A number no id can have is refused before the database sees it.
        for pk in value:
            if not is_record_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def duplicate_message(existing):
    """Why a child was not assigned: it already has this help by this partner."""
    return (
        f"{existing.child.name} tidak ditugaskan: sudah ada {existing.kind} oleh "
        f"{existing.partner} yang {existing.get_status_display().lower()} "
        f"(mulai {existing.start_date:%d-%m-%Y})."
    )


def other_partner_message(existing):
    """A warning: the child gets the same kind of help from another partner."""
    return (
        f"Perhatian: {existing.child.name} juga mendapat {existing.kind} dari "
        f"{existing.partner} ({existing.get_status_display().lower()}, mulai "
        f"{existing.start_date:%d-%m-%Y}); pastikan bantuannya tidak ganda."
    )


class AssignForm(forms.Form):
    children = ChildrenField(
        queryset=Child.objects.current(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": "Pilih minimal satu anak dari daftar anak.",
            "invalid_choice": "Anak nomor %(value)s tidak terdaftar.",
        },
    )
    partner = forms.ModelChoiceField(
        label="Mitra",
        queryset=Partner.objects.filter(is_active=True),
        empty_label="— pilih mitra —",
    )
    kind = forms.ModelChoiceField(
        label="Jenis intervensi",
        queryset=InterventionType.objects.filter(is_active=True),
        empty_label="— pilih jenis —",
    )
    start_date = date_field("Tanggal mulai")
    planned_end = date_field("Rencana selesai", required=False)
    note = forms.CharField(
        label="Catatan untuk mitra",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        kind, start = cleaned.get("kind"), cleaned.get("start_date")
        end = cleaned.get("planned_end")
        if kind and start and not end:
            end = Intervention.planned_end_for(kind, start)
            if end is None:
                self.add_error(
                    "planned_end", "Isi rencana selesai: jenis ini tidak punya lama bawaan."
                )
            cleaned["planned_end"] = end
        if start and end and end < start:
            self.add_error("planned_end", "Rencana selesai tidak boleh sebelum tanggal mulai.")
        unborn = [c.name for c in cleaned.get("children", []) if start and c.birth_date > start]
        if unborn:
            self.add_error(
                "start_date", f"Tanggal mulai sebelum tanggal lahir {', '.join(unborn)}."
            )
        self._check_open_assignments(cleaned)
        return cleaned

    def _check_open_assignments(self, cleaned):
        """Sort the children's planned or running interventions of the chosen kind into
        `duplicates` (same partner: that child is not assigned again) and `warnings` (another
        partner: assigned, with a warning). Children with a duplicate leave
        cleaned_data["children"]; when that leaves none, the form is invalid."""
        self.duplicates, self.warnings = [], []
        children, partner, kind = (cleaned.get(n) for n in ("children", "partner", "kind"))
        if not (children and partner and kind):
            return
        q = Intervention.objects.open().filter(child__in=children, kind=kind)
        for existing in q.select_related("child", "partner", "kind").order_by("child__name", "pk"):
            if existing.partner_id == partner.pk:
                self.duplicates.append(existing)
            else:
                self.warnings.append(existing)
        refused = {i.child_id for i in self.duplicates}
        cleaned["children"] = [c for c in children if c.pk not in refused]
        if not cleaned["children"]:
            for existing in self.duplicates:
                self.add_error("children", duplicate_message(existing))


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Intervention.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Alasan pembatalan",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("reason", "").strip()
        cleaned["reason"] = reason
        if cleaned.get("status") == Intervention.Status.CANCELLED and not reason:
            self.add_error("reason", "Alasan pembatalan wajib diisi.")
        return cleaned


class DeliveryForm(forms.Form):
    date = date_field("Tanggal")
    description = forms.CharField(
        label="Yang diberikan/dilakukan",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Misalnya: paket PMT biskuit dan susu"}),
    )
    quantity = forms.DecimalField(
        label="Jumlah",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(
        label="Catatan", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    internal = forms.BooleanField(
        label="Catatan internal (hanya untuk mitra kami dan kecamatan)", required=False
    )
    photo = forms.FileField(
        label="Foto bukti (boleh dikosongkan)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    weight_kg = weight_field(required=False)
    height_cm = height_field(required=False)
    position = forms.ChoiceField(
        label="Cara ukur",
        choices=Measurement.Position.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, intervention, **kwargs):
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        mark_size_limit(self.fields["photo"])
        kind = intervention.kind
        if kind.has_quantity:
            self.fields["quantity"].required = True
            if kind.quantity_unit:
                self.fields["quantity"].label = f"Jumlah ({kind.quantity_unit})"
        else:
            del self.fields["quantity"]

    def clean_date(self):
        value = self.cleaned_data["date"]
        validate_not_future(value)
        if value < self.intervention.start_date:
            raise ValidationError(
                "Tanggal sebelum intervensi dimulai (%(start)s).",
                params={"start": self.intervention.start_date.strftime("%d-%m-%Y")},
            )
        return value

    def clean_photo(self):
        f = self.cleaned_data.get("photo")
        return clean_upload(f, allow_pdf=False) if f else None

    def clean(self):
        cleaned = super().clean()
        weight, height = cleaned.get("weight_kg"), cleaned.get("height_cm")
        day = cleaned.get("date")
        if (weight or height) and day and day < self.intervention.child.birth_date:
            self.add_error("date", "Tanggal ukur sebelum tanggal lahir anak.")
        if height and not cleaned.get("position"):
            self.add_error("position", "Pilih cara ukur (terlentang atau berdiri).")
        if weight and not height and "height_cm" not in self.errors:
            self.add_error(
                "height_cm", "Isi juga panjang/tinggi badan, atau kosongkan berat badan."
            )
        if height and not weight and "weight_kg" not in self.errors:
            self.add_error(
                "weight_kg", "Isi juga berat badan, atau kosongkan panjang/tinggi badan."
            )
        return cleaned

    def measurement_values(self):
        """The child's measurement taken at the visit, as delivery_record takes it, or None
        when none was entered."""
        cleaned = self.cleaned_data
        if not (cleaned.get("weight_kg") and cleaned.get("height_cm")):
            return None
        return MeasurementValues(
            measured_on=cleaned["date"],
            weight_kg=cleaned["weight_kg"],
            height_cm=cleaned["height_cm"],
            position=cleaned["position"],
        )
