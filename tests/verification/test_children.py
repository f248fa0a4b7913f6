from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registrations import growth
from registrations.dates import completed_months
from registrations.models import Posyandu
from tests.builders import TODAY, make_child, make_measurement, make_submission

pytestmark = pytest.mark.django_db

URL = "/verifikasi/anak/"


def shown(response):
    """Names of the children on the page, in page order."""
    return [c.name for c in response.context["page"]]


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, village):
    r = client.get(URL)
    assert r.status_code == 302
    assert r.url == "/akun/masuk/?next=/verifikasi/anak/"


@pytest.mark.parametrize("user", ["outsider", "mitra_user", "desa_user"])
def test_it_refuses_users_without_the_role(client, village, user, request):
    make_child(village)
    client.force_login(request.getfixturevalue(user))
    r = client.get(URL)
    assert r.status_code == 403
    assert b"Putri Ayu" not in r.content


@pytest.mark.parametrize("user", ["verifikator", "pimpinan"])
def test_it_shows_the_list_to_verifikator_and_pimpinan(client, village, user, request):
    make_child(village)
    client.force_login(request.getfixturevalue(user))
    r = client.get(URL)
    assert r.status_code == 200
    assert shown(r) == ["Putri Ayu"]


# --- content ------------------------------------------------------------------


def test_it_lists_only_registered_children(client, village, posyandu, verifikator):
    child = make_child(village, name="Budi Santoso", posyandu=posyandu)
    make_measurement(child, date(2025, 1, 10), "74.0")
    make_submission(village, posyandu, child_name="Laporan Belum Diperiksa")
    client.force_login(verifikator)

    r = client.get(URL)
    assert shown(r) == ["Budi Santoso"]
    html = r.content.decode()
    assert "Anak terdaftar" in html and "(1)" in html
    assert f'<a href="/verifikasi/anak/{child.pk}/">Budi Santoso</a>' in html
    assert "Matras · Melati" in html
    m = child.measurements.get()
    assert f"{m.get_haz_category_display()} (" in html
    assert "10-01-2025)" in html
    assert "Laporan Belum Diperiksa" not in html


def test_it_says_when_no_child_matches(client, village, verifikator):
    make_child(village)
    client.force_login(verifikator)
    r = client.get(URL, {"q": "tidak-ada-nama-ini"})
    assert shown(r) == []
    assert "Tidak ada anak untuk filter ini." in r.content.decode()


def test_it_filters_by_village(client, village, other_village, verifikator):
    make_child(village, name="Anak Matras")
    make_child(other_village, name="Anak Rebo")
    client.force_login(verifikator)
    assert shown(client.get(URL, {"village": village.pk})) == ["Anak Matras"]
    assert shown(client.get(URL, {"village": other_village.pk})) == ["Anak Rebo"]
    assert shown(client.get(URL)) == ["Anak Matras", "Anak Rebo"]


def test_it_filters_by_posyandu(client, village, posyandu, verifikator):
    mawar = Posyandu.objects.create(name="Mawar", village=village, code="mawar")
    make_child(village, name="Anak Melati", posyandu=posyandu)
    make_child(village, name="Anak Mawar", posyandu=mawar)
    make_child(village, name="Anak Tanpa Posyandu")
    client.force_login(verifikator)
    assert shown(client.get(URL, {"posyandu": posyandu.pk})) == ["Anak Melati"]
    assert shown(client.get(URL, {"posyandu": mawar.pk})) == ["Anak Mawar"]


def test_it_filters_by_the_latest_length_for_age_status(client, village, verifikator):
    birth = date(2024, 1, 10)
    # Grew from short to normal: the latest measurement, by date, is normal. It is saved
    # first, so the filter must follow the measurement date, not the order of saving.
    caught_up = make_child(village, name="Kejar Tumbuh", birth_date=birth)
    make_measurement(caught_up, date(2025, 1, 10), "74.0")
    make_measurement(caught_up, date(2024, 7, 10), "61.0")
    # Fell behind: normal first, short at the latest measurement.
    fell_behind = make_child(village, name="Tertinggal", birth_date=birth)
    make_measurement(fell_behind, date(2024, 7, 10), "66.0")
    make_measurement(fell_behind, date(2025, 1, 10), "67.5")
    make_child(village, name="Belum Diukur", birth_date=birth)

    for child, first, latest in [
        (caught_up, "pendek", "normal"),
        (fell_behind, "normal", "pendek"),
    ]:
        child.refresh_from_db()
        by_date = list(child.measurements.order_by("measured_on"))
        assert [m.haz_category for m in by_date] == [first, latest]
        assert child.latest_measurement == by_date[-1]

    client.force_login(verifikator)
    assert shown(client.get(URL, {"haz": "pendek"})) == ["Tertinggal"]
    assert shown(client.get(URL, {"haz": "normal"})) == ["Kejar Tumbuh"]
    assert shown(client.get(URL, {"haz": "sangat_pendek"})) == []
    assert shown(client.get(URL)) == ["Belum Diukur", "Kejar Tumbuh", "Tertinggal"]


