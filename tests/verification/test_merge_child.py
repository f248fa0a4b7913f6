"""/verifikasi/anak/<id>/gabungkan/: two registrations of one child become one."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from interventions.models import Delivery, Intervention
from registrations import growth
from registrations.models import Child, Measurement, Submission
from tests.builders import (
    PUSKESMAS,
    TIMAH,
    login_redirect,
    make_child,
    make_delivery,
    make_intervention,
    make_measurement,
    make_submission,
    merge_children,
    messages_of,
    partner_user,
    today,
)
from verification.models import Decision
from verification.services import MergeConflict, child_merge, submission_decide

pytestmark = pytest.mark.django_db


def url(child):
    return f"/verifikasi/anak/{child.pk}/gabungkan/"


@pytest.fixture
def first(village, posyandu):
    return make_child(
        village,
        name="Putri Ayu",
        sex="P",
        birth_date=date(2024, 1, 10),
        mother_name="Rina",
        posyandu=posyandu,
        kk_number="1901010101200001",
    )


@pytest.fixture
def second(village):
    # The same girl, registered again from another report with her NIK and father.
    return make_child(
        village,
        name="Putri Ayuu",
        sex="P",
        birth_date=date(2024, 1, 10),
        mother_name="Rina",
        nik="1901015001240001",
        father_name="Budi",
    )


def merge_data(other, kept, note=""):
    return {"other": other.pk, "kept": kept.pk, "note": note}


def stored(*children):
    return [Child.objects.values().get(pk=c.pk) for c in children]


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
    assert b"Rina" not in r.content
    assert stored(first, second) == before


def test_it_returns_404_for_an_unknown_child(client, verifikator, first):
    client.force_login(verifikator)
    assert client.get(f"/verifikasi/anak/{first.pk + 1000}/gabungkan/").status_code == 404


def test_it_links_the_merge_from_the_child_page_for_the_verifikator_only(
    client, verifikator, pimpinan, first, second
):
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/anak/{first.pk}/").content.decode()
    duplicates = html.split('id="duplicates"')[1].split("</section>")[0]
    assert f'href="/verifikasi/anak/{second.pk}/"' in duplicates
    assert "Tanggal lahir, jenis kelamin, nama anak dan nama ibu mirip" in duplicates
    assert f'href="/verifikasi/anak/{first.pk}/gabungkan/?dengan={second.pk}"' in duplicates
    assert f'href="/verifikasi/anak/{first.pk}/gabungkan/"' in html

    client.force_login(pimpinan)
    html = client.get(f"/verifikasi/anak/{first.pk}/").content.decode()
    assert f'href="/verifikasi/anak/{second.pk}/"' in html  # the duplicate, to read
    assert "/gabungkan/" not in html


def test_the_child_page_lists_no_duplicates_when_there_are_none(client, verifikator, first):
    make_child(first.village, name="Budi", sex="L", birth_date=first.birth_date)
    client.force_login(verifikator)
    r = client.get(f"/verifikasi/anak/{first.pk}/")
    assert r.context["duplicates"] == []
    assert 'id="duplicates"' not in r.content.decode()


# --- choosing the other child ---------------------------------------------------


def test_it_offers_the_possible_duplicates(client, verifikator, first, second):
    unrelated = make_child(first.village, name="Budi", sex="L", birth_date=first.birth_date)
    client.force_login(verifikator)
    r = client.get(url(first))
    assert r.status_code == 200
    assert [c for c, _ in r.context["duplicates"]] == [second]
    html = r.content.decode()
    assert f'href="?dengan={second.pk}"' in html
    assert f"?dengan={unrelated.pk}" not in html
    assert 'name="q"' in html
    assert 'id="merge-form"' not in html  # nothing to confirm before the other is chosen


@pytest.mark.parametrize(
    "q", ["ayuu", "putri rina", "1901015001240001", "50012400", "10-01-2024", "10/01/2024"]
)
def test_it_finds_the_other_child_by_name_mother_nik_or_birth_date(
    client, verifikator, first, second, q
):
    make_child(first.village, name="Dewi", birth_date=date(2023, 5, 1), mother_name="Sari")
    client.force_login(verifikator)
    r = client.get(url(first), {"q": q})
    # The page's own child is never offered to be merged with itself.
    assert r.context["results"] == [second]
    assert f"&amp;dengan={second.pk}" in r.content.decode()


def test_it_finds_a_child_by_its_number(client, verifikator, first, second):
    client.force_login(verifikator)
    assert client.get(url(first), {"q": f"#{second.pk}"}).context["results"] == [second]


def test_it_says_when_the_search_finds_nobody(client, verifikator, first, second):
    client.force_login(verifikator)
    r = client.get(url(first), {"q": "Zainab"})
    assert r.context["results"] == []
    assert "Tidak ada anak terdaftar untuk “Zainab”." in r.content.decode()


def test_the_search_leaves_out_merged_children(client, verifikator, first, second):
    third = make_child(first.village, name="Putri Ayu Lestari", birth_date=first.birth_date)
    merge_children(second, third)
    client.force_login(verifikator)
    assert client.get(url(first), {"q": "putri"}).context["results"] == [second]


def test_it_compares_the_two_children_side_by_side(client, verifikator, first, second):
    make_measurement(second, date(2025, 6, 1), "74.0")
    client.force_login(verifikator)
    r = client.get(url(first), {"dengan": second.pk})
    assert r.context["other"] == second
    rows = {label: (a, b, differ) for label, a, b, differ in r.context["rows"]}
    assert rows["nama anak"] == ("Putri Ayu", "Putri Ayuu", True)
    assert rows["NIK"] == ("", "1901015001240001", True)
    assert rows["tanggal lahir"] == ("10 Januari 2024", "10 Januari 2024", False)
    assert rows["jenis kelamin"] == ("Perempuan", "Perempuan", False)
    assert dict(r.context["records"][1][1])["pengukuran"] == 1
    assert dict(r.context["records"][0][1])["pengukuran"] == 0
    html = r.content.decode()
    assert f'<input type="hidden" name="other" value="{second.pk}"' in html
    # The page's child stays unless the verifikator chooses the other one.
    assert re.search(rf'name="kept" value="{first.pk}"[^>]*checked', html)
    assert re.search(rf'name="kept" value="{second.pk}"', html)


@pytest.mark.parametrize("other", ["999999", "abc", "self", "merged"])
def test_it_compares_nothing_with_a_child_it_cannot_merge(client, verifikator, first, other):
    if other == "self":
        other = first.pk
    elif other == "merged":
        kept = make_child(first.village, name="Lain")
        other = make_child(first.village, name="Ganda", merged_into=kept).pk
    client.force_login(verifikator)
    r = client.get(url(first), {"dengan": other})
    assert r.status_code == 200
    assert r.context["other"] is None
    assert 'id="merge-form"' not in r.content.decode()


# --- merging --------------------------------------------------------------------


def test_it_moves_reports_measurements_interventions_and_decisions(
    client, verifikator, first, second
):
    timah = partner_user("timah")
    # The second child came from a verified report, with a kader's measurement.
    report = make_submission(
        second.village,
        child_name="Putri Ayuu",
        birth_date=second.birth_date,
        measured_on=date(2025, 3, 1),
    )
    submission_decide(
        submission=report, action=Decision.Action.MERGED, user=verifikator, version=1, child=second
    )
    own = make_measurement(first, date(2025, 1, 5), "70.0")
    pmt = make_intervention(second, TIMAH, status=Intervention.Status.RUNNING)
    delivery = make_delivery(pmt, timah)
    other_help = make_intervention(first, PUSKESMAS, kind="Pemantauan kesehatan")

    client.force_login(verifikator)
    r = client.post(url(first), merge_data(second, first, note="Terdaftar dua kali"))
    assert r.status_code == 302
    assert r.url == f"/verifikasi/anak/{first.pk}/"
    assert messages_of(r) == [
        f"Anak #{second.pk} (Putri Ayuu) digabungkan ke #{first.pk} (Putri Ayu): laporan, "
        "pengukuran, intervensi dan keputusannya dipindahkan ke sini."
    ]

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first
    assert first.merged_into is None
    report.refresh_from_db()
    assert report.child == first
    assert set(first.measurements.all()) == {own, report.measurement}
    assert not second.measurements.exists()
    assert set(first.interventions.all()) == {pmt, other_help}
    assert not second.interventions.exists()
    assert Delivery.objects.get().intervention.child == first
    assert delivery.intervention_id == pmt.pk
    assert [(d.action, d.child) for d in Decision.objects.all()] == [
        (Decision.Action.MERGED, first)
    ]
    assert first.latest_measurement == report.measurement
    assert second.latest_measurement is None
    assert second.latest_haz_category == ""

    # The partner now finds its assignment on the kept child.
    client.force_login(timah)
    assert client.get(f"/mitra/anak/{first.pk}/").status_code == 200
    assert client.get(f"/mitra/anak/{second.pk}/").status_code == 404


def test_it_records_the_merge_in_both_histories(client, verifikator, first, second):
    pmt = make_intervention(second, TIMAH)
    client.force_login(verifikator)
    client.post(url(first), merge_data(second, first, note="Terdaftar dua kali"))

    kept_record = first.history.latest()
    assert kept_record.history_user == verifikator
    assert kept_record.history_change_reason == (
        f"Anak #{second.pk} digabungkan ke anak ini: Terdaftar dua kali"
    )
    merged_record = second.history.latest()
    assert merged_record.history_user == verifikator
    assert merged_record.merged_into_id == first.pk
    assert merged_record.history_change_reason == (
        f"Digabungkan ke anak #{first.pk}: Terdaftar dua kali"
    )
    moved = pmt.history.latest()
    assert moved.child_id == first.pk
    assert moved.history_user == verifikator
    assert moved.history_change_reason == f"Anak #{second.pk} digabungkan ke #{first.pk}"

    page = client.get(f"/verifikasi/anak/{second.pk}/").content.decode()
    history = page.split('id="history"')[1]
    assert f"digabungkan ke: “–” → “#{first.pk} Putri Ayu”" in history
    assert "Digabungkan ke anak" in history
    page = client.get(f"/verifikasi/anak/{first.pk}/").content.decode()
    assert f"Anak #{second.pk} digabungkan ke anak ini: Terdaftar dua kali" in page
    assert f'<dt>Digabungkan dari</dt><dd><a href="/verifikasi/anak/{second.pk}/">' in page


def test_the_verifikator_chooses_which_child_stays(client, verifikator, first, second):
    client.force_login(verifikator)
    r = client.post(url(first), merge_data(second, second))
    assert r.status_code == 302
    assert r.url == f"/verifikasi/anak/{second.pk}/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.merged_into == second
    assert second.merged_into is None


def test_it_fills_the_kept_childs_empty_fields_and_keeps_the_others(
    client, verifikator, first, second, other_posyandu
):
    second.kk_number = "1901010202210002"
    second.posyandu = other_posyandu  # of another village: not copied
    second.save()
    client.force_login(verifikator)
    client.post(url(first), merge_data(second, first))
    first.refresh_from_db()
    assert first.nik == "1901015001240001"  # empty: taken from the other
    assert first.father_name == "Budi"
    assert first.kk_number == "1901010101200001"  # filled in: kept
    assert first.name == "Putri Ayu"
    assert first.posyandu.name == "Melati"


def test_it_recomputes_the_moved_measurements_with_the_kept_childs_data(
    client, verifikator, first, second
):
    # The kept child has the right birth date; the other was registered a month too late.
    second.birth_date = date(2024, 2, 10)
    second.name = "Putri Ayu"
    second.save()
    moved = make_measurement(second, date(2025, 6, 1), "72.0", weight_kg="8.0")
    wrong = moved.haz
    client.force_login(verifikator)
    r = client.post(url(first), merge_data(second, first))
    assert r.status_code == 302
    moved.refresh_from_db()
    expected = growth.assess(
        "P", first.birth_date, date(2025, 6, 1), Decimal("72.0"), Decimal("8.0"), True
    )
    assert moved.haz == expected.haz != wrong
    assert moved.age_days == expected.age_days
    first.refresh_from_db()
    assert first.latest_measurement == moved
    assert first.latest_haz_category == expected.haz_category


def test_it_refuses_a_child_merged_by_someone_else_meanwhile(client, verifikator, first, second):
    third = make_child(first.village, name="Putri A.", birth_date=first.birth_date)
    client.force_login(verifikator)
    page = client.get(url(first), {"dengan": second.pk})
    assert page.context["other"] == second
    merge_children(third, second)  # another verifikator, in another tab

    r = client.post(url(first), merge_data(second, first))
    assert r.status_code == 200
    assert r.context["form"].errors["other"] == [
        "Anak yang dipilih tidak ada atau sudah digabungkan ke anak lain."
    ]
    assert (
        "Belum digabungkan: Anak yang dipilih tidak ada atau sudah digabungkan ke anak lain. "
        "Pilih anak yang lain." in r.content.decode()
    )
    first.refresh_from_db()
    assert first.merged_into is None
    assert Child.objects.get(pk=second.pk).merged_into == third


def test_the_service_refuses_a_merge_race_and_a_child_with_itself(first, second, verifikator):
    merge_children(first, second)
    with pytest.raises(MergeConflict):
        child_merge(kept=second, merged=first, user=verifikator)
    with pytest.raises(ValidationError):
        child_merge(kept=first, merged=first, user=verifikator)
    assert Child.objects.get(pk=first.pk).merged_into is None


def test_it_requires_the_kept_child_to_be_one_of_the_two(client, verifikator, first, second):
    stranger = make_child(first.village, name="Orang Lain")
    client.force_login(verifikator)
    r = client.post(url(first), merge_data(second, stranger))
    assert r.status_code == 200
    assert r.context["form"].errors["kept"]
    assert "Belum digabungkan: periksa isian yang ditandai merah." in r.content.decode()
    assert not Child.objects.filter(merged_into__isnull=False).exists()


def test_children_merged_before_follow_to_the_kept_child(first, second, village):
    older = make_child(village, name="Putri", birth_date=first.birth_date)
    merge_children(second, older)
    kept, merged = merge_children(first, second)
    assert Child.objects.get(pk=older.pk).merged_into == kept
    assert merged.merged_into == kept


# --- the merged child -------------------------------------------------------------


def test_a_merged_childs_page_says_where_it_went(client, verifikator, first, second):
    merge_children(first, second)
    client.force_login(verifikator)
    r = client.get(f"/verifikasi/anak/{second.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    banner = html.split('id="merged-into"')[1].split("</div>")[0]
    assert f'href="/verifikasi/anak/{first.pk}/">anak #{first.pk} Putri Ayu</a>' in banner
    for action in ("ubah/", "ukur/", "status-program/", "gabungkan/"):
        assert f"/verifikasi/anak/{second.pk}/{action}" not in html
    assert "/intervensi/tugaskan/" not in html


@pytest.mark.parametrize("action", ["ubah/", "ukur/", "status-program/", "gabungkan/"])
def test_a_merged_child_cannot_be_changed(client, verifikator, first, second, action):
    merge_children(first, second)
    before = stored(second)
    client.force_login(verifikator)
    r = client.post(f"/verifikasi/anak/{second.pk}/{action}", {"name": "Diubah"})
    assert r.status_code == 302
    assert r.url == f"/verifikasi/anak/{first.pk}/"
    assert messages_of(r) == [
        f"Anak ini sudah digabungkan ke anak #{first.pk}: ubah datanya di sana."
    ]
    assert stored(second) == before


def test_a_merged_child_leaves_the_staff_lists(client, verifikator, village, first, second):
    old = make_child(village, name="Putri Lama", birth_date=today() - timedelta(days=61 * 31))
    merge_children(first, old)
    merge_children(first, second)
    client.force_login(verifikator)
    r = client.get("/verifikasi/anak/")
    assert list(r.context["page"]) == [first]
    assert client.get("/verifikasi/anak/", {"q": "putri"}).context["page"].paginator.count == 1
    # A merged child aged five is no longer asked to be closed.
    assert client.get("/verifikasi/anak/usia-5-tahun/").context["page"].paginator.count == 0


def test_a_merged_child_leaves_the_village_page(client, village, first, second):
    from tests.builders import village_user

    merge_children(first, second)
    client.force_login(village_user("matras", village))
    r = client.get("/desa/")
    assert list(r.context["page"]) == [first]
    assert client.get(f"/desa/anak/{second.pk}/").status_code == 404
    assert client.get(f"/desa/anak/{first.pk}/").status_code == 200


def test_a_report_is_not_merged_into_a_merged_child(client, verifikator, first, second):
    merge_children(first, second)
    report = make_submission(first.village, child_name="Putri Ayu", birth_date=first.birth_date)
    client.force_login(verifikator)
    r = client.get(f"/verifikasi/laporan/{report.pk}/")
    assert [c for c, _ in r.context["duplicate_children"]] == [first]
    r = client.post(
        f"/verifikasi/laporan/{report.pk}/putuskan/",
        {"action": Decision.Action.MERGED, "version": 1, "child": second.pk},
    )
    assert r.status_code == 400
    report.refresh_from_db()
    assert report.status == Submission.Status.PENDING


# --- the latest measurement after a merge -----------------------------------------


def latest_shown(client, child, partner_client):
    """The latest TB/U as the children list, the child page's header and the partner's
    child page show it."""
    listed = client.get("/verifikasi/anak/").content.decode()
    row = re.search(rf'<a href="/verifikasi/anak/{child.pk}/">.*?</tr>', listed, re.S).group(0)
    header = client.get(f"/verifikasi/anak/{child.pk}/").context["latest"]
    partner_page = partner_client.get(f"/mitra/anak/{child.pk}/").context["latest"]
    return row, header, partner_page


@pytest.mark.usefixtures("clock")
def test_after_a_same_date_merge_the_latest_recorded_is_the_latest(
    client, verifikator, first, second
):
    day = date(2025, 6, 1)
    older = make_measurement(first, day, "70.0")  # recorded first (the clock runs on)
    newer = make_measurement(second, day, "75.5")
    assert newer.created_at > older.created_at
    make_intervention(first, TIMAH)
    timah_client = client_class_for(partner_user("timah"))

    merge_children(first, second)
    client.force_login(verifikator)
    row, header, partner_page = latest_shown(client, first, timah_client)
    assert header == partner_page == newer
    assert f"{newer.get_haz_category_display()} ({zscore(newer.haz)}, 01-06-2025)" in row
    assert Child.objects.get(pk=first.pk).latest_haz_category == newer.haz_category


@pytest.mark.usefixtures("clock")
def test_after_a_merge_a_later_date_stays_the_latest_whatever_was_recorded_last(
    verifikator, first, second
):
    later = make_measurement(first, date(2025, 7, 1), "76.0")
    make_measurement(second, date(2025, 6, 1), "70.0")  # recorded after, measured before
    kept, _ = merge_children(first, second)
    assert kept.latest_measurement == later


@pytest.mark.usefixtures("clock")
def test_after_merging_a_report_measured_the_same_day_it_is_the_latest(client, verifikator, first):
    day = today() - timedelta(days=2)
    older = make_measurement(first, day, "70.0")
    report = make_submission(
        first.village,
        child_name="Putri Ayu",
        birth_date=first.birth_date,
        measured_on=day,
        height_cm="75.5",
    )
    make_intervention(first, TIMAH)
    timah_client = client_class_for(partner_user("timah"))
    client.force_login(verifikator)
    r = client.post(
        f"/verifikasi/laporan/{report.pk}/putuskan/",
        {"action": Decision.Action.MERGED, "version": 1, "child": first.pk},
    )
    assert r.status_code == 302
    newer = Measurement.objects.get(submission=report)
    assert newer.haz != older.haz
    row, header, partner_page = latest_shown(client, first, timah_client)
    assert header == partner_page == newer
    assert f"({zscore(newer.haz)}, {day:%d-%m-%Y})" in row


def client_class_for(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def zscore(value):
    return f"{value:+.2f}".replace(".", ",").replace("-", "−")
