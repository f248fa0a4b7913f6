from datetime import timedelta
from tempfile import SpooledTemporaryFile
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from gasken.clients import client_ip
from gasken.pages import paginate, require_perm
from interventions.forms import ALL_STATUSES
from interventions.models import Intervention, Obstacle
from interventions.views import get_partner_for_user
from monitoring import charts, exports, snapshot
from monitoring import indicators as ind
from monitoring.access import villages_for
from monitoring.forms import FilterForm
from monitoring.services import workbook_log_export
from registrations.growth import HAZ_LABELS, WAZ_LABELS, WHZ_LABELS
from registrations.models import (
    Child,
    Mother,
    RiskFactor,
    Submission,
    Village,
    reason_filter,
)
from verification.forms import QueueFilterForm

NOT_MEASURED_DAYS = ind.NOT_MEASURED_DAYS
TURNING_FIVE_DAYS = ind.TURNING_FIVE_DAYS


def _get_scope_for_user(user):
    """The villages the user may see and whether they are kecamatan staff, or 403."""
    scope = villages_for(user)
    if scope is None:
        raise PermissionDenied("Halaman pemantauan hanya untuk staf kecamatan dan pemerintah desa.")
    return scope


class Filters:
    """The period and villages of a monitoring page, from the query string."""

    def __init__(self, request, scope, is_staff):
        self.form = FilterForm(request.GET or None, villages=None if is_staff else scope)
        if not is_staff:
            # A village user's page covers its own village: nothing to choose.
            self.form.fields["village"].empty_label = None
        valid = self.form.is_valid()
        self.date_from, self.date_to = self.form.period()
        self.village = self.form.cleaned_data.get("village") if valid else None
        self.reported_as = self.form.cleaned_data.get("reported_as", "") if valid else ""
        self.villages = scope.filter(pk=self.village.pk) if self.village else scope
        self.is_staff = is_staff

    def params(self, *, every_group=False, **extra):
        """Query string of the current filters (plus `extra`), for links between pages;
        `every_group` leaves the target group out."""
        values = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}
        if self.village:
            values["village"] = self.village.pk
        if self.reported_as and not every_group:
            values["reported_as"] = self.reported_as
        values.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(values)

    @property
    def group(self):
        """The target group chosen, in words ("" for all)."""
        return dict(ind.REPORTED_AS_ROWS).get(self.reported_as, "")

    @property
    def area(self):
        if self.village:
            return str(self.village)
        if not self.is_staff:
            return str(self.villages.get())
        return "Semua kelurahan/desa"


def _queue_url(filters, status):
    params = {
        "status": status,
        "date_from": filters.date_from.isoformat(),
        "date_to": filters.date_to.isoformat(),
    }
    if filters.village:
        params["village"] = filters.village.pk
    if filters.reported_as:
        params["reported_as"] = filters.reported_as
    return reverse("verification:queue") + "?" + urlencode(params)


def _interventions_url(filters, partner, kind, status="", overdue=False):
    params = {"partner": partner, "kind": kind, "status": status}
    if filters.village:
        params["village"] = filters.village.pk
    if overdue:
        params["overdue"] = "on"
    return reverse("interventions:list") + "?" + urlencode({k: v for k, v in params.items() if v})


def _link_partner_rows(f, partner_rows):
    """Each count of the partner table links to the intervention list showing those."""
    kinds = {"all": ""} | {status: status for status in Intervention.Status.values}
    for row in partner_rows:
        row["links"] = {
            key: _interventions_url(f, row["partner"], row["kind"], status)
            for key, status in kinds.items()
        }
        row["links"]["overdue"] = _interventions_url(f, row["partner"], row["kind"], overdue=True)


def _activities_url(filters, date_from=None, date_to=None, **extra):
    """The staff's activity list with the dashboard's filters (and `extra`)."""
    params = {
        "date_from": (date_from or filters.date_from).isoformat(),
        "date_to": (date_to or filters.date_to).isoformat(),
    }
    if filters.village:
        params["village"] = filters.village.pk
    params.update(extra)
    return reverse("interventions:activity_list") + "?" + urlencode(params)


