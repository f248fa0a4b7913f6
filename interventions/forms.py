from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from interventions.models import (
    Activity,
    ActivityPhoto,
    Intervention,
    InterventionType,
    Obstacle,
    Partner,
)
from interventions.services import (
    ATTENDANCE_MESSAGE,
    OTHER_OBSTACLE_MESSAGE,
    ActivityValues,
    MotherCheckValues,
    ObstacleValues,
)
from registrations.models import Child, Measurement, Posyandu, Village
from registrations.services import MeasurementValues
from registrations.uploads import clean_upload, mark_size_limit
from registrations.validators import (
    OneDecimalField,
    date_field,
    height_field,
    is_record_id,
    validate_not_future,
    weight_field,
)
from verification.forms import PosyanduFilterField


class InterventionFilterForm(forms.Form):
    q = forms.CharField(label="Cari nama anak atau ibu", required=False, max_length=100)
    target = forms.ChoiceField(
        label="Sasaran",
        choices=[("", "Semua")] + list(InterventionType.Target.choices),
        required=False,
    )
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


class RecordsField(forms.ModelMultipleChoiceField):
    """Records chosen by id; a number no id can have is refused before the database sees
    it (SQLite cannot even take it as a parameter)."""

    def _check_values(self, value):
        for pk in value:
            if not is_record_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class ChildrenField(RecordsField):
    """Children by id, from the hidden inputs of the assignment form."""


def duplicate_message(existing):
    """Why a child or mother was not assigned: she already has this help by this partner."""
    return (
        f"{existing.target.name} tidak ditugaskan: sudah ada {existing.kind} oleh "
        f"{existing.partner} yang {existing.get_status_display().lower()} "
        f"(mulai {existing.start_date:%d-%m-%Y})."
    )


def other_partner_message(existing):
    """A warning: the child or mother gets the same kind of help from another partner."""
    return (
        f"Perhatian: {existing.target.name} juga mendapat {existing.kind} dari "
        f"{existing.partner} ({existing.get_status_display().lower()}, mulai "
        f"{existing.start_date:%d-%m-%Y}); pastikan bantuannya tidak ganda."
    )


