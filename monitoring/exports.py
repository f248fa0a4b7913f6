"""The Excel recaps of the monitoring pages, written with openpyxl's write-only mode.

Each workbook is one function returning a `Table`: its title, columns and rows of plain values
(text, numbers, dates), made from a `Scope` (whose children a user may see, and how much of
them) and the dashboard's `Filters`. `write()` lays every table out the same way: a title row
naming the filters and the time it was made, bold headers, frozen panes, an autofilter, set
widths, real dates and numbers, and text that a spreadsheet never runs as a formula.

Rows of children come from database iterators and go straight into the write-only sheet,
which spools them to a temporary file: memory does not grow with the number of children.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import IO, Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from interventions.models import (
    Activity,
    ActivityPartner,
    Delivery,
    Intervention,
    InterventionType,
    Obstacle,
    Partner,
)
from monitoring import indicators
from registrations.growth import HAZ_LABELS, WAZ_LABELS, WHZ_LABELS
from registrations.models import (
    REASON_FIELDS,
    Child,
    Measurement,
    Mother,
    Village,
    reason_filter,
)
from registrations.templatetags.gasken import mask_nik

WIB = ZoneInfo("Asia/Jakarta")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows fetched from the database at a time: large enough to keep round trips few, small
# enough that a chunk stays a few megabytes.
CHUNK_SIZE = 2000
DATE_FORMAT = "DD-MM-YYYY"
# Text starting with one of these is a formula to some spreadsheet (CSV and DDE injection;
# a carriage return is written as a line feed). openpyxl makes a formula only of "=", but
# no text typed by a person becomes one.
FORMULA_START = frozenset("=+-@\t\n")
POSITIONS = {"lying": "Terlentang", "standing": "Berdiri"}


@dataclass(frozen=True)
class Scope:
    """Whose children and mothers a workbook may contain. Kecamatan staff (no partner, no
    village) see every child and mother with NIK and KK number; a partner sees the children
    and mothers of its visible assignments (`partner_children`, `partner_mothers`) and a
    village government those of its village, both with a masked NIK and no KK number."""

    partner: Partner | None = None
    partner_children: QuerySet | None = None
    village: Village | None = None
    partner_mothers: QuerySet | None = None

    @property
    def full_identity(self) -> bool:
        return self.partner is None and self.village is None


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters: a period (both ends included), optionally a village, and
    optionally a target group (why children were reported: a ReportedAs value or
    NOT_RECORDED)."""

    date_from: date
    date_to: date
    village: Village | None = None
    reported_as: str = ""


class Column(NamedTuple):
    header: str
    width: float  # in characters, as Excel counts them


@dataclass
class Table:
    title: str
    sheet: str  # the tab's name, 31 characters at most
    columns: list[Column]
    rows: Iterable[Sequence[Any]]
    total: Sequence[Any] | None = None


def describe(scope: Scope, filters: Filters) -> str:
    """The filters in words, for the title row and the access log."""
    village = filters.village or scope.village
    parts = [
        f"Periode {filters.date_from:%d-%m-%Y} s.d. {filters.date_to:%d-%m-%Y}",
        f"Kelurahan/desa: {village.name if village else 'semua'}",
    ]
    if filters.reported_as:
        group = dict(indicators.REPORTED_AS_ROWS)[filters.reported_as]
        parts.append(f"Dilaporkan sebagai: {group.lower()}")
    if scope.partner:
        parts.append(f"Mitra: {scope.partner.name}")
    return " · ".join(parts)


# --- Layout -----------------------------------------------------------------------------


