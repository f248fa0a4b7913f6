"""The queue of kader reports, by kind: mothers' reports (?jenis=ibu) beside children's."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from registrations.models import MotherReport
from tests.builders import TODAY, make_mother_report, make_submission

pytestmark = pytest.mark.django_db

URL = "/verifikasi/"


def test_it_requires_login(client, db):
    r = client.get(URL, {"jenis": "ibu"})
    assert r.status_code == 302
    assert r.url.startswith("/akun/masuk/?next=/verifikasi/")


@pytest.mark.parametrize("who", ["outsider", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, who, village):
    make_mother_report(village, name="Siti Rahasia")
    client.force_login(request.getfixturevalue(who))
    r = client.get(URL, {"jenis": "ibu"})
    assert r.status_code == 403
    assert b"Siti Rahasia" not in r.content


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_lists_mothers_reports_apart_from_childrens(client, request, who, village):
    report = make_mother_report(village, name="Siti Aminah")
    make_submission(village, child_name="Putri Ayu", mother_name="Rina")
    client.force_login(request.getfixturevalue(who))

    r = client.get(URL, {"jenis": "ibu"})
    assert r.status_code == 200
    assert list(r.context["page"]) == [report]
    html = r.content.decode()
    assert f'href="/verifikasi/laporan-ibu/{report.pk}/">Siti Aminah</a>' in html
    assert "Putri Ayu" not in html
    assert report.formatted_code in html

    # Without the kind, the queue is the children's, as before.
    r = client.get(URL)
    assert [s.child_name for s in r.context["page"]] == ["Putri Ayu"]
    assert "Siti Aminah" not in r.content.decode()


def test_the_kind_tabs_link_each_kind_with_its_pending_count(client, verifikator, village):
    make_mother_report(village)
    make_mother_report(village, name="Dewi", status=MotherReport.Status.REJECTED)
    make_submission(village)
    make_submission(village)
    client.force_login(verifikator)
    r = client.get(URL, {"jenis": "ibu"})
    assert r.context["kinds"] == [
        ("balita", "Balita", False, 2),
        ("ibu", "Ibu hamil/menyusui", True, 1),
    ]
    html = r.content.decode()
    assert 'href="?jenis=balita"' in html
    assert 'href="?jenis=ibu" class="active" aria-current="page"' in html


def test_it_shows_status_lila_and_hb_with_their_badges(client, verifikator, village):
    make_mother_report(village, name="Ibu KEK", muac_cm=Decimal("22.0"), hb_g_dl=Decimal("10.0"))
    make_mother_report(
        village,
        name="Ibu Sehat",
        nik="",
        muac_cm=Decimal("26.0"),
        hb_g_dl=None,
        mother_status="breastfeeding",
        pregnancy_month=None,
        baby_birth_date=TODAY - timedelta(days=60),
    )
    client.force_login(verifikator)
    html = client.get(URL, {"jenis": "ibu"}).content.decode()
    rows = _rows(html)
    assert "Hamil (5 bln)" in rows["Ibu KEK"]
    assert '22,0 cm <span class="badge badge-kek">KEK</span>' in rows["Ibu KEK"]
    assert '10,0 g/dL <span class="badge badge-anaemia">anemia</span>' in rows["Ibu KEK"]
    assert "Menyusui" in rows["Ibu Sehat"]
    assert "26,0 cm" in rows["Ibu Sehat"]
    assert "badge" not in rows["Ibu Sehat"]


def _rows(html):
    """{mother's name: the row's html} of the queue table."""
    body = html.split('<table id="queue">')[1].split("</tbody>")[0]
    rows = {}
    for row in body.split("<tr>")[2:]:
        name = re.search(r'laporan-ibu/\d+/">([^<]+)</a>', row).group(1)
        rows[name] = row
    return rows


def test_it_filters_by_status_village_and_mother_status(
    client, verifikator, village, other_village
):
    pending = make_mother_report(village, name="Menunggu")
    make_mother_report(village, name="Ditolak", status=MotherReport.Status.REJECTED)
    elsewhere = make_mother_report(other_village, name="Di Rebo")
    nursing = make_mother_report(
        village,
        name="Menyusui",
        mother_status="breastfeeding",
        pregnancy_month=None,
        baby_birth_date=TODAY - timedelta(days=30),
    )
    client.force_login(verifikator)

    def names(**params):
        r = client.get(URL, {"jenis": "ibu", **params})
        assert r.status_code == 200
        return {m.name for m in r.context["page"]}

    assert names() == {"Menunggu", "Di Rebo", "Menyusui"}
    assert names(status="rejected") == {"Ditolak"}
    assert names(status="all") == {"Menunggu", "Ditolak", "Di Rebo", "Menyusui"}
    assert names(village=other_village.pk) == {elsewhere.name}
    assert names(mother_status="breastfeeding") == {nursing.name}
    assert names(q="menunggu") == {pending.name}
    # The status links keep the kind and the other filters.
    r = client.get(URL, {"jenis": "ibu", "village": village.pk})
    assert f"?jenis=ibu&amp;village={village.pk}&status=rejected" in r.content.decode()
    # The filter form sends the kind again, also without JavaScript.
    assert '<input type="hidden" name="jenis" value="ibu">' in r.content.decode()


def test_it_lists_oldest_first(client, verifikator, village, clock):
    first = make_mother_report(village, name="Pertama")
    clock.shift(60)
    second = make_mother_report(village, name="Kedua")
    client.force_login(verifikator)
    r = client.get(URL, {"jenis": "ibu"})
    assert list(r.context["page"]) == [first, second]
