from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from gasken.admin import ReadOnlyForStaff, SuperuserOnly
from registrations.admin import DocumentInline
from registrations.models import MotherReport, Submission
from verification.models import Decision


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyForStaff, admin.ModelAdmin):
    # The decision and the way to the verification page first: the list is wide.
    list_display = [
        "formatted_code",
        "child_name",
        "status",
        "last_decision",
        "verification_link",
        "created_at",
        "village",
        "posyandu_label",
        "kader_name",
        "birth_date",
    ]
    list_filter = ["status", "source", "reported_as", "village", "created_at", "child_sex"]
    search_fields = ["code", "child_name", "mother_name", "child_nik", "kader_name"]
    list_select_related = ["village", "posyandu"]
    date_hierarchy = "created_at"
    inlines = [DocumentInline]

    def get_queryset(self, request):
        # The latest decision of each report in the list's own query, not one query a row.
        latest = Decision.objects.filter(submission=OuterRef("pk")).order_by("-decided_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_action=Subquery(latest.values("action")[:1]),
                last_decided_at=Subquery(latest.values("decided_at")[:1]),
                last_decided_by=Subquery(latest.values("decided_by__username")[:1]),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # A report is kept exactly as the kader sent it.
        fields = [f.name for f in Submission._meta.fields]
        return fields + ["last_decision", "verification_link", "receipt_link"]

    @admin.display(description="kode", ordering="code")
    def formatted_code(self, obj):
        return obj.formatted_code

    @admin.display(description="posyandu")
    def posyandu_label(self, obj):
        return obj.posyandu_label

    @admin.display(description="keputusan terakhir", ordering="last_decided_at")
    def last_decision(self, obj):
        if not obj.last_action:
            return "Belum diputuskan"
        when = date_format(timezone.localtime(obj.last_decided_at), "j M Y H:i")
        label = Decision.Action(obj.last_action).label
        return f"{label} ({when}, {obj.last_decided_by})"

    @admin.display(description="verifikasi")
    def verification_link(self, obj):
        url = reverse("verification:submission", args=[obj.pk])
        return format_html('<a href="{}">Buka halaman verifikasi</a>', url)

    @admin.display(description="tanda terima kader")
    def receipt_link(self, obj):
        return format_html('<a href="{}" target="_blank">Buka</a>', obj.get_absolute_url())

    def has_add_permission(self, request):
        # Reports come from kader through the public form, never typed in by staff.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MotherReport)
class MotherReportAdmin(ReadOnlyForStaff, admin.ModelAdmin):
    list_display = [
        "formatted_code",
        "name",
        "mother_status",
        "status",
        "verification_link",
        "created_at",
        "village",
        "posyandu_label",
        "kader_name",
    ]
    list_filter = ["status", "mother_status", "village", "created_at"]
    search_fields = ["code", "name", "nik", "kader_name"]
    list_select_related = ["village", "posyandu"]
    date_hierarchy = "created_at"
    inlines = [DocumentInline]

    def get_readonly_fields(self, request, obj=None):
        # A report is kept exactly as the kader sent it.
        return [f.name for f in MotherReport._meta.fields] + ["verification_link"]

    @admin.display(description="kode", ordering="code")
    def formatted_code(self, obj):
        return obj.formatted_code

    @admin.display(description="posyandu")
    def posyandu_label(self, obj):
        return obj.posyandu_label

    @admin.display(description="verifikasi")
    def verification_link(self, obj):
        url = reverse("verification:mother_report", args=[obj.pk])
        return format_html('<a href="{}">Buka halaman verifikasi</a>', url)

    def has_add_permission(self, request):
        # Reports come from kader through the public form, never typed in by staff.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = [
        "decided_at",
        "submission",
        "mother_report",
        "version",
        "action",
        "child",
        "mother",
        "decided_by",
    ]
    list_filter = ["action", "decided_at"]
    search_fields = ["submission__code", "submission__child_name", "mother_report__name", "note"]
    list_select_related = ["submission", "mother_report", "child", "mother", "decided_by"]
    readonly_fields = [
        "submission",
        "mother_report",
        "mother",
        "version",
        "action",
        "child",
        "note",
        "decided_by",
        "decided_at",
    ]

    def has_add_permission(self, request):
        # Decisions are made on the report page, where they take effect.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
