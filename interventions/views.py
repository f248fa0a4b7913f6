from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gasken.clients import client_ip
from gasken.files import private_file_response
from gasken.pages import paginate, require_perm, search
from interventions.emails import partner_target_url
from interventions.forms import (
    AssignForm,
    DeliveryForm,
    InterventionFilterForm,
    MotherAssignForm,
    StatusForm,
    duplicate_message,
    other_partner_message,
)
from interventions.models import Delivery, Intervention, InterventionType, PartnerMember
from interventions.services import (
    DuplicateAssignment,
    TransitionError,
    delivery_log_photo_view,
    delivery_record,
    intervention_assign,
    intervention_change_status,
)
from registrations.models import Child, Mother, MotherCheck
from registrations.validators import is_record_id

# --- Kecamatan staff ------------------------------------------------------------------


def _interventions():
    return Intervention.objects.select_related(
        "child",
        "child__village",
        "mother",
        "mother__village",
        "kind",
        "partner",
        "child__latest_measurement",
    )


def staff_mother_url(mother):
    """The staff page of a mother in the registry."""
    return reverse("verification:mother", args=[mother.pk])


@require_perm("interventions.view_intervention")
def intervention_list(request):
    form = InterventionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    q = _interventions()
    for name in ("partner", "kind", "status"):
        if filters.get(name):
            q = q.filter(**{name: filters[name]})
    if filters.get("target") == InterventionType.Target.CHILD:
        q = q.filter(child__isnull=False)
    elif filters.get("target") == InterventionType.Target.MOTHER:
        q = q.filter(mother__isnull=False)
    if filters.get("village"):
        village = filters["village"]
        q = q.filter(Q(child__village=village) | Q(mother__village=village))
    if filters.get("overdue"):
        q = q.overdue()
    if filters.get("q"):
        q = search(q, filters["q"], ["child__name", "mother__name"])
    page, query = paginate(request, q.order_by("planned_end", "pk"))
    ctx = {"form": form, "page": page, "query": query}
    return render(request, "interventions/list.html", ctx)


@require_perm("interventions.add_intervention")
def assign_children(request):
    if request.method == "POST":
        form = AssignForm(request.POST)
    else:
        form = AssignForm(
            initial={"children": request.GET.getlist("anak"), "start_date": timezone.localdate()}
        )
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = intervention_assign(
                children=data["children"],
                partner=data["partner"],
                kind=data["kind"],
                start_date=data["start_date"],
                planned_end=data["planned_end"],
                note=data["note"],
                user=request.user,
            )
        except DuplicateAssignment as e:
            # Assigned by someone else since the form was checked.
            for existing in e.existing:
                form.add_error("children", duplicate_message(existing))
        else:
            _report_assignment(request, form, created)
            if len(created) == 1:
                return redirect("verification:child", pk=created[0].child_id)
            return redirect("interventions:list")

    ids = form.data.getlist("children") if form.is_bound else request.GET.getlist("anak")
    children = Child.objects.current().filter(pk__in=[i for i in ids if is_record_id(i)])
    open_interventions = Intervention.objects.open().select_related("kind", "partner")
    children = children.select_related("village").prefetch_related(
        Prefetch("interventions", queryset=open_interventions, to_attr="open_interventions")
    )
    ctx = {"form": form, "children": children}
    return render(request, "interventions/assign.html", ctx)


def _get_mother_to_assign(pk):
    # A mother merged into another is assigned under the one she was merged into.
    return get_object_or_404(Mother.objects.current().select_related("village"), pk=pk)


@require_perm("interventions.add_intervention")
def assign_mother(request, pk):
    mother = _get_mother_to_assign(pk)
    form = MotherAssignForm(
        request.POST or None, mother=mother, initial={"start_date": timezone.localdate()}
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            [created] = intervention_assign(
                mothers=[mother],
                partner=data["partner"],
                kind=data["kind"],
                start_date=data["start_date"],
                planned_end=data["planned_end"],
                note=data["note"],
                user=request.user,
            )
        except DuplicateAssignment as e:
            # Assigned by someone else since the form was checked.
            for existing in e.existing:
                form.add_error("kind", duplicate_message(existing))
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request, f"{mother.name} ditugaskan ke {data['partner']} ({data['kind']})."
            )
            for existing in form.warnings:
                messages.warning(request, other_partner_message(existing))
            return redirect(staff_mother_url(mother))
    open_interventions = mother.interventions.open().select_related("kind", "partner")
    ctx = {
        "form": form,
        "mother": mother,
        "mother_url": staff_mother_url(mother),
        "open_interventions": open_interventions,
    }
    return render(request, "interventions/assign_mother.html", ctx)


