"""Server-rendered SVG growth charts (0-60 months) with the WHO SD curves: length/height-for-age
(TB/U) and weight-for-age (BB/U).

No JavaScript: the SVG is built as a string and can be put straight into a template. It scales
with its container (viewBox; the stylesheet caps its width), down to a 360 px phone screen.

Below the curves a chart can carry periods and moments of the child's life, without knowing
what they are: `Band`s (a period, drawn as a bar in its lane and shaded across the plot, one
colour per `legend`) and `Tick`s (a day, a short line in its lane). The interventions app
passes its assignments and deliveries in this form, so this module never names it.
"""

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from html import escape
from typing import NamedTuple

from registrations.growth import length_for_age_rows, weight_for_age_rows

DAYS_PER_MONTH = 30.4375  # WHO's average month, also used by WHO Anthro
LAST_DAY = 1826
SWITCH_DAY = 731  # first day of the standing (height) table
CURVE_STEP_DAYS = 15

# (z, legend label, stroke colour, stroke width, dash pattern). The -2 SD curve is the
# stunting threshold, so it is drawn thickest.
CURVES = (
    (3, "+3 SD", "#424242", 1.5, ""),
    (2, "+2 SD", "#e57373", 1.5, ""),
    (0, "Median", "#2e7d32", 2, ""),
    (-2, "−2 SD (batas pendek)", "#c62828", 3.5, ""),
    (-3, "−3 SD (batas sangat pendek)", "#424242", 1.5, "6 4"),
)
# Permenkes 2/2020 reads weight-for-age at −3, −2 and +1 SD.
WEIGHT_CURVES = (
    (3, "+3 SD", "#424242", 1.5, ""),
    (1, "+1 SD (batas risiko berat lebih)", "#e57373", 1.5, ""),
    (0, "Median", "#2e7d32", 2, ""),
    (-2, "−2 SD (batas berat kurang)", "#c62828", 3.5, ""),
    (-3, "−3 SD (batas berat sangat kurang)", "#424242", 1.5, "6 4"),
)
POINT_COLOUR = "#1565c0"

# Colours of the bands, one per legend entry, in this order: the Okabe-Ito palette, which
# people with the common colour-vision deficiencies can tell apart, without its blue (the
# measurements') and its black (the ticks').
BAND_COLOURS = ("#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#d55e00", "#f0e442", "#999999")
TICK_COLOUR = "#212121"

_SEX_NAMES = {"L": "laki-laki", "M": "laki-laki", "P": "perempuan", "F": "perempuan"}


class Band(NamedTuple):
    """A period of the child's life, in days of age."""

    start_day: int
    end_day: int
    lane: str  # the row below the chart it is drawn in
    legend: str  # what its colour stands for
    colour: str
    title: str  # the whole story: tooltip and text alternative
    planned: bool = False  # not begun yet: an outline instead of a filled bar


class Tick(NamedTuple):
    """A day of the child's life, in days of age, marked in a lane."""

    day: int
    lane: str
    title: str


class Marks(NamedTuple):
    """The bands and ticks of one child, for both of its charts."""

    bands: tuple[Band, ...] = ()
    ticks: tuple[Tick, ...] = ()


class _Indicator(NamedTuple):
    title: str
    desc: str
    axis_label: str
    unit: str
    curves: tuple[tuple[int, str, str, float, str], ...]
    grid_step: int
    lms: Callable[[int], tuple[float, float, float]]
    switch: bool  # mark the length-to-height switch at 24 months
    legend_top_left: bool  # where the curves leave room for the legend


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def _id_number(number: float, decimals: int = 1) -> str:
    # Indonesian readers expect a decimal comma.
    return f"{number:.{decimals}f}".replace(".", ",")


