"""Server-rendered SVG chart of length/height-for-age (0-60 months) with WHO SD curves.

No JavaScript: the SVG is built as a string and can be put straight into a template. It scales
with its container (viewBox plus width="100%"), down to a 360 px phone screen.
"""

import math
from collections.abc import Iterable
from html import escape

from registrations.growth import length_for_age_rows

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
POINT_COLOUR = "#1565c0"

_SEX_NAMES = {"L": "laki-laki", "M": "laki-laki", "P": "perempuan", "F": "perempuan"}


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def _id_number(number: float, decimals: int = 1) -> str:
    # Indonesian readers expect a decimal comma.
    return f"{number:.{decimals}f}".replace(".", ",")


def _sampled_days() -> tuple[list[int], list[int]]:
    """Days at which the curves are drawn, as two runs split at the length/height switch."""
    lying = list(range(0, SWITCH_DAY, CURVE_STEP_DAYS))
    standing = list(range(SWITCH_DAY, LAST_DAY + 1, CURVE_STEP_DAYS))
    if lying[-1] != SWITCH_DAY - 1:
        lying.append(SWITCH_DAY - 1)
    if standing[-1] != LAST_DAY:
        standing.append(LAST_DAY)
    return lying, standing


def _measurements(points: Iterable[tuple[int, float | None]]) -> list[tuple[int, float]]:
    kept = []
    for age_days, height_cm in points:
        # The chart only covers 0-60 months; anything else has no place on it.
        if height_cm is None or not 0 <= age_days <= LAST_DAY:
            continue
        kept.append((int(age_days), float(height_cm)))
    kept.sort()
    return kept


def length_for_age_svg(
    sex: str,
    points: Iterable[tuple[int, float | None]],
    *,
    width: int = 640,
    height: int = 420,
) -> str:
    """SVG markup of the child's lengths/heights on the WHO chart for their sex.

    ``points`` are (age_days, height_cm) pairs with the height already adjusted for position.
    Points without a height or outside 0-1826 days are left out.
    """
    rows = length_for_age_rows(sex)
    measurements = _measurements(points)

    def at(day: int, z: float) -> float:
        _, L, M, S, _ = rows[day]
        # A real number for the z-scores drawn (typeshed leaves float ** float as Any).
        cm: float = M * (1 + L * S * z) ** (1 / L)
        return cm

    left, right, top, bottom = 64, 16, 16, 56
    plot_w = width - left - right
    plot_h = height - top - bottom

    heights = [at(0, -3), at(LAST_DAY, 3)] + [cm for _, cm in measurements]
    cm_min = math.floor(min(heights) / 10) * 10
    cm_max = math.ceil(max(heights) / 10) * 10

    def x(day: int) -> float:
        return left + day / DAYS_PER_MONTH / 60 * plot_w

    def y(cm: float) -> float:
        return top + (cm_max - cm) / (cm_max - cm_min) * plot_h

    sex_name = _SEX_NAMES[sex]
    title = f"Grafik panjang/tinggi badan menurut umur, anak {sex_name}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="growth-chart" role="img" '
        f'font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
        "<desc>"
        + escape(
            "Kurva standar WHO (−3, −2, median, +2, +3 SD) dan hasil pengukuran anak. "
            "Di bawah garis −2 SD berarti pendek (stunting)."
        )
        + "</desc>",
        f'<rect class="plot-area" x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" '
        'fill="#fff" stroke="#9e9e9e"/>',
    ]

    # Grid and ticks: every 6 months and every 10 cm.
    for month in range(0, 61, 6):
        gx = _fmt(left + month / 60 * plot_w)
        out.append(
            f'<line x1="{gx}" y1="{top}" x2="{gx}" y2="{top + plot_h}" stroke="#eeeeee"/>'
            f'<text x="{gx}" y="{top + plot_h + 20}" font-size="16" '
            f'text-anchor="middle">{month}</text>'
        )
    for tick_cm in range(cm_min, cm_max + 1, 10):
        gy = _fmt(y(tick_cm))
        out.append(
            f'<line x1="{left}" y1="{gy}" x2="{left + plot_w}" y2="{gy}" stroke="#eeeeee"/>'
            f'<text x="{left - 6}" y="{gy}" font-size="16" text-anchor="end" '
            f'dominant-baseline="middle">{tick_cm}</text>'
        )
    out.append(
        f'<text x="{_fmt(left + plot_w / 2)}" y="{height - 8}" font-size="17" '
        f'text-anchor="middle">{escape("Umur (bulan)")}</text>'
        f'<text transform="translate(18 {_fmt(top + plot_h / 2)}) rotate(-90)" font-size="17" '
        f'text-anchor="middle">{escape("Panjang/Tinggi badan (cm)")}</text>'
    )

    # WHO charts draw length (lying) up to 24 months and height (standing) after, so each
    # curve steps down by about 0.7 cm there.
    switch_x = _fmt(x(SWITCH_DAY))
    out.append(
        f'<line x1="{switch_x}" y1="{top}" x2="{switch_x}" y2="{top + plot_h}" '
        'stroke="#757575" stroke-dasharray="2 3"/>'
        f'<text x="{_fmt(x(SWITCH_DAY) - 6)}" y="{top + 18}" font-size="13" '
        f'text-anchor="end" fill="#616161">{escape("Panjang badan")}</text>'
        f'<text x="{_fmt(x(SWITCH_DAY) + 6)}" y="{top + 18}" font-size="13" '
        f'fill="#616161">{escape("Tinggi badan")}</text>'
    )

    runs = _sampled_days()
    for z, label, colour, stroke_width, dash in CURVES:
        d = " ".join(
            "M" + " L".join(f"{_fmt(x(day))} {_fmt(y(at(day, z)))}" for day in run) for run in runs
        )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<path class="sd-curve" data-z="{z}" d="{d}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke_width}"{dash_attr}><title>{escape(label)}</title></path>'
        )

    # The legend sits in the bottom-right corner, which the rising curves leave empty.
    legend = [
        (label, colour, stroke_width, dash) for _, label, colour, stroke_width, dash in CURVES
    ]
    legend.append(("Pengukuran anak", POINT_COLOUR, 2, ""))
    line_h, legend_w = 20, 250
    legend_h = len(legend) * line_h + 8
    lx, ly = left + plot_w - legend_w - 10, top + plot_h - legend_h - 10
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
        line = " ".join(f"{_fmt(x(day))},{_fmt(y(cm))}" for day, cm in measurements)
        out.append(
            f'<polyline class="measurement-line" points="{line}" fill="none" '
            f'stroke="{POINT_COLOUR}" stroke-width="2"/>'
        )
    for day, cm in measurements:
        tooltip = f"Umur {_id_number(day / DAYS_PER_MONTH)} bulan ({day} hari): {_id_number(cm)} cm"
        out.append(
            f'<circle class="measurement" cx="{_fmt(x(day))}" cy="{_fmt(y(cm))}" r="5" '
            f'fill="{POINT_COLOUR}" stroke="#fff" stroke-width="1.5">'
            f"<title>{escape(tooltip)}</title></circle>"
        )

    out.append("</svg>")
    return "\n".join(out)
