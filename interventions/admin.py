from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserCreationForm
from django.contrib.auth.models import Group, User
from simple_history.admin import SimpleHistoryAdmin

from gasken.admin import SuperuserOnly
from interventions.models import (
    Activity,
    ActivityPhoto,
    Delivery,
    Intervention,
    InterventionType,
    Obstacle,
    Partner,
    PartnerMember,
    PasswordChangeRequired,
)
from interventions.services import account_create
from verification import roles


def partner_accounts(q):
    """The accounts of q a verifikator may manage: partner and village users, not staff."""
    partner_roles = Group.objects.filter(name__in=roles.PARTNER_ROLES).values("user")
    return q.filter(is_superuser=False, is_staff=False, pk__in=partner_roles)


class PartnerUserField:
    """Partner users are picked by name; a verifikator picks only partner accounts."""

    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = partner_accounts(User.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PartnerMemberInline(PartnerUserField, admin.TabularInline):
    model = PartnerMember
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "village", "contact_person", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "contact_person"]
    list_select_related = ["village"]
    inlines = [PartnerMemberInline]


@admin.register(PartnerMember)
class PartnerMemberAdmin(PartnerUserField, admin.ModelAdmin):
    list_display = ["user", "partner"]
    list_filter = ["partner"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "partner__name"]
    list_select_related = ["user", "partner"]


