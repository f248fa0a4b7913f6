"""How far kecamatan staff reach in the Django admin.

A Verifikator Kecamatan is staff: in the admin they keep the master data (posyandu,
partners and their users, intervention types) and read reports, documents and
measurements. Everything else they do on the staff pages, where the workflow's rules (and
the access log) apply, even where their role's permissions would let the admin show it."""


class ReadOnlyForStaff:
    """ModelAdmin mixin: only a superuser adds, changes or deletes here; staff with the
    view permission read."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class SuperuserOnly:
    """ModelAdmin mixin: the model is in the admin for a superuser only; staff work on it
    in the staff pages."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)
