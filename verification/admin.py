from django.contrib import admin

from verification.models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["decided_at", "submission", "version", "action", "child", "decided_by"]
    list_filter = ["action", "decided_at"]
    search_fields = ["submission__code", "submission__child_name", "note"]
    list_select_related = ["submission", "child", "decided_by"]
    readonly_fields = [
        "submission",
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
