"""The guideline's indicators (sections H and I), counted in the database.

Every function here runs a fixed number of queries, however many children there are: counts
are conditional aggregates grouped by village, and per-child values (a child's first HAZ, whether
it receives help) are correlated subqueries, never a Python loop over rows.

Shared definitions:

- An *active* child has programme_status "active"; exited children are left out of the current
  status figures.
- A child's *latest TB/U* is the category of Child.latest_measurement (latest date, then latest
  recorded); *measured* means that measurement has a HAZ.
- A child *receives help* (is *intervened*) when it has at least one intervention that is running
  or finished; a planned or cancelled one does not count.
- A child *left stunting* in a period when it receives help, its first measurement with a HAZ
  was pendek or sangat pendek, and its last measurement with a HAZ taken within the period is
  normal or tinggi (exited children count too: leaving stunting is a reason to exit).
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from interventions.models import Intervention
from registrations.growth import STUNTED
from registrations.models import Child, Measurement, Posyandu, Submission

ACTIVE = Child.ProgrammeStatus.ACTIVE
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


def prevalence(stunted: int, measured: int) -> float | None:
    """Stunted per 100 measured children, to one decimal; None when nobody was measured."""
    if not measured:
        return None
    return round(stunted * 100 / measured, 1)


def receives_help():
    """Exists() for a Child queryset: at least one running or finished intervention."""
    return Exists(Intervention.objects.filter(child=OuterRef("pk"), status__in=HELPED))


def first_haz_measurement(field):
    """Subquery for a Child queryset: `field` of its first measurement with a HAZ."""
    q = Measurement.objects.filter(child=OuterRef("pk"), haz__isnull=False)
    return Subquery(q.order_by("measured_on", "created_at", "pk").values(field)[:1])


def last_haz_measurement_in(field, date_from, date_to):
    """Subquery for a Child queryset: `field` of its last measurement with a HAZ in the period."""
    q = Measurement.objects.filter(
        child=OuterRef("pk"), haz__isnull=False, measured_on__range=(date_from, date_to)
    )
    return Subquery(q.order_by(*Measurement.LATEST_FIRST).values(field)[:1])


def left_stunting_children(children, date_from, date_to):
    """The children (of a Child queryset) who left stunting in the period; see the module doc."""
    q = children.annotate(
        helped=receives_help(),
        first_category=first_haz_measurement("haz_category"),
        last_category=last_haz_measurement_in("haz_category", date_from, date_to),
    )
    return q.filter(
        helped=True,
        first_category__in=STUNTED_CATEGORIES,
        last_category__in=NOT_STUNTED_CATEGORIES,
    )


def _by_village(q, **aggregates):
    """{village_id: {name: value}} of a queryset grouped by its `village` column."""
    rows = q.order_by().values("village").annotate(**aggregates)
    return {row.pop("village"): row for row in rows}


def village_rows(*, villages, date_from, date_to):
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
        Submission.objects.filter(village__in=ids, created_at__gte=start, created_at__lt=end),
        reports=Count("pk"),
        verified_reports=Count("pk", filter=Q(status=Submission.Status.VERIFIED)),
    )
    latest = "latest_measurement__haz_category"
    stunted = Q(**{f"{latest}__in": STUNTED_CATEGORIES})
    boys, girls = Q(sex=Child.Sex.MALE), Q(sex=Child.Sex.FEMALE)
    severe, moderate = Q(**{latest: "sangat_pendek"}), Q(**{latest: "pendek"})
    children = _by_village(
        Child.objects.filter(village__in=ids, programme_status=ACTIVE).annotate(
            helped=receives_help()
        ),
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
        left_stunting_children(Child.objects.filter(village__in=ids), date_from, date_to),
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
        row["prevalence"] = prevalence(row["stunted_total"], row["measured_children"])
        rows.append(row)

    total = {"village": None, "code": "", "name": ""}
    total.update(
        {key: sum(row[key] for row in rows) if key in COUNT_KEYS else None for key in ROW_KEYS}
    )
    total["prevalence"] = prevalence(total["stunted_total"], total["measured_children"])
    return rows, total