AGE_GROUPS = {"0-5": (0, 5), "6-11": (6, 11), "12-23": (12, 23), "24-59": (24, 59)}


def _birth_dates_around_the_boundaries(today):
    births = {today, today - timedelta(days=1)}
    for months in (6, 12, 24, 60):
        middle = today - timedelta(days=round(months * 30.4375))
        births.update(middle + timedelta(days=d) for d in range(-5, 6))
    return sorted(births)


@pytest.mark.parametrize(
    "today",
    [
        TODAY,
        date(2025, 3, 31),
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2024, 8, 31),
        date(2025, 12, 31),
        date(2025, 1, 1),
    ],
    ids=lambda d: d.isoformat(),
)
def test_it_filters_by_age_group_in_completed_months(clock, client, village, verifikator, today):
    clock.move_to(today)
    assert timezone.localdate() == today
    children = {}
    for birth in _birth_dates_around_the_boundaries(today):
        name = f"Lahir {birth.isoformat()}"
        make_child(village, name=name, birth_date=birth)
        children[name] = completed_months(birth, today)
    client.force_login(verifikator)

    for group, (youngest, oldest) in AGE_GROUPS.items():
        expected = sorted(n for n, months in children.items() if youngest <= months <= oldest)
        # Both sides of each boundary are present, so a shifted boundary would show.
        assert youngest in [children[n] for n in expected]
        assert oldest in [children[n] for n in expected]
        r = client.get(URL, {"age": group})
        assert r.status_code == 200
        assert shown(r) == expected, group

    # 60 months or older is in no group.
    assert any(months >= 60 for months in children.values())


def test_it_searches_name_mother_and_nik(client, village, verifikator):
    make_child(village, name="Putri Ayu", mother_name="Rina", nik="1901015001240001")
    make_child(village, name="Siti Rahma", mother_name="Putri Wulandari", nik="")
    make_child(village, name="Bagus", mother_name="Sari", nik="1901010202230002")
    client.force_login(verifikator)

    assert shown(client.get(URL, {"q": "putri"})) == ["Putri Ayu", "Siti Rahma"]
    assert shown(client.get(URL, {"q": "WULAN"})) == ["Siti Rahma"]
    assert shown(client.get(URL, {"q": "0202230002"})) == ["Bagus"]
    assert shown(client.get(URL, {"q": "190101"})) == ["Bagus", "Putri Ayu"]


def test_it_requires_every_word_of_the_search(client, village, verifikator):
    make_child(village, name="Putri Ayu", mother_name="Rina")
    make_child(village, name="Putri Ayu", mother_name="Sari")
    make_child(village, name="Dewi Ayu", mother_name="Rina")
    client.force_login(verifikator)

    r = client.get(URL, {"q": "  putri   rina "})
    assert [(c.name, c.mother_name) for c in r.context["page"]] == [("Putri Ayu", "Rina")]
    assert shown(client.get(URL, {"q": "ayu rina"})) == ["Dewi Ayu", "Putri Ayu"]
    assert shown(client.get(URL, {"q": "putri dewi"})) == []


def test_it_combines_filters(client, village, other_village, posyandu, verifikator):
    make_child(village, name="Putri Matras", posyandu=posyandu)
    make_child(other_village, name="Putri Rebo")
    make_child(village, name="Dewi Matras", posyandu=posyandu)
    client.force_login(verifikator)
    r = client.get(URL, {"village": village.pk, "q": "putri"})
    assert shown(r) == ["Putri Matras"]


def test_it_pages_by_25_and_keeps_the_filters(client, village, other_village, verifikator):
    for i in range(1, 53):
        make_child(village, name=f"Anak {i:02d}")
    make_child(other_village, name="Anak Rebo")
    client.force_login(verifikator)

    first = client.get(URL, {"village": village.pk})
    assert shown(first) == [f"Anak {i:02d}" for i in range(1, 26)]
    html = first.content.decode()
    assert "(52)" in html
    assert "Halaman 1 dari 3" in html
    assert f'href="?village={village.pk}&page=2">Berikutnya' in html
    assert "Sebelumnya" not in html

    second = client.get(URL, {"village": village.pk, "page": 2})
    assert shown(second) == [f"Anak {i:02d}" for i in range(26, 51)]
    html = second.content.decode()
    assert f'href="?village={village.pk}&page=1">‹ Sebelumnya' in html
    assert f'href="?village={village.pk}&page=3">Berikutnya' in html

    last = client.get(URL, {"village": village.pk, "page": 3})
    assert shown(last) == ["Anak 51", "Anak 52"]
    # Past the end or nonsense: the nearest real page, not an error.
    assert shown(client.get(URL, {"village": village.pk, "page": 99})) == ["Anak 51", "Anak 52"]
    assert shown(client.get(URL, {"page": "x"}))[0] == "Anak 01"