def _activity_tables(f, activities, linked):
    """The activity tables' rows, (label, {"activities", "people"}, url or None), each
    linked to the activity list showing them when `linked`."""

    def url(**params):
        return _activities_url(f, **params) if linked else None

    months = []
    for month, counts in activities["months"]:
        end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        months.append(
            (
                month,
                counts,
                url(date_from=max(month, f.date_from), date_to=min(end, f.date_to)),
            )
        )
    return {
        "all": url(),
        "kinds": [(label, n, url(kind=value)) for value, label, n in activities["kinds"]],
        "villages": [(v.name, n, url(village=v.pk)) for v, n in activities["villages"]],
        "partners": [(name, n, url(partner=n["partner"])) for name, n in activities["partners"]],
        "months": months,
    }


def _obstacles_url(filters, **extra):
    params = {"date_from": filters.date_from.isoformat(), "date_to": filters.date_to.isoformat()}
    if filters.village:
        params["village"] = filters.village.pk
    params.update(extra)
    return reverse("interventions:obstacle_list") + "?" + urlencode(params)


def _obstacle_rows(f, obstacles, linked):
    """The obstacle table's rows, (label, open, handled, total, links or None), the counts
    linked to the kecamatan's obstacle worklist when `linked`."""
    St = Obstacle.Status

    def links(**params):
        if not linked:
            return None
        return {
            status: _obstacles_url(f, status=status, **params)
            for status in (St.OPEN, St.HANDLED, ALL_STATUSES)
        }

    rows = [
        (label, n_open, n_handled, n_open + n_handled, links(kind=kind))
        for kind, label, n_open, n_handled in obstacles["rows"]
    ]
    total = ("Jumlah", obstacles["open"], obstacles["handled"], obstacles["total"], links())
    return rows, total


def _list_url(filters, name, **extra):
    return reverse("monitoring:worklist", args=[name]) + "?" + filters.params(**extra)