def _clean(value):
    """Text without the control characters a workbook cannot hold; XML would read a
    carriage return back as a line feed, so it is written as one."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value.replace("\r\n", "\n").replace("\r", "\n")


class _Sheet:
    """A write-only worksheet that turns plain values into safe, typed cells."""

    def __init__(self, workbook, table):
        self.ws = workbook.create_sheet(title=table.sheet)
        for index, column in enumerate(table.columns, 1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        # Title and headers stay in view while scrolling.
        self.ws.freeze_panes = "A3"

    def bold(self, value, size=None):
        cell = self.value(value)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(self.ws, value=cell)
        cell.font = Font(bold=True, size=size)
        return cell

    def value(self, value):
        kind = type(value)
        if kind is str:
            if not value.isprintable():
                value = _clean(value)
            if value[:1] in FORMULA_START:
                return self.plain_text(value)
        elif kind is date:
            cell = WriteOnlyCell(self.ws, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        return value

    def plain_text(self, value):
        cell = WriteOnlyCell(self.ws, value=value)
        cell.data_type = "s"  # openpyxl took "=..." for a formula
        # Excel keeps the cell text even when someone edits it later.
        cell.quotePrefix = True
        return cell

    def append(self, values):
        self.ws.append([self.value(v) for v in values])


def write(table: Table, out: IO[bytes], *, subtitle: str, now: datetime) -> int:
    """Write `table` as an .xlsx workbook to `out`; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "GASKEN"
    sheet = _Sheet(workbook, table)
    made = timezone.localtime(now, WIB)
    title = f"{table.title} · {subtitle} · Dibuat {made:%d-%m-%Y %H:%M} WIB"
    sheet.ws.append([sheet.bold(title, size=12)])
    sheet.ws.append([sheet.bold(column.header) for column in table.columns])
    count = 0
    for row in table.rows:
        sheet.append(row)
        count += 1
    last_column = get_column_letter(len(table.columns))
    sheet.ws.auto_filter.ref = f"A2:{last_column}{count + 2}"
    if table.total is not None:
        sheet.ws.append([sheet.bold(value) for value in table.total])
    workbook.save(out)
    return count


# --- Shared queries ---------------------------------------------------------------------


def _batches(rows, size=CHUNK_SIZE):
    """Lists of up to `size` rows from an iterator, for one lookup query per list."""
    while batch := list(islice(rows, size)):
        yield batch


def _interventions_of(ids, target="child"):
    """{child (or mother, `target`) id: (its interventions with their status, its partners)}
    as readable text, for a batch of children or mothers in one query."""
    found = {}
    q = Intervention.objects.filter(**{f"{target}__in": ids}).order_by()
    for owner, kind, status, partner in q.values_list(
        target, "kind__name", "status", "partner__name"
    ):
        kinds, partners = found.setdefault(owner, (set(), set()))
        kinds.add(f"{kind} ({Intervention.Status(status).label.lower()})")
        partners.add(partner)
    return {
        owner: (", ".join(sorted(kinds)), ", ".join(sorted(partners)))
        for owner, (kinds, partners) in found.items()
    }


NO_INTERVENTION = (None, None)


def _villages(scope, filters):
    q = Village.objects.all()
    if scope.village:
        q = q.filter(pk=scope.village.pk)
    if filters.village:
        q = q.filter(pk=filters.village.pk)
    return q


def _in_scope(children, scope):
    if scope.partner_children is not None:
        children = children.filter(pk__in=scope.partner_children.values("pk"))
    return children


def _nik(nik, scope):
    if not nik:
        return None
    return nik if scope.full_identity else mask_nik(nik)


# --- rekap-desa -------------------------------------------------------------------------

VILLAGE_COLUMNS = [
    Column("Kode wilayah", 15),
    Column("Kelurahan/Desa", 22),
    Column("Jumlah posyandu", 10),
    Column("Laporan masuk", 10),
    Column("Laporan terverifikasi", 12),
    Column("Balita aktif", 10),
    Column("Balita diukur", 10),
    Column("Sangat pendek L", 9),
    Column("Sangat pendek P", 9),
    Column("Pendek L", 9),
    Column("Pendek P", 9),
    Column("Total stunting", 10),
    Column("Prevalensi (%)", 11),
    Column("Sudah diintervensi", 12),
    Column("Belum diintervensi", 12),
    Column("Keluar dari stunting", 12),
]