def _sampled_days(switch: bool) -> list[list[int]]:
    """Days at which the curves are drawn; two runs split at the length/height switch."""
    if not switch:
        days = list(range(0, LAST_DAY + 1, CURVE_STEP_DAYS))
        return [days if days[-1] == LAST_DAY else days + [LAST_DAY]]
    lying = list(range(0, SWITCH_DAY, CURVE_STEP_DAYS))
    standing = list(range(SWITCH_DAY, LAST_DAY + 1, CURVE_STEP_DAYS))
    if lying[-1] != SWITCH_DAY - 1:
        lying.append(SWITCH_DAY - 1)
    if standing[-1] != LAST_DAY:
        standing.append(LAST_DAY)
    return [lying, standing]


def _measurements(
    points: Iterable[tuple[int, float | Decimal | None]],
) -> list[tuple[int, float]]:
    kept = []
    for age_days, value in points:
        # The chart only covers 0-60 months; anything else has no place on it.
        if value is None or not 0 <= age_days <= LAST_DAY:
            continue
        kept.append((int(age_days), float(value)))
    kept.sort()
    return kept


def length_for_age_svg(
    sex: str,
    points: Iterable[tuple[int, float | Decimal | None]],
    *,
    bands: Sequence[Band] = (),
    ticks: Sequence[Tick] = (),
    width: int = 640,
    height: int = 420,
) -> str:
    """SVG markup of the child's lengths/heights on the WHO chart for their sex.

    ``points`` are (age_days, height_cm) pairs with the height already adjusted for position.
    Points without a height or outside 0-1826 days are left out.
    """
    rows = length_for_age_rows(sex)
    indicator = _Indicator(
        title="Grafik panjang/tinggi badan menurut umur",
        desc="Kurva standar WHO (−3, −2, median, +2, +3 SD) dan hasil pengukuran anak. "
        "Di bawah garis −2 SD berarti pendek (stunting).",
        axis_label="Panjang/Tinggi badan (cm)",
        unit="cm",
        curves=CURVES,
        grid_step=10,
        lms=lambda day: rows[day][1:4],
        switch=True,
        legend_top_left=False,
    )
    return _svg(indicator, sex, points, bands, ticks, width, height)


def weight_for_age_svg(
    sex: str,
    points: Iterable[tuple[int, float | Decimal | None]],
    *,
    bands: Sequence[Band] = (),
    ticks: Sequence[Tick] = (),
    width: int = 640,
    height: int = 420,
) -> str:
    """SVG markup of the child's weights on the WHO weight-for-age chart for their sex.

    ``points`` are (age_days, weight_kg) pairs; those without a weight or outside 0-1826 days
    are left out."""
    rows = weight_for_age_rows(sex)
    indicator = _Indicator(
        title="Grafik berat badan menurut umur",
        desc="Kurva standar WHO (−3, −2, median, +1, +3 SD) dan hasil pengukuran anak. "
        "Di bawah garis −2 SD berarti berat badan kurang.",
        axis_label="Berat badan (kg)",
        unit="kg",
        curves=WEIGHT_CURVES,
        grid_step=2,
        lms=lambda day: rows[day][1:4],
        switch=False,
        legend_top_left=True,
    )
    return _svg(indicator, sex, points, bands, ticks, width, height)