@login_required
def dashboard(request):
    scope, is_staff = _get_scope_for_user(request.user)
    f = Filters(request, scope, is_staff)
    today = timezone.localdate()
    figures = snapshot.figures(
        f.villages,
        f.date_from,
        f.date_to,
        today=today,
        reported_as=f.reported_as,
        refresh="segar" in request.GET,
    )
    rows, total, partner_rows = figures["rows"], figures["total"], figures["partner_rows"]
    nutrition, outcomes = figures["nutrition"], figures["outcomes"]
    haz_by_village, not_measured = figures["haz_by_village"], figures["not_measured"]

    activity_tables = _activity_tables(
        f, figures["activities"], linked=request.user.has_perm("interventions.view_activity")
    )
    obstacle_rows, obstacle_total = _obstacle_rows(
        f, figures["obstacles"], linked=request.user.has_perm("interventions.view_obstacle")
    )
    if is_staff:
        queue_links = {
            "received": _queue_url(f, QueueFilterForm.ALL),
            "pending": _queue_url(f, Submission.Status.PENDING),
            "verified": _queue_url(f, Submission.Status.VERIFIED),
            "rejected": _queue_url(f, Submission.Status.REJECTED),
            "needs_correction": _queue_url(f, Submission.Status.NEEDS_CORRECTION),
        }
        if request.user.has_perm("interventions.view_intervention"):
            _link_partner_rows(f, partner_rows)
        for row in rows:
            row["filter_query"] = f.params(village=row["village"].pk)
    else:
        queue_links = {}

    links = _dashboard_links(f)
    nutrition_tables = [
        (
            index,
            title,
            [(v, label, n, links[index][v]) for v, label, n in nutrition[index]],
        )
        for index, title in (
            ("haz", "TB/U (tinggi badan menurut umur)"),
            ("waz", "BB/U (berat badan menurut umur)"),
            ("whz", "BB/TB (berat badan menurut tinggi badan)"),
        )
    ]
    exit_rows = [(value, label, n, links["exits"][value]) for value, label, n in outcomes["exits"]]
    not_measured_rows = [
        (
            f"Belum diukur {days} hari",
            not_measured[days],
            links["not_measured"][days],
            f"Anak aktif yang pengukuran terakhirnya lebih dari {days} hari lalu, "
            "atau belum pernah diukur.",
        )
        for days in NOT_MEASURED_DAYS
    ]
    stunted_active = total["intervened"] + total["not_intervened"]
    categories = [(value, label) for value, label in HAZ_LABELS.items()] + [
        ("", "Belum dapat dihitung")
    ]
    stacked_items = [(row["name"], haz_by_village.get(row["village"].pk, {})) for row in rows]
    stacked_rows = [
        (row, [haz_by_village.get(row["village"].pk, {}).get(v, 0) for v, _ in categories])
        for row in rows
    ]
    ctx = {
        "form": f.form,
        "filters": f,
        "query": f.params(),
        "is_staff": is_staff,
        "rows": rows,
        "total": total,
        "reports": figures["reports"],
        "computed_at": figures["computed_at"],
        "snapshot_minutes": snapshot.SNAPSHOT_SECONDS // 60,
        "queue_links": queue_links,
        "pending_days": ind.PENDING_DAYS,
        "nutrition": nutrition,
        "outcomes": outcomes,
        "participation": figures["participation"],
        "partner_rows": partner_rows,
        "trend": figures["trend"],
        "not_measured": not_measured_rows,
        "nutrition_tables": nutrition_tables,
        "exit_rows": exit_rows,
        "worklists": figures["worklists"],
        "turning_five_days": TURNING_FIVE_DAYS,
        "reach_share": ind.percent(total["intervened"], stunted_active),
        "stunted_active": stunted_active,
        "haz_categories": categories,
        "stacked_rows": stacked_rows,
        "stacked_total": [sum(counts[i] for _, counts in stacked_rows) for i in range(5)],
        "trend_svg": charts.trend_svg(figures["trend"]),
        "prevalence_svg": charts.prevalence_svg([(r["name"], r["prevalence"]) for r in rows]),
        "stacked_svg": charts.stacked_svg(stacked_items, categories),
        "links": links,
        "activities": figures["activities"],
        "activity_tables": activity_tables,
        "obstacles": figures["obstacles"],
        "obstacle_rows": obstacle_rows,
        "obstacle_total": obstacle_total,
        "reasons": _reason_rows(f, figures["reasons"]),
        "mothers": _mother_tables(f, figures["mothers"], linked=is_staff),
    }
    return render(request, "monitoring/dashboard.html", ctx)


# The mothers' worklist behind each count of the mothers section.
MOTHER_LINKS = {
    "active": {},
    "pregnant": {"status": "hamil"},
    "breastfeeding": {"status": "menyusui"},
    "kek": {"kondisi": "kek"},
    "anaemic": {"kondisi": "anemia"},
    "helped": {"bantuan": "ada"},
    "kek_not_helped": {"kondisi": "kek", "bantuan": "tanpa"},
}


def _mother_tables(f, mothers, linked):
    """The mothers section, each count linked to its worklist when `linked` (staff only:
    the list names the mothers and leads to the registry)."""

    def links(**village):
        if not linked:
            return dict.fromkeys(MOTHER_LINKS)
        # The children's target group has nothing to do with mothers.
        return {
            key: _list_url(f, "ibu", every_group=True, **village, **params)
            for key, params in MOTHER_LINKS.items()
        }

    def counts(row, links):
        """(count, link) of the table's linked columns, in MOTHER_LINKS order."""
        return [(row[key], links[key]) for key in MOTHER_LINKS]

    rows = []
    for row in mothers["rows"]:
        row_links = links(village=row["village"].pk)
        rows.append(dict(row, links=row_links, counts=counts(row, row_links)))
    total_links = links()
    return {
        "rows": rows,
        "total": mothers["total"],
        "total_counts": counts(mothers["total"], total_links),
        "links": total_links,
        "partner_rows": mothers["partner_rows"],
        "help_share": ind.percent(mothers["total"]["helped"], mothers["total"]["active"]),
    }


