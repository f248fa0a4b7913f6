"""A registered mother's staff page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from registrations.models import AccessLog
from tests.builders import (
    TODAY,
    login_redirect,
    make_child,
    make_mother,
    make_mother_check,
    make_mother_report,
)
from verification.services import mother_report_decide, mother_update

pytestmark = pytest.mark.django_db


def url(mother):
    return f"/verifikasi/ibu/{mother.pk}/"


def test_it_sends_anonymous_users_to_the_login_page(client, village):
    mother = make_mother(village)
    r = client.get(url(mother))
    assert r.status_code == 302 and r.url == login_redirect(url(mother))


@pytest.mark.parametrize("who", ["outsider", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, who, village):
    mother = make_mother(village, name="Siti Rahasia")
    client.force_login(request.getfixturevalue(who))
    r = client.get(url(mother))
    assert r.status_code == 403
    assert b"Siti Rahasia" not in r.content
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_shows_her_identity_and_logs_the_view(client, request, who, village):
    mother = make_mother(village, kk_number="1901010101200001", husband_name="Ahmad")
    user = request.getfixturevalue(who)
    client.force_login(user)
    r = client.get(url(mother))
    assert r.status_code == 200
    html = r.content.decode()
    for text in ["Siti Aminah", "1901014507950001", "1901010101200001", "Ahmad", "5 Juli 1995"]:
        assert text in html
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.target) == (user, "view_mother", mother)
    assert log.detail == f"Data ibu #{mother.pk} (Siti Aminah)"


def test_it_returns_404_for_an_unknown_mother(client, village, verifikator):
    mother = make_mother(village)
    client.force_login(verifikator)
    assert client.get(f"/verifikasi/ibu/{mother.pk + 1}/").status_code == 404


def test_it_shows_the_latest_condition_and_every_check(client, village, verifikator):
    mother = make_mother(village, check=False)
    make_mother_check(mother, checked_on=date(2026, 1, 5), muac_cm=Decimal("22.0"))
    make_mother_check(
        mother,
        checked_on=date(2026, 3, 1),
        source="puskesmas",
        muac_cm=Decimal("24.5"),
        hb_g_dl=Decimal("11.5"),
        pregnancy_month=7,
    )
    client.force_login(verifikator)
    r = client.get(url(mother))
    html = r.content.decode()
    condition = html.split('id="condition"')[1].split("</section>")[0]
    assert "Pemeriksaan 1 Maret 2026 (Puskesmas/petugas kesehatan)" in condition
    assert "24,5 cm" in condition and "KEK" not in condition and "anemia" not in condition
    history = html.split('id="checks-history"')[1].split("</section>")[0]
    assert history.index("01-03-2026") < history.index("05-01-2026")
    assert '22,0 cm <span class="badge badge-kek">KEK</span>' in history


def test_it_lists_her_reports_decisions_and_baby(client, village, verifikator):
    born = TODAY - timedelta(days=15)
    baby = make_child(village, name="Bayi Aminah", birth_date=born, mother_name="Siti Aminah")
    report = make_mother_report(
        village, mother_status="breastfeeding", pregnancy_month=None, baby_birth_date=born
    )
    decision = mother_report_decide(
        report=report, version=1, action="verified_new", user=verifikator, baby=baby
    )
    client.force_login(verifikator)
    html = client.get(url(decision.mother)).content.decode()
    assert f'href="/verifikasi/laporan-ibu/{report.pk}/"' in html
    assert "Diverifikasi sebagai kasus baru oleh verifikator" in html
    assert f'<a href="/verifikasi/anak/{baby.pk}/">#{baby.pk} Bayi Aminah</a>' in html
    assert "Didaftarkan oleh verifikator" in html


def test_it_shows_the_changes_to_her_identity(client, village, verifikator):
    mother = make_mother(village)
    mother_update(mother=mother, changes={"husband_name": "Budi"}, user=verifikator)
    client.force_login(verifikator)
    html = client.get(url(mother)).content.decode()
    history = html.split('id="history"')[1]
    assert "Diubah oleh verifikator" in history
    assert "nama suami: “–” → “Budi”" in history


def test_it_shows_the_action_links_to_the_verifikator_only(client, village, verifikator, pimpinan):
    mother = make_mother(village)
    links = [
        f'href="/verifikasi/ibu/{mother.pk}/ubah/"',
        f'href="/verifikasi/ibu/{mother.pk}/periksa/"',
        f'href="/verifikasi/ibu/{mother.pk}/status-program/"',
    ]
    client.force_login(verifikator)
    html = client.get(url(mother)).content.decode()
    assert all(link in html for link in links)
    client.force_login(pimpinan)
    html = client.get(url(mother)).content.decode()
    assert not any(link in html for link in links)


def test_it_points_to_possible_duplicates(client, village, verifikator):
    mother = make_mother(village)
    other = make_mother(village, name="siti  aminah", nik="")
    client.force_login(verifikator)
    r = client.get(url(mother))
    assert r.context["duplicates"] == [(other, "Nama dan tanggal lahir sama")]
