from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from interventions.models import Delivery, Intervention, InterventionType, Partner, PartnerMember


class PartnerMemberInline(admin.TabularInline):
    model = PartnerMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "village", "contact_person", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "contact_person"]
    list_select_related = ["village"]
    inlines = [PartnerMemberInline]


@admin.register(PartnerMember)
class PartnerMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "partner"]
    list_filter = ["partner"]
    search_fields = ["user__username", "partner__name"]
    list_select_related = ["user", "partner"]
    raw_id_fields = ["user"]


@admin.register(InterventionType)
class InterventionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "default_duration_days", "has_quantity", "quantity_unit", "is_active"]
    list_filter = ["has_quantity", "is_active"]
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
class InterventionAdmin(SimpleHistoryAdmin):
    list_display = ["child", "kind", "partner", "status", "start_date", "planned_end"]
    list_filter = ["status", "kind", "partner", "child__village"]
    search_fields = ["child__name", "partner__name"]
    list_select_related = ["child", "kind", "partner"]
    raw_id_fields = ["child", "created_by"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(SimpleHistoryAdmin):
    list_display = ["date", "intervention", "description", "quantity", "internal", "recorded_by"]
    list_filter = ["internal", "intervention__kind", "intervention__partner"]
    search_fields = ["intervention__child__name", "description"]
    list_select_related = ["intervention__child", "intervention__kind", "recorded_by"]
    exclude = ["photo"]
    readonly_fields = ["photo_original_name", "photo_sha256", "measurement"]
    raw_id_fields = ["intervention", "recorded_by"]