def _svg(
    indicator: _Indicator,
    sex: str,
    points: Iterable[tuple[int, float | Decimal | None]],
    bands: Sequence[Band],
    ticks: Sequence[Tick],
    width: int,
    height: int,
) -> str:
    measurements = _measurements(points)
    bands = [b for b in bands if b.end_day >= 0 and b.start_day <= LAST_DAY]
    ticks = [t for t in ticks if 0 <= t.day <= LAST_DAY]

    def at(day: int, z: float) -> float:
        L, M, S = indicator.lms(day)
        # A real number for the z-scores drawn (typeshed leaves float ** float as Any).
        value: float = M * (1 + L * S * z) ** (1 / L)
        return value

    left, right, top, bottom = 64, 16, 16, 56
    plot_w = width - left - right
    plot_h = height - top - bottom

    step = indicator.grid_step
    zs = [curve[0] for curve in indicator.curves]
    values = [at(0, min(zs)), at(LAST_DAY, max(zs))] + [v for _, v in measurements]
    y_min = math.floor(min(values) / step) * step
    y_max = math.ceil(max(values) / step) * step

    def x(day: float) -> float:
        return left + day / DAYS_PER_MONTH / 60 * plot_w

    def y(value: float) -> float:
        return top + (y_max - value) / (y_max - y_min) * plot_h

    lanes = _lanes(bands, ticks)
    marks_height = _marks_height(lanes, bands, ticks)
    total_height = height + marks_height

    sex_name = _SEX_NAMES[sex]
    title = f"{indicator.title}, anak {sex_name}"
    desc = escape(indicator.desc)
    if bands:
        desc += " " + escape(" ".join(f"{b.title}." for b in bands))
    if ticks:
        desc += " " + escape(f"{len(ticks)} layanan ditandai.")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_height}" '
        f'width="{width}" height="{total_height}" class="growth-chart" role="img" '
        f'font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
        f"<desc>{desc}</desc>",
        f'<rect class="plot-area" x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" '
        'fill="#fff" stroke="#9e9e9e"/>',
    ]

    # The periods first, lightly, so that curves and points stay on top of them.
    for band in bands:
        x0, x1 = _band_x(band, x)
        opacity = "0.08" if band.planned else "0.18"
        out.append(
            f'<rect class="band-shade" x="{_fmt(x0)}" y="{top}" width="{_fmt(x1 - x0)}" '
            f'height="{plot_h}" fill="{band.colour}" fill-opacity="{opacity}">'
            f"<title>{escape(band.title)}</title></rect>"
        )

    # Grid and ticks: every 6 months and every grid step.
    for month in range(0, 61, 6):
        gx = _fmt(left + month / 60 * plot_w)
        out.append(
            f'<line x1="{gx}" y1="{top}" x2="{gx}" y2="{top + plot_h}" stroke="#eeeeee"/>'
            f'<text x="{gx}" y="{top + plot_h + 20}" font-size="16" '
            f'text-anchor="middle">{month}</text>'
        )
    for tick_value in range(y_min, y_max + 1, step):
        gy = _fmt(y(tick_value))
        out.append(
            f'<line x1="{left}" y1="{gy}" x2="{left + plot_w}" y2="{gy}" stroke="#eeeeee"/>'
            f'<text x="{left - 6}" y="{gy}" font-size="16" text-anchor="end" '
            f'dominant-baseline="middle">{tick_value}</text>'
        )
    out.append(
        f'<text x="{_fmt(left + plot_w / 2)}" y="{height - 8}" font-size="17" '
        f'text-anchor="middle">{escape("Umur (bulan)")}</text>'
        f'<text transform="translate(18 {_fmt(top + plot_h / 2)}) rotate(-90)" font-size="17" '
        f'text-anchor="middle">{escape(indicator.axis_label)}</text>'
    )

    if indicator.switch:
        # WHO charts draw length (lying) up to 24 months and height (standing) after, so
        # each curve steps down by about 0.7 cm there.
        switch_x = _fmt(x(SWITCH_DAY))
        out.append(
            f'<line x1="{switch_x}" y1="{top}" x2="{switch_x}" y2="{top + plot_h}" '
            'stroke="#757575" stroke-dasharray="2 3"/>'
            f'<text x="{_fmt(x(SWITCH_DAY) - 6)}" y="{top + 18}" font-size="13" '
            f'text-anchor="end" fill="#616161">{escape("Panjang badan")}</text>'
            f'<text x="{_fmt(x(SWITCH_DAY) + 6)}" y="{top + 18}" font-size="13" '
            f'fill="#616161">{escape("Tinggi badan")}</text>'
        )

    runs = _sampled_days(indicator.switch)
    for z, label, colour, stroke_width, dash in indicator.curves:
        d = " ".join(
            "M" + " L".join(f"{_fmt(x(day))} {_fmt(y(at(day, z)))}" for day in run) for run in runs
        )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<path class="sd-curve" data-z="{z}" d="{d}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke_width}"{dash_attr}><title>{escape(label)}</title></path>'
        )

    # The legend sits in a corner the rising curves leave empty: bottom right for length,
    # top left for weight, whose curves spread out more with age.
    legend = [
        (label, colour, stroke_width, dash)
        for _, label, colour, stroke_width, dash in indicator.curves
    ]
    legend.append(("Pengukuran anak", POINT_COLOUR, 2, ""))
    line_h, legend_w = 20, 270
    legend_h = len(legend) * line_h + 8
    lx, ly = left + plot_w - legend_w - 10, top + plot_h - legend_h - 10
    if indicator.legend_top_left:
        lx, ly = left + 10, top + 10
    out.append(
        f'<g class="legend" font-size="14"><rect x="{lx}" y="{ly}" width="{legend_w}" '
        f'height="{legend_h}" fill="#fff" fill-opacity="0.9" stroke="#bdbdbd"/>'
    )
    for i, (label, colour, stroke_width, dash) in enumerate(legend):
        row_y = ly + 4 + line_h * i + line_h / 2
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{lx + 8}" y1="{_fmt(row_y)}" x2="{lx + 36}" y2="{_fmt(row_y)}" '
            f'stroke="{colour}" stroke-width="{stroke_width}"{dash_attr}/>'
            f'<text x="{lx + 44}" y="{_fmt(row_y)}" dominant-baseline="middle">'
            f"{escape(label)}</text>"
        )
    out.append("</g>")

    if measurements:
        line = " ".join(f"{_fmt(x(day))},{_fmt(y(value))}" for day, value in measurements)
        out.append(
            f'<polyline class="measurement-line" points="{line}" fill="none" '
            f'stroke="{POINT_COLOUR}" stroke-width="2"/>'
        )
    for day, value in measurements:
        tooltip = (
            f"Umur {_id_number(day / DAYS_PER_MONTH)} bulan ({day} hari): "
            f"{_id_number(value)} {indicator.unit}"
        )
        out.append(
            f'<circle class="measurement" cx="{_fmt(x(day))}" cy="{_fmt(y(value))}" r="5" '
            f'fill="{POINT_COLOUR}" stroke="#fff" stroke-width="1.5">'
            f"<title>{escape(tooltip)}</title></circle>"
        )

    if lanes:
        out += _marks(lanes, bands, ticks, x, left, plot_w, height)
    out.append("</svg>")
    return "\n".join(out)


