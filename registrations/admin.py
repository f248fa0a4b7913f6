from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from gasken.admin import ReadOnlyForStaff, SuperuserOnly
from gasken.clients import client_ip
from registrations.exports import child_data_zip
from registrations.models import (
    AccessLog,
    Child,
    Document,
    Measurement,
    Mother,
    MotherCheck,
    Posyandu,
    SubmissionVersion,
    Village,
)
from registrations.services import child_log_export, child_update


class GeneralPosterLinks:
    """The kecamatan-wide form's QR codes and poster, above the lists of places."""

    change_list_template = "admin/registrations/poster_change_list.html"

    def changelist_view(self, request, extra_context=None):
        links = [
            (reverse("registrations:intake"), "Formulir umum"),
            (reverse("registrations:qr_png"), "QR (PNG)"),
            (reverse("registrations:qr_svg"), "QR (SVG)"),
            (reverse("registrations:general_poster"), "Poster A4 formulir umum"),
            (reverse("registrations:mother_intake"), "Formulir ibu hamil/menyusui"),
            (reverse("registrations:mother_qr_png"), "QR ibu (PNG)"),
            (reverse("registrations:mother_qr_svg"), "QR ibu (SVG)"),
            (reverse("registrations:mother_general_poster"), "Poster A4 formulir ibu"),
        ]
        extra_context = {**(extra_context or {}), "general_poster_links": links}
        return super().changelist_view(request, extra_context)


