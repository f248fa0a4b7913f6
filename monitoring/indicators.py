"""The guideline's indicators (sections H and I), counted in the database.

Every function here runs a fixed number of queries, however many children there are: counts
are conditional aggregates grouped by village, and per-child values are read from the child
(its latest and first measurement with a HAZ, stored with it) or from correlated subqueries
(whether it receives help, its last measurement in the period), never a Python loop over rows.
The dashboard keeps what they count for a while: see monitoring.snapshot.

Shared definitions:

- An *active* child has programme_status "active"; exited children are left out of the current
  status figures. A child merged into another one (registered twice) is left out of every
  figure: its reports, measurements and interventions count with the child it was merged into.
- A child's *latest TB/U* is the category of Child.latest_measurement (latest date, then latest
  recorded); *measured* means that measurement has a HAZ.
- A child *receives help* (is *intervened*) when it has at least one intervention that is running
  or finished; a planned or cancelled one does not count.
- A child *left stunting* in a period when it receives help, its first measurement with a HAZ
  was pendek or sangat pendek, and its last measurement with a HAZ taken within the period is
  normal or tinggi (exited children count too: leaving stunting is a reason to exit).
- *Reported as* (the target group, guideline D.1–D.2): every function taking `reported_as`
  (a ReportedAs value, NOT_RECORDED, or "" for all) counts only the reports, children and
  their records of that group: a report by why it was sent, a child by the reason gathered
  from its reports (registrations.models.ReportReason).
"""

import math
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lower, RowNumber, Trim, TruncMonth
from django.utils import timezone

from interventions.models import (
    Activity,
    ActivityPartner,
    Delivery,
    Intervention,
    Obstacle,
    Partner,
)
from registrations.growth import HAZ_LABELS, STUNTED, WAZ_LABELS, WHZ_LABELS
from registrations.models import (
    NOT_RECORDED,
    Child,
    Measurement,
    Mother,
    MotherReport,
    Posyandu,
    ReportedAs,
    RiskFactor,
    Submission,
    reason_filter,
    risk_field,
)
from verification.models import Decision

HELPED = (Intervention.Status.RUNNING, Intervention.Status.DONE)
STUNTED_CATEGORIES = sorted(STUNTED)
NOT_STUNTED_CATEGORIES = ["normal", "tinggi"]

# The figures of a village_rows() row after village, code and name, in table order; all but
# the prevalence are counts, summed into the total row.
ROW_KEYS = [
    "posyandu_count",
    "reports",
    "verified_reports",
    "active_children",
    "measured_children",
    "severely_stunted_m",
    "severely_stunted_f",
    "stunted_m",
    "stunted_f",
    "stunted_total",
    "prevalence",
    "intervened",
    "not_intervened",
    "left_stunting",
]
COUNT_KEYS = [key for key in ROW_KEYS if key != "prevalence"]