# --- bands and ticks below the chart ----------------------------------------------------

MARKS_GAP = 12
LANE_LABEL_H = 24
ROW_H = 22
BAR_H = 16
LEGEND_ROW_H = 26
MARK_FONT = 20


class _Lane(NamedTuple):
    name: str
    rows: list[list[Band]]  # bands that overlap go to rows of their own


def _band_x(band: Band, x: Callable[[float], float]) -> tuple[float, float]:
    # From the start of its first day to the end of its last one, within 0-60 months.
    edge = 60 * DAYS_PER_MONTH
    start, end = max(band.start_day, 0), min(band.end_day + 1, edge)
    x0, x1 = x(start), x(end)
    # A band of a day or two still shows.
    return min(x0, x(edge) - 3), max(x1, x0 + 3)


def _lanes(bands: Sequence[Band], ticks: Sequence[Tick]) -> list[_Lane]:
    """One lane per lane name, in order of first appearance (bands before ticks)."""
    lanes: dict[str, list[list[Band]]] = {}
    for band in sorted(bands, key=lambda b: (b.start_day, b.end_day)):
        rows = lanes.setdefault(band.lane, [])
        for row in rows:
            if row[-1].end_day < band.start_day:
                row.append(band)
                break
        else:
            rows.append([band])
    for tick in ticks:
        lanes.setdefault(tick.lane, [])
    return [_Lane(name, rows or [[]]) for name, rows in lanes.items()]


def _legend_entries(bands: Sequence[Band], ticks: Sequence[Tick]) -> list[tuple[str, str, str]]:
    """(kind, colour, label) of each legend row: colours, then planned bands, then ticks."""
    entries = []
    seen = set()
    for band in bands:
        if band.legend not in seen:
            seen.add(band.legend)
            entries.append(("colour", band.colour, band.legend))
    if any(band.planned for band in bands):
        entries.append(("planned", "#616161", "Direncanakan, belum berjalan"))
    if ticks:
        entries.append(("tick", TICK_COLOUR, "Layanan dicatat"))
    return entries


