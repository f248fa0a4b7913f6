"""Server-rendered SVG charts of the dashboard, in the manner of registrations/growth_chart.py.

Each function returns SVG markup that scales with its container (viewBox, width 100%), so a
chart stays whole on a 360 px phone. The drawings are narrow (400-480 units) and their text
large, so that on a phone, which shows them about 300 px wide, labels stay readable. The numbers are always shown in a table next to the
chart as well, so nothing depends on reading a picture.
"""

from html import escape

TREND_WIDTH = 480
BAR_WIDTH = 400
FONT = 'font-family="sans-serif"'
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]

TREND_SERIES = (
    ("reports", "Laporan masuk", "#1565c0", ""),
    ("verified", "Laporan diverifikasi", "#2e7d32", ""),
    ("measured", "Anak diukur", "#6d4c41", "8 5"),
    ("stunted", "Anak diukur stunting", "#c62828", ""),
)

HAZ_COLOURS = {
    "sangat_pendek": "#b71c1c",
    "pendek": "#ef6c00",
    "normal": "#2e7d32",
    "tinggi": "#1565c0",
    "": "#9e9e9e",
}


def _fmt(number):
    return f"{number:.1f}"


def id_number(number, decimals=1):
    """A number as Indonesians write it: decimal comma."""
    return f"{number:.{decimals}f}".replace(".", ",")


def _open(width, height, title, desc):
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px;height:auto" role="img" {FONT}>',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]


def month_label(day, with_year=False):
    label = MONTHS[day.month - 1]
    return f"{label} {day:%y}" if with_year else label