def _village_values(row):
    return [
        row["code"] or None,
        row["name"] or "Total",
        row["posyandu_count"],
        row["reports"],
        row["verified_reports"],
        row["active_children"],
        row["measured_children"],
        row["severely_stunted_m"],
        row["severely_stunted_f"],
        row["stunted_m"],
        row["stunted_f"],
        row["stunted_total"],
        row["prevalence"],
        row["intervened"],
        row["not_intervened"],
        row["left_stunting"],
    ]


def village_recap(scope: Scope, filters: Filters) -> Table:
    """One row per village with the dashboard's main figures, and their total."""
    rows, total = indicators.village_rows(
        villages=_villages(scope, filters),
        date_from=filters.date_from,
        date_to=filters.date_to,
        reported_as=filters.reported_as,
    )
    return Table(
        title="Rekap stunting per kelurahan/desa",
        sheet="Rekap desa",
        columns=VILLAGE_COLUMNS,
        rows=[_village_values(row) for row in rows],
        total=_village_values(total),
    )


# --- daftar-balita ----------------------------------------------------------------------

# e-PPGBM's order where it has the field, then GASKEN's own.
CHILD_COLUMNS = [
    Column("No KK", 19),
    Column("NIK", 19),
    Column("Nama Anak", 24),
    Column("Tanggal Lahir", 12),
    Column("Jenis Kelamin", 8),
    Column("Nama Ibu", 20),
    Column("Nama Ayah", 20),
    Column("Alamat", 30),
    Column("Kelurahan/Desa", 16),
    Column("Posyandu", 16),
    Column("Tanggal Ukur", 12),
    Column("BB", 7),
    Column("TB/PB", 7),
    Column("Cara Ukur", 11),
    Column("ZS TB/U", 8),
    Column("TB/U", 14),
    Column("ZS BB/U", 8),
    Column("BB/U", 22),
    Column("ZS BB/TB", 8),
    Column("BB/TB", 16),
    Column("Intervensi", 30),
    Column("Mitra", 28),
    Column("Status program", 24),
    Column("Dilaporkan sebagai", 16),
    Column("Faktor risiko", 36),
    Column("Berat lahir (g)", 9),
    Column("Panjang lahir (cm)", 9),
]

CHILD_FIELDS = [
    "pk",
    "kk_number",
    "nik",
    "name",
    "birth_date",
    "sex",
    "mother_name",
    "father_name",
    "address",
    "village__name",
    "posyandu__name",
    "latest_measurement__measured_on",
    "latest_measurement__weight_kg",
    "latest_measurement__height_cm",
    "latest_measurement__position",
    "latest_measurement__haz",
    "latest_measurement__haz_category",
    "latest_measurement__waz",
    "latest_measurement__waz_category",
    "latest_measurement__whz",
    "latest_measurement__whz_category",
    "programme_status",
    "exit_reason",
    "exit_date",
    # Why the child was reported, read with ReportReason's own methods (_reason).
    *REASON_FIELDS,
]
# The values of a child row (CHILD_FIELDS) before its reason.
REASON_AT = CHILD_FIELDS.index(REASON_FIELDS[0])

EXIT_REASONS = dict(Child.ExitReason.choices)


def _programme_status(status, reason, exit_date):
    if status == Child.ProgrammeStatus.ACTIVE:
        return "Aktif"
    label = EXIT_REASONS.get(reason, reason)
    return f"Keluar: {label} ({exit_date:%d-%m-%Y})" if exit_date else f"Keluar: {label}"


def _reason(values):
    """(reported as, risk factors, birth weight, birth length) of a child's reason values
    (REASON_FIELDS), as the workbook shows them."""
    child = Child(**dict(zip(REASON_FIELDS, values, strict=True)))
    return [
        child.get_reported_as_display() or None,
        "; ".join(child.get_risk_factors_display()) or None,
        child.birth_weight_g,
        child.birth_length_cm,
    ]


