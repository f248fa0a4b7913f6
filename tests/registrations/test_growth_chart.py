import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from registrations.growth import weight_for_age_rows
from registrations.growth_chart import (
    BAND_COLOURS,
    Band,
    Tick,
    length_for_age_svg,
    weight_for_age_svg,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
POINTS = [(0, 49.5), (100, 58.0), (400, 72.0), (800, 84.0), (1500, Decimal("98.3"))]


def parse(svg):
    return ET.fromstring(svg)


def curves(root):
    return root.findall("svg:path[@class='sd-curve']", NS)


def circles(root):
    return root.findall("svg:circle[@class='measurement']", NS)


def plot_area(root):
    rect = root.find("svg:rect[@class='plot-area']", NS)
    x, y = float(rect.get("x")), float(rect.get("y"))
    return x, y, x + float(rect.get("width")), y + float(rect.get("height"))


def subpaths(path):
    return [
        [tuple(map(float, pair.split())) for pair in re.split(r" ?L", run.strip())]
        for run in path.get("d").split("M")[1:]
    ]


def cm_axis(root):
    """Map a y coordinate back to cm, using the tick labels of the cm axis."""
    ticks = [
        (float(t.get("y")), float(t.text))
        for t in root.findall("svg:text[@text-anchor='end']", NS)
        if t.text and t.text.isdigit()
    ]
    (y0, cm0), (y1, cm1) = ticks[0], ticks[-1]
    return lambda y: cm0 + (y - y0) * (cm1 - cm0) / (y1 - y0)


def test_it_is_an_accessible_scalable_svg():
    root = parse(length_for_age_svg("L", POINTS))

    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 640 420"
    # Its natural size; the page's stylesheet lets it shrink to a phone's width.
    assert (root.get("width"), root.get("height")) == ("640", "420")
    assert root.get("style") is None
    assert root.get("role") == "img"
    assert "laki-laki" in root.find("svg:title", NS).text
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Umur (bulan)", "Panjang/Tinggi badan (cm)"} <= texts
    assert {str(month) for month in range(0, 61, 6)} <= texts


def test_it_honours_the_requested_size():
    root = parse(length_for_age_svg("P", POINTS, width=360, height=300))
    assert root.get("viewBox") == "0 0 360 300"
    left, top, right, bottom = plot_area(root)
    assert 0 < left < right <= 360
    assert 0 < top < bottom <= 300


def test_it_draws_five_sd_curves_with_the_stunting_line_emphasised():
    root = parse(length_for_age_svg("L", POINTS))
    paths = curves(root)

    assert sorted(int(p.get("data-z")) for p in paths) == [-3, -2, 0, 2, 3]
    widths = {int(p.get("data-z")): float(p.get("stroke-width")) for p in paths}
    assert widths[-2] == max(widths.values())
    assert all(widths[-2] > w for z, w in widths.items() if z != -2)
    legend = "".join(root.find("svg:g[@class='legend']", NS).itertext())
    assert "2 SD (batas pendek)" in legend
    assert "Median" in legend


def test_it_breaks_each_curve_at_the_length_to_height_switch():
    root = parse(length_for_age_svg("L", []))
    to_cm = cm_axis(root)
    median = next(p for p in curves(root) if p.get("data-z") == "0")

    lying, standing = subpaths(median)
    # Boys' medians from lenanthro.txt: day 0 49.8842, day 730 87.8018 (length),
    # day 731 87.1303 (height), day 1826 109.9593.
    assert to_cm(lying[0][1]) == pytest.approx(49.8842, abs=0.1)
    assert to_cm(lying[-1][1]) == pytest.approx(87.8018, abs=0.1)
    assert to_cm(standing[0][1]) == pytest.approx(87.1303, abs=0.1)
    assert to_cm(standing[-1][1]) == pytest.approx(109.9593, abs=0.1)
    # The step between the two runs is the 0.7 cm length/height difference.
    assert lying[-1][1] < standing[0][1]
    assert len(lying) + len(standing) > 100


def test_it_draws_curves_for_the_childs_sex():
    boys = {p.get("data-z"): p.get("d") for p in curves(parse(length_for_age_svg("L", [])))}
    girls = {p.get("data-z"): p.get("d") for p in curves(parse(length_for_age_svg("P", [])))}

    assert boys.keys() == girls.keys()
    assert all(boys[z] != girls[z] for z in boys)
    assert "perempuan" in parse(length_for_age_svg("F", [])).find("svg:title", NS).text


def test_it_plots_one_point_per_measurement_inside_the_plot_area():
    root = parse(length_for_age_svg("P", POINTS))
    left, top, right, bottom = plot_area(root)
    dots = circles(root)

    assert len(dots) == len(POINTS)
    for dot in dots:
        assert left <= float(dot.get("cx")) <= right
        assert top <= float(dot.get("cy")) <= bottom
        assert dot.find("svg:title", NS).text.endswith(" cm")
    polyline = root.find("svg:polyline[@class='measurement-line']", NS)
    assert len(polyline.get("points").split()) == len(POINTS)


def test_it_puts_the_point_at_the_measured_height():
    root = parse(length_for_age_svg("L", [(365, 75.2)]))
    (dot,) = circles(root)
    assert cm_axis(root)(float(dot.get("cy"))) == pytest.approx(75.2, abs=0.01)
    assert dot.find("svg:title", NS).text == "Umur 12,0 bulan (365 hari): 75,2 cm"


def test_it_widens_the_axis_for_extreme_measurements():
    points = [(30, 30.0), (365, 140.0)]
    root = parse(length_for_age_svg("L", points))
    left, top, right, bottom = plot_area(root)

    assert len(circles(root)) == 2
    for dot in circles(root):
        assert top <= float(dot.get("cy")) <= bottom


def test_it_orders_points_by_age_for_the_line():
    root = parse(length_for_age_svg("L", [(400, 74.0), (30, 54.0), (200, 66.0)]))
    xs = [float(pair.split(",")[0]) for pair in root.find("svg:polyline", NS).get("points").split()]
    assert xs == sorted(xs)


def test_it_leaves_out_what_does_not_fit_the_chart():
    root = parse(length_for_age_svg("L", [(100, 60.0), (2000, 115.0), (-1, 50.0), (200, None)]))
    assert len(circles(root)) == 1


def test_it_draws_an_empty_chart_without_measurements():
    root = parse(length_for_age_svg("P", []))
    assert len(curves(root)) == 5
    assert circles(root) == []
    assert root.find("svg:polyline", NS) is None


def test_it_refuses_an_unknown_sex():
    with pytest.raises(ValueError):
        length_for_age_svg("X", POINTS)


# --- weight for age ---------------------------------------------------------------------

WEIGHTS = [(0, 3.2), (100, 5.9), (400, Decimal("9.1")), (800, 11.8), (1500, 15.2)]


def kg_axis(root):
    return cm_axis(root)


def test_it_draws_weight_for_age_with_its_own_thresholds():
    root = parse(weight_for_age_svg("P", WEIGHTS))

    assert "berat badan menurut umur" in root.find("svg:title", NS).text
    assert "perempuan" in root.find("svg:title", NS).text
    paths = curves(root)
    assert sorted(int(p.get("data-z")) for p in paths) == [-3, -2, 0, 1, 3]
    widths = {int(p.get("data-z")): float(p.get("stroke-width")) for p in paths}
    assert widths[-2] == max(widths.values())
    legend = "".join(root.find("svg:g[@class='legend']", NS).itertext())
    assert "2 SD (batas berat kurang)" in legend
    assert "+1 SD (batas risiko berat lebih)" in legend
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert "Berat badan (kg)" in texts
    # Weight has no length/height switch: each curve is one run.
    assert all(len(subpaths(p)) == 1 for p in paths)
    assert "Tinggi badan" not in texts


def test_it_draws_the_who_median_weight():
    root = parse(weight_for_age_svg("L", []))
    to_kg = kg_axis(root)
    (median,) = subpaths(next(p for p in curves(root) if p.get("data-z") == "0"))
    rows = weight_for_age_rows("L")
    # Boys' median weight from weianthro.txt: 3.3464 kg at birth, 18.3352 kg at day 1826.
    assert rows[0][2] == 3.3464 and rows[1826][2] == 18.3352
    assert to_kg(median[0][1]) == pytest.approx(3.3464, abs=0.05)
    assert to_kg(median[-1][1]) == pytest.approx(18.3352, abs=0.05)


def test_it_puts_each_weight_at_the_measured_weight():
    root = parse(weight_for_age_svg("L", [(365, 9.2), (30, None), (2000, 20.0)]))
    (dot,) = circles(root)
    assert kg_axis(root)(float(dot.get("cy"))) == pytest.approx(9.2, abs=0.01)
    assert dot.find("svg:title", NS).text == "Umur 12,0 bulan (365 hari): 9,2 kg"


def test_the_weight_chart_widens_for_a_heavy_child():
    root = parse(weight_for_age_svg("P", [(1500, 42.0)]))
    left, top, right, bottom = plot_area(root)
    (dot,) = circles(root)
    assert top <= float(dot.get("cy")) <= bottom


# --- bands and ticks --------------------------------------------------------------------

PMT_TIMAH = Band(300, 390, "PMT", "PT Timah Tbk", BAND_COLOURS[0], "PMT oleh PT Timah Tbk")
PMT_PUSKESMAS = Band(380, 470, "PMT", "Puskesmas Sungailiat", BAND_COLOURS[1], "PMT oleh Puskesmas")
VISITS = Band(
    350, 700, "Pemantauan kesehatan", "Puskesmas Sungailiat", BAND_COLOURS[1], "Pemantauan"
)
PLANNED = Band(720, 810, "BKB", "TP PKK", BAND_COLOURS[2], "BKB oleh TP PKK", planned=True)
TICKS = [Tick(310, "PMT", "Paket 1"), Tick(340, "PMT", "Paket 2"), Tick(400, "BKB", "Kelas")]


def bands_of(root):
    return root.findall(".//svg:rect[@class='band']", NS)


def shades_of(root):
    return root.findall("svg:rect[@class='band-shade']", NS)


def ticks_of(root):
    return root.findall(".//svg:line[@class='tick']", NS)


def lane_names(root):
    return [g.find("svg:text", NS).text for g in root.findall(".//svg:g[@class='lane']", NS)]


@pytest.mark.parametrize("draw", [length_for_age_svg, weight_for_age_svg])
def test_it_keeps_its_size_without_bands_or_ticks(draw):
    root = parse(draw("L", POINTS[:1]))
    assert root.get("viewBox") == "0 0 640 420"
    assert root.find(".//svg:g[@class='marks']", NS) is None
    assert shades_of(root) == []


@pytest.mark.parametrize("draw", [length_for_age_svg, weight_for_age_svg])
def test_it_draws_each_band_in_the_lane_of_its_kind_coloured_by_legend(draw):
    bands = [PMT_TIMAH, VISITS, PMT_PUSKESMAS]
    root = parse(draw("L", POINTS, bands=bands, ticks=TICKS[:2]))

    assert lane_names(root) == ["PMT", "Pemantauan kesehatan"]
    drawn = bands_of(root)
    assert [b.find("svg:title", NS).text for b in drawn] == [
        "PMT oleh PT Timah Tbk",
        "PMT oleh Puskesmas",
        "Pemantauan",
    ]
    assert [b.get("fill") for b in drawn] == [BAND_COLOURS[0], BAND_COLOURS[1], BAND_COLOURS[1]]
    # The two PMT periods overlap: the second goes to a row of its own in the PMT lane.
    timah, puskesmas, visits = drawn
    assert float(puskesmas.get("y")) > float(timah.get("y"))
    assert float(visits.get("y")) > float(puskesmas.get("y"))
    # Each band also shades its period across the plot, behind the curves and points.
    shades = shades_of(root)
    left, top, right, bottom = plot_area(root)
    assert len(shades) == 3
    for shade, band in zip(shades, [PMT_TIMAH, VISITS, PMT_PUSKESMAS], strict=True):
        assert (float(shade.get("y")), float(shade.get("height"))) == (top, bottom - top)
        assert shade.get("fill") == band.colour
    children = list(root)
    assert children.index(shades[-1]) < children.index(curves(root)[0])
    # The drawing grew to hold the lanes and the legend below the chart.
    width, height = map(float, root.get("viewBox").split()[2:])
    assert width == 640 and height > 420
    assert float(root.get("height")) == height
    for element in drawn + ticks_of(root):
        y = float(element.get("y") or element.get("y2"))
        assert 420 < y < height


def test_bands_and_points_share_the_age_axis():
    root = parse(length_for_age_svg("L", [(300, 66.0), (390, 70.0)], bands=[PMT_TIMAH]))
    (bar,) = bands_of(root)
    (shade,) = shades_of(root)
    first, last = circles(root)
    assert float(bar.get("x")) == pytest.approx(float(first.get("cx")), abs=0.1)
    assert float(shade.get("x")) == float(bar.get("x"))
    # The band covers its last day too.
    end = float(bar.get("x")) + float(bar.get("width"))
    assert float(last.get("cx")) < end < float(last.get("cx")) + 1


def test_it_marks_each_tick_in_its_lane():
    root = parse(length_for_age_svg("L", POINTS, bands=[PMT_TIMAH, PLANNED], ticks=TICKS))
    ticks = ticks_of(root)
    assert [t.find("svg:title", NS).text for t in ticks] == ["Paket 1", "Paket 2", "Kelas"]
    assert all(t.get("stroke") == "#212121" for t in ticks)
    (pmt, bkb) = bands_of(root)
    for tick, bar in zip(ticks, [pmt, pmt, bkb], strict=True):
        assert float(tick.get("y1")) < float(bar.get("y")) < float(tick.get("y2"))
    assert float(ticks[0].get("x1")) < float(ticks[1].get("x1"))


def test_it_draws_a_planned_band_as_an_outline():
    root = parse(length_for_age_svg("L", [], bands=[PMT_TIMAH, PLANNED]))
    running, planned = bands_of(root)
    assert running.get("fill") == BAND_COLOURS[0] and running.get("stroke-dasharray") is None
    assert planned.get("fill") == "#fff"
    assert planned.get("stroke") == BAND_COLOURS[2]
    assert planned.get("stroke-dasharray")


def test_its_legend_names_each_colour_once_and_the_ticks():
    bands = [PMT_TIMAH, VISITS, PMT_PUSKESMAS, PLANNED]
    root = parse(length_for_age_svg("L", [], bands=bands, ticks=TICKS))
    legend = root.find(".//svg:g[@class='marks-legend']", NS)
    labels = [t.text for t in legend.findall("svg:text", NS)]
    assert labels == [
        "PT Timah Tbk",
        "Puskesmas Sungailiat",
        "TP PKK",
        "Direncanakan, belum berjalan",
        "Layanan dicatat",
    ]
    swatches = [r.get("fill") for r in legend.findall("svg:rect", NS)]
    assert swatches[:3] == [BAND_COLOURS[0], BAND_COLOURS[1], BAND_COLOURS[2]]


def test_its_text_alternative_tells_the_periods():
    root = parse(length_for_age_svg("L", [], bands=[PMT_TIMAH, VISITS], ticks=TICKS[:2]))
    desc = root.find("svg:desc", NS).text
    assert "PMT oleh PT Timah Tbk." in desc and "Pemantauan." in desc
    assert "2 layanan ditandai." in desc


def test_it_draws_ticks_without_bands_in_a_lane_of_their_own():
    root = parse(weight_for_age_svg("L", [], ticks=[Tick(400, "Kunjungan", "Kunjungan rumah")]))
    assert lane_names(root) == ["Kunjungan"]
    assert len(ticks_of(root)) == 1 and bands_of(root) == []


def test_it_keeps_marks_within_the_chart_and_drops_what_lies_outside():
    bands = [
        Band(-100, 50, "PMT", "A", BAND_COLOURS[0], "from before birth"),
        Band(1800, 2100, "PMT", "A", BAND_COLOURS[0], "past 60 months"),
        Band(1900, 2100, "PMT", "A", BAND_COLOURS[0], "after the chart"),
        Band(-50, -10, "PMT", "A", BAND_COLOURS[0], "before the chart"),
    ]
    ticks = [Tick(-1, "PMT", "before"), Tick(1827, "PMT", "after"), Tick(10, "PMT", "in")]
    root = parse(length_for_age_svg("L", [], bands=bands, ticks=ticks))
    left, top, right, bottom = plot_area(root)
    drawn = bands_of(root)
    assert [b.find("svg:title", NS).text for b in drawn] == ["from before birth", "past 60 months"]
    for bar in drawn:
        assert left <= float(bar.get("x"))
        assert float(bar.get("x")) + float(bar.get("width")) <= right + 0.1
    assert [t.find("svg:title", NS).text for t in ticks_of(root)] == ["in"]


def test_it_escapes_the_names_it_is_given():
    band = Band(10, 20, "PMT <b>", "Mitra & Co", BAND_COLOURS[0], 'Kata "kutip" <script>')
    svg = length_for_age_svg("L", [], bands=[band], ticks=[Tick(12, "PMT <b>", "<i>")])
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    root = parse(svg)
    assert lane_names(root) == ["PMT <b>"]
    assert bands_of(root)[0].find("svg:title", NS).text == 'Kata "kutip" <script>'


def test_the_band_colours_can_be_told_apart():
    # Distinct, and none of them the measurements' blue or the ticks' black.
    assert len(set(BAND_COLOURS)) == len(BAND_COLOURS) >= 6
    assert "#1565c0" not in BAND_COLOURS and "#212121" not in BAND_COLOURS