def _marks_height(lanes: list[_Lane], bands: Sequence[Band], ticks: Sequence[Tick]) -> int:
    if not lanes:
        return 0
    lanes_h = sum(LANE_LABEL_H + len(lane.rows) * ROW_H for lane in lanes)
    legend_h = len(_legend_entries(bands, ticks)) * LEGEND_ROW_H
    return MARKS_GAP + lanes_h + MARKS_GAP + legend_h + MARKS_GAP


def _marks(
    lanes: list[_Lane],
    bands: Sequence[Band],
    ticks: Sequence[Tick],
    x: Callable[[float], float],
    left: int,
    plot_w: int,
    top: int,
) -> list[str]:
    out = [f'<g class="marks" font-size="{MARK_FONT}">']
    lane_y = top + MARKS_GAP
    for lane in lanes:
        out.append(
            f'<g class="lane"><text x="{left}" y="{lane_y + LANE_LABEL_H - 6}" '
            f'font-weight="bold">{escape(lane.name)}</text>'
            f'<line x1="{left}" y1="{lane_y + LANE_LABEL_H + len(lane.rows) * ROW_H - 2}" '
            f'x2="{left + plot_w}" y2="{lane_y + LANE_LABEL_H + len(lane.rows) * ROW_H - 2}" '
            'stroke="#e0e0e0"/>'
        )
        rows_top = lane_y + LANE_LABEL_H
        for i, row in enumerate(lane.rows):
            bar_y = rows_top + i * ROW_H
            for band in row:
                x0, x1 = _band_x(band, x)
                if band.planned:
                    style = f'fill="#fff" stroke="{band.colour}" stroke-width="3" '
                    style += 'stroke-dasharray="6 3"'
                else:
                    style = f'fill="{band.colour}" stroke="#424242" stroke-width="1"'
                out.append(
                    f'<rect class="band" x="{_fmt(x0)}" y="{bar_y}" width="{_fmt(x1 - x0)}" '
                    f'height="{BAR_H}" {style}><title>{escape(band.title)}</title></rect>'
                )
        rows_bottom = rows_top + (len(lane.rows) - 1) * ROW_H + BAR_H
        for tick in ticks:
            if tick.lane != lane.name:
                continue
            tx = _fmt(x(tick.day + 0.5))
            out.append(
                f'<line class="tick" x1="{tx}" y1="{rows_top - 4}" x2="{tx}" '
                f'y2="{rows_bottom + 4}" stroke="{TICK_COLOUR}" stroke-width="3">'
                f"<title>{escape(tick.title)}</title></line>"
            )
        out.append("</g>")
        lane_y = rows_top + len(lane.rows) * ROW_H

    legend_y = lane_y + MARKS_GAP
    out.append('<g class="marks-legend">')
    for i, (kind, colour, label) in enumerate(_legend_entries(bands, ticks)):
        row_y = legend_y + i * LEGEND_ROW_H
        mid = row_y + LEGEND_ROW_H / 2
        if kind == "tick":
            swatch = (
                f'<line x1="{left + 14}" y1="{row_y + 3}" x2="{left + 14}" '
                f'y2="{row_y + LEGEND_ROW_H - 3}" stroke="{colour}" stroke-width="3"/>'
            )
        elif kind == "planned":
            swatch = (
                f'<rect x="{left}" y="{row_y + 5}" width="28" height="{BAR_H}" fill="#fff" '
                f'stroke="{colour}" stroke-width="3" stroke-dasharray="6 3"/>'
            )
        else:
            swatch = (
                f'<rect x="{left}" y="{row_y + 5}" width="28" height="{BAR_H}" '
                f'fill="{colour}" stroke="#424242" stroke-width="1"/>'
            )
        out.append(
            f"{swatch}"
            f'<text x="{left + 38}" y="{_fmt(mid)}" dominant-baseline="middle">'
            f"{escape(label)}</text>"
        )
    out.append("</g></g>")
    return out