def children_in_period(scope, filters):
    """The children in the programme at some time in the period: registered before its end
    and not exited before its start."""
    _, end = indicators.moments(filters.date_from, filters.date_to)
    q = Child.objects.current().filter(village__in=_villages(scope, filters), created_at__lt=end)
    q = q.filter(reason_filter(filters.reported_as))
    q = q.exclude(programme_status=Child.ProgrammeStatus.EXITED, exit_date__lt=filters.date_from)
    return _in_scope(q, scope)


def _child_rows(q, scope):
    full = scope.full_identity
    for batch in _batches(q.iterator(chunk_size=CHUNK_SIZE)):
        helped = _interventions_of([values[0] for values in batch])
        for (
            pk,
            kk,
            nik,
            name,
            birth_date,
            sex,
            mother,
            father,
            address,
            village,
            posyandu,
            measured_on,
            weight,
            height,
            position,
            haz,
            haz_category,
            waz,
            waz_category,
            whz,
            whz_category,
            status,
            exit_reason,
            exit_date,
        ), reason in ((values[:REASON_AT], values[REASON_AT:]) for values in batch):
            row = [
                _nik(nik, scope),
                name,
                birth_date,
                sex,
                mother,
                father or None,
                address,
                village,
                posyandu,
                measured_on,
                weight,
                height,
                POSITIONS.get(position),
                haz,
                HAZ_LABELS.get(haz_category),
                waz,
                WAZ_LABELS.get(waz_category),
                whz,
                WHZ_LABELS.get(whz_category),
                *helped.get(pk, NO_INTERVENTION),
                _programme_status(status, exit_reason, exit_date),
                *_reason(reason),
            ]
            if full:
                row.insert(0, kk or None)
            yield row


def children_list(scope: Scope, filters: Filters) -> Table:
    """By name by address: one row per child with the latest measurement."""
    q = children_in_period(scope, filters)
    posyandu = F("posyandu__name").asc(nulls_last=True)
    q = q.order_by("village__name", posyandu, "name", "pk").values_list(*CHILD_FIELDS)
    columns = CHILD_COLUMNS if scope.full_identity else CHILD_COLUMNS[1:]
    return Table(
        title="Daftar balita sasaran GASKEN (by name by address)",
        sheet="Daftar balita",
        columns=columns,
        rows=_child_rows(q, scope),
    )


# --- intervensi-mitra -------------------------------------------------------------------

PARTNER_COLUMNS = [
    Column("Mitra", 30),
    Column("Jenis intervensi", 26),
    Column("Ditugaskan", 11),
    Column("Direncanakan", 12),
    Column("Berjalan", 10),
    Column("Selesai", 10),
    Column("Dibatalkan", 11),
    Column("Lewat rencana selesai", 12),
    Column("Layanan dalam periode", 12),
    Column("Jumlah diberikan", 11),
    Column("Satuan", 10),
    Column("Sasaran", 16),
]
TARGETS = dict(InterventionType.Target.choices)
PARTNER_COUNTS = ["assigned", "planned", "running", "done", "cancelled", "overdue", "deliveries"]


def _quantities(deliveries):
    """{(partner id, type id): quantity given} of the deliveries of types with a quantity."""
    return {
        (d["intervention__partner"], d["intervention__kind"]): d["quantity"]
        for d in deliveries.filter(intervention__kind__has_quantity=True)
        .order_by()
        .values("intervention__partner", "intervention__kind")
        .annotate(quantity=Sum("quantity"))
    }


