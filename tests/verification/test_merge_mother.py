"""/verifikasi/ibu/<id>/gabungkan/: two registrations of one mother become one."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from interventions.models import Delivery, Intervention
from registrations.models import Mother, MotherCheck, MotherReport
from tests.builders import (
    KELAS_IBU,
    PUSKESMAS,
    TIMAH,
    TODAY,
    login_redirect,
    make_delivery,
    make_intervention,
    make_mother,
    make_mother_check,
    make_mother_report,
    merge_mothers,
    messages_of,
    partner_user,
    village_user,
)
from verification.models import Decision
from verification.services import MergeConflict, mother_merge, mother_report_decide

pytestmark = pytest.mark.django_db


def url(mother):
    return f"/verifikasi/ibu/{mother.pk}/gabungkan/"


@pytest.fixture
def first(village, posyandu):
    # Registered with her KK and posyandu; her check is a month old.
    mother = make_mother(
        village,
        check=False,
        name="Siti Aminah",
        nik="",
        birth_date=date(1995, 7, 5),
        posyandu=posyandu,
        kk_number="1901010101200001",
    )
    make_mother_check(mother, checked_on=TODAY - timedelta(days=30), muac_cm=Decimal("24.0"))
    return mother


@pytest.fixture
def second(village):
    # The same woman, registered again from another report with her NIK, phone and husband.
    return make_mother(
        village,
        check=False,
        name="Siti Aminahh",
        nik="1901014507950001",
        birth_date=date(1995, 7, 5),
        phone="6281377889900",
        husband_name="Ahmad",
    )


def merge_data(other, kept, note=""):
    return {"other": other.pk, "kept": kept.pk, "note": note}


def stored(*mothers):
    return [Mother.objects.values().get(pk=m.pk) for m in mothers]


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_the_login_page(client, first, second, method):
    before = stored(first, second)
    r = getattr(client, method)(url(first), merge_data(second, first))
    assert r.status_code == 302
    assert r.url.startswith(login_redirect(url(first)))
    assert stored(first, second) == before


@pytest.mark.parametrize("who", ["outsider", "pimpinan", "mitra_user", "desa_user"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_everyone_but_the_verifikator(client, request, first, second, who, method):
    before = stored(first, second)
    client.force_login(request.getfixturevalue(who))
    r = getattr(client, method)(url(first), merge_data(second, first))
    assert r.status_code == 403
    assert b"Siti Aminah" not in r.content
    assert stored(first, second) == before


def test_it_opens_for_the_verifikator(client, verifikator, first, second):
    client.force_login(verifikator)
    r = client.get(url(first))
    assert r.status_code == 200
    assert r.context["mother"] == first
    assert "Gabungkan data ibu" in r.content.decode()


def test_it_returns_404_for_an_unknown_mother(client, verifikator, first):
    client.force_login(verifikator)
    assert client.get(f"/verifikasi/ibu/{first.pk + 1000}/gabungkan/").status_code == 404


def test_it_links_the_merge_from_the_mother_page_for_the_verifikator_only(
    client, verifikator, pimpinan, first, second
):
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/ibu/{first.pk}/").content.decode()
    duplicates = html.split('id="duplicates"')[1].split("</section>")[0]
    assert f'href="/verifikasi/ibu/{second.pk}/"' in duplicates
    assert "Tanggal lahir sama, nama mirip" in duplicates
    assert f'href="/verifikasi/ibu/{first.pk}/gabungkan/?dengan={second.pk}"' in duplicates
    assert f'href="/verifikasi/ibu/{first.pk}/gabungkan/"' in html

    client.force_login(pimpinan)
    html = client.get(f"/verifikasi/ibu/{first.pk}/").content.decode()
    assert f'href="/verifikasi/ibu/{second.pk}/"' in html  # the duplicate, to read
    assert "/gabungkan/" not in html


# --- choosing the other mother ----------------------------------------------------


def test_it_offers_the_possible_duplicates(client, verifikator, village, first, second):
    unrelated = make_mother(village, check=False, name="Dewi Lestari", nik="1901014101900002")
    client.force_login(verifikator)
    r = client.get(url(first))
    assert [m for m, _ in r.context["duplicates"]] == [second]
    html = r.content.decode()
    assert f'href="?dengan={second.pk}"' in html
    assert f"?dengan={unrelated.pk}" not in html
    assert 'name="q"' in html
    assert 'id="merge-form"' not in html  # nothing to confirm before the other is chosen


@pytest.mark.parametrize("q", ["aminahh", "1901014507950001", "05-07-1995", "#second"])
def test_it_finds_the_other_mother_by_name_nik_birth_date_or_number(
    client, verifikator, village, first, second, q
):
    make_mother(village, check=False, name="Dewi", nik="", birth_date=date(1990, 1, 1))
    if q == "#second":
        q = f"#{second.pk}"
    client.force_login(verifikator)
    r = client.get(url(first), {"q": q})
    # The page's own mother is never offered to be merged with herself.
    assert r.context["results"] == [second]
    assert f"&amp;dengan={second.pk}" in r.content.decode()


def test_it_says_when_the_search_finds_nobody(client, verifikator, first, second):
    client.force_login(verifikator)
    r = client.get(url(first), {"q": "Zainab"})
    assert r.context["results"] == []
    assert "Tidak ada ibu terdaftar untuk “Zainab”." in r.content.decode()


def test_the_search_leaves_out_merged_mothers(client, verifikator, village, first, second):
    third = make_mother(village, check=False, name="Siti Aminah Lestari", nik="")
    merge_mothers(second, third)
    client.force_login(verifikator)
    assert client.get(url(first), {"q": "siti"}).context["results"] == [second]


def test_it_compares_the_two_mothers_side_by_side(client, verifikator, first, second):
    make_mother_check(second, muac_cm=Decimal("22.0"))
    client.force_login(verifikator)
    r = client.get(url(first), {"dengan": second.pk})
    assert r.context["other"] == second
    rows = {label: (a, b, differ) for label, a, b, differ in r.context["rows"]}
    assert rows["nama ibu"] == ("Siti Aminah", "Siti Aminahh", True)
    assert rows["NIK"] == ("", "1901014507950001", True)
    assert rows["tanggal lahir"] == ("5 Juli 1995", "5 Juli 1995", False)
    assert rows["nama suami"] == ("", "Ahmad", True)
    assert dict(r.context["records"][0][1])["pemeriksaan ibu"] == 1
    assert dict(r.context["records"][1][1])["pemeriksaan ibu"] == 1
    html = r.content.decode()
    assert f'<input type="hidden" name="other" value="{second.pk}"' in html
    # The page's mother stays unless the verifikator chooses the other one.
    assert re.search(rf'name="kept" value="{first.pk}"[^>]*checked', html)
    assert re.search(rf'name="kept" value="{second.pk}"', html)


@pytest.mark.parametrize("other", ["999999", "abc", "self", "merged"])
def test_it_compares_nothing_with_a_mother_it_cannot_merge(
    client, verifikator, village, first, other
):
    if other == "self":
        other = first.pk
    elif other == "merged":
        kept = make_mother(village, check=False, name="Lain", nik="")
        other = make_mother(village, check=False, name="Ganda", nik="", merged_into=kept).pk
    client.force_login(verifikator)
    r = client.get(url(first), {"dengan": other})
    assert r.status_code == 200
    assert r.context["other"] is None
    assert 'id="merge-form"' not in r.content.decode()


# --- merging --------------------------------------------------------------------


def decided_report(mother, user):
    """A report of `mother`, verified by merging it into her registration: her report, a
    kader's check and a decision."""
    report = make_mother_report(
        mother.village, name=mother.name, nik=mother.nik, birth_date=mother.birth_date
    )
    mother_report_decide(
        report=report, version=1, action=Decision.Action.MERGED, user=user, mother=mother
    )
    report.refresh_from_db()
    return report


