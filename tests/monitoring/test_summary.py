import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.views import HIDDEN, SMALL, _suppress
from registrations.models import Village

URL = "/ringkasan/"
CHILD_AND_PEOPLE_NAMES = [
    "Andi",
    "Bunga",
    "Citra",
    "Dodi",
    "Eka",
    "Fajar",
    "Gilang",
    "Hana",
    "Intan",
    "Joko",
    "Kiki",
    "Lina",
    "Rudi",
    "Sari",  # children
    "Siti",
    "Dewi",
    "Rina",  # kader and mothers
    "Melati",
    "Mawar",  # posyandu
]


def test_it_needs_no_login(client, dataset):
    r = client.get(URL)
    assert r.status_code == 200
    assert "Ringkasan data program GASKEN 2026" in r.content.decode()


def test_it_counts_this_year_per_village_with_small_numbers_hidden(client, dataset):
    r = client.get(URL)
    rows = {village.code: values for village, values in r.context["rows"]}
    # Rebo: 2 reports, 1 verified child: too few to show.
    assert rows["19.01.01.2007"] == {
        "reports": SMALL,
        "verified_children": SMALL,
        "helped": 0,
        "left_stunting": 0,
        "mothers": 0,
    }
    # Matras: 11 reports and 6 verified children would give Rebo's away (13 − 11 = 2), so
    # they are hidden too; 5 helped children (Andi, Bunga, Eka, Fajar, Hana) can be shown,
    # 1 child who left stunting (Bunga) cannot.
    assert rows["19.01.01.1009"] == {
        "reports": HIDDEN,
        "verified_children": HIDDEN,
        "helped": 5,
        "left_stunting": SMALL,
        "mothers": 0,
    }
    assert rows["19.01.01.1001"] == dict.fromkeys(rows["19.01.01.1001"], 0)
    assert r.context["total"] == {
        "reports": 13,
        "verified_children": 7,
        "helped": 5,
        "left_stunting": SMALL,
        "mothers": 0,
    }
    html = r.content.decode()
    assert "&lt; 5" in html
    assert "disembunyikan" in html


def test_it_shows_no_names(client, dataset):
    html = client.get(URL).content.decode()
    for name in CHILD_AND_PEOPLE_NAMES:
        assert name not in html


def test_it_lists_every_village(client, dataset):
    r = client.get(URL)
    assert len(r.context["rows"]) == Village.objects.count() == 13


def test_the_intake_form_links_to_it(client, db):
    html = client.get("/lapor/").content.decode()
    assert 'href="/ringkasan/"' in html


def _rows(*values):
    return [{"n": v} for v in values], {"n": sum(values)}


@pytest.mark.parametrize(
    "values, shown, total",
    [
        # Nothing small: nothing hidden.
        ((0, 5, 12), [0, 5, 12], 17),
        # One small cell could be worked out from the total: the next smallest goes too.
        ((3, 9, 6, 0), [SMALL, 9, HIDDEN, 0], 18),
        # Two small cells whose sum (2) would tell each is 1: a third is hidden.
        ((1, 1, 7, 20), [SMALL, SMALL, HIDDEN, 20], 29),
        # Two small cells summing to 5 or more: no need for more.
        ((2, 3, 9), [SMALL, SMALL, 9], 14),
        # A small total: every non-zero cell is small as well.
        ((1, 0, 2), [SMALL, 0, SMALL], SMALL),
    ],
)
def test_suppression(values, shown, total):
    rows, row_total = _rows(*values)
    cells, shown_total = _suppress(rows, row_total, ["n"])
    assert [c["n"] for c in cells] == shown
    assert shown_total["n"] == total


def test_anyone_loading_it_reuses_the_counted_figures(client, dataset):
    first = client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(URL)
    assert again.context["total"] == first.context["total"]
    # Not one indicator query: a public page must not count everything per request.
    assert not any("registrations_child" in q["sql"] for q in ctx.captured_queries)