def _reason_rows(f, reasons):
    """The figure of why children were reported, with links: each group to the dashboard
    filtered by it, each risk factor to its active children."""
    dashboard = reverse("monitoring:dashboard")
    groups = [
        dict(
            row,
            url=dashboard + "?" + f.params(reported_as=row["value"]),
            chosen=row["value"] == f.reported_as,
        )
        for row in reasons["groups"]
    ]
    worklist = reverse("monitoring:worklist", args=["anak"])
    factors = [
        dict(row, url=worklist + "?" + f.params(every_group=True, faktor=row["value"]))
        for row in reasons["factors"]
    ]
    return {"groups": groups, "factors": factors}


def _dashboard_links(f):
    links = {
        "haz": {v: _list_url(f, "anak", tbu=v or "belum") for v in [*HAZ_LABELS, ""]},
        "waz": {v: _list_url(f, "anak", bbu=v or "belum") for v in [*WAZ_LABELS, ""]},
        "whz": {v: _list_url(f, "anak", bbtb=v or "belum") for v in [*WHZ_LABELS, ""]},
        "active": _list_url(f, "anak"),
        "measured": _list_url(f, "anak", tbu="terukur"),
        "stunted": _list_url(f, "anak", tbu="stunting"),
        "measured_in_period": _list_url(f, "anak", diukur="periode"),
        "not_helped": _list_url(f, "stunting-tanpa-intervensi"),
        "not_stunted_help": _list_url(f, "intervensi-anak-normal"),
        "overdue": _list_url(f, "intervensi-terlambat"),
        "turning_five": _list_url(f, "usia-lima-tahun"),
        "left_stunting": _list_url(f, "keluar-stunting"),
        "pending": _list_url(f, "laporan-tertunda"),
        "outcomes": {
            arah or "semua": _list_url(f, "perkembangan", arah=arah)
            for arah in ("", "membaik", "tetap", "memburuk", "belum")
        },
        "exits": {
            value or "semua": _list_url(f, "keluar-program", alasan=value)
            for value in ["", *Child.ExitReason.values]
        },
        "not_measured": {
            days: _list_url(f, "belum-diukur", hari=days) for days in NOT_MEASURED_DAYS
        },
    }
    return links


# --- Worklists ------------------------------------------------------------------------


def _children(q):
    return q.select_related("village", "posyandu", "latest_measurement").order_by("name", "pk")


def _active_children_list(request, f):
    """Active children, optionally by latest TB/U, BB/U or BB/TB category, or risk factor."""
    q = ind.active_children(f.villages, f.reported_as)
    title = "Anak aktif"
    filters = [
        ("tbu", "haz", HAZ_LABELS, "TB/U"),
        ("bbu", "waz", WAZ_LABELS, "BB/U"),
        ("bbtb", "whz", WHZ_LABELS, "BB/TB"),
    ]
    for param, index, labels, name in filters:
        value = request.GET.get(param, "")
        field = f"latest_measurement__{index}_category"
        if value == "belum":
            q = q.exclude(**{f"{field}__in": list(labels)})
            title += f", {name} belum dapat dihitung"
        elif value == "terukur" and index == "haz":
            q = q.filter(latest_measurement__haz__isnull=False)
            title += ", terukur (TB/U terakhir dapat dihitung)"
        elif value == "stunting" and index == "haz":
            q = q.filter(**{f"{field}__in": ind.STUNTED_CATEGORIES})
            title += ", stunting (pendek atau sangat pendek)"
        elif value in labels:
            q = q.filter(**{field: value})
            title += f", {name} {labels[value].lower()}"
    if request.GET.get("diukur") == "periode":
        q = q.filter(ind.measured_in(f.date_from, f.date_to))
        title += ", diukur dalam periode"
    factor = request.GET.get("faktor", "")
    if factor in RiskFactor.values:
        q = q.filter(reason_filter(risk_factor=factor))
        title += f", faktor risiko {RiskFactor(factor).label.lower()}"
    explanation = (
        "Anak terdaftar yang masih aktif dalam program; status gizi menurut pengukuran terakhir."
    )
    return title, explanation, "children", _children(q)


