"""The report page's merge: the registered child is found by a search, not typed as a number."""

import re
from datetime import date

import pytest

from registrations.models import Submission
from tests.builders import make_child, make_submission, merge_children
from verification.models import Decision

pytestmark = pytest.mark.django_db


def url(s):
    return f"/verifikasi/laporan/{s.pk}/"


@pytest.fixture
def report(village):
    # A follow-up report under the child's nickname, without NIK: the duplicate check
    # finds nothing.
    return make_submission(
        village, child_name="Dede", birth_date=date(2024, 1, 10), mother_name="Rina Wati"
    )


@pytest.fixture
def registered(village):
    return make_child(
        village,
        name="Putri Ayu Lestari",
        birth_date=date(2024, 1, 10),
        mother_name="Rina",
        nik="1901015001240001",
    )


def merge_section(response):
    html = response.content.decode()
    return re.search(r'<details class="decision" id="decide-merged".*?</details>', html, re.S)[0]


def offered(response):
    return [int(pk) for pk in re.findall(r'name="child" value="(\d+)"', merge_section(response))]


def test_it_offers_a_search_instead_of_a_number_box(client, verifikator, report):
    client.force_login(verifikator)
    section = merge_section(client.get(url(report)))
    assert 'type="number"' not in section
    assert '<form method="get" action="/verifikasi/laporan/' in section
    assert 'name="cari"' in section
    assert "Tidak ada kemungkinan duplikat. Cari anaknya di atas." in section
    assert not section.startswith('<details class="decision" id="decide-merged" open')


@pytest.mark.parametrize(
    "text",
    ["lestari", "putri rina", "1901015001240001", "15001240", "10-01-2024", "2024-01-10"],
)
def test_it_finds_the_child_by_name_mother_nik_or_birth_date(
    client, verifikator, report, registered, text
):
    make_child(report.village, name="Dewi", birth_date=date(2023, 5, 1), mother_name="Sari")
    client.force_login(verifikator)
    r = client.get(url(report), {"cari": text})
    assert r.context["merge_results"] == [registered]
    section = merge_section(r)
    # Without JavaScript the section opens on the results, none chosen for the verifikator.
    assert section.startswith('<details class="decision" id="decide-merged" open')
    assert offered(r) == [registered.pk]
    assert f'<input type="radio" name="child" value="{registered.pk}">' in section
    assert "Putri Ayu Lestari, lahir 10-01-2024, ibu Rina, Matras" in section
    # The merge is sent with the search, so a refused form shows the same results again.
    assert f'action="/verifikasi/laporan/{report.pk}/putuskan/?cari=' in section


def test_it_finds_the_child_by_its_number(client, verifikator, report, registered):
    client.force_login(verifikator)
    r = client.get(url(report), {"cari": f"#{registered.pk}"})
    assert r.context["merge_results"] == [registered]


def test_it_says_when_nobody_is_found(client, verifikator, report, registered):
    client.force_login(verifikator)
    r = client.get(url(report), {"cari": "Zainab"})
    assert r.context["merge_results"] == []
    assert "Tidak ada anak terdaftar lain untuk “Zainab”." in merge_section(r)
    assert offered(r) == []


def test_it_lists_a_possible_duplicate_once(client, verifikator, village):
    report = make_submission(village, child_name="Putri Ayu", birth_date=date(2024, 1, 10))
    twin = make_child(village, name="Putri Ayu", birth_date=date(2024, 1, 10), mother_name="Rina")
    client.force_login(verifikator)
    r = client.get(url(report), {"cari": "putri"})
    assert offered(r) == [twin.pk]
    # The duplicate is chosen by default, as before there was a search.
    assert f'<input type="radio" name="child" value="{twin.pk}" checked>' in merge_section(r)


def test_it_leaves_out_merged_children(client, verifikator, report, registered):
    twin = make_child(report.village, name="Putri Ayu L.", birth_date=date(2024, 1, 10))
    merge_children(registered, twin)
    client.force_login(verifikator)
    assert client.get(url(report), {"cari": "putri"}).context["merge_results"] == [registered]


def test_the_pimpinan_gets_no_search(client, pimpinan, report, registered):
    client.force_login(pimpinan)
    r = client.get(url(report), {"cari": "putri"})
    assert r.status_code == 200
    assert "merge_results" not in r.context
    assert 'name="cari"' not in r.content.decode()
    assert "Putri Ayu Lestari" not in r.content.decode()


def test_a_decided_report_offers_no_search(client, verifikator, report, registered):
    Submission.objects.filter(pk=report.pk).update(status=Submission.Status.REJECTED)
    client.force_login(verifikator)
    r = client.get(url(report), {"cari": "putri"})
    assert "merge_results" not in r.context


def test_it_merges_into_the_child_found(client, verifikator, report, registered):
    client.force_login(verifikator)
    r = client.post(
        f"/verifikasi/laporan/{report.pk}/putuskan/?cari=lestari",
        {"action": Decision.Action.MERGED, "version": 1, "child": registered.pk},
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == Submission.Status.VERIFIED
    assert report.child == registered
    assert report.measurement.child == registered
    assert Decision.objects.get().child == registered


def test_a_merge_without_a_choice_keeps_the_search(client, verifikator, report, registered):
    client.force_login(verifikator)
    r = client.post(
        f"/verifikasi/laporan/{report.pk}/putuskan/?cari=lestari",
        {"action": Decision.Action.MERGED, "version": 1},
    )
    assert r.status_code == 400
    section = merge_section(r)
    assert "Pilih anak terdaftar yang akan digabungkan." in section
    assert offered(r) == [registered.pk]
    assert 'value="lestari"' in section
    report.refresh_from_db()
    assert report.status == Submission.Status.PENDING


def test_a_refused_merge_keeps_the_chosen_child(client, verifikator, report, registered):
    other = make_child(report.village, name="Putri Lain", birth_date=date(2024, 1, 10))
    client.force_login(verifikator)
    r = client.post(
        f"/verifikasi/laporan/{report.pk}/putuskan/?cari=putri",
        {"action": Decision.Action.MERGED, "version": 1, "child": other.pk, "note": "x" * 1001},
    )
    assert r.status_code == 400
    section = merge_section(r)
    assert f'<input type="radio" name="child" value="{other.pk}" checked>' in section
    assert f'<input type="radio" name="child" value="{registered.pk}">' in section