def test_it_moves_reports_checks_interventions_and_decisions(client, verifikator, first, second):
    timah = partner_user("timah")
    report = decided_report(second, verifikator)
    newest = report.mother_check
    pmt = make_intervention(second, TIMAH, status=Intervention.Status.RUNNING)
    delivery = make_delivery(pmt, timah)
    other_help = make_intervention(first, PUSKESMAS, kind=KELAS_IBU)
    own_check = first.latest_check

    client.force_login(verifikator)
    r = client.post(url(first), merge_data(second, first, note="Terdaftar dua kali"))
    assert r.status_code == 302
    assert r.url == f"/verifikasi/ibu/{first.pk}/"
    assert messages_of(r) == [
        f"Ibu #{second.pk} (Siti Aminahh) digabungkan ke #{first.pk} (Siti Aminah): laporan, "
        "pemeriksaan, intervensi dan keputusannya dipindahkan ke sini."
    ]

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first
    assert first.merged_into is None
    report.refresh_from_db()
    assert report.mother == first
    assert list(MotherReport.objects.filter(mother=second)) == []
    assert set(first.checks.all()) == {own_check, newest}
    assert not MotherCheck.objects.filter(mother=second).exists()
    assert set(first.interventions.all()) == {pmt, other_help}
    assert not second.interventions.exists()
    assert Delivery.objects.get().intervention.mother == first
    assert delivery.intervention_id == pmt.pk
    assert [(d.action, d.mother) for d in Decision.objects.all()] == [
        (Decision.Action.MERGED, first)
    ]
    # Her latest check is the report's, newer than her own.
    assert first.latest_check == newest
    assert first.mother_status == newest.mother_status
    assert (first.is_kek, first.is_anaemic) == (True, True)
    assert second.latest_check is None
    assert second.mother_status == ""
    assert (second.is_kek, second.is_anaemic) == (False, False)

    # The partner now finds its assignment on the kept mother.
    client.force_login(timah)
    assert client.get(f"/mitra/ibu/{first.pk}/").status_code == 200
    assert client.get(f"/mitra/ibu/{second.pk}/").status_code == 404


