"""Group activities: recorded by kecamatan staff and by partners, read by the village where
they took place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from gasken.clients import client_ip
from gasken.files import private_file_response
from gasken.pages import paginate, require_perm
from interventions.forms import ActivityFilterForm, ActivityForm
from interventions.models import Activity, ActivityPhoto, Partner, PartnerMember
from interventions.services import activity_log_photo_view, activity_record, activity_update
from interventions.views import get_partner_for_user, get_village_for_user

# The pages of each role: (list, detail, create, edit) URL names; None where the role has
# no such page.
STAFF_PAGES = {
    "list": "interventions:activity_list",
    "detail": "interventions:activity_detail",
    "create": "interventions:activity_create",
    "edit": "interventions:activity_edit",
}
PARTNER_PAGES = {
    "list": "interventions:partner_activity_list",
    "detail": "interventions:partner_activity_detail",
    "create": "interventions:partner_activity_create",
    "edit": "interventions:partner_activity_edit",
}
VILLAGE_PAGES = {
    "list": "interventions:village_activity_list",
    "detail": "interventions:village_activity_detail",
    "create": None,
    "edit": None,
}


def _activities():
    partners = Partner.objects.order_by("name")
    return Activity.objects.select_related("village", "posyandu", "recorded_by").prefetch_related(
        Prefetch("partners", queryset=partners)
    )


def activities_for(user):
    """The activities `user` may read: all of them for kecamatan staff, those its partner ran
    for a partner user, those of its kelurahan/desa for a village government user; none for
    anyone else (or an inactive partner)."""
    q = _activities()
    if user.has_perm("interventions.view_activity"):
        return q
    membership = PartnerMember.of(user)
    if membership is None or not membership.partner.is_active:
        return q.none()
    if user.has_perm("interventions.work_as_partner"):
        return q.filter(partners=membership.partner)
    if user.has_perm("interventions.view_village") and membership.partner.village_id:
        return q.filter(village=membership.partner.village_id)
    return q.none()


def _get_activity_for_user(user, pk):
    # Another partner's or another village's activity answers as if it did not exist.
    return get_object_or_404(activities_for(user), pk=pk)


def _list_page(request, q, *, pages, title, filters=None, extra=None):
    if filters is not None and filters.is_valid():
        data = filters.cleaned_data
        if data.get("kind"):
            q = q.filter(kind=data["kind"])
        if data.get("village"):
            q = q.filter(village=data["village"])
        if data.get("partner"):
            q = q.filter(partners=data["partner"])
        if data.get("date_from"):
            q = q.filter(date__gte=data["date_from"])
        if data.get("date_to"):
            q = q.filter(date__lte=data["date_to"])
    q = q.annotate(photo_count=Count("photos", distinct=True))
    page, query = paginate(request, q.order_by("-date", "-pk"))
    ctx = {"page": page, "query": query, "form": filters, "pages": pages, "title": title}
    ctx.update(extra or {})
    return render(request, "interventions/activity_list.html", ctx)


# The fields of an activity (its partners last), the order in which changes are named.
FIELDS = [f for f in Activity._meta.get_fields() if f.concrete and not f.auto_created]


def _timeline(activity):
    """The activity's history and its photos', newest first: (when, who, what)."""
    entries = []
    previous = None
    records = activity.history.select_related("history_user").order_by("history_date", "history_id")
    for record in records:
        if previous is None:
            entries.append((record.history_date, record.history_user, "Dicatat"))
        else:
            changed = record.diff_against(previous, excluded_fields=["updated_at"]).changed_fields
            # Recording an activity saves it, then its partners: one step for the reader.
            first_partners = previous.history_type == "+" and changed == ["partners"]
            if changed and not (first_partners and not previous.partners.exists()):
                labels = [str(f.verbose_name) for f in FIELDS if f.name in changed]
                what = "Diubah: " + ", ".join(labels)
                entries.append((record.history_date, record.history_user, what))
        previous = record
    photos = ActivityPhoto.history.filter(activity_id=activity.pk).select_related("history_user")
    for record in photos:
        what = {"+": "Foto ditambahkan", "-": "Foto dihapus"}.get(record.history_type)
        if what:
            entries.append((record.history_date, record.history_user, what))
    return sorted(entries, key=lambda entry: entry[0], reverse=True)


def _detail_page(request, activity, *, pages, can_edit, show_history):
    ctx = {
        "activity": activity,
        "photos": activity.photos.all(),
        "pages": pages,
        "can_edit": can_edit,
        "history": _timeline(activity) if show_history else None,
    }
    return render(request, "interventions/activity_detail.html", ctx)


def _form_page(request, *, pages, activity=None, partner=None):
    """Record a new activity, or change `activity`; `partner` when a partner user does."""
    initial = {}
    if activity is not None:
        initial = {
            "kind": activity.kind,
            "date": activity.date,
            "village": activity.village_id,
            "posyandu": activity.posyandu_id,
            "partners": [p.pk for p in activity.partners.all() if p != partner],
            "topic": activity.topic,
            "notes": activity.notes,
        }
        initial.update({name: getattr(activity, name) for name, _ in Activity.AUDIENCES})
    else:
        initial = {"date": timezone.localdate()}
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        partner=partner,
        activity=activity,
        initial=initial,
    )
    if form.is_valid():
        try:
            if activity is None:
                activity = activity_record(
                    values=form.values(), photos=form.photos(), user=request.user
                )
                messages.success(request, "Kegiatan dicatat.")
            else:
                activity_update(
                    activity=activity,
                    values=form.values(),
                    add_photos=form.photos(),
                    remove_photos=form.removed_photos(),
                    user=request.user,
                )
                messages.success(request, "Perubahan kegiatan disimpan.")
        except ValidationError as e:
            # Changed by someone else since the form was checked (e.g. photos added).
            for field, errors in e.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect(pages["detail"], pk=activity.pk)
    ctx = {
        "form": form,
        "activity": activity,
        "partner": partner,
        "pages": pages,
        "lost_files": form.is_bound and bool(request.FILES),
    }
    return render(request, "interventions/activity_form.html", ctx)


# --- Kecamatan staff ------------------------------------------------------------------


@require_perm("interventions.view_activity")
def activity_list(request):
    filters = ActivityFilterForm(request.GET or None)
    extra = {"can_create": request.user.has_perm("interventions.add_activity")}
    return _list_page(
        request,
        activities_for(request.user),
        pages=STAFF_PAGES,
        title="Kegiatan kelompok",
        filters=filters,
        extra=extra,
    )


@require_perm("interventions.add_activity")
def activity_create(request):
    return _form_page(request, pages=STAFF_PAGES)


@require_perm("interventions.view_activity")
def activity_detail(request, pk):
    activity = _get_activity_for_user(request.user, pk)
    can_edit = request.user.has_perm("interventions.change_activity")
    return _detail_page(request, activity, pages=STAFF_PAGES, can_edit=can_edit, show_history=True)


@require_perm("interventions.change_activity")
def activity_edit(request, pk):
    activity = _get_activity_for_user(request.user, pk)
    return _form_page(request, pages=STAFF_PAGES, activity=activity)


# --- Partner portal -------------------------------------------------------------------


@require_perm("interventions.work_as_partner")
def partner_activity_list(request):
    partner = get_partner_for_user(request.user)
    return _list_page(
        request,
        activities_for(request.user),
        pages=PARTNER_PAGES,
        title=f"Kegiatan kelompok {partner}",
        extra={"can_create": True},
    )


@require_perm("interventions.work_as_partner")
def partner_activity_create(request):
    partner = get_partner_for_user(request.user)
    return _form_page(request, pages=PARTNER_PAGES, partner=partner)


@require_perm("interventions.work_as_partner")
def partner_activity_detail(request, pk):
    get_partner_for_user(request.user)
    activity = _get_activity_for_user(request.user, pk)
    return _detail_page(request, activity, pages=PARTNER_PAGES, can_edit=True, show_history=True)


@require_perm("interventions.work_as_partner")
def partner_activity_edit(request, pk):
    partner = get_partner_for_user(request.user)
    activity = _get_activity_for_user(request.user, pk)
    return _form_page(request, pages=PARTNER_PAGES, activity=activity, partner=partner)


# --- Kelurahan/desa government (read-only) -------------------------------------------


@require_perm("interventions.view_village")
def village_activity_list(request):
    village = get_village_for_user(request.user)
    return _list_page(
        request,
        activities_for(request.user),
        pages=VILLAGE_PAGES,
        title=f"Kegiatan kelompok di {village}",
    )


@require_perm("interventions.view_village")
def village_activity_detail(request, pk):
    get_village_for_user(request.user)
    activity = _get_activity_for_user(request.user, pk)
    return _detail_page(request, activity, pages=VILLAGE_PAGES, can_edit=False, show_history=False)


# --- Photos ---------------------------------------------------------------------------


def _get_activity_photo_for_user(user, pk):
    q = ActivityPhoto.objects.select_related("activity__village").exclude(photo="")
    photo = get_object_or_404(q, pk=pk)
    if not activities_for(user).filter(pk=photo.activity_id).exists():
        raise Http404
    return photo


@login_required
@never_cache
def activity_photo(request, pk):
    photo = _get_activity_photo_for_user(request.user, pk)
    activity_log_photo_view(photo=photo, user=request.user, ip_address=client_ip(request))
    return private_file_response(
        photo.photo, content_type="image/jpeg", filename=f"kegiatan-{photo.pk}.jpg"
    )
