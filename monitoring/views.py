from tempfile import SpooledTemporaryFile

from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.cache import never_cache

from gasken.pages import require_perm
from interventions.views import _get_partner_for_user, _get_village_for_user
from monitoring import exports
from monitoring.forms import FilterForm
from registrations.models import AccessLog, Village

# --- Excel recaps -------------------------------------------------------------------------

# A workbook stays in memory up to this size, then goes to a temporary file.
SPOOL_BYTES = 4 * 1024 * 1024


def _filters_for(request, scope):
    """The dashboard's filters from the query string, or None when they are not valid."""
    villages = Village.objects.filter(pk=scope.village.pk) if scope.village else None
    form = FilterForm(request.GET or None, villages=villages)
    if form.is_bound and not form.is_valid():
        return None
    village = form.cleaned_data.get("village") if form.is_bound else None
    date_from, date_to = form.period()
    return exports.Filters(date_from, date_to, village or scope.village)


def _download(request, name, scope, offered):
    if name not in offered:
        raise Http404
    filters = _filters_for(request, scope)
    if filters is None:
        return HttpResponseBadRequest(
            "Filter tidak valid: periksa tanggal dan kelurahan/desa.",
            content_type="text/plain; charset=utf-8",
        )
    now = timezone.now()
    subtitle = exports.describe(scope, filters)
    out = SpooledTemporaryFile(max_size=SPOOL_BYTES)
    count = exports.write(exports.table(name, scope, filters), out, subtitle=subtitle, now=now)
    filename = f"{name}-{timezone.localtime(now, exports.WIB):%Y-%m-%d}.xlsx"
    AccessLog.objects.create(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        detail=f"{filename} · {count} baris · {subtitle}"[:255],
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPE
    )


@require_perm("verification.view_cases")
@never_cache
def export_workbook(request, workbook):
    return _download(request, workbook, exports.Scope(), exports.STAFF_WORKBOOKS)


@require_perm("interventions.work_as_partner")
@never_cache
def export_partner_workbook(request, workbook):
    scope = exports.Scope(partner=_get_partner_for_user(request.user))
    return _download(request, workbook, scope, exports.PARTNER_WORKBOOKS)


@require_perm("interventions.view_village")
@never_cache
def export_village_workbook(request, workbook):
    scope = exports.Scope(village=_get_village_for_user(request.user))
    return _download(request, workbook, scope, exports.VILLAGE_WORKBOOKS)