def _report_assignment(request, form, created):
    """Say who was assigned and, in a bulk assignment, who was not and why."""
    data = form.cleaned_data
    text = f"{len(created)} anak ditugaskan ke {data['partner']} ({data['kind']})"
    if form.duplicates:
        text += ": " + ", ".join(i.child.name for i in created)
    messages.success(request, text + ".")
    for existing in form.duplicates:
        messages.error(request, duplicate_message(existing))
    for existing in form.warnings:
        messages.warning(request, other_partner_message(existing))


def _get_intervention(pk):
    return get_object_or_404(_interventions().select_related("created_by"), pk=pk)


@require_perm("interventions.view_intervention")
def intervention_detail(request, pk):
    intervention = _get_intervention(pk)
    deliveries = intervention.deliveries.select_related(
        "recorded_by", "measurement", "mother_check"
    )
    ctx = {
        "intervention": intervention,
        "mother_url": staff_mother_url(intervention.mother) if intervention.mother else "",
        "deliveries": deliveries,
        "obstacles": intervention.obstacles.select_related("reported_by", "handled_by"),
        "history": intervention.history.select_related("history_user").order_by("-history_date"),
        "can_change": request.user.has_perm("interventions.change_intervention"),
        "show_internal": True,
    }
    return render(request, "interventions/detail.html", ctx)


@require_POST
@require_perm("interventions.change_intervention")
def intervention_status(request, pk):
    intervention = _get_intervention(pk)
    _apply_status(request, intervention)
    return redirect("interventions:detail", pk=intervention.pk)


def _apply_status(request, intervention, allowed=None):
    if allowed is not None and request.POST.get("status") not in allowed:
        raise PermissionDenied
    form = StatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return
    status = form.cleaned_data["status"]
    try:
        intervention_change_status(
            intervention=intervention,
            status=status,
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except TransitionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"Status sekarang: {intervention.get_status_display().lower()}.")


def _get_delivery_for_user(user, pk):
    q = Delivery.objects.select_related("intervention").exclude(photo="")
    if not user.has_perm("interventions.view_delivery"):
        membership = PartnerMember.of(user)
        # Like a child page, another partner's photo answers as if it did not exist.
        if not (
            user.has_perm("interventions.work_as_partner")
            and membership is not None
            and membership.partner.is_active
        ):
            raise Http404
        q = q.filter(intervention__in=Intervention.objects.visible_to_partner(membership.partner))
    return get_object_or_404(q, pk=pk)


@login_required
@never_cache
def delivery_photo(request, pk):
    delivery = _get_delivery_for_user(request.user, pk)
    delivery_log_photo_view(delivery=delivery, user=request.user, ip_address=client_ip(request))
    return private_file_response(
        delivery.photo, content_type="image/jpeg", filename=f"layanan-{delivery.pk}.jpg"
    )


# --- Partner portal -------------------------------------------------------------------


# Public: the partner pages of the monitoring app (its downloads) ask the same question.
def get_partner_for_user(user):
    membership = PartnerMember.of(user)
    if membership is None:
        raise PermissionDenied("Akun ini belum terhubung ke mitra.")
    if not membership.partner.is_active:
        raise PermissionDenied("Mitra Anda sudah tidak aktif di GASKEN.")
    return membership.partner


# The partner list's ?status= values besides the statuses themselves.
PARTNER_OPEN, PARTNER_NEW, PARTNER_ALL = "open", "new", "all"


@require_perm("interventions.work_as_partner")
def partner_home(request):
    partner = get_partner_for_user(request.user)
    visible = _interventions().visible_to_partner(partner)
    q = visible
    # Open assignments unless the new ones, one status or all are asked for (an unknown
    # value, such as an old link's, shows the open ones).
    status = request.GET.get("status")
    if status == PARTNER_NEW:
        q = q.new_for_partner(partner)
    elif status in Intervention.Status.values:
        q = q.filter(status=status)
    elif status != PARTNER_ALL:
        status = PARTNER_OPEN
        q = q.filter(status__in=Intervention.OPEN)
    text = request.GET.get("q", "").strip()[:100]
    children = q.filter(child__isnull=False)
    mothers = q.filter(mother__isnull=False)
    if text:
        children = search(children, text, ["child__name", "child__mother_name"])
        mothers = search(mothers, text, ["mother__name"])
    page, query = paginate(request, children.order_by("planned_end", "pk"))
    ctx = {
        "partner": partner,
        "page": page,
        "query": query,
        "status": status,
        "q": text,
        # Cancelled assignments are no longer the partner's to see.
        "statuses": [
            c for c in Intervention.Status.choices if c[0] != Intervention.Status.CANCELLED
        ],
    }
    # The mothers are their own group, shown once the partner has any to help.
    if visible.filter(mother__isnull=False).exists():
        mother_page, mother_query = paginate(
            request, mothers.order_by("planned_end", "pk"), param=MOTHER_PAGE
        )
        ctx.update(
            mother_page=mother_page, mother_query=mother_query, mother_page_param=MOTHER_PAGE
        )
    return render(request, "interventions/partner_home.html", ctx)