def _not_measured_list(request, f):
    try:
        days = int(request.GET.get("hari", 30))
    except ValueError:
        days = 30
    if days not in NOT_MEASURED_DAYS:
        days = 30
    title = f"Anak belum diukur dalam {days} hari terakhir"
    explanation = (
        f"Anak aktif yang pengukuran terakhirnya lebih dari {days} hari lalu, atau belum pernah "
        "diukur. Daftar ini keadaan hari ini; periode tidak berlaku."
    )
    q = ind.not_measured_since(f.villages, days, reported_as=f.reported_as).order_by(
        F("latest_measurement__measured_on").asc(nulls_first=True), "name", "pk"
    )
    return (
        title,
        explanation,
        "children",
        q.select_related("village", "posyandu", "latest_measurement"),
    )


def _overdue_list(request, f):
    q = ind.overdue_interventions(f.villages, reported_as=f.reported_as).select_related(
        "child", "child__village", "partner", "kind"
    )
    explanation = (
        "Intervensi yang masih direncanakan atau berjalan padahal rencana selesainya sudah lewat."
    )
    return (
        "Intervensi lewat rencana selesai",
        explanation,
        "interventions",
        q.order_by("planned_end", "pk"),
    )


def _turning_five_list(request, f):
    q = ind.turning_five(f.villages, TURNING_FIVE_DAYS, reported_as=f.reported_as)
    q = q.order_by("birth_date", "pk")
    explanation = (
        f"Anak aktif yang berulang tahun ke-5 dalam {TURNING_FIVE_DAYS} hari ke depan: "
        "ukur terakhir kali dan siapkan keluar dari program."
    )
    return (
        "Anak yang segera berusia 5 tahun",
        explanation,
        "children",
        q.select_related("village", "posyandu", "latest_measurement"),
    )


def _not_helped_list(request, f):
    explanation = (
        "Anak aktif yang TB/U terakhirnya pendek atau sangat pendek dan belum punya intervensi "
        "yang berjalan atau selesai (yang baru direncanakan belum dihitung)."
    )
    q = ind.stunted_without_help(f.villages, f.reported_as)
    return "Anak stunting tanpa intervensi", explanation, "children", _children(q)


def _not_stunted_help_list(request, f):
    explanation = (
        "Intervensi yang direncanakan atau berjalan untuk anak yang TB/U terakhirnya normal atau "
        "tinggi: periksa apakah masih tepat sasaran."
    )
    q = ind.help_for_not_stunted(f.villages, f.reported_as).select_related(
        "child", "child__village", "partner", "kind"
    )
    return (
        "Intervensi untuk anak tidak stunting",
        explanation,
        "interventions",
        q.order_by("child__name", "pk"),
    )


OUTCOME_FILTERS = {
    "membaik": ("yang membaik", "improved"),
    "tetap": ("yang tetap", "same"),
    "memburuk": ("yang memburuk", "worsened"),
    "belum": ("tanpa pengukuran ulang dalam periode", "not_compared"),
}


def _outcome_list(request, f):
    q = ind.outcome_children(f.villages, f.date_from, f.date_to, f.reported_as)
    title = "Perkembangan TB/U anak yang diintervensi"
    arah = request.GET.get("arah", "")
    if arah in OUTCOME_FILTERS:
        label, outcome = OUTCOME_FILTERS[arah]
        q = q.filter(ind.OUTCOMES[outcome])
        title += f": {label}"
    explanation = (
        "Anak dengan intervensi berjalan atau selesai: z-score TB/U pengukuran pertama "
        "dibanding pengukuran terakhir dalam periode. Membaik: naik ≥ 0,2; memburuk: turun ≥ 0,2."
    )
    return title, explanation, "outcomes", _children(q)