def partner_recap(scope: Scope, filters: Filters) -> Table:
    """Per partner and intervention type: the dashboard's counts by status (now), the
    deliveries within the period and the quantities they gave, with the type's unit; the
    children's rows (of the target group) first, then the mothers' (whatever the group)."""
    villages = _villages(scope, filters)
    period = (filters.date_from, filters.date_to)
    groups = [
        (
            InterventionType.Target.CHILD,
            indicators.partner_rows(villages, *period, reported_as=filters.reported_as),
            Delivery.objects.filter(
                reason_filter(filters.reported_as, prefix="intervention__child__"),
                intervention__child__village__in=villages,
                date__range=period,
            ),
        ),
        (
            InterventionType.Target.MOTHER,
            indicators.mother_partner_rows(villages, *period),
            Delivery.objects.filter(intervention__mother__village__in=villages, date__range=period),
        ),
    ]
    kinds = {k.pk: k for k in InterventionType.objects.all()}
    values = []
    every_row = []
    for target, rows, deliveries in groups:
        quantities = _quantities(deliveries)
        for row in rows:
            kind = kinds[row["kind"]]
            quantity = quantities.get((row["partner"], row["kind"]))
            values.append(
                [row["partner__name"], row["kind__name"]]
                + [row[key] for key in PARTNER_COUNTS]
                + [quantity, (kind.quantity_unit or None) if kind.has_quantity else None]
                + [TARGETS[target]]
            )
        every_row += rows
    total = ["Total", None] + [sum(row[key] for row in every_row) for key in PARTNER_COUNTS]
    return Table(
        title="Rekap intervensi per mitra",
        sheet="Intervensi mitra",
        columns=PARTNER_COLUMNS,
        rows=values,
        total=total + [None, None, None],
    )


# --- perkembangan-gizi ------------------------------------------------------------------


def _measured(prefix):
    return [
        Column(f"Tanggal Ukur {prefix}", 12),
        Column(f"TB/PB {prefix}", 8),
        Column(f"ZS TB/U {prefix}", 9),
        Column(f"TB/U {prefix}", 14),
        Column(f"ZS BB/U {prefix}", 9),
        Column(f"ZS BB/TB {prefix}", 9),
    ]


PROGRESS_COLUMNS = [
    Column("NIK", 19),
    Column("Nama Anak", 24),
    Column("Tanggal Lahir", 12),
    Column("Jenis Kelamin", 8),
    Column("Kelurahan/Desa", 16),
    Column("Posyandu", 16),
    Column("Intervensi", 30),
    Column("Mitra", 28),
    *_measured("Pertama"),
    *_measured("Terakhir"),
    Column("Perubahan ZS TB/U", 11),
    Column("Perkembangan", 22),
]
MEASUREMENT_FIELDS = ["pk", "measured_on", "height_cm", "haz", "haz_category", "waz", "whz"]
# A change of HAZ this large (in SD, rounded to 2 decimals) counts as better or worse.
CHANGE = 0.2


def progress_category(first, last):
    """How the TB/U of a helped child moved from its first measurement to the last one in
    the period (measurement value tuples of MEASUREMENT_FIELDS, or None)."""
    if first is None:
        return "Belum ada pengukuran"
    if last is None:
        return "Belum diukur dalam periode"
    if first[0] == last[0]:
        return "Belum ada pengukuran ulang"
    if first[4] in indicators.STUNTED_CATEGORIES and last[4] in indicators.NOT_STUNTED_CATEGORIES:
        return "Keluar dari stunting"
    change = round(last[3] - first[3], 2)
    if change >= CHANGE:
        return "Membaik"
    if change <= -CHANGE:
        return "Memburuk"
    return "Tetap"


def _measurement_values(m):
    if m is None:
        return [None] * 6
    _, measured_on, height, haz, category, waz, whz = m
    return [measured_on, height, haz, HAZ_LABELS.get(category), waz, whz]