# The page number of the mothers' list, on a page that lists children too.
MOTHER_PAGE = "halaman_ibu"


def _get_child_for_partner(partner, pk):
    # A child not assigned to this partner answers 404, like one that does not exist.
    return get_object_or_404(
        partner.visible_children().select_related("village", "posyandu", "latest_measurement"),
        pk=pk,
    )


def _child_page(request, child, interventions, *, template, extra=None):
    measurements = list(child.measurements.all())
    deliveries = Delivery.objects.select_related("measurement", "recorded_by")
    interventions = interventions.prefetch_related(Prefetch("deliveries", queryset=deliveries))
    ctx = {
        "child": child,
        "latest": child.latest_measurement,
        "measurements": measurements,
        "interventions": interventions,
    }
    ctx.update(extra or {})
    return render(request, template, ctx)


@require_perm("interventions.work_as_partner")
def partner_child(request, pk):
    partner = get_partner_for_user(request.user)
    child = _get_child_for_partner(partner, pk)
    own = child.interventions.visible_to_partner(partner).select_related("kind", "partner")
    others = child.interventions.exclude(partner=partner).select_related("kind", "partner")
    # This page is where the partner opens its assignments of the child: they stop being
    # new for every user of the partner, and are marked "baru" on this first visit only.
    new = own.new_for_partner(partner)
    new_ids = set(new.values_list("pk", flat=True))
    if new_ids:
        new.mark_opened_by_partner()
    return _child_page(
        request,
        child,
        own.prefetch_related("obstacles"),
        template="interventions/partner_child.html",
        extra={"partner": partner, "others": others, "new_ids": new_ids},
    )


def _get_mother_for_partner(partner, pk):
    # A mother not assigned to this partner answers 404, like one that does not exist.
    return get_object_or_404(
        partner.visible_mothers().select_related("village", "posyandu", "latest_check"), pk=pk
    )


def _mother_page(request, mother, interventions, *, template, extra=None):
    deliveries = Delivery.objects.select_related("mother_check", "recorded_by")
    interventions = interventions.prefetch_related(Prefetch("deliveries", queryset=deliveries))
    ctx = {
        "mother": mother,
        "latest": mother.latest_check,
        "checks": mother.checks.order_by(*MotherCheck.LATEST_FIRST),
        "interventions": interventions,
    }
    ctx.update(extra or {})
    return render(request, template, ctx)


@require_perm("interventions.work_as_partner")
def partner_mother(request, pk):
    partner = get_partner_for_user(request.user)
    mother = _get_mother_for_partner(partner, pk)
    own = mother.interventions.visible_to_partner(partner).select_related("kind", "partner")
    others = mother.interventions.exclude(partner=partner).select_related("kind", "partner")
    # As on a child's page: the first visit opens the partner's new assignments of her.
    new = own.new_for_partner(partner)
    new_ids = set(new.values_list("pk", flat=True))
    if new_ids:
        new.mark_opened_by_partner()
    return _mother_page(
        request,
        mother,
        own.prefetch_related("obstacles"),
        template="interventions/partner_mother.html",
        extra={"partner": partner, "others": others, "new_ids": new_ids},
    )


def _get_intervention_for_partner(partner, pk):
    return get_object_or_404(_interventions().visible_to_partner(partner), pk=pk)