@admin.register(Village)
class VillageAdmin(GeneralPosterLinks, admin.ModelAdmin):
    list_display = ["name", "kind", "code", "posyandu_count", "links"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    readonly_fields = ["links"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_posyandu=Count("posyandu_set"))

    @admin.display(description="jumlah posyandu", ordering="num_posyandu")
    def posyandu_count(self, obj):
        return obj.num_posyandu

    @admin.display(description="formulir, QR dan poster")
    def links(self, obj):
        if not obj.pk:
            return "–"
        urls = [
            (obj.get_absolute_url(), "Formulir"),
            (reverse("registrations:village_qr_png", args=[obj.code]), "QR (PNG)"),
            (reverse("registrations:village_qr_svg", args=[obj.code]), "QR (SVG)"),
            (reverse("registrations:village_poster", args=[obj.code]), "Poster A4"),
            (
                reverse("registrations:village_posters", args=[obj.code]),
                "Cetak semua poster posyandu",
            ),
            (reverse("registrations:mother_intake_village", args=[obj.code]), "Formulir ibu"),
            (reverse("registrations:mother_village_qr_svg", args=[obj.code]), "QR ibu (SVG)"),
            (reverse("registrations:mother_village_poster", args=[obj.code]), "Poster A4 ibu"),
            (
                reverse("registrations:mother_village_posters", args=[obj.code]),
                "Cetak semua poster posyandu (ibu)",
            ),
        ]
        return format_html_join(" · ", '<a href="{}" target="_blank">{}</a>', urls)

    def has_delete_permission(self, request, obj=None):
        # Kemendagri reference data: changed by migrations, never by hand.
        return False


@admin.register(Posyandu)
class PosyanduAdmin(GeneralPosterLinks, admin.ModelAdmin):
    list_display = ["name", "village", "code", "is_active", "is_demo", "links"]
    list_filter = ["is_active", "is_demo", "village"]
    search_fields = ["name", "code", "village__name"]
    list_select_related = ["village"]

    def get_readonly_fields(self, request, obj=None):
        # Printed posters carry the code: it must not change once the posyandu exists.
        return ["code", "links"] if obj else ["links"]

    @admin.display(description="formulir, QR dan poster")
    def links(self, obj):
        if not obj.pk:
            return "–"
        urls = [
            (obj.get_absolute_url(), "Formulir"),
            (reverse("registrations:posyandu_qr_png", args=[obj.code]), "QR (PNG)"),
            (reverse("registrations:posyandu_qr_svg", args=[obj.code]), "QR (SVG)"),
            (reverse("registrations:poster", args=[obj.code]), "Poster A4"),
            (reverse("registrations:mother_intake_posyandu", args=[obj.code]), "Formulir ibu"),
            (reverse("registrations:mother_posyandu_qr_svg", args=[obj.code]), "QR ibu (SVG)"),
            (reverse("registrations:mother_poster", args=[obj.code]), "Poster A4 ibu"),
        ]
        return format_html_join(" · ", '<a href="{}" target="_blank">{}</a>', urls)


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    can_delete = False
    fields = [
        "kind",
        "view_link",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "created_at",
        "purged_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="berkas")
    def view_link(self, obj):
        return document_link(obj)


def document_link(doc):
    # Never the file's own URL: a document is served only by the view that checks access
    # and writes the access log.
    if doc.is_purged:
        return f"Dihapus: {doc.get_purge_reason_display().lower()}"
    url = reverse("registrations:document", args=[doc.pk])
    return format_html('<a href="{}" target="_blank">Lihat dokumen</a>', url)


@admin.register(Document)
class DocumentAdmin(ReadOnlyForStaff, admin.ModelAdmin):
    list_display = ["report", "kind", "content_type", "size", "created_at", "view_link"]
    list_filter = ["kind", "content_type", "purge_reason"]
    search_fields = [
        "submission__code",
        "submission__child_name",
        "mother_report__code",
        "mother_report__name",
        "original_name",
        "sha256",
    ]
    list_select_related = ["submission", "mother_report"]
    fields = [
        "submission",
        "mother_report",
        "kind",
        "view_link",
        "original_name",
        "original_size",
        "content_type",
        "size",
        "sha256",
        "created_at",
        "purged_at",
        "purge_reason",
    ]
    readonly_fields = fields

    @admin.display(description="berkas")
    def view_link(self, obj):
        return document_link(obj)

    @admin.display(description="laporan")
    def report(self, obj):
        return obj.report

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeasurementInline(admin.TabularInline):
    model = Measurement
    fk_name = "child"
    extra = 0
    can_delete = False
    fields = [
        "measured_on",
        "weight_kg",
        "height_cm",
        "position",
        "source",
        "haz",
        "haz_category",
        "waz",
        "whz",
        "flags",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ChildAdminForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = Child.IDENTITY_FIELDS

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        # The staff edit page's rule: the measurements must still be assessable.
        self.instance.check_birth_date(value, today=timezone.localdate())
        return value


@admin.register(Child)
class ChildAdmin(SuperuserOnly, SimpleHistoryAdmin):
    form = ChildAdminForm
    list_display = [
        "name",
        "sex",
        "birth_date",
        "village",
        "posyandu",
        "latest_haz",
        "programme_status",
    ]
    list_filter = ["programme_status", "reported_as", "sex", "village", "latest_haz_category"]
    search_fields = ["name", "nik", "mother_name"]
    list_select_related = ["village", "posyandu", "latest_measurement"]
    # Changed on the child's staff page, through child_set_programme_status, so the exit
    # rules (reason, dates, note) hold whoever changes it.
    readonly_fields = ["programme_status", "exit_reason", "exit_date", "exit_note", "merged_into"]
    inlines = [MeasurementInline]
    actions = ["export_data"]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the same service as the staff edit page: a new birth date or sex
        # recomputes the z-scores of the child's measurements.
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        child_update(
            child=Child.objects.get(pk=obj.pk),
            changes=changes,
            user=request.user,
            change_reason="Diubah di panel admin",
        )

    @admin.action(
        description="Ekspor semua data anak (permintaan subjek data, UU 27/2022 Ps. 32)",
        permissions=["export"],
    )
    def export_data(self, request, queryset):
        if len(queryset) != 1:
            self.message_user(request, "Pilih tepat satu anak untuk diekspor.", messages.WARNING)
            return None
        child = queryset[0]
        content = child_data_zip(child)
        child_log_export(child=child, user=request.user, ip_address=client_ip(request))
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="data-anak-{child.pk}.zip"'
        response["Cache-Control"] = "no-store, private"
        return response

    def has_export_permission(self, request):
        # All of a child's data, documents included, in one file: administrators only.
        return request.user.is_superuser

    @admin.display(description="status TB/U terakhir")
    def latest_haz(self, obj):
        m = obj.latest_measurement
        return m.get_haz_category_display() if m else "–"


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyForStaff, admin.ModelAdmin):
    list_display = [
        "measured_on",
        "subject",
        "source",
        "weight_kg",
        "height_cm",
        "haz",
        "haz_category",
        "waz_category",
        "whz_category",
    ]
    list_filter = ["source", "haz_category", "waz_category", "whz_category"]
    search_fields = ["child__name", "submission__child_name", "submission__code"]
    list_select_related = ["child", "submission"]
    readonly_fields = Measurement.COMPUTED_FIELDS
    raw_id_fields = ["child", "submission", "recorded_by"]

    @admin.display(description="anak")
    def subject(self, obj):
        return obj.child or obj.submission

    def delete_queryset(self, request, queryset):
        # A bulk delete skips Measurement.delete(): refresh the children's latest here.
        children = list(Child.objects.filter(measurements__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for child in children:
            child.refresh_latest_measurement()


class MotherCheckInline(admin.TabularInline):
    model = MotherCheck
    fk_name = "mother"
    extra = 0
    can_delete = False
    fields = [
        "checked_on",
        "mother_status",
        "pregnancy_month",
        "baby_birth_date",
        "muac_cm",
        "hb_g_dl",
        "weight_kg",
        "height_cm",
        "source",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mother)
class MotherAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = [
        "name",
        "birth_date",
        "village",
        "posyandu",
        "mother_status",
        "is_kek",
        "is_anaemic",
        "programme_status",
    ]
    list_filter = ["programme_status", "mother_status", "is_kek", "is_anaemic", "village"]
    search_fields = ["name", "nik"]
    list_select_related = ["village", "posyandu"]
    fields = [*Mother.IDENTITY_FIELDS, "programme_status", "exit_reason", "exit_date", "exit_note"]
    # Changed on the mother's staff page, where the exit rules hold.
    readonly_fields = ["programme_status", "exit_reason", "exit_date", "exit_note", "merged_into"]
    inlines = [MotherCheckInline]


@admin.register(MotherCheck)
class MotherCheckAdmin(ReadOnlyForStaff, admin.ModelAdmin):
    list_display = ["checked_on", "mother", "mother_status", "muac_cm", "hb_g_dl", "source"]
    list_filter = ["source", "mother_status"]
    search_fields = ["mother__name", "mother__nik"]
    list_select_related = ["mother"]
    raw_id_fields = ["mother", "report", "baby", "recorded_by"]

    def delete_queryset(self, request, queryset):
        mothers = list(Mother.objects.filter(checks__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for mother in mothers:
            mother.refresh_latest_check()

    def delete_model(self, request, obj):
        mother = obj.mother
        super().delete_model(request, obj)
        mother.refresh_latest_check()


class AccessActionFilter(admin.SimpleListFilter):
    """The actions every app defined, by their labels (the field has no choices)."""

    title = "tindakan"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return sorted(AccessLog.ACTIONS.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "action_label", "target_type", "detail", "ip_address"]
    list_filter = [
        AccessActionFilter,
        ("target_type", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    search_fields = ["user__username", "detail", "ip_address"]
    list_select_related = ["user", "target_type"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "user",
        "action_label",
        "target_type",
        "target_id",
        "detail",
        "extra",
        "ip_address",
    ]
    readonly_fields = fields

    @admin.display(description="tindakan", ordering="action")
    def action_label(self, obj):
        return obj.get_action_display()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # An access log that can be edited proves nothing.
        return False


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(admin.ModelAdmin):
    list_display = ["submission", "number", "created_at"]
    search_fields = ["submission__code", "submission__child_name"]
    list_select_related = ["submission"]
    readonly_fields = ["submission", "number", "data", "document_ids", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
