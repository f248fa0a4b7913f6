from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registrations.models import Submission
from tests.builders import make_submission

pytestmark = pytest.mark.django_db
URL = "/verifikasi/"


def names(response):
    return [s.child_name for s in response.context["page"]]


def test_it_requires_login(client, db):
    r = client.get(URL)
    assert r.status_code == 302
    assert r.url == "/akun/masuk/?next=/verifikasi/"


@pytest.mark.parametrize("who", ["outsider", "staff", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_shows_the_queue(client, request, who, village):
    make_submission(village, child_name="Putri Ayu")
    client.force_login(request.getfixturevalue(who))
    r = client.get(URL)
    assert r.status_code == 200
    assert "Putri Ayu" in r.content.decode()


def test_it_lists_pending_reports_oldest_first_with_counts(client, verifikator, village):
    for name in ("Kedua", "Pertama", "Ketiga"):
        make_submission(village, documents=(), child_name=name)
    # created_at is set on insert: age them explicitly.
    now = timezone.now()
    for days, name in ((3, "Pertama"), (2, "Kedua"), (1, "Ketiga")):
        Submission.objects.filter(child_name=name).update(created_at=now - timedelta(days=days))
    make_submission(village, documents=(), child_name="Ditolak", status="rejected")
    make_submission(village, documents=(), child_name="Sudah", status="verified")

    client.force_login(verifikator)
    r = client.get(URL)
    assert names(r) == ["Pertama", "Kedua", "Ketiga"]
    counts = {value: n for value, _, n in r.context["status_counts"]}
    assert counts == {"pending": 3, "verified": 1, "needs_correction": 0, "rejected": 1}
    assert r.context["total"] == 5
    assert names(client.get(URL, {"status": "rejected"})) == ["Ditolak"]
    assert len(names(client.get(URL, {"status": "all"}))) == 5
    # A link from before the codes were English shows the default: the pending reports.
    assert names(client.get(URL, {"status": "ditolak"})) == ["Pertama", "Kedua", "Ketiga"]


def test_it_filters_by_village_posyandu_and_dates(
    clock, client, verifikator, posyandu, other_posyandu
):
    a = make_submission(posyandu.village, posyandu, documents=(), child_name="Matras")
    make_submission(other_posyandu.village, other_posyandu, documents=(), child_name="Rebo")
    Submission.objects.filter(pk=a.pk).update(created_at=timezone.now() - timedelta(days=10))
    client.force_login(verifikator)

    assert names(client.get(URL, {"village": posyandu.village.pk})) == ["Matras"]
    assert names(client.get(URL, {"posyandu": other_posyandu.pk})) == ["Rebo"]
    today = timezone.localdate()
    assert names(client.get(URL, {"date_from": today.isoformat()})) == ["Rebo"]
    since = (today - timedelta(days=11)).isoformat()
    until = (today - timedelta(days=9)).isoformat()
    assert names(client.get(URL, {"date_from": since, "date_to": until})) == ["Matras"]


def test_it_explains_a_reversed_date_range(client, verifikator, village):
    client.force_login(verifikator)
    r = client.get(URL, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert r.status_code == 200
    assert "Tanggal akhir sebelum tanggal awal." in r.content.decode()


@pytest.mark.parametrize(
    "q,expected",
    [
        ("putri", ["Putri Ayu"]),
        ("rina", ["Putri Ayu"]),  # mother's name
        ("1901011203240002", ["Budi"]),
        ("budi sari", ["Budi"]),  # every word must match somewhere
        ("budi rina", []),
    ],
)
def test_it_searches_child_mother_and_nik(client, verifikator, village, q, expected):
    make_submission(village, documents=(), child_name="Putri Ayu", mother_name="Rina")
    make_submission(
        village,
        documents=(),
        child_name="Budi",
        mother_name="Sari",
        child_nik="1901011203240002",
    )
    client.force_login(verifikator)
    assert names(client.get(URL, {"q": q})) == expected


def test_it_paginates(client, verifikator, village):
    for i in range(30):
        make_submission(village, documents=(), child_name=f"Anak {i:02}")
    client.force_login(verifikator)
    first = client.get(URL)
    assert len(first.context["page"]) == 25
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"]) == 5
    assert "page=2" in first.content.decode()


def test_it_counts_and_pages_no_further_than_the_limit(client, verifikator, village, monkeypatch):
    monkeypatch.setattr("gasken.pages.COUNT_LIMIT", 30)
    for i in range(32):
        make_submission(village, documents=(), child_name=f"Anak {i:02}")
    make_submission(village, documents=(), status="rejected")
    client.force_login(verifikator)

    r = client.get(URL)
    counts = {value: n for value, _, n in r.context["status_counts"]}
    assert counts["pending"] == 31  # stopped counting: more than 30
    assert counts["rejected"] == 1
    html = r.content.decode()
    assert "Menunggu verifikasi: <strong>30+</strong>" in html
    assert "Semua: <strong>30+</strong>" in html
    assert "Halaman 1 dari 2+" in html
    last = client.get(URL, {"page": 2})
    assert names(last) == [f"Anak {i:02}" for i in range(25, 30)]
    assert "Hanya 30 baris pertama yang dapat dibuka" in last.content.decode()


def _count_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(URL, {"status": "all"})
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_its_query_count_does_not_grow_with_reports(client, verifikator, posyandu):
    client.force_login(verifikator)
    for _ in range(10):
        make_submission(posyandu.village, posyandu, documents=())
    with_10 = _count_queries(client)
    for _ in range(190):
        make_submission(posyandu.village, documents=())
    assert Submission.objects.count() == 200
    assert _count_queries(client) == with_10