def test_it_counts_no_further_than_the_limit(client, village, verifikator, monkeypatch):
    monkeypatch.setattr("gasken.pages.COUNT_LIMIT", 3)
    for i in range(1, 5):
        make_child(village, name=f"Anak {i:02d}")
    client.force_login(verifikator)

    r = client.get(URL)
    assert shown(r) == ["Anak 01", "Anak 02", "Anak 03"]
    html = r.content.decode()
    assert "(3+)" in html
    assert "Hanya 3 baris pertama yang dapat dibuka" in html


def test_it_has_no_pagination_for_one_page(client, village, verifikator):
    make_child(village)
    client.force_login(verifikator)
    r = client.get(URL)
    assert shown(r) == ["Putri Ayu"]
    html = r.content.decode()
    assert "Putri Ayu" in html
    assert "Halaman" not in html


def _children_with_measurements(village, posyandu, count):
    for i in range(count):
        child = make_child(
            village, name=f"Anak {i:03d}", posyandu=posyandu, birth_date=date(2024, 1, 10)
        )
        make_measurement(child, date(2025, 1, 10), "74.0")


def _queries_for_the_list(client):
    with CaptureQueriesContext(connection) as queries:
        r = client.get(URL)
    assert r.status_code == 200
    return len(queries), len(r.context["page"])


def test_it_uses_the_same_number_of_queries_for_10_and_60_children(
    client, village, posyandu, verifikator
):
    client.force_login(verifikator)
    _children_with_measurements(village, posyandu, 10)
    few, shown_few = _queries_for_the_list(client)
    _children_with_measurements(village, posyandu, 50)
    many, shown_many = _queries_for_the_list(client)
    assert (shown_few, shown_many) == (10, 25)
    assert few == many


def test_it_shows_the_latest_status_in_the_list(client, village, verifikator):
    child = make_child(village, birth_date=date(2024, 1, 10), sex="P")
    make_measurement(child, date(2025, 1, 10), "67.5")
    make_measurement(child, date(2024, 7, 10), "66.0")
    expected = growth.assess("P", date(2024, 1, 10), date(2025, 1, 10), 67.5, 9.0, lying=True)
    client.force_login(verifikator)
    html = client.get(URL).content.decode()
    z = f"{expected.haz:+.2f}".replace(".", ",").replace("-", "−")
    assert f"{growth.HAZ_LABELS[expected.haz_category]} ({z}, 10-01-2025)" in html
    assert "10-07-2024" not in html


# --- programme status ---------------------------------------------------------


def test_it_shows_the_programme_status_of_each_child(client, village, pimpinan):
    active = make_child(village, name="Anak Aktif")
    gone = make_child(
        village,
        name="Anak Pindah",
        programme_status="exited",
        exit_reason="moved",
        exit_date=date(2026, 5, 2),
    )
    client.force_login(pimpinan)
    html = client.get(URL).content.decode()
    assert "<th>Status program</th>" in html
    rows = {
        child.pk: html.split(f'<a href="/verifikasi/anak/{child.pk}/">')[1].split("</tr>")[0]
        for child in [active, gone]
    }
    assert '<td><span class="badge badge-active">Aktif</span></td>' in rows[active.pk]
    assert (
        '<td><span class="badge badge-exited">Keluar</span> <span class="muted">pindah</span></td>'
    ) in rows[gone.pk]


def test_it_filters_by_programme_status(client, village, verifikator):
    make_child(village, name="Anak Aktif")
    make_child(
        village,
        name="Anak Keluar",
        programme_status="exited",
        exit_reason="not_stunted",
        exit_date=date(2026, 5, 2),
    )
    client.force_login(verifikator)
    # All children unless a status is chosen.
    assert shown(client.get(URL)) == ["Anak Aktif", "Anak Keluar"]
    assert shown(client.get(URL, {"status": ""})) == ["Anak Aktif", "Anak Keluar"]
    assert shown(client.get(URL, {"status": "active"})) == ["Anak Aktif"]
    assert shown(client.get(URL, {"status": "exited"})) == ["Anak Keluar"]
    html = client.get(URL, {"status": "exited"}).content.decode()
    assert '<option value="exited" selected>Keluar</option>' in html