def moments(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """The period as [start, end) in local time, so created_at is compared on its index."""
    start = timezone.make_aware(datetime.combine(date_from, time.min))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
    return start, end


def percent(part: int, whole: int) -> float | None:
    """`part` per 100 of `whole`, to one decimal (e.g. the stunting prevalence: stunted per
    100 measured children); None when `whole` is 0."""
    if not whole:
        return None
    return round(part * 100 / whole, 1)


def receives_help():
    """Exists() for a Child queryset: at least one running or finished intervention."""
    return Exists(Intervention.objects.filter(child=OuterRef("pk"), status__in=HELPED))


def first_haz(field):
    """For a Child queryset: `field` of its first measurement with a HAZ (stored on the child)."""
    return F(f"first_haz_measurement__{field}")


def later_haz_measurement_in(field, date_from, date_to):
    """Subquery for a Child queryset: `field` of its last measurement with a HAZ in the period,
    unless that is its first measurement with a HAZ (then there is nothing to compare: any
    other one in the period would come after the first, and be the last)."""
    q = Measurement.objects.filter(
        child=OuterRef("pk"), haz__isnull=False, measured_on__range=(date_from, date_to)
    ).exclude(pk=OuterRef("first_haz_measurement_id"))
    return Subquery(q.order_by(*Measurement.LATEST_FIRST).values(field)[:1])


def left_stunting_children(children, date_from, date_to):
    """The children (of a Child queryset) who left stunting in the period; see the module doc."""
    q = children.filter(
        Exists(Intervention.objects.filter(child=OuterRef("pk"), status__in=HELPED)),
        first_haz_measurement__haz_category__in=STUNTED_CATEGORIES,
    ).annotate(last_category=later_haz_measurement_in("haz_category", date_from, date_to))
    return q.filter(last_category__in=NOT_STUNTED_CATEGORIES)


def _by_village(q, **aggregates):
    """{village_id: {name: value}} of a queryset grouped by its `village` column."""
    rows = q.order_by().values("village").annotate(**aggregates)
    return {row.pop("village"): row for row in rows}


def village_rows(*, villages, date_from, date_to, reported_as=""):
    """One dict of the main figures per village of `villages`, and their total.

    Keys: village, code, name, posyandu_count (active posyandu), reports (submissions sent in
    the period), verified_reports (of those, now verified), active_children, measured_children
    (active, latest measurement has a HAZ), severely_stunted_m/_f and stunted_m/_f (active, by
    latest TB/U, boys/girls), stunted_total, prevalence (stunted_total per 100 measured_children,
    1 decimal, None when nobody is measured), intervened / not_intervened (active stunted
    children with / without a running or finished intervention), left_stunting (see the module
    docstring: helped, first HAZ below −2, last HAZ in the period −2 or above).

    The total has village None, code and name empty, the counts summed and the prevalence
    worked out again from the sums. Five queries whatever the number of villages or children.
    """
    villages = list(villages.order_by("code"))
    ids = [v.pk for v in villages]
    start, end = moments(date_from, date_to)

    posyandu = _by_village(
        Posyandu.objects.active().filter(village__in=ids), posyandu_count=Count("pk")
    )
    reports = _by_village(
        Submission.objects.filter(
            village__in=ids, created_at__gte=start, created_at__lt=end
        ).filter(reason_filter(reported_as)),
        reports=Count("pk"),
        verified_reports=Count("pk", filter=Q(status=Submission.Status.VERIFIED)),
    )
    latest = "latest_measurement__haz_category"
    stunted = Q(**{f"{latest}__in": STUNTED_CATEGORIES})
    boys, girls = Q(sex=Child.Sex.MALE), Q(sex=Child.Sex.FEMALE)
    severe, moderate = Q(**{latest: "sangat_pendek"}), Q(**{latest: "pendek"})
    children = _by_village(
        Child.objects.active()
        .filter(village__in=ids)
        .filter(reason_filter(reported_as))
        .annotate(helped=receives_help()),
        active_children=Count("pk"),
        measured_children=Count("pk", filter=Q(latest_measurement__haz__isnull=False)),
        severely_stunted_m=Count("pk", filter=severe & boys),
        severely_stunted_f=Count("pk", filter=severe & girls),
        stunted_m=Count("pk", filter=moderate & boys),
        stunted_f=Count("pk", filter=moderate & girls),
        intervened=Count("pk", filter=stunted & Q(helped=True)),
        not_intervened=Count("pk", filter=stunted & Q(helped=False)),
    )
    left = _by_village(
        left_stunting_children(
            Child.objects.current().filter(village__in=ids).filter(reason_filter(reported_as)),
            date_from,
            date_to,
        ),
        left_stunting=Count("pk"),
    )

    rows = []
    for v in villages:
        found = {}
        for source in (posyandu, reports, children, left):
            found.update(source.get(v.pk, {}))
        row = {"village": v, "code": v.code, "name": v.name}
        row.update({key: found.get(key, 0) for key in ROW_KEYS})
        row["stunted_total"] = (
            row["severely_stunted_m"]
            + row["severely_stunted_f"]
            + row["stunted_m"]
            + row["stunted_f"]
        )
        row["prevalence"] = percent(row["stunted_total"], row["measured_children"])
        rows.append(row)

    total = {"village": None, "code": "", "name": ""}
    total.update(
        {key: sum(row[key] for row in rows) if key in COUNT_KEYS else None for key in ROW_KEYS}
    )
    total["prevalence"] = percent(total["stunted_total"], total["measured_children"])
    return rows, total


# --- Data handling (H.1, I.5) ---------------------------------------------------------

PENDING_DAYS = 7


def reports_in(villages, date_from, date_to, reported_as=""):
    """Reports sent from the villages within the period."""
    start, end = moments(date_from, date_to)
    return Submission.objects.filter(
        reason_filter(reported_as), village__in=villages, created_at__gte=start, created_at__lt=end
    )


def pending_reports(villages, now=None, reported_as=""):
    """Reports waiting for a decision for more than PENDING_DAYS days since they were sent."""
    now = now or timezone.now()
    return Submission.objects.filter(
        reason_filter(reported_as),
        village__in=villages,
        status=Submission.Status.PENDING,
        created_at__lt=now - timedelta(days=PENDING_DAYS),
    )


def percentiles(q, expression, fractions, n=None):
    """{fraction: value} of `expression` over the rows of `q` (`n` of them, counted here
    when not given), interpolated like PostgreSQL's percentile_cont; None for an empty
    queryset.

    Portable: the database numbers the rows in order with ROW_NUMBER() and returns only the
    (at most two per fraction) rows around each requested position."""
    if n is None:
        n = q.count()
    if not n:
        return dict.fromkeys(fractions)
    wanted = {}
    for fraction in fractions:
        position = (n - 1) * fraction
        below = math.floor(position)
        wanted[fraction] = (below + 1, min(below + 2, n), position - below)
    ranks = {rank for low, high, _ in wanted.values() for rank in (low, high)}
    ranked = q.annotate(
        value=expression,
        rank=Window(RowNumber(), order_by=[expression.asc(), F("pk").asc()]),
    ).filter(rank__in=ranks)
    values = dict(ranked.values_list("rank", "value"))
    return {
        fraction: values[low] + (values[high] - values[low]) * weight
        for fraction, (low, high, weight) in wanted.items()
    }


def report_figures(villages, date_from, date_to, now=None, reported_as=""):
    """Counts of the period's reports by status, verified children, decision times."""
    q = reports_in(villages, date_from, date_to, reported_as)
    S = Submission.Status
    # Reports imported from the Google Form were sent long before anyone could decide on
    # them here: their waits say nothing about the verifikator's pace.
    timed = Q(first_decided_at__isnull=False) & ~Q(source=Submission.Source.GOOGLE_FORM)
    figures = q.aggregate(
        received=Count("pk"),
        pending=Count("pk", filter=Q(status=S.PENDING)),
        verified=Count("pk", filter=Q(status=S.VERIFIED)),
        rejected=Count("pk", filter=Q(status=S.REJECTED)),
        needs_correction=Count("pk", filter=Q(status=S.NEEDS_CORRECTION)),
        # Two reports of one child, merged, are one verified child.
        verified_children=Count("child", distinct=True, filter=Q(status=S.VERIFIED)),
        decided=Count("pk", filter=Q(first_decided_at__isnull=False)),
        timed=Count("pk", filter=timed),
    )
    decided = q.filter(timed)
    wait = ExpressionWrapper(F("first_decided_at") - F("created_at"), output_field=DurationField())
    found = percentiles(decided, wait, (0.5, 0.9), n=figures.pop("timed"))
    figures["median_days"], figures["p90_days"] = (
        None if found[f] is None else round(found[f].total_seconds() / 86400, 1) for f in (0.5, 0.9)
    )
    figures["pending_overdue"] = pending_reports(villages, now, reported_as).count()
    return figures


# --- Nutrition status (H.1) -----------------------------------------------------------

CATEGORIES = {
    "haz": list(HAZ_LABELS.items()),
    "waz": list(WAZ_LABELS.items()),
    "whz": list(WHZ_LABELS.items()),
}


def active_children(villages, reported_as=""):
    return Child.objects.active().filter(reason_filter(reported_as), village__in=villages)


def measured_in(date_from, date_to):
    """Exists() for a Child queryset: a measurement dated within the period."""
    return Exists(
        Measurement.objects.filter(child=OuterRef("pk"), measured_on__range=(date_from, date_to))
    )


def nutrition_figures(villages, date_from, date_to, reported_as=""):
    """Active children by latest TB/U, BB/U and BB/TB category, and those measured in the
    period. Categories are those of Child.latest_measurement; one query."""
    aggregates = {"active": Count("pk"), "measured_in_period": Count("pk", filter=Q(seen=True))}
    for index, categories in CATEGORIES.items():
        field = f"latest_measurement__{index}_category"
        for value, _ in categories:
            aggregates[f"{index}:{value}"] = Count("pk", filter=Q(**{field: value}))
    counts = (
        active_children(villages, reported_as)
        .annotate(seen=measured_in(date_from, date_to))
        .aggregate(**aggregates)
    )
    figures = {"active": counts["active"], "measured_in_period": counts["measured_in_period"]}
    for index, categories in CATEGORIES.items():
        rows = [(value, label, counts[f"{index}:{value}"]) for value, label in categories]
        unknown = counts["active"] - sum(n for _, _, n in rows)
        figures[index] = rows + [("", "Belum dapat dihitung", unknown)]
    return figures


def haz_by_village(villages, reported_as=""):
    """{village_id: {haz category or "": count}} of active children (latest TB/U)."""
    rows = (
        active_children(villages, reported_as)
        .order_by()
        .values_list("village", "latest_measurement__haz_category")
        .annotate(n=Count("pk"))
    )
    found = {}
    for village_id, category, n in rows:
        found.setdefault(village_id, {})
        key = category or ""
        found[village_id][key] = found[village_id].get(key, 0) + n
    return found


# --- Reach (H.1 "tepat sasaran", I.2) --------------------------------------------------


def stunted_without_help(villages, reported_as=""):
    """Active children whose latest TB/U is stunted and who have no running or finished
    intervention (a planned one is not help yet)."""
    return (
        active_children(villages, reported_as)
        .filter(latest_measurement__haz_category__in=STUNTED_CATEGORIES)
        .annotate(helped=receives_help())
        .filter(helped=False)
    )


def help_for_not_stunted(villages, reported_as=""):
    """Planned or running interventions of children whose latest TB/U is normal or tinggi."""
    return Intervention.objects.filter(
        reason_filter(reported_as, prefix="child__"),
        child__village__in=villages,
        status__in=Intervention.OPEN,
        child__latest_measurement__haz_category__in=NOT_STUNTED_CATEGORIES,
    )


# --- Partners (H.2, I.3) ---------------------------------------------------------------


def _partner_rows(interventions, deliveries, today):
    """Per partner and intervention type: `interventions` by status now and overdue, and the
    number of `deliveries`. Two queries."""
    St = Intervention.Status
    rows = (
        interventions.order_by()
        .values("partner", "partner__name", "kind", "kind__name")
        .annotate(
            assigned=Count("pk"),
            planned=Count("pk", filter=Q(status=St.PLANNED)),
            running=Count("pk", filter=Q(status=St.RUNNING)),
            done=Count("pk", filter=Q(status=St.DONE)),
            cancelled=Count("pk", filter=Q(status=St.CANCELLED)),
            overdue=Count("pk", filter=Q(status__in=Intervention.OPEN, planned_end__lt=today)),
        )
    )
    delivered = dict(
        (((d["intervention__partner"], d["intervention__kind"]), d["n"]))
        for d in deliveries.order_by()
        .values("intervention__partner", "intervention__kind")
        .annotate(n=Count("pk"))
    )
    result = []
    for row in rows:
        row["deliveries"] = delivered.get((row["partner"], row["kind"]), 0)
        result.append(row)
    result.sort(key=lambda r: (r["partner__name"], r["kind__name"]))
    return result


def partner_rows(villages, date_from, date_to, today=None, reported_as=""):
    """Per partner and intervention type, the interventions of the villages' children by
    status now (all of them, whatever the period), the overdue ones, and the deliveries
    dated within the period. Mothers' interventions are not here: mother_partner_rows().
    Two queries."""
    interventions = Intervention.objects.filter(child__village__in=villages).filter(
        reason_filter(reported_as, prefix="child__")
    )
    deliveries = Delivery.objects.filter(
        reason_filter(reported_as, prefix="intervention__child__"),
        intervention__child__village__in=villages,
        date__range=(date_from, date_to),
    )
    return _partner_rows(interventions, deliveries, today or timezone.localdate())


def mother_partner_rows(villages, date_from, date_to, today=None):
    """partner_rows() of the villages' pregnant and breastfeeding mothers. Two queries."""
    interventions = Intervention.objects.filter(mother__village__in=villages)
    deliveries = Delivery.objects.filter(
        intervention__mother__village__in=villages, date__range=(date_from, date_to)
    )
    return _partner_rows(interventions, deliveries, today or timezone.localdate())


def participation_figures(villages, date_from, date_to, reported_as=""):
    """Active partners, partners who delivered in the period, kader who reported, and
    the active posyandu that sent no report in the period."""
    start, end = moments(date_from, date_to)
    kader = (
        reports_in(villages, date_from, date_to, reported_as)
        .annotate(kader=Lower(Trim("kader_name")))
        .order_by()
        .values("kader", "kader_phone")
        .distinct()
        .count()
    )
    silent = (
        Posyandu.objects.active()
        .filter(village__in=villages)
        .exclude(
            Exists(
                Submission.objects.filter(
                    reason_filter(reported_as),
                    posyandu=OuterRef("pk"),
                    created_at__gte=start,
                    created_at__lt=end,
                )
            )
        )
        .select_related("village")
        .order_by("village__name", "name")
    )
    working = (
        Delivery.objects.filter(
            intervention__child__village__in=villages, date__range=(date_from, date_to)
        )
        .filter(reason_filter(reported_as, prefix="intervention__child__"))
        .order_by()
        .values("intervention__partner")
        .distinct()
        .count()
    )
    return {
        "active_partners": Partner.objects.filter(is_active=True).count(),
        "working_partners": working,
        "kader": kader,
        "posyandu_active": Posyandu.objects.active().filter(village__in=villages).count(),
        "silent_posyandu": list(silent),
    }


# --- Group activities (A, D.4–D.7, F.7, I.3, I.6) ---------------------------------------


def activities_in(villages, date_from, date_to):
    """Group activities held in the villages within the period."""
    return Activity.objects.filter(village__in=villages, date__range=(date_from, date_to))


def _reach(people):
    """Aggregates of a grouped activity query: how many activities, and the people reached."""
    return {"activities": Count("pk", distinct=True), "people": Coalesce(Sum(people), 0)}


def activity_figures(villages, date_from, date_to):
    """Group activities held in the period and the people they reached (their attendance
    summed): in total, per audience, per kind, per village (every village of `villages`),
    per partner (an activity run by two partners counts for each) and per month of the
    period. Six queries."""
    q = activities_in(villages, date_from, date_to).order_by()
    people = Activity.people_expression()
    totals = q.aggregate(
        **_reach(people),
        **{name: Coalesce(Sum(name), 0) for name, _ in Activity.AUDIENCES},
    )
    kinds = {row.pop("kind"): row for row in q.values("kind").annotate(**_reach(people))}
    by_village = {row.pop("village"): row for row in q.values("village").annotate(**_reach(people))}
    months_found = {
        row.pop("month"): row
        for row in q.annotate(month=TruncMonth("date")).values("month").annotate(**_reach(people))
    }
    partners = (
        ActivityPartner.objects.filter(activity__in=q)
        .order_by()
        .values("partner", "partner__name")
        .annotate(
            activities=Count("activity", distinct=True),
            people=Coalesce(Sum(Activity.people_expression("activity__")), 0),
        )
        .order_by("partner__name")
    )
    empty = {"activities": 0, "people": 0}
    return {
        "activities": totals["activities"],
        "people": totals["people"],
        "audiences": [(label, totals[name]) for name, label in Activity.AUDIENCES],
        "kinds": [
            (value, label, kinds.get(value, empty)) for value, label in Activity.Kind.choices
        ],
        "villages": [(v, by_village.get(v.pk, empty)) for v in villages.order_by("name")],
        "partners": [(row["partner__name"], row) for row in partners],
        "months": [(month, months_found.get(month, empty)) for month in months(date_from, date_to)],
    }


# --- Obstacles (H.2 "kendala yang dihadapi") ---------------------------------------------


def obstacles_in(villages, date_from, date_to, reported_as=""):
    """Obstacles met in the period on the assignments of the villages' children (of the
    target group) and mothers (whatever the target group: it is about children)."""
    children = Q(intervention__child__village__in=villages) & reason_filter(
        reported_as, prefix="intervention__child__"
    )
    mothers = Q(intervention__mother__village__in=villages)
    return Obstacle.objects.filter(children | mothers, date__range=(date_from, date_to))


def obstacle_figures(villages, date_from, date_to, reported_as=""):
    """The period's obstacles per kind, open and handled (their status today), and how many
    of them are on mothers' assignments. One query."""
    Kind, Status = Obstacle.Kind, Obstacle.Status
    counts = obstacles_in(villages, date_from, date_to, reported_as).aggregate(
        **{
            f"{kind}:{status}": Count("pk", filter=Q(kind=kind, status=status))
            for kind in Kind.values
            for status in Status.values
        },
        mothers=Count("pk", filter=Q(intervention__mother__isnull=False)),
    )
    mothers = counts.pop("mothers")
    rows = [
        (kind, label, counts[f"{kind}:{Status.OPEN}"], counts[f"{kind}:{Status.HANDLED}"])
        for kind, label in Kind.choices
    ]
    open_, handled = sum(r[2] for r in rows), sum(r[3] for r in rows)
    return {
        "rows": rows,
        "open": open_,
        "handled": handled,
        "total": open_ + handled,
        "mothers": mothers,
    }


# --- Outcomes (H.2, I.4) ---------------------------------------------------------------

# Z-scores are stored to two decimals; a change of 0.2 may come back as 0.19999... in floats.
CHANGE = 0.195


def outcome_children(villages, date_from, date_to, reported_as=""):
    """Children of the villages (any programme status) who receive help, with the HAZ of
    their first measurement ever and of their last measurement within the period; `compared`
    when those are two different measurements, and the `change` from first to last."""
    first_in_period = Q(first_haz_measurement__measured_on__range=(date_from, date_to))
    return (
        Child.objects.current()
        .filter(reason_filter(reported_as), village__in=villages)
        .filter(receives_help())
        .annotate(
            first_id=F("first_haz_measurement_id"),
            first_haz=first_haz("haz"),
            last_haz=later_haz_measurement_in("haz", date_from, date_to),
            # The last one in the period is the first one when no later one is.
            last_id=Coalesce(
                later_haz_measurement_in("pk", date_from, date_to),
                Case(When(first_in_period, then=F("first_haz_measurement_id"))),
            ),
        )
        .annotate(
            compared=ExpressionWrapper(Q(last_haz__isnull=False), output_field=BooleanField()),
            change=F("last_haz") - F("first_haz"),
        )
    )


# What each direction of change means, as a filter of outcome_children().
OUTCOMES = {
    "improved": Q(compared=True, change__gte=CHANGE),
    "same": Q(compared=True, change__gt=-CHANGE, change__lt=CHANGE),
    "worsened": Q(compared=True, change__lte=-CHANGE),
    "not_compared": Q(compared=False),
}


def outcome_figures(villages, date_from, date_to, reported_as=""):
    """First versus last HAZ of helped children, those who left stunting, exits by reason."""
    q = outcome_children(villages, date_from, date_to, reported_as)
    figures = q.aggregate(
        helped=Count("pk"),
        **{name: Count("pk", filter=condition) for name, condition in OUTCOMES.items()},
    )
    figures["compared"] = figures["helped"] - figures["not_compared"]
    figures["left_stunting"] = left_stunting_children(
        Child.objects.current().filter(reason_filter(reported_as), village__in=villages),
        date_from,
        date_to,
    ).count()
    exits = dict(
        Child.objects.current()
        .filter(
            reason_filter(reported_as),
            village__in=villages,
            programme_status=Child.ProgrammeStatus.EXITED,
            exit_date__range=(date_from, date_to),
        )
        .order_by()
        .values_list("exit_reason")
        .annotate(n=Count("pk"))
    )
    figures["exits"] = [
        (value, label, exits.get(value, 0)) for value, label in Child.ExitReason.choices
    ]
    figures["exited"] = sum(exits.values())
    return figures


# --- Monthly trend --------------------------------------------------------------------


def months(date_from, date_to):
    """First days of the months the period touches."""
    day = date_from.replace(day=1)
    found = []
    while day <= date_to:
        found.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return found


def monthly_trend(villages, date_from, date_to, reported_as=""):
    """Per month of the period: reports sent, reports verified (new or merged, by the date
    of the decision), children measured, and of those, children measured stunted.
    All registered children count: today's programme status does not rewrite the past."""
    start, end = moments(date_from, date_to)
    sent = dict(
        reports_in(villages, date_from, date_to, reported_as)
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    verified = dict(
        Decision.objects.filter(
            reason_filter(reported_as, prefix="submission__"),
            submission__village__in=villages,
            action__in=(Decision.Action.VERIFIED_NEW, Decision.Action.MERGED),
            decided_at__gte=start,
            decided_at__lt=end,
        )
        .annotate(month=TruncMonth("decided_at"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    measured = {
        month: (n, stunted)
        for month, n, stunted in Measurement.objects.filter(
            reason_filter(reported_as, prefix="child__"),
            child__village__in=villages,
            measured_on__range=(date_from, date_to),
        )
        .annotate(month=TruncMonth("measured_on"))
        .order_by()
        .values_list("month")
        .annotate(
            n=Count("child", distinct=True),
            stunted=Count("child", distinct=True, filter=Q(haz_category__in=STUNTED_CATEGORIES)),
        )
    }

    def key(value):
        # TruncMonth gives aware datetimes for created_at and dates for measured_on.
        if isinstance(value, datetime):
            value = timezone.localtime(value).date()
        return value

    sent = {key(k): v for k, v in sent.items()}
    verified = {key(k): v for k, v in verified.items()}
    measured = {key(k): v for k, v in measured.items()}
    return [
        {
            "month": month,
            "reports": sent.get(month, 0),
            "verified": verified.get(month, 0),
            "measured": measured.get(month, (0, 0))[0],
            "stunted": measured.get(month, (0, 0))[1],
        }
        for month in months(date_from, date_to)
    ]


# --- Worklists -------------------------------------------------------------------------


def not_measured_since(villages, days, today=None, reported_as=""):
    """Active children with no measurement in the last `days` days (or none at all)."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=days)
    return active_children(villages, reported_as).filter(
        Q(latest_measurement__isnull=True) | Q(latest_measurement__measured_on__lt=cutoff)
    )


def not_measured_counts(villages, days_list, today=None, reported_as=""):
    """{days: number of active children not measured in the last `days` days}, one query."""
    today = today or timezone.localdate()
    counts = active_children(villages, reported_as).aggregate(
        **{
            f"d{days}": Count(
                "pk",
                filter=Q(latest_measurement__isnull=True)
                | Q(latest_measurement__measured_on__lt=today - timedelta(days=days)),
            )
            for days in days_list
        }
    )
    return {days: counts[f"d{days}"] for days in days_list}


def overdue_interventions(villages, today=None, reported_as=""):
    return Intervention.objects.overdue(today).filter(
        reason_filter(reported_as, prefix="child__"), child__village__in=villages
    )


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def turning_five(villages, within_days=30, today=None, reported_as=""):
    """Active children whose fifth birthday falls within the next `within_days` days."""
    today = today or timezone.localdate()
    return active_children(villages, reported_as).filter(
        birth_date__gte=years_before(today, 5),
        birth_date__lte=years_before(today + timedelta(days=within_days), 5),
    )


# --- Why children were reported (D.1–D.2) ---------------------------------------------

# The target groups in the order of the figure; NOT_RECORDED: registered before the form asked.
REPORTED_AS_ROWS = [*ReportedAs.choices, (NOT_RECORDED, "Belum tercatat")]


def reason_figures(villages):
    """Active children by why they were reported (stunted, at risk, not recorded), each
    with how many are measured and stunted by their latest TB/U; and the active children
    with each risk factor, of them those reported at risk. One query, whatever the target
    group chosen on the page: this figure compares the groups."""
    latest = "latest_measurement__haz_category"
    stunted = Q(**{f"{latest}__in": STUNTED_CATEGORIES})
    measured = Q(latest_measurement__haz__isnull=False)
    aggregates = {}
    for value, _ in REPORTED_AS_ROWS:
        group = reason_filter(value)
        aggregates[f"{value}:active"] = Count("pk", filter=group)
        aggregates[f"{value}:measured"] = Count("pk", filter=group & measured)
        aggregates[f"{value}:stunted"] = Count("pk", filter=group & stunted)
    at_risk = Q(reported_as=ReportedAs.AT_RISK)
    for code in RiskFactor.values:
        has = Q(**{risk_field(code): True})
        aggregates[f"risk:{code}"] = Count("pk", filter=has)
        aggregates[f"risk:{code}:at_risk"] = Count("pk", filter=has & at_risk)
    counts = active_children(villages).aggregate(**aggregates)
    groups = [
        {
            "value": value,
            "label": label,
            "active": counts[f"{value}:active"],
            "measured": counts[f"{value}:measured"],
            "stunted": counts[f"{value}:stunted"],
            "prevalence": percent(counts[f"{value}:stunted"], counts[f"{value}:measured"]),
        }
        for value, label in REPORTED_AS_ROWS
    ]
    factors = [
        {
            "value": code,
            "label": label,
            "children": counts[f"risk:{code}"],
            "at_risk": counts[f"risk:{code}:at_risk"],
        }
        for code, label in RiskFactor.choices
    ]
    return {"groups": groups, "factors": factors}


# --- Pregnant and breastfeeding mothers (D.3) -------------------------------------------
#
# Mothers are their own target group: the child target group (`reported_as`) never narrows
# them. A mother's status (hamil, menyusui), KEK and anaemia are those of her latest check,
# stored on the mother (Mother.mother_status, is_kek, is_anaemic). A mother *receives help*
# like a child: at least one running or finished intervention.

# The figures of a mother_rows() row after village, code and name, in table order.
MOTHER_KEYS = [
    "reports",
    "verified_reports",
    "active",
    "pregnant",
    "breastfeeding",
    "kek",
    "anaemic",
    "helped",
    "kek_not_helped",
]


def mother_reports_in(villages, date_from, date_to):
    """Mothers' reports sent from the villages within the period."""
    start, end = moments(date_from, date_to)
    return MotherReport.objects.filter(
        village__in=villages, created_at__gte=start, created_at__lt=end
    )


def mother_receives_help():
    """Exists() for a Mother queryset: at least one running or finished intervention."""
    return Exists(Intervention.objects.filter(mother=OuterRef("pk"), status__in=HELPED))


def active_mothers(villages):
    return Mother.objects.active().filter(village__in=villages)


def mother_rows(*, villages, date_from, date_to):
    """One dict of the mothers' figures per village of `villages`, and their total.

    Keys: village, code, name, reports (mothers' reports sent in the period), verified_reports
    (of those, now verified), active (registered mothers in the programme), pregnant and
    breastfeeding (active, by the status of their latest check), kek and anaemic (active,
    latest check), helped (active, a running or finished intervention), kek_not_helped
    (active, KEK, no running or finished intervention). Two queries."""
    villages = list(villages.order_by("code"))
    ids = [v.pk for v in villages]
    reports = _by_village(
        mother_reports_in(ids, date_from, date_to),
        reports=Count("pk"),
        verified_reports=Count("pk", filter=Q(status=MotherReport.Status.VERIFIED)),
    )
    S = Mother.MotherStatus
    mothers = _by_village(
        active_mothers(ids).annotate(has_help=mother_receives_help()),
        active=Count("pk"),
        pregnant=Count("pk", filter=Q(mother_status=S.PREGNANT)),
        breastfeeding=Count("pk", filter=Q(mother_status=S.BREASTFEEDING)),
        kek=Count("pk", filter=Q(is_kek=True)),
        anaemic=Count("pk", filter=Q(is_anaemic=True)),
        helped=Count("pk", filter=Q(has_help=True)),
        kek_not_helped=Count("pk", filter=Q(is_kek=True, has_help=False)),
    )
    rows = []
    for v in villages:
        found = reports.get(v.pk, {}) | mothers.get(v.pk, {})
        row = {"village": v, "code": v.code, "name": v.name}
        row.update({key: found.get(key, 0) for key in MOTHER_KEYS})
        rows.append(row)
    total = {"village": None, "code": "", "name": ""}
    total.update({key: sum(row[key] for row in rows) for key in MOTHER_KEYS})
    return rows, total


def mother_figures(villages, date_from, date_to, today=None):
    """The dashboard's mothers section: mother_rows() and their total, and the mothers'
    interventions per partner and type (mother_partner_rows()). Four queries."""
    rows, total = mother_rows(villages=villages, date_from=date_from, date_to=date_to)
    return {
        "rows": rows,
        "total": total,
        "partner_rows": mother_partner_rows(villages, date_from, date_to, today),
    }


# --- Public summary -------------------------------------------------------------------


PUBLIC_KEYS = ["reports", "verified_children", "helped", "left_stunting", "mothers"]


def public_rows(*, villages, date_from, date_to):
    """Per village and in total: reports received, children verified, children receiving
    help, children who left stunting, within the period, and the pregnant and breastfeeding
    mothers in the programme today (counts only, no names).

    Receiving help: an intervention running now, or finished within the period."""
    villages = list(villages.order_by("name"))
    ids = [v.pk for v in villages]
    reports = _by_village(
        reports_in(ids, date_from, date_to),
        reports=Count("pk"),
        verified_children=Count(
            "child", distinct=True, filter=Q(status=Submission.Status.VERIFIED)
        ),
    )
    help_in_period = Intervention.objects.filter(child=OuterRef("pk")).filter(
        Q(status=Intervention.Status.RUNNING)
        | Q(status=Intervention.Status.DONE, finished_on__range=(date_from, date_to))
    )
    helped = _by_village(
        Child.objects.current().filter(village__in=ids).filter(Exists(help_in_period)),
        helped=Count("pk"),
    )
    left = _by_village(
        left_stunting_children(Child.objects.current().filter(village__in=ids), date_from, date_to),
        left_stunting=Count("pk"),
    )
    mothers = _by_village(active_mothers(ids), mothers=Count("pk"))
    keys = PUBLIC_KEYS
    rows = []
    for v in villages:
        found = {}
        for source in (reports, helped, left, mothers):
            found.update(source.get(v.pk, {}))
        rows.append({"village": v, **{key: found.get(key, 0) for key in keys}})
    total = {"village": None, **{key: sum(row[key] for row in rows) for key in keys}}
    return rows, total


# --- The whole dashboard ---------------------------------------------------------------

NOT_MEASURED_DAYS = (30, 60, 90)
TURNING_FIVE_DAYS = 30


def dashboard_figures(villages, date_from, date_to, today, reported_as=""):
    """Every figure of the dashboard for the villages, period and target group (`reported_as`,
    "" for all), as plain values (the village rows hold their Village): what
    monitoring.snapshot keeps between requests."""
    period = (date_from, date_to)
    group = {"reported_as": reported_as}
    rows, total = village_rows(villages=villages, date_from=date_from, date_to=date_to, **group)
    return {
        "rows": rows,
        "total": total,
        "reports": report_figures(villages, *period, **group),
        "nutrition": nutrition_figures(villages, *period, **group),
        "reasons": reason_figures(villages),
        "outcomes": outcome_figures(villages, *period, **group),
        "participation": participation_figures(villages, *period, **group),
        "partner_rows": partner_rows(villages, *period, today=today, **group),
        "trend": monthly_trend(villages, *period, **group),
        "haz_by_village": haz_by_village(villages, **group),
        # Activities reach people, not registered children: no target group narrows them.
        "activities": activity_figures(villages, *period),
        "obstacles": obstacle_figures(villages, *period, **group),
        # Mothers are a target group of their own: the children's group does not narrow them.
        "mothers": mother_figures(villages, *period, today),
        "not_measured": not_measured_counts(villages, NOT_MEASURED_DAYS, today, **group),
        "worklists": {
            "overdue": overdue_interventions(villages, today, **group).count(),
            "turning_five": turning_five(villages, TURNING_FIVE_DAYS, today, **group).count(),
            "not_helped": total["not_intervened"],
            "not_stunted_help": help_for_not_stunted(villages, **group).count(),
        },
    }
