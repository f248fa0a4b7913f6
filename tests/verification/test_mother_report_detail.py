"""A mother's report on the staff side: the report as sent, documents, NIK/KK checks,
possible duplicates and, for a breastfeeding mother, her registered baby."""

from datetime import date, timedelta

import pytest

from registrations.models import AccessLog, MotherReport
from registrations.services import mother_report_resubmit
from tests.builders import (
    TODAY,
    login_redirect,
    make_child,
    make_mother,
    make_mother_report,
    mother_values,
)

pytestmark = pytest.mark.django_db


def url(report):
    return f"/verifikasi/laporan-ibu/{report.pk}/"


# --- access -------------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, village):
    report = make_mother_report(village)
    r = client.get(url(report))
    assert r.status_code == 302
    assert r.url == login_redirect(url(report))


@pytest.mark.parametrize("who", ["outsider", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, who, village):
    report = make_mother_report(village, name="Siti Rahasia")
    client.force_login(request.getfixturevalue(who))
    r = client.get(url(report))
    assert r.status_code == 403
    assert b"Siti Rahasia" not in r.content
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_shows_the_report_and_logs_the_view(client, request, who, village, posyandu):
    report = make_mother_report(village, posyandu)
    user = request.getfixturevalue(who)
    client.force_login(user)
    r = client.get(url(report))
    assert r.status_code == 200
    html = r.content.decode()
    for text in ["Siti Aminah", "1901014507950001", "1901010101200001", "Jl. Melati 3", "Ahmad"]:
        assert text in html
    assert '22,8 cm <span class="badge badge-kek">KEK</span>' in html
    assert '10,5 g/dL <span class="badge badge-anaemia">anemia</span>' in html
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.target) == (user, "view_mother", report)
    assert report.formatted_code in log.detail


def test_it_returns_404_for_an_unknown_report(client, village, verifikator):
    report = make_mother_report(village)
    client.force_login(verifikator)
    assert client.get(f"/verifikasi/laporan-ibu/{report.pk + 1}/").status_code == 404


def test_only_the_verifikator_gets_the_decision_forms(client, village, verifikator, pimpinan):
    report = make_mother_report(village)
    action = f'action="/verifikasi/laporan-ibu/{report.pk}/putuskan/"'
    client.force_login(verifikator)
    assert client.get(url(report)).content.decode().count(action) == 4
    client.force_login(pimpinan)
    html = client.get(url(report)).content.decode()
    assert action not in html
    assert "Menunggu keputusan verifikator." in html


# --- documents ----------------------------------------------------------------------