def _progress_rows(q, scope):
    for batch in _batches(q.iterator(chunk_size=CHUNK_SIZE)):
        helped = _interventions_of([values[0] for values in batch])
        # Both measurements of every child of the batch in one query.
        ids = {values[-2] for values in batch} | {values[-1] for values in batch}
        ids.discard(None)
        found = {
            m[0]: m for m in Measurement.objects.filter(pk__in=ids).values_list(*MEASUREMENT_FIELDS)
        }
        for pk, nik, name, birth_date, sex, village, posyandu, first_id, last_id in batch:
            first, last = found.get(first_id), found.get(last_id)
            change = None
            if first and last and first[0] != last[0]:
                change = round(last[3] - first[3], 2)
            yield [
                _nik(nik, scope),
                name,
                birth_date,
                sex,
                village,
                posyandu,
                *helped.get(pk, NO_INTERVENTION),
                *_measurement_values(first),
                *_measurement_values(last),
                change,
                progress_category(first, last),
            ]


def progress(scope: Scope, filters: Filters) -> Table:
    """Per helped child (a running or finished intervention, any programme status): the
    first measurement with a HAZ ever and the last one within the period, as the dashboard's
    outcome figures count them."""
    q = indicators.outcome_children(
        _villages(scope, filters), filters.date_from, filters.date_to, filters.reported_as
    )
    q = _in_scope(q, scope).order_by("village__name", "name", "pk")
    q = q.values_list(
        "pk",
        "nik",
        "name",
        "birth_date",
        "sex",
        "village__name",
        "posyandu__name",
        "first_id",
        "last_id",
    )
    return Table(
        title="Perkembangan gizi anak yang diintervensi",
        sheet="Perkembangan gizi",
        columns=PROGRESS_COLUMNS,
        rows=_progress_rows(q, scope),
    )


# --- daftar-ibu -------------------------------------------------------------------------

MOTHER_COLUMNS = [
    Column("No KK", 19),
    Column("NIK", 19),
    Column("Nama Ibu", 24),
    Column("Tanggal Lahir", 12),
    Column("Nama Suami", 20),
    Column("Alamat", 30),
    Column("Kelurahan/Desa", 16),
    Column("Posyandu", 16),
    Column("Status Ibu", 10),
    Column("Usia Kehamilan (bulan)", 10),
    Column("HPL", 12),
    Column("Tanggal Lahir Bayi", 12),
    Column("Tanggal Periksa", 12),
    Column("LiLA (cm)", 8),
    Column("Hb (g/dL)", 8),
    Column("BB (kg)", 8),
    Column("TB (cm)", 8),
    Column("KEK", 7),
    Column("Anemia", 7),
    Column("Intervensi", 30),
    Column("Mitra", 28),
    Column("Status program", 24),
]
MOTHER_FIELDS = [
    "pk",
    "kk_number",
    "nik",
    "name",
    "birth_date",
    "husband_name",
    "address",
    "village__name",
    "posyandu__name",
    "mother_status",
    "latest_check__pregnancy_month",
    "latest_check__due_date",
    "latest_check__baby_birth_date",
    "latest_check__checked_on",
    "latest_check__muac_cm",
    "latest_check__hb_g_dl",
    "latest_check__weight_kg",
    "latest_check__height_cm",
    "is_kek",
    "is_anaemic",
    "programme_status",
    "exit_reason",
    "exit_date",
]
MOTHER_STATUSES = dict(Mother.MotherStatus.choices)
MOTHER_EXIT_REASONS = dict(Mother.ExitReason.choices)


def _yes_no(value, known=True):
    if not known:
        return None
    return "Ya" if value else "Tidak"


def mothers_in_period(scope, filters):
    """The mothers in the programme at some time in the period: registered before its end
    and not exited before its start. The children's target group does not narrow them."""
    _, end = indicators.moments(filters.date_from, filters.date_to)
    q = Mother.objects.current().filter(village__in=_villages(scope, filters), created_at__lt=end)
    q = q.exclude(programme_status=Mother.ProgrammeStatus.EXITED, exit_date__lt=filters.date_from)
    if scope.partner_mothers is not None:
        q = q.filter(pk__in=scope.partner_mothers.values("pk"))
    return q