def _left_stunting_list(request, f):
    explanation = (
        "Anak yang diintervensi, pengukuran pertamanya pendek/sangat pendek dan pengukuran "
        "terakhirnya dalam periode sudah normal (z-score TB/U ≥ −2)."
    )
    q = ind.left_stunting_children(
        Child.objects.current().filter(reason_filter(f.reported_as), village__in=f.villages),
        f.date_from,
        f.date_to,
    )
    return "Anak yang keluar dari stunting", explanation, "children", _children(q)


def _exits_list(request, f):
    q = Child.objects.current().filter(
        reason_filter(f.reported_as),
        village__in=f.villages,
        programme_status=Child.ProgrammeStatus.EXITED,
        exit_date__range=(f.date_from, f.date_to),
    )
    title = "Anak yang keluar dari program"
    reason = request.GET.get("alasan", "")
    if reason in Child.ExitReason.values:
        q = q.filter(exit_reason=reason)
        title += f": {Child.ExitReason(reason).label.lower()}"
    explanation = "Anak yang status programnya keluar dengan tanggal keluar dalam periode."
    return title, explanation, "children", _children(q)


def _pending_list(request, f):
    if not f.is_staff:
        raise PermissionDenied
    q = ind.pending_reports(f.villages, reported_as=f.reported_as)
    q = q.select_related("village", "posyandu")
    explanation = (
        f"Laporan kader yang menunggu verifikasi lebih dari {ind.PENDING_DAYS} hari sejak "
        "dikirim, yang terlama di atas. Keadaan hari ini; periode tidak berlaku."
    )
    return (
        f"Laporan menunggu lebih dari {ind.PENDING_DAYS} hari",
        explanation,
        "reports",
        q.order_by("created_at", "pk"),
    )


MOTHER_STATUSES = {
    "hamil": Mother.MotherStatus.PREGNANT,
    "menyusui": Mother.MotherStatus.BREASTFEEDING,
}
MOTHER_CONDITIONS = {"kek": ("KEK", Q(is_kek=True)), "anemia": ("anemia", Q(is_anaemic=True))}


def _mothers_list(request, f):
    """Active mothers, optionally by status, KEK or anaemia, and with or without help."""
    if not f.is_staff:
        raise PermissionDenied
    q = ind.active_mothers(f.villages).annotate(helped=ind.mother_receives_help())
    title = "Ibu hamil dan menyusui aktif"
    status = request.GET.get("status", "")
    if status in MOTHER_STATUSES:
        q = q.filter(mother_status=MOTHER_STATUSES[status])
        title = f"Ibu {status} aktif"
    condition = request.GET.get("kondisi", "")
    if condition in MOTHER_CONDITIONS:
        label, where = MOTHER_CONDITIONS[condition]
        q = q.filter(where)
        title += f", {label}"
    help_ = request.GET.get("bantuan", "")
    if help_ == "ada":
        q = q.filter(helped=True)
        title += ", mendapat intervensi"
    elif help_ == "tanpa":
        q = q.filter(helped=False)
        title += ", tanpa intervensi"
    explanation = (
        "Ibu hamil dan menyusui terdaftar yang masih aktif dalam program; status, KEK "
        "(LiLA < 23,5 cm) dan anemia (Hb < 11 g/dL) menurut pemeriksaan terakhir. Mendapat "
        "intervensi: minimal satu intervensi berjalan atau selesai. Keadaan hari ini; "
        "periode dan kelompok sasaran anak tidak berlaku."
    )
    q = q.select_related("village", "posyandu", "latest_check").order_by("name", "pk")
    return title, explanation, "mothers", q


WORKLISTS = {
    "anak": _active_children_list,
    "belum-diukur": _not_measured_list,
    "intervensi-terlambat": _overdue_list,
    "usia-lima-tahun": _turning_five_list,
    "stunting-tanpa-intervensi": _not_helped_list,
    "intervensi-anak-normal": _not_stunted_help_list,
    "perkembangan": _outcome_list,
    "keluar-stunting": _left_stunting_list,
    "keluar-program": _exits_list,
    "laporan-tertunda": _pending_list,
    "ibu": _mothers_list,
}