@admin.register(InterventionType)
class InterventionTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "target",
        "default_duration_days",
        "has_quantity",
        "quantity_unit",
        "is_active",
    ]
    list_filter = ["target", "has_quantity", "is_active"]
    search_fields = ["name"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["date", "description", "quantity", "internal", "recorded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Intervention)
class InterventionAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["target_name", "kind", "partner", "status", "start_date", "planned_end"]
    list_filter = ["status", "kind__target", "kind", "partner", "child__village"]
    search_fields = ["child__name", "mother__name", "partner__name"]
    list_select_related = ["child", "mother", "kind", "partner"]
    raw_id_fields = ["child", "mother", "created_by"]
    inlines = [DeliveryInline]

    @admin.display(description="sasaran")
    def target_name(self, obj):
        if obj.mother_id:
            return f"{obj.mother} (ibu)"
        return f"{obj.child} (balita)"


@admin.register(Delivery)
class DeliveryAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["date", "intervention", "description", "quantity", "internal", "recorded_by"]
    list_filter = ["internal", "intervention__kind", "intervention__partner"]
    search_fields = ["intervention__child__name", "intervention__mother__name", "description"]
    list_select_related = [
        "intervention__child",
        "intervention__mother",
        "intervention__kind",
        "intervention__partner",
        "recorded_by",
    ]
    exclude = ["photo"]
    readonly_fields = ["photo_original_name", "photo_sha256", "measurement", "mother_check"]
    raw_id_fields = ["intervention", "recorded_by"]


@admin.register(Obstacle)
class ObstacleAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["date", "kind", "status", "intervention", "reported_by", "handled_by"]
    list_filter = ["status", "kind", "intervention__partner"]
    search_fields = [
        "intervention__child__name",
        "intervention__mother__name",
        "description",
        "handling_note",
    ]
    list_select_related = [
        "intervention__child",
        "intervention__mother",
        "intervention__kind",
        "intervention__partner",
        "reported_by",
    ]
    raw_id_fields = ["intervention", "delivery", "reported_by", "handled_by"]


class ActivityPhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    can_delete = False
    # The photos are opened through /kegiatan/foto/<id>/, where each view is logged.
    fields = ["photo_original_name", "photo_sha256", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["date", "kind", "village", "topic", "recorded_by"]
    list_filter = ["kind", "village", "partners"]
    search_fields = ["topic", "notes"]
    list_select_related = ["village", "recorded_by"]
    raw_id_fields = ["recorded_by"]
    inlines = [ActivityPhotoInline]


# --- user accounts --------------------------------------------------------------------


class AccountCreationForm(UserCreationForm):
    """One form for a new account: its role, its partner and a first password."""

    # The roles the person filling the form may give; set by AccountAdmin.get_form.
    roles = roles.ALL

    role = forms.ChoiceField(label="Peran")
    partner = forms.ModelChoiceField(
        Partner.objects.filter(is_active=True),
        required=False,
        label="Mitra",
        help_text="Wajib untuk peran Mitra (mitranya) dan Pemerintah Kelurahan/Desa "
        "(pemerintah kelurahan/desanya); kosongkan untuk peran lain.",
    )

    class Meta(UserCreationForm.Meta):
        fields = ["username", "first_name", "last_name", "email"]
        help_texts = {"email": "Untuk tautan lupa sandi bila e-mail aplikasi sudah diatur."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "---------")] + [(r, r) for r in self.roles]

    def clean(self):
        data = super().clean()
        role, partner = data.get("role"), data.get("partner")
        if role in roles.PARTNER_ROLES and partner is None:
            self.add_error("partner", f"Pilih mitra untuk peran {role}.")
        elif role == roles.DESA and not partner.village_id:
            self.add_error(
                "partner",
                "Peran Pemerintah Kelurahan/Desa harus terhubung ke pemerintah "
                "kelurahan/desa, bukan ke mitra lain.",
            )
        elif role and role not in roles.PARTNER_ROLES and partner is not None:
            self.add_error(
                "partner", f"Peran {role} tidak terhubung ke mitra; kosongkan pilihan ini."
            )
        return data

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance = account_create(
            username=data["username"],
            password=data["password1"],
            role=data["role"],
            partner=data["partner"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
        )
        return self.instance

    def save_m2m(self):
        # The role is saved with the account, by account_create.
        pass


class PasswordSetForm(AdminPasswordChangeForm):
    """An administrator sets someone's password (e.g. after "lupa sandi" without e-mail):
    by default the user must replace it at the next login."""

    must_change = forms.BooleanField(
        label="Wajib diganti saat masuk berikutnya",
        required=False,
        initial=True,
        help_text="Biarkan dicentang bila kata sandi ini Anda berikan kepada penggunanya.",
    )

    def save(self, commit=True):
        user = super().save(commit)
        if self.cleaned_data.get("must_change") and user.has_usable_password():
            PasswordChangeRequired.require(user)
        else:
            PasswordChangeRequired.objects.filter(user=user).delete()
        return user


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Django's user admin with one form that creates an account with its role and partner.

    A Verifikator Kecamatan manages the accounts of partners and village governments here
    (create, edit names, deactivate, set a password); only a superuser reaches other
    accounts, staff status, roles once given, and permissions."""

    add_form = AccountCreationForm
    add_form_template = "admin/change_form.html"
    change_password_form = PasswordSetForm
    change_user_password_template = "admin/auth/user/set_password.html"
    add_fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email")}),
        ("Peran dan mitra", {"fields": ("role", "partner")}),
        (
            "Kata sandi pertama",
            {
                "description": "Berikan kata sandi ini kepada penggunanya; ia wajib "
                "menggantinya dengan kata sandinya sendiri saat pertama kali masuk.",
                "fields": ("password1", "password2"),
            },
        ),
    )
    partner_user_fieldsets = (
        (None, {"fields": ("username", "password", "must_change_password")}),
        ("Data pribadi", {"fields": ("first_name", "last_name", "email")}),
        ("Status, peran dan mitra", {"fields": ("is_active", "role_names", "partner_name")}),
        ("Tanggal penting", {"fields": ("last_login", "date_joined")}),
    )
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role_names",
        "partner_name",
        "is_active",
        "last_login",
    ]
    list_filter = ["groups", "is_active", "is_staff", "is_superuser"]
    readonly_fields = ["role_names", "partner_name", "must_change_password"]

    def get_queryset(self, request):
        q = super().get_queryset(request)
        q = q.select_related("partner_membership__partner", "password_change_required")
        q = q.prefetch_related("groups")
        if not request.user.is_superuser:
            q = partner_accounts(q)
        return q

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = [*fields, "last_login", "date_joined"]
        return fields

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.partner_user_fieldsets
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            first, *rest = fieldsets
            fieldsets = [(None, {"fields": (*first[1]["fields"], "must_change_password")}), *rest]
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            allowed = roles.ALL if request.user.is_superuser else roles.PARTNER_ROLES
            form.roles = [r for r in roles.ALL if r in allowed]
        return form

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ["groups", "is_active"]

    def save_model(self, request, obj, form, change):
        # A new account is saved by its form (account_create).
        if change:
            super().save_model(request, obj, form, change)

    @admin.display(description="peran")
    def role_names(self, obj):
        return ", ".join(g.name for g in obj.groups.all()) or "–"

    @admin.display(description="mitra")
    def partner_name(self, obj):
        membership = PartnerMember.of(obj)
        return membership.partner.name if membership else "–"

    @admin.display(description="kata sandi wajib diganti", boolean=True)
    def must_change_password(self, obj):
        return hasattr(obj, "password_change_required")
