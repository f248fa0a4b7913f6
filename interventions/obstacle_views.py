"""Obstacles: partners record them on their assignments, the kecamatan works through the
open ones and marks them handled."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gasken.pages import paginate, require_perm
from interventions.emails import partner_target_url
from interventions.forms import ALL_STATUSES, ObstacleFilterForm, ObstacleForm, ObstacleHandleForm
from interventions.models import Intervention, Obstacle
from interventions.services import (
    ObstacleAlreadyHandled,
    TransitionError,
    obstacle_handle,
    obstacle_record,
)
from interventions.views import get_partner_for_user


def _obstacles():
    return Obstacle.objects.select_related(
        "intervention__child__village",
        "intervention__mother__village",
        "intervention__kind",
        "intervention__partner",
        "reported_by",
        "handled_by",
        "delivery",
    )


# --- Kecamatan staff ------------------------------------------------------------------


@require_perm("interventions.view_obstacle")
def obstacle_list(request):
    # The open ones unless another status or all are asked for.
    form = ObstacleFilterForm(request.GET or None, initial={"status": Obstacle.Status.OPEN})
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or Obstacle.Status.OPEN
    q = _obstacles()
    if status != ALL_STATUSES:
        q = q.filter(status=status)
    if filters.get("kind"):
        q = q.filter(kind=filters["kind"])
    if filters.get("village"):
        village = filters["village"]
        q = q.filter(
            Q(intervention__child__village=village) | Q(intervention__mother__village=village)
        )
    if filters.get("partner"):
        q = q.filter(intervention__partner=filters["partner"])
    if filters.get("date_from"):
        q = q.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        q = q.filter(date__lte=filters["date_to"])
    # The oldest open obstacle has waited longest.
    page, query = paginate(request, q.order_by("date", "pk"))
    ctx = {"form": form, "page": page, "query": query, "status": status}
    return render(request, "interventions/obstacle_list.html", ctx)


def _get_obstacle(pk):
    return get_object_or_404(_obstacles(), pk=pk)


def _detail_page(request, obstacle, form=None):
    can_handle = request.user.has_perm("interventions.change_obstacle") and obstacle.is_open
    ctx = {
        "obstacle": obstacle,
        "form": form or (ObstacleHandleForm() if can_handle else None),
        "can_handle": can_handle,
        "history": obstacle.history.select_related("history_user").order_by("-history_date"),
    }
    return render(request, "interventions/obstacle_detail.html", ctx)


@require_perm("interventions.view_obstacle")
def obstacle_detail(request, pk):
    return _detail_page(request, _get_obstacle(pk))


@require_POST
@require_perm("interventions.change_obstacle")
def obstacle_mark_handled(request, pk):
    obstacle = _get_obstacle(pk)
    form = ObstacleHandleForm(request.POST)
    if form.is_valid():
        try:
            obstacle_handle(obstacle=obstacle, note=form.cleaned_data["note"], user=request.user)
        except ObstacleAlreadyHandled:
            messages.error(request, "Kendala ini sudah ditandai ditangani oleh orang lain.")
            return redirect("interventions:obstacle_detail", pk=obstacle.pk)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, "Kendala ditandai sudah ditangani.")
            return redirect("interventions:obstacle_list")
    return _detail_page(request, obstacle, form)


# --- Partner portal -------------------------------------------------------------------


@require_perm("interventions.work_as_partner")
def partner_obstacle_list(request):
    partner = get_partner_for_user(request.user)
    # Only obstacles of the assignments the partner may still read: a child leaves the
    # partner's pages with its last assignment.
    visible = Intervention.objects.visible_to_partner(partner)
    q = _obstacles().filter(intervention__in=visible)
    status = request.GET.get("status", ALL_STATUSES)
    if status in Obstacle.Status.values:
        q = q.filter(status=status)
    else:
        status = ALL_STATUSES
    page, query = paginate(request, q.order_by("-date", "-pk"))
    ctx = {
        "partner": partner,
        "page": page,
        "query": query,
        "status": status,
        "statuses": Obstacle.Status.choices,
    }
    return render(request, "interventions/partner_obstacles.html", ctx)


@require_perm("interventions.work_as_partner")
def partner_obstacle_record(request, pk):
    partner = get_partner_for_user(request.user)
    intervention = get_object_or_404(
        Intervention.objects.visible_to_partner(partner).select_related("child", "mother", "kind"),
        pk=pk,
    )
    if not intervention.is_open:
        messages.error(request, "Intervensi ini sudah selesai atau dibatalkan.")
        return redirect(partner_target_url(intervention))
    form = ObstacleForm(request.POST or None, initial={"date": timezone.localdate()})
    if form.is_valid():
        try:
            obstacle_record(intervention=intervention, values=form.values(), user=request.user)
        except TransitionError as e:
            # Finished or cancelled since the page was loaded.
            messages.error(request, str(e))
            return redirect(partner_target_url(intervention))
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, "Kendala dicatat; kecamatan akan menindaklanjutinya.")
            return redirect(partner_target_url(intervention))
    ctx = {"form": form, "intervention": intervention}
    return render(request, "interventions/obstacle_form.html", ctx)