def test_the_verifikator_opens_the_kk_photo_and_it_is_logged(client, village, verifikator):
    report = make_mother_report(village)
    doc = report.documents.get()
    client.force_login(verifikator)
    html = client.get(url(report)).content.decode()
    assert f'<img src="/dokumen/{doc.pk}/"' in html

    AccessLog.objects.all().delete()
    r = client.get(f"/dokumen/{doc.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.target) == (verifikator, "view_document", doc)
    assert report.formatted_code in log.detail


@pytest.mark.parametrize("who", ["pimpinan", "mitra_user", "desa_user"])
def test_no_one_else_sees_the_kk_photo(client, request, who, village):
    report = make_mother_report(village)
    doc = report.documents.get()
    client.force_login(request.getfixturevalue(who))
    if who == "pimpinan":
        html = client.get(url(report)).content.decode()
        assert f"/dokumen/{doc.pk}/" not in html
        assert "1 dokumen terlampir" in html
    AccessLog.objects.all().delete()
    assert client.get(f"/dokumen/{doc.pk}/").status_code == 403
    assert not AccessLog.objects.exists()


def test_it_marks_the_fields_the_kader_corrected(client, village, verifikator):
    report = make_mother_report(village, nik="", status=MotherReport.Status.NEEDS_CORRECTION)
    mother_report_resubmit(
        mother_report=report,
        report=mother_values(village, nik="1901014507950001"),
        documents={},
    )
    client.force_login(verifikator)
    r = client.get(url(report))
    assert r.context["changed_fields"] == {"nik"}
    assert '<dd class="diff">1901014507950001</dd>' in r.content.decode()
    assert "Perbaikan dikirim kader (versi 2)" in r.content.decode()


# --- duplicates and babies ----------------------------------------------------------


def test_it_finds_mothers_with_the_same_nik_or_name_and_birth_date(client, village, verifikator):
    report = make_mother_report(village, name="Siti  Aminah", nik="1901014507950001")
    same_nik = make_mother(
        village, name="Siti A.", nik="1901014507950001", birth_date=date(1990, 1, 1)
    )
    same_name = make_mother(village, name="SITI AMINAH", nik="", birth_date=date(1995, 7, 5))
    make_mother(village, name="Siti Aminah", nik="", birth_date=date(1996, 7, 5))
    make_mother(village, name="Dewi Lestari", nik="", birth_date=date(1995, 7, 5))
    other_report = make_mother_report(village, name="siti aminah", nik="")
    client.force_login(verifikator)
    r = client.get(url(report))
    assert r.context["duplicate_mothers"] == [
        (same_nik, "NIK sama"),
        (same_name, "Nama dan tanggal lahir sama"),
    ]
    assert r.context["duplicate_reports"] == [(other_report, "Nama dan tanggal lahir sama")]
    html = r.content.decode()
    assert f'href="/verifikasi/ibu/{same_nik.pk}/">#{same_nik.pk} Siti A.</a>' in html


def test_it_says_when_there_is_no_duplicate(client, village, verifikator):
    report = make_mother_report(village)
    client.force_login(verifikator)
    html = client.get(url(report)).content.decode()
    assert "Tidak ditemukan ibu atau laporan lain" in html


def test_it_offers_registered_babies_of_a_breastfeeding_mother(
    client, village, other_village, verifikator
):
    born = TODAY - timedelta(days=40)
    report = make_mother_report(
        village,
        name="Siti Aminah",
        mother_status=MotherReport.MotherStatus.BREASTFEEDING,
        pregnancy_month=None,
        baby_birth_date=born,
    )
    elsewhere = make_child(other_village, name="Bayi A", birth_date=born, mother_name="Siti Aminah")
    here = make_child(village, name="Bayi B", birth_date=born, mother_name="siti aminah")
    make_child(village, name="Bayi C", birth_date=born, mother_name="Dewi")
    make_child(
        village, name="Bayi D", birth_date=born - timedelta(days=1), mother_name="Siti Aminah"
    )
    client.force_login(verifikator)
    r = client.get(url(report))
    assert r.context["babies"] == [here, elsewhere]
    html = r.content.decode()
    assert f'<input type="radio" name="baby" value="{here.pk}">' in html
    assert "Bayi C" not in html and "Bayi D" not in html


def test_a_pregnant_mothers_report_has_no_baby_section(client, village, verifikator):
    report = make_mother_report(village)
    client.force_login(verifikator)
    r = client.get(url(report))
    assert r.context["babies"] == []
    assert 'id="babies"' not in r.content.decode()


def test_the_merge_search_finds_registered_mothers(client, village, verifikator):
    report = make_mother_report(village, name="Siti Aminah", nik="")
    twin = make_mother(village, name="Siti Aminah", nik="")  # a possible duplicate already
    found = make_mother(village, name="Siti Rohani", nik="", birth_date=date(1990, 2, 3))
    make_mother(village, name="Dewi Rohani", nik="", birth_date=date(1991, 2, 3))
    client.force_login(verifikator)
    r = client.get(url(report), {"cari": "siti 03-02-1990"})
    assert r.context["merge_results"] == [found]
    html = r.content.decode()
    assert '<details class="decision" id="decide-merged" open>' in html
    assert f'name="mother" value="{twin.pk}" checked' in html
    assert f'name="mother" value="{found.pk}">' in html
    assert r.context["merge_search"] == "siti 03-02-1990"

    r = client.get(url(report), {"cari": f"#{found.pk}"})
    assert r.context["merge_results"] == [found]
    r = client.get(url(report), {"cari": "tidak ada"})
    assert 'id="merge-no-results"' in r.content.decode()


def test_the_merge_search_is_for_the_verifikator(client, village, pimpinan):
    report = make_mother_report(village)
    make_mother(village, name="Siti Rohani", nik="")
    client.force_login(pimpinan)
    r = client.get(url(report), {"cari": "rohani"})
    assert "merge_results" not in r.context
    assert "Siti Rohani" not in r.content.decode()