def trend_svg(trend):
    """Lines of reports, verified reports, children measured and measured stunted per month.

    ``trend`` is monitoring.indicators.monthly_trend()'s list of dicts."""
    width, height = TREND_WIDTH, 340
    left, right, top, bottom = 44, 16, 16 + 2 * 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1] + [m[key] for m in trend for key, *_ in TREND_SERIES])
    step = _nice_step(peak)
    top_value = -(-peak // step) * step
    n = len(trend)
    years = {m["month"].year for m in trend}

    def x(i):
        return left + (plot_w / 2 if n == 1 else i * plot_w / (n - 1))

    def y(value):
        return top + plot_h - value / top_value * plot_h

    out = _open(
        width,
        height,
        "Tren bulanan laporan, verifikasi dan pengukuran",
        "Jumlah per bulan: laporan masuk, laporan diverifikasi, anak diukur, "
        "dan anak yang hasil ukurnya stunting. Angkanya ada di tabel di bawah grafik.",
    )
    out.append(
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fff" '
        'stroke="#9e9e9e"/>'
    )
    for value in range(0, top_value + 1, step):
        gy = _fmt(y(value))
        out.append(
            f'<line x1="{left}" y1="{gy}" x2="{left + plot_w}" y2="{gy}" stroke="#eeeeee"/>'
            f'<text x="{left - 6}" y="{gy}" font-size="18" text-anchor="end" '
            f'dominant-baseline="middle">{value}</text>'
        )
    every = max(1, -(-n // 6))
    for i, m in enumerate(trend):
        if i % every == 0:
            out.append(
                f'<text x="{_fmt(x(i))}" y="{height - 14}" font-size="18" text-anchor="middle">'
                f"{escape(month_label(m['month'], len(years) > 1))}</text>"
            )
    for i, (key, label, colour, dash) in enumerate(TREND_SERIES):
        lx = 4 + (i % 2) * (width // 2)
        ly = 8 + (i // 2) * 28 + 12
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{lx}" y1="{ly}" x2="{lx + 26}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="4"{dash_attr}/>'
            f'<text x="{lx + 32}" y="{ly}" font-size="18" dominant-baseline="middle">'
            f"{escape(label)}</text>"
        )
        points = " ".join(f"{_fmt(x(j))},{_fmt(y(m[key]))}" for j, m in enumerate(trend))
        out.append(
            f'<polyline class="series" data-series="{key}" points="{points}" fill="none" '
            f'stroke="{colour}" stroke-width="3"{dash_attr}/>'
        )
        for j, m in enumerate(trend):
            tooltip = f"{label}, {month_label(m['month'], True)}: {m[key]}"
            out.append(
                f'<circle cx="{_fmt(x(j))}" cy="{_fmt(y(m[key]))}" r="4" fill="{colour}">'
                f"<title>{escape(tooltip)}</title></circle>"
            )
    out.append("</svg>")
    return "\n".join(out)


def _nice_step(peak):
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if peak / step <= 5:
            return step
    return 10 ** len(str(peak))


def prevalence_svg(items):
    """Horizontal bars of stunting prevalence (%), one per (label, value or None)."""
    width, row_h, left, right, top = BAR_WIDTH, 30, 160, 64, 8
    height = top + row_h * len(items) + 8
    plot_w = width - left - right
    top_value = max([10.0] + [v for _, v in items if v is not None])
    top_value = -(-top_value // 10) * 10
    out = _open(
        width,
        height,
        "Prevalensi stunting per kelurahan/desa",
        "Persentase anak aktif yang terukur dengan TB/U pendek atau sangat pendek. "
        "Tanda – berarti belum ada anak terukur. Angkanya ada di tabel.",
    )
    for i, (label, value) in enumerate(items):
        cy = top + i * row_h + row_h / 2
        out.append(
            f'<text x="{left - 8}" y="{_fmt(cy)}" font-size="16" text-anchor="end" '
            f'dominant-baseline="middle">{escape(_short(label))}</text>'
        )
        if value is None:
            text, bar = "–", 0
        else:
            text, bar = f"{id_number(value)}%", value / top_value * plot_w
        out.append(
            f'<rect class="bar" x="{left}" y="{_fmt(cy - 10)}" width="{_fmt(bar)}" height="20" '
            f'fill="#c62828"><title>{escape(f"{label}: {text}")}</title></rect>'
            f'<text x="{_fmt(left + bar + 6)}" y="{_fmt(cy)}" font-size="16" '
            f'dominant-baseline="middle">{text}</text>'
        )
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - 8}" stroke="#616161"/>')
    out.append("</svg>")
    return "\n".join(out)


def _short(label, length=17):
    return label if len(label) <= length else label[: length - 1] + "…"


def stacked_svg(items, categories):
    """One 100 % bar per (label, {category: count}), split by TB/U category.

    ``categories`` are (value, label) pairs in drawing order; "" is the children without a
    length/height-for-age result."""
    width, row_h, left, right = BAR_WIDTH, 30, 160, 8
    legend_rows = -(-len(categories) // 2)
    top = 8 + legend_rows * 28
    height = top + row_h * len(items) + 8
    plot_w = width - left - right
    out = _open(
        width,
        height,
        "Status TB/U anak aktif per kelurahan/desa",
        "Bagian anak aktif menurut kategori TB/U pengukuran terakhir. "
        "Jumlahnya ada di tabel di bawah grafik.",
    )
    for i, (value, label) in enumerate(categories):
        lx = 4 + (i % 2) * (width // 2)
        ly = 8 + (i // 2) * 28
        out.append(
            f'<rect x="{lx}" y="{ly}" width="20" height="18" fill="{HAZ_COLOURS[value]}"/>'
            f'<text x="{lx + 26}" y="{ly + 9}" font-size="16" dominant-baseline="middle">'
            f"{escape(label)}</text>"
        )
    for i, (label, counts) in enumerate(items):
        cy = top + i * row_h + row_h / 2
        total = sum(counts.get(value, 0) for value, _ in categories)
        out.append(
            f'<text x="{left - 8}" y="{_fmt(cy)}" font-size="16" text-anchor="end" '
            f'dominant-baseline="middle">{escape(_short(label))}</text>'
        )
        if not total:
            out.append(
                f'<text x="{left + 6}" y="{_fmt(cy)}" font-size="16" '
                'dominant-baseline="middle">–</text>'
            )
            continue
        x = left
        for value, category in categories:
            n = counts.get(value, 0)
            if not n:
                continue
            w = n / total * plot_w
            out.append(
                f'<rect class="segment" data-category="{value}" x="{_fmt(x)}" '
                f'y="{_fmt(cy - 10)}" width="{_fmt(w)}" height="20" '
                f'fill="{HAZ_COLOURS[value]}"><title>'
                f"{escape(f'{label}, {category}: {n} anak')}</title></rect>"
            )
            x += w
    out.append("</svg>")
    return "\n".join(out)