def _mother_rows(q, scope):
    full = scope.full_identity
    for batch in _batches(q.iterator(chunk_size=CHUNK_SIZE)):
        helped = _interventions_of([values[0] for values in batch], target="mother")
        for (
            pk,
            kk,
            nik,
            name,
            birth_date,
            husband,
            address,
            village,
            posyandu,
            status,
            month,
            due_date,
            baby_birth_date,
            checked_on,
            muac,
            hb,
            weight,
            height,
            is_kek,
            is_anaemic,
            programme_status,
            exit_reason,
            exit_date,
        ) in batch:
            if programme_status == Mother.ProgrammeStatus.ACTIVE:
                programme = "Aktif"
            else:
                label = MOTHER_EXIT_REASONS.get(exit_reason, exit_reason)
                programme = f"Keluar: {label}" + (f" ({exit_date:%d-%m-%Y})" if exit_date else "")
            row = [
                _nik(nik, scope),
                name,
                birth_date,
                husband or None,
                address,
                village,
                posyandu,
                MOTHER_STATUSES.get(status),
                month,
                due_date,
                baby_birth_date,
                checked_on,
                muac,
                hb,
                weight,
                height,
                _yes_no(is_kek, known=checked_on is not None),
                _yes_no(is_anaemic, known=hb is not None),
                *helped.get(pk, NO_INTERVENTION),
                programme,
            ]
            if full:
                row.insert(0, kk or None)
            yield row


def mothers_list(scope: Scope, filters: Filters) -> Table:
    """By name by address: one row per pregnant or breastfeeding mother with her latest
    check, her interventions and partners."""
    q = mothers_in_period(scope, filters)
    posyandu = F("posyandu__name").asc(nulls_last=True)
    q = q.order_by("village__name", posyandu, "name", "pk").values_list(*MOTHER_FIELDS)
    columns = MOTHER_COLUMNS if scope.full_identity else MOTHER_COLUMNS[1:]
    return Table(
        title="Daftar ibu hamil dan menyusui sasaran GASKEN",
        sheet="Daftar ibu",
        columns=columns,
        rows=_mother_rows(q, scope),
    )


# --- kegiatan ---------------------------------------------------------------------------

ACTIVITY_COLUMNS = [
    Column("Tanggal", 12),
    Column("Jenis kegiatan", 18),
    Column("Kelurahan/Desa", 16),
    Column("Posyandu", 16),
    Column("Mitra pelaksana", 34),
    Column("Topik", 34),
    *(Column(label, 11) for _, label in Activity.AUDIENCES),
    Column("Jumlah peserta", 10),
]
ACTIVITY_KINDS = dict(Activity.Kind.choices)
AUDIENCE_FIELDS = [name for name, _ in Activity.AUDIENCES]


def _activity_rows(q):
    for batch in _batches(q.iterator(chunk_size=CHUNK_SIZE)):
        partners = {}
        for activity, name in (
            ActivityPartner.objects.filter(activity__in=[values[0] for values in batch])
            .order_by("partner__name")
            .values_list("activity", "partner__name")
        ):
            partners.setdefault(activity, []).append(name)
        for pk, day, kind, village, posyandu, topic, *counts in batch:
            yield [
                day,
                ACTIVITY_KINDS.get(kind, kind),
                village,
                posyandu,
                ", ".join(partners.get(pk, [])) or None,
                topic,
                *counts,
                sum(counts),
            ]


