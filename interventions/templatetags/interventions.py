"""Sections the interventions app adds to pages of the apps to its left (the child page, the
mother page, the children list), so that those apps never name this one."""

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from interventions.models import Delivery, Intervention
from registrations.dates import completed_months
from registrations.growth_chart import BAND_COLOURS, Band, Marks, Tick

register = template.Library()


@register.inclusion_tag("interventions/_child_section.html", takes_context=True)
def child_interventions(context, child):
    """The child page's list of assignments, with the link to assign one more."""
    user = context["request"].user
    q = Intervention.objects.filter(child=child).select_related("kind", "partner")
    return {
        "child": child,
        "interventions": q,
        "can_view": user.has_perm("interventions.view_intervention"),
        "can_assign": user.has_perm("interventions.add_intervention") and not child.is_merged,
    }


@register.inclusion_tag("interventions/_mother_section.html", takes_context=True)
def mother_interventions_section(context, mother):
    """The mother page's list of assignments, with the link to assign one more."""
    user = context["request"].user
    q = Intervention.objects.filter(mother=mother).select_related("kind", "partner")
    return {
        "mother": mother,
        "interventions": q,
        "can_view": user.has_perm("interventions.view_intervention"),
        "can_assign": (
            user.has_perm("interventions.add_intervention") and mother.merged_into_id is None
        ),
    }


@register.filter
def months_old(birth_date):
    """Completed months from `birth_date` to today (a baby's age), or "" without a date."""
    if birth_date is None:
        return ""
    return completed_months(birth_date, timezone.localdate())


@register.simple_tag(takes_context=True)
def assign_url(context):
    """Where the children list sends the children ticked for assignment; empty if the user may
    not assign."""
    if context["request"].user.has_perm("interventions.add_intervention"):
        return reverse("interventions:assign")
    return ""


@register.simple_tag
def growth_marks(child, partner=None):
    """The child's interventions (bands, one lane per kind, one colour per partner) and
    deliveries (ticks) for its growth charts, so that the charts show whether the child grew
    while help ran.

    For a partner, what its child page shows: its own assignments it may still read and the
    other partners' assignments, but only its own deliveries."""
    q = child.interventions.select_related("kind", "partner")
    deliveries = Delivery.objects.filter(intervention__child=child)
    if partner:
        own = Intervention.objects.visible_to_partner(partner).filter(child=child)
        q = q.filter(Q(pk__in=own.values("pk")) | ~Q(partner=partner))
        deliveries = deliveries.filter(intervention__in=own)
    deliveries = deliveries.select_related("intervention__kind", "intervention__partner")
    return intervention_marks(child, list(q), list(deliveries), timezone.localdate())


def intervention_marks(child, interventions, deliveries, today):
    """Marks of the growth charts from interventions and their deliveries, in days of age."""

    def day(d):
        return (d - child.birth_date).days

    partners = sorted({i.partner.name for i in interventions})
    colours = {name: BAND_COLOURS[n % len(BAND_COLOURS)] for n, name in enumerate(partners)}
    counts = {}
    for d in deliveries:
        counts[d.intervention_id] = counts.get(d.intervention_id, 0) + 1

    bands = []
    for i in sorted(interventions, key=lambda i: (i.start_date, i.pk)):
        period = _period(i, today)
        if period is None:
            continue
        start, end, end_label = period
        title = (
            f"{i.kind} oleh {i.partner}: {_date(start)} s.d. {end_label}, "
            f"{i.get_status_display().lower()}"
        )
        if counts.get(i.pk):
            title += f", {counts[i.pk]} layanan"
        bands.append(
            Band(
                start_day=day(start),
                end_day=day(end),
                lane=i.kind.name,
                legend=i.partner.name,
                colour=colours[i.partner.name],
                title=title,
                planned=i.status == Intervention.Status.PLANNED,
            )
        )
    ticks = [
        Tick(
            day=day(d.date),
            lane=d.intervention.kind.name,
            title=f"{_date(d.date)}: {d.description} ({d.intervention.partner})",
        )
        for d in sorted(deliveries, key=lambda d: (d.date, d.pk))
    ]
    return Marks(bands=tuple(bands), ticks=tuple(ticks))


def _period(intervention, today):
    """(start, end, how the end reads) of the help, or None for help that never began: from
    the day it began (or was to begin) to the day it finished, its planned end, or today for
    help still running past its planned end."""
    i = intervention
    start = i.started_on or i.start_date
    if i.status == Intervention.Status.CANCELLED:
        if i.started_on is None:
            return None
        end = i.finished_on or today
    elif i.status == Intervention.Status.DONE:
        end = i.finished_on or i.planned_end
    elif i.status == Intervention.Status.RUNNING and i.planned_end < today:
        return start, today, "hari ini (lewat rencana selesai)"
    else:
        end = i.planned_end
    end = max(end, start)
    return start, end, _date(end)


def _date(day):
    return date_format(day, "j F Y")