@require_perm("interventions.work_as_partner")
def partner_record(request, pk):
    partner = get_partner_for_user(request.user)
    intervention = _get_intervention_for_partner(partner, pk)
    Intervention.objects.filter(pk=intervention.pk).mark_opened_by_partner()
    if not intervention.is_open:
        messages.error(request, "Intervensi ini sudah selesai atau dibatalkan.")
        return redirect(partner_target_url(intervention))

    form = DeliveryForm(
        request.POST or None,
        request.FILES or None,
        intervention=intervention,
        initial={"date": timezone.localdate()},
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            delivery_record(
                intervention=intervention,
                date=data["date"],
                description=data["description"],
                quantity=data.get("quantity"),
                note=data["note"],
                internal=data["internal"],
                photo=data["photo"],
                measurement=form.measurement_values(),
                mother_check=form.mother_check_values(),
                obstacle=form.obstacle_values(),
                user=request.user,
            )
        except TransitionError as e:
            messages.error(request, str(e))
            return redirect(partner_target_url(intervention))
        except ValidationError as e:
            form.add_error(None, e)
        else:
            text = "Layanan dicatat."
            if form.obstacle_values() is not None:
                text = "Layanan dan kendalanya dicatat; kecamatan akan menindaklanjuti kendalanya."
            messages.success(request, text)
            return redirect(partner_target_url(intervention))
    ctx = {
        "form": form,
        "intervention": intervention,
        "lost_files": form.is_bound and bool(request.FILES),
    }
    return render(request, "interventions/delivery_form.html", ctx)


@require_POST
@require_perm("interventions.work_as_partner")
def partner_status(request, pk):
    partner = get_partner_for_user(request.user)
    intervention = _get_intervention_for_partner(partner, pk)
    # Partners start and finish their own work; cancelling is the kecamatan's decision.
    _apply_status(
        request, intervention, allowed={Intervention.Status.RUNNING, Intervention.Status.DONE}
    )
    return redirect(partner_target_url(intervention))


# --- Kelurahan/desa government (read-only) -------------------------------------------


# Public: the activity pages of village users ask the same question.
def get_village_for_user(user):
    membership = PartnerMember.of(user)
    if membership is None or membership.partner.village_id is None:
        raise PermissionDenied("Akun ini belum terhubung ke pemerintah kelurahan/desa.")
    if not membership.partner.is_active:
        raise PermissionDenied("Pemerintah kelurahan/desa Anda sudah tidak aktif di GASKEN.")
    return membership.partner.village


@require_perm("interventions.view_village")
def village_home(request):
    village = get_village_for_user(request.user)
    q = Child.objects.current().filter(village=village)
    q = q.select_related("posyandu", "latest_measurement")
    text = request.GET.get("q", "").strip()[:100]
    if text:
        q = search(q, text, ["name", "mother_name"])
    page, query = paginate(request, q.order_by("name", "pk"))
    mothers = Mother.objects.current().filter(village=village)
    mothers = mothers.select_related("posyandu", "latest_check")
    if text:
        mothers = search(mothers, text, ["name"])
    mother_page, mother_query = paginate(request, mothers.order_by("name", "pk"), param=MOTHER_PAGE)
    # Both counts in one pass over the village's open interventions, children's and
    # mothers'.
    in_village = Q(child__village=village) | Q(mother__village=village)
    counts = Intervention.objects.filter(in_village, status__in=Intervention.OPEN).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(planned_end__lt=timezone.localdate()))
    )
    ctx = {
        "village": village,
        "page": page,
        "query": query,
        "mother_page": mother_page,
        "mother_query": mother_query,
        "mother_page_param": MOTHER_PAGE,
        "q": text,
        "open_count": counts["open"],
        "overdue_count": counts["overdue"],
    }
    return render(request, "interventions/village_home.html", ctx)


def _get_child_for_village(village, pk):
    q = Child.objects.current().filter(village=village)
    return get_object_or_404(q.select_related("village", "posyandu", "latest_measurement"), pk=pk)


@require_perm("interventions.view_village")
def village_child(request, pk):
    village = get_village_for_user(request.user)
    child = _get_child_for_village(village, pk)
    interventions = child.interventions.select_related("kind", "partner")
    return _child_page(
        request,
        child,
        interventions,
        template="interventions/village_child.html",
        extra={"village": village},
    )


def _get_mother_for_village(village, pk):
    q = Mother.objects.current().filter(village=village)
    return get_object_or_404(q.select_related("village", "posyandu", "latest_check"), pk=pk)


@require_perm("interventions.view_village")
def village_mother(request, pk):
    village = get_village_for_user(request.user)
    mother = _get_mother_for_village(village, pk)
    interventions = mother.interventions.select_related("kind", "partner")
    return _mother_page(
        request,
        mother,
        interventions,
        template="interventions/village_mother.html",
        extra={"village": village},
    )