@login_required
def worklist(request, name):
    if name not in WORKLISTS:
        raise Http404
    scope, is_staff = _get_scope_for_user(request.user)
    f = Filters(request, scope, is_staff)
    title, explanation, kind, q = WORKLISTS[name](request, f)
    page, query = paginate(request, q)
    ctx = {
        "title": title,
        "explanation": explanation,
        "kind": kind,
        "page": page,
        "query": query,
        "filters": f,
        "is_staff": is_staff,
        "name": name,
        "dashboard_url": reverse("monitoring:dashboard") + "?" + f.params(),
        "not_measured_days": NOT_MEASURED_DAYS,
        "today": timezone.localdate(),
    }
    if name == "belum-diukur":
        ctx["days_links"] = [
            (days, _list_url(f, name, hari=days), request.GET.get("hari", "30") == str(days))
            for days in NOT_MEASURED_DAYS
        ]
    return render(request, "monitoring/worklist.html", ctx)


# --- Public summary -------------------------------------------------------------------

SMALL = "< 5"
HIDDEN = "*"


def _suppress(rows, total, keys):
    """Display values: 1–4 become "< 5"; where a hidden cell could be worked out from the
    total and the other cells, the smallest other cells are hidden too ("*")."""
    shown = [{key: row[key] for key in keys} for row in rows]
    shown_total = {}
    for key in keys:
        values = [row[key] for row in rows]
        hidden = {i for i, v in enumerate(values) if 1 <= v <= 4}
        total_small = 1 <= total[key] <= 4
        # With the total shown, the hidden cells' sum is known: it must neither be a single
        # cell nor small enough to tell how many children are behind each.
        while not total_small and hidden and (len(hidden) < 2 or _sum(values, hidden) < 5):
            candidates = [i for i, v in enumerate(values) if i not in hidden and v > 0]
            if not candidates:
                break
            hidden.add(min(candidates, key=lambda i: values[i]))
        for i, v in enumerate(values):
            if i in hidden:
                shown[i][key] = SMALL if v <= 4 else HIDDEN
        shown_total[key] = SMALL if total_small else total[key]
    return shown, shown_total


def _sum(values, indexes):
    return sum(values[i] for i in indexes)


def summary(request):
    today = timezone.localdate()
    rows, total = snapshot.public_figures(today=today)
    shown, shown_total = _suppress(rows, total, ind.PUBLIC_KEYS)
    ctx = {
        "rows": [(row["village"], values) for row, values in zip(rows, shown, strict=True)],
        "total": shown_total,
        "year": today.year,
        "today": today,
        "has_hidden": any(HIDDEN in values.values() for values in shown),
    }
    return render(request, "monitoring/summary.html", ctx)


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
    reported_as = form.cleaned_data.get("reported_as", "") if form.is_bound else ""
    date_from, date_to = form.period()
    return exports.Filters(date_from, date_to, village or scope.village, reported_as)


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
    workbook_log_export(
        workbook=name,
        filename=filename,
        rows=count,
        subtitle=subtitle,
        date_from=filters.date_from,
        date_to=filters.date_to,
        village=filters.village,
        partner=scope.partner,
        user=request.user,
        ip_address=client_ip(request),
    )
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPE
    )


@login_required
@never_cache
def export_workbook(request, workbook):
    # Kecamatan staff get every workbook; a village government those of its own village.
    villages, is_staff = _get_scope_for_user(request.user)
    if is_staff:
        return _download(request, workbook, exports.Scope(), exports.STAFF_WORKBOOKS)
    scope = exports.Scope(village=villages.get())
    return _download(request, workbook, scope, exports.VILLAGE_WORKBOOKS)


@require_perm("interventions.work_as_partner")
@never_cache
def export_partner_workbook(request, workbook):
    partner = get_partner_for_user(request.user)
    # The children and mothers the partner's own pages show it, by the same rule.
    visible = Intervention.objects.visible_to_partner(partner)
    scope = exports.Scope(
        partner=partner,
        partner_children=partner.visible_children(),
        partner_mothers=Mother.objects.current().filter(pk__in=visible.values("mother")),
    )
    return _download(request, workbook, scope, exports.PARTNER_WORKBOOKS)
