"""A partner's group activities: /mitra/kegiatan/, its form, pages and changes."""

from datetime import timedelta

import pytest

from interventions.models import Activity, Partner
from tests.builders import (
    MITRA_GROUP,
    NOT_LINKED_PARTNER,
    PUSKESMAS,
    TIMAH,
    jpeg_upload,
    login_redirect,
    make_activity,
    make_user,
    messages_of,
    partner,
    partner_user,
    stored_files,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

LIST, NEW = "/mitra/kegiatan/", "/mitra/kegiatan/baru/"


def detail_url(activity):
    return f"/mitra/kegiatan/{activity.pk}/"


def edit_url(activity):
    return f"/mitra/kegiatan/{activity.pk}/ubah/"


def data(place, **overrides):
    values = {
        "kind": Activity.Kind.BKB_CLASS,
        "date": (today() - timedelta(days=1)).isoformat(),
        "village": place.pk,
        "topic": "Pola asuh balita",
        "parents_count": "8",
        "kader_count": "2",
    }
    values.update(overrides)
    return values


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


@pytest.fixture
def logged_in(client, timah_user):
    client.force_login(timah_user)
    return client


@pytest.fixture
def ours(village, timah_user):
    return make_activity(village, (TIMAH, PUSKESMAS), topic="Kelas BKB kami")


@pytest.fixture
def theirs(village):
    return make_activity(village, (PUSKESMAS,), topic="Kelas Puskesmas")


def pages(activity):
    return [LIST, NEW, detail_url(activity), edit_url(activity)]


# --- access -----------------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, ours):
    for url in pages(ours):
        r = client.get(url)
        assert (r.status_code, r.url) == (302, login_redirect(url)), url
    r = client.post(NEW, data(ours.village))
    assert r.status_code == 302
    assert Activity.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "verifikator", "pimpinan", "desa_user"])
def test_it_refuses_users_without_the_partner_role(client, request, ours, who):
    client.force_login(request.getfixturevalue(who))
    for url in pages(ours):
        assert client.get(url).status_code == 403, url
    assert client.post(NEW, data(ours.village)).status_code == 403
    assert client.post(edit_url(ours), data(ours.village, topic="Lain")).status_code == 403
    ours.refresh_from_db()
    assert ours.topic == "Kelas BKB kami"
    assert Activity.objects.count() == 1


def test_it_refuses_a_partner_user_not_linked_to_a_partner(client, ours):
    client.force_login(make_user("mitra-baru", MITRA_GROUP))
    for url in pages(ours):
        r = client.get(url)
        assert r.status_code == 403
        assert NOT_LINKED_PARTNER in r.content.decode()


def test_it_refuses_an_inactive_partner(logged_in, ours):
    Partner.objects.filter(name=TIMAH).update(is_active=False)
    for url in pages(ours):
        assert logged_in.get(url).status_code == 403


def test_another_partners_activity_does_not_exist_for_it(logged_in, theirs):
    assert logged_in.get(detail_url(theirs)).status_code == 404
    assert logged_in.get(edit_url(theirs)).status_code == 404
    r = logged_in.post(edit_url(theirs), data(theirs.village, topic="Diambil alih"))
    assert r.status_code == 404
    theirs.refresh_from_db()
    assert theirs.topic == "Kelas Puskesmas"


def test_it_lists_only_the_activities_its_partner_ran(logged_in, ours, theirs):
    r = logged_in.get(LIST)
    assert r.status_code == 200
    assert [a.pk for a in r.context["page"]] == [ours.pk]
    html = r.content.decode()
    assert "Kelas BKB kami" in html and "Kelas Puskesmas" not in html
    assert f'href="{NEW}"' in html


def test_another_member_of_the_partner_sees_them_too(client, ours):
    client.force_login(partner_user("timah-2"))
    assert client.get(detail_url(ours)).status_code == 200


# --- recording --------------------------------------------------------------------------


def test_its_form_sets_its_own_partner_and_offers_the_others(logged_in):
    r = logged_in.get(NEW)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Dicatat sebagai kegiatan PT Timah Tbk." in html
    assert f'name="partners" value="{partner(TIMAH).pk}"' not in html
    assert f'name="partners" value="{partner(PUSKESMAS).pk}"' in html
    assert "Mitra lain yang ikut menyelenggarakan (selain PT Timah Tbk)" in html


def test_it_records_an_activity_of_its_partner(logged_in, timah_user, village, media_root):
    r = logged_in.post(NEW, data(village, photo_1=jpeg_upload("bkb.jpg")), follow=True)
    activity = Activity.objects.get()
    assert r.redirect_chain == [(detail_url(activity), 302)]
    assert messages_of(r) == ["Kegiatan dicatat."]
    assert list(activity.partners.all()) == [partner(TIMAH)]
    assert activity.kind == Activity.Kind.BKB_CLASS
    assert activity.people == 10
    assert activity.recorded_by == timah_user
    assert activity.photos.get().photo_original_name == "bkb.jpg"
    assert len(stored_files(media_root)) == 1


def test_it_records_the_partners_that_joined(logged_in, village):
    logged_in.post(NEW, data(village, partners=[partner(PUSKESMAS).pk]))
    assert set(Activity.objects.get().partners.all()) == {partner(TIMAH), partner(PUSKESMAS)}


def test_it_cannot_name_itself_twice(logged_in, village):
    r = logged_in.post(NEW, data(village, partners=[partner(TIMAH).pk]))
    assert r.status_code == 200
    assert "partners" in r.context["form"].errors
    assert Activity.objects.count() == 0


def test_it_refuses_bad_values_and_keeps_what_was_typed(logged_in, village, media_root):
    future = (today() + timedelta(days=2)).isoformat()
    r = logged_in.post(
        NEW, data(village, date=future, parents_count="", kader_count="", photo_1=jpeg_upload())
    )
    assert r.status_code == 200
    form = r.context["form"]
    assert form.errors["date"] == ["Tanggal kegiatan tidak boleh di masa depan."]
    assert form.non_field_errors() == ["Isi jumlah peserta: minimal satu kelompok lebih dari 0."]
    html = r.content.decode()
    assert 'value="Pola asuh balita"' in html
    assert "Foto harus dipilih lagi." in html
    assert Activity.objects.count() == 0
    assert stored_files(media_root) == []


# --- changing ---------------------------------------------------------------------------


def test_it_changes_its_activity_and_stays_one_of_its_partners(logged_in, ours, timah_user):
    r = logged_in.get(edit_url(ours))
    assert r.context["form"].initial["partners"] == [partner(PUSKESMAS).pk]
    r = logged_in.post(edit_url(ours), data(ours.village, topic="Kelas BKB bulan ini"))
    assert (r.status_code, r.url) == (302, detail_url(ours))
    ours.refresh_from_db()
    assert ours.topic == "Kelas BKB bulan ini"
    # Puskesmas was not ticked again: it leaves; PT Timah cannot leave its own activity.
    assert list(ours.partners.all()) == [partner(TIMAH)]
    assert ours.history.latest().history_user == timah_user


def test_its_page_offers_the_change_and_the_photos(logged_in, village):
    activity = make_activity(village, (TIMAH,), photos=1)
    html = logged_in.get(detail_url(activity)).content.decode()
    assert f'href="{edit_url(activity)}"' in html
    assert f'href="/kegiatan/foto/{activity.photos.get().pk}/"' in html
