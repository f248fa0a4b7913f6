from datetime import date
from xml.etree import ElementTree

from monitoring import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ElementTree.fromstring(svg)


def month(m, **values):
    return {
        "month": date(2026, m, 1),
        "reports": 0,
        "verified": 0,
        "measured": 0,
        "stunted": 0,
        **values,
    }


def test_the_trend_draws_one_line_per_series():
    svg = parse(charts.trend_svg([month(1, reports=3, verified=2), month(2, reports=1)]))
    assert svg.get("viewBox") == "0 0 480 340" and svg.get("width") == "100%"
    lines = {p.get("data-series"): p for p in svg.iter(f"{SVG}polyline")}
    assert set(lines) == {"reports", "verified", "measured", "stunted"}
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert "Laporan masuk, Jan 26: 3" in titles
    assert "Laporan diverifikasi, Feb 26: 0" in titles


def test_the_trend_copes_with_one_month_and_nothing_counted():
    svg = parse(charts.trend_svg([month(6)]))
    assert len(list(svg.iter(f"{SVG}circle"))) == 4


def test_prevalence_bars_are_proportional_and_none_has_no_bar():
    svg = parse(charts.prevalence_svg([("Matras", 50.0), ("Rebo", 100.0), ("Kudai", None)]))
    bars = [float(r.get("width")) for r in svg.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert bars[1] == 2 * bars[0] and bars[2] == 0
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "50,0%" in texts and "100,0%" in texts and "–" in texts


def test_stacked_bars_split_each_village_by_category():
    categories = [("sangat_pendek", "Sangat pendek"), ("pendek", "Pendek"), ("normal", "Normal")]
    svg = parse(
        charts.stacked_svg([("Matras", {"pendek": 1, "normal": 3}), ("Kudai", {})], categories)
    )
    segments = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "segment"]
    assert [s.get("data-category") for s in segments] == ["pendek", "normal"]
    assert float(segments[1].get("width")) == 3 * float(segments[0].get("width"))


def test_labels_are_escaped_and_shortened():
    svg = charts.prevalence_svg([("<Desa & Kelurahan Panjang Sekali>", 10.0)])
    parse(svg)  # well-formed
    assert "&lt;Desa &amp; Kelurahan" in svg
    assert "Panjang Sekali&gt;</text>" not in svg