def activities_list(scope: Scope, filters: Filters) -> Table:
    """The group activities held in the period in the area, with their attendance; the
    total row sums the people reached (someone at two activities counts twice)."""
    q = indicators.activities_in(_villages(scope, filters), filters.date_from, filters.date_to)
    q = q.order_by("date", "pk")
    totals = q.aggregate(**{name: Sum(name) for name in AUDIENCE_FIELDS})
    counts = [totals[name] or 0 for name in AUDIENCE_FIELDS]
    fields = ["pk", "date", "kind", "village__name", "posyandu__name", "topic", *AUDIENCE_FIELDS]
    return Table(
        title="Kegiatan kelompok",
        sheet="Kegiatan",
        columns=ACTIVITY_COLUMNS,
        rows=_activity_rows(q.values_list(*fields)),
        total=["Total", None, None, None, None, None, *counts, sum(counts)],
    )


# --- kendala ----------------------------------------------------------------------------

OBSTACLE_COLUMNS = [
    Column("Tanggal", 12),
    Column("Kendala", 20),
    Column("Keterangan", 36),
    Column("Mitra", 28),
    Column("Jenis intervensi", 22),
    Column("Sasaran", 16),
    Column("Nama sasaran", 24),
    Column("Kelurahan/Desa sasaran", 16),
    Column("Status", 14),
    Column("Ditangani oleh", 18),
    Column("Ditangani pada", 16),
    Column("Tindak lanjut", 36),
]


def _user_name(first, last, username):
    return f"{first} {last}".strip() or username


def _obstacle_rows(q):
    kinds, statuses = dict(Obstacle.Kind.choices), dict(Obstacle.Status.choices)
    for (
        day,
        kind,
        description,
        partner,
        intervention_kind,
        child,
        child_village,
        mother,
        mother_village,
        status,
        first,
        last,
        username,
        handled_at,
        note,
    ) in q.iterator(chunk_size=CHUNK_SIZE):
        for_mother = mother is not None
        yield [
            day,
            kinds.get(kind, kind),
            description or None,
            partner,
            intervention_kind,
            TARGETS[
                InterventionType.Target.MOTHER if for_mother else InterventionType.Target.CHILD
            ],
            mother if for_mother else child,
            mother_village if for_mother else child_village,
            statuses.get(status, status),
            _user_name(first, last, username) if username else None,
            timezone.localtime(handled_at, WIB).replace(tzinfo=None) if handled_at else None,
            note or None,
        ]


def obstacles_list(scope: Scope, filters: Filters) -> Table:
    """The obstacles dated within the period on the assignments of the area's children (of
    the target group) and mothers, as the dashboard counts them."""
    q = indicators.obstacles_in(
        _villages(scope, filters), filters.date_from, filters.date_to, filters.reported_as
    )
    q = q.order_by("date", "pk").values_list(
        "date",
        "kind",
        "description",
        "intervention__partner__name",
        "intervention__kind__name",
        "intervention__child__name",
        "intervention__child__village__name",
        "intervention__mother__name",
        "intervention__mother__village__name",
        "status",
        "handled_by__first_name",
        "handled_by__last_name",
        "handled_by__username",
        "handled_at",
        "handling_note",
    )
    return Table(
        title="Kendala dari mitra",
        sheet="Kendala",
        columns=OBSTACLE_COLUMNS,
        rows=_obstacle_rows(q),
    )


# --- Which workbooks ----------------------------------------------------------------------

WORKBOOKS = {
    "rekap-desa": village_recap,
    "daftar-balita": children_list,
    "intervensi-mitra": partner_recap,
    "perkembangan-gizi": progress,
    "daftar-ibu": mothers_list,
    "kegiatan": activities_list,
    "kendala": obstacles_list,
}
STAFF_WORKBOOKS = frozenset(WORKBOOKS)
PARTNER_WORKBOOKS = frozenset({"daftar-balita", "perkembangan-gizi", "daftar-ibu"})
VILLAGE_WORKBOOKS = frozenset({"rekap-desa", "daftar-balita", "daftar-ibu"})


def table(name: str, scope: Scope, filters: Filters) -> Table:
    return WORKBOOKS[name](scope, filters)