def test_it_records_the_merge_in_both_histories(client, verifikator, first, second):
    pmt = make_intervention(second, TIMAH)
    client.force_login(verifikator)
    client.post(url(first), merge_data(second, first, note="Terdaftar dua kali"))

    kept_record = first.history.latest()
    assert kept_record.history_user == verifikator
    assert kept_record.history_change_reason == (
        f"Ibu #{second.pk} digabungkan ke ibu ini: Terdaftar dua kali"
    )
    assert kept_record.nik == "1901014507950001"
    merged_record = second.history.latest()
    assert merged_record.history_user == verifikator
    assert merged_record.merged_into_id == first.pk
    assert merged_record.history_change_reason == (
        f"Digabungkan ke ibu #{first.pk}: Terdaftar dua kali"
    )
    moved = pmt.history.latest()
    assert moved.mother_id == first.pk
    assert moved.history_user == verifikator
    assert moved.history_change_reason == f"Ibu #{second.pk} digabungkan ke #{first.pk}"

    page = client.get(f"/verifikasi/ibu/{first.pk}/").content.decode()
    history = page.split('id="history"')[1]
    assert f"Ibu #{second.pk} digabungkan ke ibu ini: Terdaftar dua kali" in history
    assert f'<dt>Digabungkan dari</dt><dd><a href="/verifikasi/ibu/{second.pk}/">' in page
    page = client.get(f"/verifikasi/ibu/{second.pk}/").content.decode()
    history = page.split('id="history"')[1]
    assert f"Digabungkan ke ibu #{first.pk}: Terdaftar dua kali" in history


def test_the_verifikator_chooses_which_mother_stays(client, verifikator, first, second):
    client.force_login(verifikator)
    r = client.post(url(first), merge_data(second, second))
    assert r.status_code == 302
    assert r.url == f"/verifikasi/ibu/{second.pk}/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.merged_into == second
    assert second.merged_into is None
    # Her checks came along: the kept mother's condition is the moved check's.
    assert second.latest_check is not None and second.latest_check.mother == second
    assert second.kk_number == "1901010101200001"
    assert second.posyandu is not None and second.posyandu.name == "Melati"


def test_it_fills_the_kept_mothers_empty_fields_and_keeps_the_others(
    client, verifikator, first, second, other_posyandu
):
    # The other registration is of another village, with a posyandu there.
    second.kk_number = "1901010202210002"
    second.village = other_posyandu.village
    second.posyandu = other_posyandu
    second.save()
    first.posyandu = None
    first.save()
    client.force_login(verifikator)
    client.post(url(first), merge_data(second, first))
    first.refresh_from_db()
    assert first.nik == "1901014507950001"  # empty: taken from the other
    assert first.phone == "6281377889900"
    assert first.husband_name == "Ahmad"
    assert first.kk_number == "1901010101200001"  # filled in: kept
    assert first.name == "Siti Aminah"
    assert first.village != other_posyandu.village
    assert first.posyandu is None  # of another village: not copied


def test_it_takes_the_others_posyandu_of_her_own_village(
    client, verifikator, first, second, posyandu
):
    first.posyandu = None
    first.save()
    second.posyandu = posyandu
    second.save()
    client.force_login(verifikator)
    client.post(url(first), merge_data(second, first))
    first.refresh_from_db()
    assert first.posyandu == posyandu


def test_it_refuses_a_mother_merged_by_someone_else_meanwhile(
    client, verifikator, village, first, second
):
    third = make_mother(village, check=False, name="Siti A.", nik="")
    client.force_login(verifikator)
    page = client.get(url(first), {"dengan": second.pk})
    assert page.context["other"] == second
    merge_mothers(third, second)  # another verifikator, in another tab

    r = client.post(url(first), merge_data(second, first))
    assert r.status_code == 200
    assert r.context["form"].errors["other"] == [
        "Ibu yang dipilih tidak ada atau sudah digabungkan ke ibu lain."
    ]
    assert (
        "Belum digabungkan: Ibu yang dipilih tidak ada atau sudah digabungkan ke ibu lain. "
        "Pilih ibu yang lain." in r.content.decode()
    )
    first.refresh_from_db()
    assert first.merged_into is None
    assert Mother.objects.get(pk=second.pk).merged_into == third


