"""Text search finds the same rows on SQLite (plain LIKE) and PostgreSQL (trigram indexes).

CI runs this file on both databases; the expected names are written out, so a difference
between the two fails on one of them.
"""

import pytest

from gasken.pages import search
from registrations.models import Child, Submission
from tests.builders import (
    make_child,
    make_intervention,
    make_submission,
    partner_user,
    village_user,
)

pytestmark = pytest.mark.django_db

# (name, mother's name, NIK)
PEOPLE = [
    ("Muhammad Rizki Pratama", "Siti Aminah", "1901011203220001"),
    ("RIZKA PUTRI", "Nur Aini", ""),
    ("Aisyah rizky", "Dewi Lestari", "1901015505210002"),
    ("Budi Santoso", "Rizkia Hasanah", "1901010101200003"),
    ("Nabila Zahra", "Yuliana", "1901016607230004"),
    ("Dimas Saputra", "Sri Wahyuni", ""),
]

CASES = [
    ("rizki", {"Muhammad Rizki Pratama", "Budi Santoso"}),  # Budi's mother is Rizkia
    ("RIZK", {"Muhammad Rizki Pratama", "RIZKA PUTRI", "Aisyah rizky", "Budi Santoso"}),
    ("riz pratama", {"Muhammad Rizki Pratama"}),
    ("putri nur", {"RIZKA PUTRI"}),
    ("ami", {"Muhammad Rizki Pratama"}),
    ("5505", {"Aisyah rizky"}),
    ("190101", {"Muhammad Rizki Pratama", "Aisyah rizky", "Budi Santoso", "Nabila Zahra"}),
    ("za", {"Nabila Zahra"}),
    ("  saputra   sri ", {"Dimas Saputra"}),
    ("santoso yuliana", set()),
    ("xyz", set()),
    ("100%", set()),
    ("_", set()),
]


@pytest.fixture
def children(village):
    return [
        make_child(village, name=name, mother_name=mother, nik=nik) for name, mother, nik in PEOPLE
    ]


@pytest.fixture
def reports(village):
    return [
        make_submission(village, documents=(), child_name=name, mother_name=mother, child_nik=nik)
        for name, mother, nik in PEOPLE
    ]


def names(q):
    return set(q.values_list("name", flat=True))


@pytest.mark.parametrize("text, expected", CASES)
def test_it_finds_children(children, text, expected):
    assert names(search(Child.objects.all(), text, ["name", "mother_name", "nik"])) == expected


@pytest.mark.parametrize("text, expected", CASES)
def test_it_finds_reports(reports, text, expected):
    q = search(Submission.objects.all(), text, ["child_name", "mother_name", "child_nik"])
    assert set(q.values_list("child_name", flat=True)) == expected


@pytest.mark.parametrize("text, expected", CASES[:5])
def test_the_staff_lists_find_the_same(client, verifikator, children, reports, text, expected):
    client.force_login(verifikator)
    r = client.get("/verifikasi/anak/", {"q": text})
    assert {c.name for c in r.context["page"]} == expected
    r = client.get("/verifikasi/", {"q": text})
    assert {s.child_name for s in r.context["page"]} == expected


@pytest.mark.parametrize("text, expected", CASES[:5])
def test_partner_and_village_pages_find_the_same(client, village, children, text, expected):
    for child in children:
        make_intervention(child, status="running")
    client.force_login(partner_user("mitra"))
    r = client.get("/mitra/", {"q": text})
    assert {i.child.name for i in r.context["page"]} == expected

    client.force_login(village_user("desa", village))
    r = client.get("/desa/", {"q": text})
    assert {c.name for c in r.context["page"]} == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("rizki", {"Muhammad Rizki Pratama"}),  # by the child's name only
        ("RIZK", {"Muhammad Rizki Pratama", "RIZKA PUTRI", "Aisyah rizky"}),
        ("riz pratama", {"Muhammad Rizki Pratama"}),
        ("putri nur", set()),
    ],
)
def test_the_interventions_list_finds_the_same(client, verifikator, children, text, expected):
    for child in children:
        make_intervention(child)
    client.force_login(verifikator)
    r = client.get("/intervensi/", {"q": text})
    assert {i.child.name for i in r.context["page"]} == expected