class _AssignmentForm(forms.Form):
    """Partner, kind, dates and note of an assignment; the kinds offered are those of
    `target` (an InterventionType.Target value)."""

    target = InterventionType.Target.CHILD

    partner = forms.ModelChoiceField(
        label="Mitra",
        queryset=Partner.objects.filter(is_active=True),
        empty_label="— pilih mitra —",
    )
    kind = forms.ModelChoiceField(
        label="Jenis intervensi",
        queryset=InterventionType.objects.none(),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = InterventionType.objects.filter(is_active=True, target=self.target)
        self.fields["kind"].queryset = kinds

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
        return cleaned


class AssignForm(_AssignmentForm):
    children = ChildrenField(
        queryset=Child.objects.current(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": "Pilih minimal satu anak dari daftar anak.",
            "invalid_choice": "Anak nomor %(value)s tidak terdaftar.",
        },
    )
    field_order = ["children"]

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start_date")
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


class MotherAssignForm(_AssignmentForm):
    """One mother's assignment: only the kinds for mothers are offered."""

    target = InterventionType.Target.MOTHER

    def __init__(self, *args, mother, **kwargs):
        super().__init__(*args, **kwargs)
        self.mother = mother

    def clean(self):
        cleaned = super().clean()
        # The same help by the same partner still open is refused; by another partner it is
        # assigned with a warning.
        self.warnings = []
        partner, kind = cleaned.get("partner"), cleaned.get("kind")
        if partner and kind:
            q = Intervention.objects.open().filter(mother=self.mother, kind=kind)
            for existing in q.select_related("mother", "partner", "kind").order_by("pk"):
                if existing.partner_id == partner.pk:
                    self.add_error("kind", duplicate_message(existing))
                else:
                    self.warnings.append(existing)
        return cleaned


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
    muac_cm = OneDecimalField(
        label="LiLA (cm)",
        min_value=Decimal("10.0"),
        max_value=Decimal("50.0"),
        unit="cm",
        required=False,
    )
    hb_g_dl = OneDecimalField(
        label="Hb (g/dL, boleh dikosongkan)",
        min_value=Decimal("3.0"),
        max_value=Decimal("20.0"),
        unit="g/dL",
        required=False,
    )
    mother_weight_kg = OneDecimalField(
        label="Berat badan ibu (kg, boleh dikosongkan)",
        min_value=Decimal("25.0"),
        max_value=Decimal("150.0"),
        unit="kg",
        required=False,
    )
    position = forms.ChoiceField(
        label="Cara ukur",
        choices=Measurement.Position.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    obstacle_kind = forms.ChoiceField(
        label="Kendala",
        choices=[("", "Tidak ada kendala")] + list(Obstacle.Kind.choices),
        required=False,
    )
    obstacle_description = forms.CharField(
        label="Keterangan kendala",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, intervention, **kwargs):
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        mark_size_limit(self.fields["photo"])
        # A child is measured (weight, length/height); a mother is checked (LiLA, Hb, weight).
        if intervention.mother_id:
            for name in ("weight_kg", "height_cm", "position"):
                del self.fields[name]
        else:
            for name in ("muac_cm", "hb_g_dl", "mother_weight_kg"):
                del self.fields[name]
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
        if self.intervention.mother_id:
            self._clean_mother_check(cleaned)
        else:
            self._clean_measurement(cleaned)
        cleaned["obstacle_description"] = cleaned.get("obstacle_description", "").strip()
        if cleaned.get("obstacle_kind") == Obstacle.Kind.OTHER:
            if not cleaned["obstacle_description"]:
                self.add_error("obstacle_description", OTHER_OBSTACLE_MESSAGE)
        return cleaned

    def _clean_mother_check(self, cleaned):
        measured = cleaned.get("hb_g_dl") or cleaned.get("mother_weight_kg")
        if measured and not cleaned.get("muac_cm") and "muac_cm" not in self.errors:
            self.add_error("muac_cm", "Isi LiLA, atau kosongkan Hb dan berat badan ibu.")

    def _clean_measurement(self, cleaned):
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

    def mother_check_values(self):
        """The mother's check taken at the visit, as delivery_record takes it, or None when
        no LiLA was entered."""
        cleaned = self.cleaned_data
        if not cleaned.get("muac_cm"):
            return None
        return MotherCheckValues(
            checked_on=cleaned["date"],
            muac_cm=cleaned["muac_cm"],
            hb_g_dl=cleaned.get("hb_g_dl"),
            weight_kg=cleaned.get("mother_weight_kg"),
        )

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

    def obstacle_values(self):
        """The obstacle met at the delivery, as delivery_record takes it, or None."""
        cleaned = self.cleaned_data
        if not cleaned.get("obstacle_kind"):
            return None
        return ObstacleValues(
            kind=cleaned["obstacle_kind"],
            date=cleaned["date"],
            description=cleaned["obstacle_description"],
        )


# --- Obstacles ---------------------------------------------------------------------------


class ObstacleForm(forms.Form):
    """A partner's obstacle on an assignment."""

    date = date_field("Tanggal")
    kind = forms.ChoiceField(
        label="Kendala",
        choices=Obstacle.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih kendalanya."},
    )
    description = forms.CharField(
        label="Keterangan",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_date(self):
        value = self.cleaned_data["date"]
        validate_not_future(value)
        return value

    def clean(self):
        cleaned = super().clean()
        cleaned["description"] = cleaned.get("description", "").strip()
        if cleaned.get("kind") == Obstacle.Kind.OTHER and not cleaned["description"]:
            self.add_error("description", OTHER_OBSTACLE_MESSAGE)
        return cleaned

    def values(self):
        cleaned = self.cleaned_data
        return ObstacleValues(
            kind=cleaned["kind"], date=cleaned["date"], description=cleaned["description"]
        )


class ObstacleHandleForm(forms.Form):
    note = forms.CharField(
        label="Tindak lanjut",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Tuliskan tindak lanjutnya."},
    )


# The obstacle lists' ?status= value for every status.
ALL_STATUSES = "all"


class ObstacleFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=list(Obstacle.Status.choices) + [(ALL_STATUSES, "Semua")],
        required=False,
    )
    kind = forms.ChoiceField(
        label="Kendala", choices=[("", "Semua")] + list(Obstacle.Kind.choices), required=False
    )
    village = forms.ModelChoiceField(
        label="Kelurahan/desa", queryset=Village.objects.all(), required=False, empty_label="Semua"
    )
    partner = forms.ModelChoiceField(
        label="Mitra", queryset=Partner.objects.all(), required=False, empty_label="Semua"
    )
    date_from = date_field("Tanggal dari", required=False)
    date_to = date_field("sampai", required=False)


# --- Group activities ----------------------------------------------------------------


class AudienceField(forms.IntegerField):
    """How many people of one audience came: empty is none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            min_value=0,
            # Far above any one activity; keeps a typing slip out of the totals.
            max_value=10_000,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
            error_messages={
                "invalid": "Tulis jumlah orang dengan angka bulat, misalnya 12.",
                "min_value": "Jumlah tidak boleh kurang dari 0.",
                "max_value": "Jumlah paling banyak %(limit_value)s orang.",
            },
            **kwargs,
        )

    def clean(self, value):
        return super().clean(value) or 0


class PhotoChoiceField(RecordsField):
    def label_from_instance(self, obj):
        return f"{obj.photo_original_name or 'foto'} (diunggah {obj.created_at:%d-%m-%Y})"


class ActivityForm(forms.Form):
    """A group activity, by kecamatan staff (any partners) or by a partner (`partner`: its
    own is set and not offered, the others that joined it are)."""

    kind = forms.ChoiceField(
        label="Jenis kegiatan",
        choices=Activity.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih jenis kegiatan."},
    )
    date = date_field("Tanggal kegiatan")
    village = forms.ModelChoiceField(
        label="Kelurahan/desa",
        queryset=Village.objects.all(),
        empty_label="— pilih kelurahan/desa —",
        error_messages={"required": "Pilih kelurahan/desa tempat kegiatan."},
    )
    posyandu = PosyanduFilterField(
        label="Posyandu (bila di posyandu)",
        queryset=Posyandu.objects.active(),
        required=False,
        empty_label="— bukan di posyandu —",
    )
    partners = RecordsField(
        label="Mitra pelaksana",
        queryset=Partner.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pilih minimal satu mitra pelaksana."},
    )
    topic = forms.CharField(
        label="Topik/materi",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Misalnya: gizi seimbang untuk balita"}),
        error_messages={"required": "Tulis topik kegiatan."},
    )
    parents_count = AudienceField(label="Orang tua balita")
    mothers_count = AudienceField(label="Ibu hamil/menyusui")
    kader_count = AudienceField(label="Kader posyandu/PKK")
    officials_count = AudienceField(label="Aparat desa/kelurahan")
    others_count = AudienceField(label="Lainnya")
    notes = forms.CharField(
        label="Catatan", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    remove_photos = PhotoChoiceField(
        label="Hapus foto",
        queryset=ActivityPhoto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, partner=None, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner, self.activity = partner, activity
        # What the activity has already stays on offer, even if no longer active.
        if activity is not None:
            self.fields["posyandu"].queryset = Posyandu.objects.filter(
                Q(is_active=True) | Q(pk=activity.posyandu_id)
            )
            self.fields["partners"].queryset = Partner.objects.filter(
                Q(is_active=True) | Q(pk__in=activity.partners.values("pk"))
            )
            self.fields["remove_photos"].queryset = activity.photos.all()
            kept = activity.photos.count()
        else:
            del self.fields["remove_photos"]
            kept = 0
        if partner is not None:
            field = self.fields["partners"]
            field.queryset = field.queryset.exclude(pk=partner.pk)
            field.required = False
            field.label = f"Mitra lain yang ikut menyelenggarakan (selain {partner})"
        village = self.data.get("village") if self.is_bound else None
        if is_record_id(village):
            self.fields["posyandu"].village_id = int(village)
        # One file input per photo the activity may still get.
        self.photo_names = []
        for n in range(1, Activity.MAX_PHOTOS - kept + 1):
            name = f"photo_{n}"
            self.fields[name] = forms.FileField(
                label=f"Foto {n} (boleh dikosongkan)",
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
            )
            mark_size_limit(self.fields[name])
            self.photo_names.append(name)

    @property
    def audience_fields(self):
        return [self[name] for name, _ in Activity.AUDIENCES]

    @property
    def photo_fields(self):
        return [self[name] for name in self.photo_names]

    def clean_date(self):
        value = self.cleaned_data["date"]
        validate_not_future(value, what="Tanggal kegiatan")
        return value

    def clean(self):
        cleaned = super().clean()
        for name in self.photo_names:
            f = cleaned.get(name)
            if f:
                try:
                    cleaned[name] = clean_upload(f, allow_pdf=False)
                except ValidationError as e:
                    self.add_error(name, e)
        village, posyandu = cleaned.get("village"), cleaned.get("posyandu")
        if village and posyandu and posyandu.village_id != village.pk:
            self.add_error("posyandu", "Posyandu ini bukan di kelurahan/desa yang dipilih.")
        audiences = [name for name, _ in Activity.AUDIENCES]
        if not any(name in self.errors for name in audiences) and not any(
            cleaned.get(name) for name in audiences
        ):
            self.add_error(None, ATTENDANCE_MESSAGE)
        return cleaned

    def values(self):
        """The activity as the services take it; the partner's own is one of its partners."""
        cleaned = self.cleaned_data
        partners = list(cleaned["partners"])
        if self.partner is not None:
            partners.insert(0, self.partner)
        return ActivityValues(
            kind=cleaned["kind"],
            date=cleaned["date"],
            village=cleaned["village"],
            posyandu=cleaned.get("posyandu"),
            partners=partners,
            topic=cleaned["topic"],
            notes=cleaned["notes"],
            **{name: cleaned[name] for name, _ in Activity.AUDIENCES},
        )

    def photos(self):
        """The new photos, checked and cleaned."""
        return [self.cleaned_data[n] for n in self.photo_names if self.cleaned_data.get(n)]

    def removed_photos(self):
        return list(self.cleaned_data.get("remove_photos") or [])


class ActivityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Jenis", choices=[("", "Semua")] + list(Activity.Kind.choices), required=False
    )
    village = forms.ModelChoiceField(
        label="Kelurahan/desa", queryset=Village.objects.all(), required=False, empty_label="Semua"
    )
    partner = forms.ModelChoiceField(
        label="Mitra", queryset=Partner.objects.all(), required=False, empty_label="Semua"
    )
    date_from = date_field("Tanggal dari", required=False)
    date_to = date_field("sampai", required=False)