def test_the_service_refuses_a_merge_race_and_a_mother_with_herself(first, second, verifikator):
    merge_mothers(first, second)
    before = stored(first, second)
    with pytest.raises(MergeConflict):
        mother_merge(kept=second, merged=first, user=verifikator)
    with pytest.raises(MergeConflict):
        # The objects as loaded before the merge: the service reads the stored rows.
        mother_merge(kept=first, merged=Mother(pk=second.pk), user=verifikator)
    with pytest.raises(ValidationError) as e:
        mother_merge(kept=first, merged=first, user=verifikator)
    assert e.value.messages == ["Pilih dua ibu yang berbeda untuk digabungkan."]
    assert stored(first, second) == before


def test_it_requires_the_kept_mother_to_be_one_of_the_two(
    client, verifikator, village, first, second
):
    stranger = make_mother(village, check=False, name="Orang Lain", nik="")
    client.force_login(verifikator)
    r = client.post(url(first), merge_data(second, stranger, note="catatan"))
    assert r.status_code == 200
    assert r.context["form"].errors["kept"]
    assert "Belum digabungkan: periksa isian yang ditandai merah." in r.content.decode()
    assert 'value="catatan"' in r.content.decode()  # what was typed is kept
    assert not Mother.objects.filter(merged_into__isnull=False).exists()


def test_mothers_merged_before_follow_to_the_kept_mother(village, first, second):
    older = make_mother(village, check=False, name="Siti", nik="")
    merge_mothers(second, older)
    kept, merged = merge_mothers(first, second)
    assert Mother.objects.get(pk=older.pk).merged_into == kept
    assert merged.merged_into == kept


# --- the merged mother ------------------------------------------------------------


def test_a_merged_mothers_page_says_where_she_went(client, verifikator, first, second):
    merge_mothers(first, second)
    client.force_login(verifikator)
    r = client.get(f"/verifikasi/ibu/{second.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    banner = html.split('id="merged-into"')[1].split("</div>")[0]
    assert "sudah digabungkan ke" in banner
    assert f'href="/verifikasi/ibu/{first.pk}/">ibu #{first.pk} Siti Aminah</a>' in banner
    for action in ("ubah/", "periksa/", "status-program/", "gabungkan/"):
        assert f"/verifikasi/ibu/{second.pk}/{action}" not in html
    assert 'id="duplicates"' not in html
    assert f"/intervensi/tugaskan/ibu/{second.pk}/" not in html


@pytest.mark.parametrize("action", ["ubah/", "periksa/", "status-program/", "gabungkan/"])
def test_a_merged_mother_cannot_be_changed(client, verifikator, first, second, action):
    merge_mothers(first, second)
    before = stored(second)
    client.force_login(verifikator)
    r = client.post(f"/verifikasi/ibu/{second.pk}/{action}", {"name": "Diubah"})
    assert r.status_code == 302
    assert r.url == f"/verifikasi/ibu/{first.pk}/"
    assert messages_of(r) == [
        f"Ibu ini sudah digabungkan ke ibu #{first.pk}: ubah datanya di sana."
    ]
    assert stored(second) == before


def test_a_merged_mother_leaves_the_registry(client, verifikator, first, second):
    client.force_login(verifikator)
    assert set(client.get("/verifikasi/ibu/").context["page"]) == {first, second}
    merge_mothers(first, second)
    r = client.get("/verifikasi/ibu/")
    assert list(r.context["page"]) == [first]
    assert client.get("/verifikasi/ibu/", {"q": "siti"}).context["page"].paginator.count == 1
    assert list(Mother.objects.current()) == [first]


def test_a_merged_mother_leaves_the_village_and_assign_pages(
    client, verifikator, village, first, second
):
    merge_mothers(first, second)
    client.force_login(village_user("matras", village))
    assert client.get(f"/desa/ibu/{second.pk}/").status_code == 404
    assert client.get(f"/desa/ibu/{first.pk}/").status_code == 200
    client.force_login(verifikator)
    assert client.get(f"/intervensi/tugaskan/ibu/{second.pk}/").status_code == 404
    assert client.get(f"/intervensi/tugaskan/ibu/{first.pk}/").status_code == 200
