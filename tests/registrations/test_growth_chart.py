import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from registrations.growth_chart import length_for_age_svg

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
