"""activity_record and activity_update: the rules every recorder meets, the photos, the
history, and nothing left behind when something fails."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError

from interventions.models import Activity, ActivityPartner, ActivityPhoto
from interventions.services import activity_record, activity_update
from tests.builders import (
    PUSKESMAS,
    TIMAH,
    activity_values,
    clean_jpeg,
    make_activity,
    partner,
    partner_user,
    stored_files,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


def photos(n):
    return [clean_jpeg(f"foto-{i}.jpg") for i in range(1, n + 1)]


def errors_of(excinfo):
    return {
        field: [e.message for e in errors] for field, errors in excinfo.value.error_dict.items()
    }


# --- recording --------------------------------------------------------------------------


def test_it_records_an_activity_with_its_partners_and_photos(
    village, posyandu, timah_user, media_root
):
    values = activity_values(
        village,
        (TIMAH, PUSKESMAS),
        kind=Activity.Kind.PMT_COOKING_DEMO,
        posyandu=posyandu,
        topic="  Menu PMT lokal  ",
        parents_count=9,
        mothers_count=4,
        kader_count=2,
        officials_count=1,
        others_count=3,
        notes=" Di balai desa ",
    )
    activity = activity_record(values=values, photos=photos(2), user=timah_user)

    activity.refresh_from_db()
    assert activity.kind == Activity.Kind.PMT_COOKING_DEMO == "pmt_cooking_demo"
    assert activity.get_kind_display() == "Demo masak PMT"
    assert (activity.village, activity.posyandu) == (village, posyandu)
    assert set(activity.partners.all()) == {partner(TIMAH), partner(PUSKESMAS)}
    assert (activity.topic, activity.notes) == ("Menu PMT lokal", "Di balai desa")
    assert activity.attendance() == [
        ("Orang tua balita", 9),
        ("Ibu hamil/menyusui", 4),
        ("Kader posyandu/PKK", 2),
        ("Aparat desa/kelurahan", 1),
        ("Lainnya", 3),
    ]
    assert activity.people == 19
    assert activity.recorded_by == timah_user
    stored = list(activity.photos.all())
    assert [p.photo_original_name for p in stored] == ["foto-1.jpg", "foto-2.jpg"]
    assert all(p.photo.name.startswith("activities/") for p in stored)
    assert len(stored_files(media_root)) == 2


def test_its_history_names_the_partners_and_who_recorded_it(village, timah_user):
    activity = activity_record(
        values=activity_values(village, (TIMAH, PUSKESMAS)), photos=photos(1), user=timah_user
    )
    latest = activity.history.latest()
    assert latest.history_user == timah_user
    assert {row.partner_id for row in latest.partners.all()} == {
        partner(TIMAH).pk,
        partner(PUSKESMAS).pk,
    }
    assert ActivityPhoto.history.get().history_user == timah_user


def test_it_accepts_today(village, timah_user):
    activity = activity_record(values=activity_values(village, date=today()), user=timah_user)
    assert activity.date == today()


@pytest.mark.parametrize(
    "fields, errors",
    [
        ({"date_days": 1}, {"date": ["Tanggal tidak boleh di masa depan."]}),
        ({"partners": ()}, {"partners": ["Pilih minimal satu mitra pelaksana."]}),
        (
            {"parents_count": 0},
            {"attendance": ["Isi jumlah peserta: minimal satu kelompok lebih dari 0."]},
        ),
        ({"kader_count": -1}, {"attendance": ["Jumlah peserta tidak boleh negatif."]}),
    ],
)
def test_it_refuses_what_breaks_a_rule(village, timah_user, media_root, fields, errors):
    days = fields.pop("date_days", None)
    if days is not None:
        fields["date"] = today() + timedelta(days=days)
    partners = fields.pop("partners", (TIMAH,))
    with pytest.raises(ValidationError) as excinfo:
        activity_record(
            values=activity_values(village, partners, **fields), photos=photos(1), user=timah_user
        )
    assert errors_of(excinfo) == errors
    assert Activity.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_refuses_a_posyandu_of_another_village(village, other_posyandu, timah_user):
    with pytest.raises(ValidationError) as excinfo:
        activity_record(values=activity_values(village, posyandu=other_posyandu), user=timah_user)
    assert errors_of(excinfo) == {
        "posyandu": ["Posyandu ini bukan di kelurahan/desa yang dipilih."]
    }
    assert Activity.objects.count() == 0


def test_it_refuses_a_fourth_photo(village, timah_user, media_root):
    with pytest.raises(ValidationError) as excinfo:
        activity_record(values=activity_values(village), photos=photos(4), user=timah_user)
    assert errors_of(excinfo) == {"photos": ["Paling banyak 3 foto per kegiatan."]}
    assert Activity.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_removes_the_photos_when_the_database_fails(
    village, timah_user, media_root, monkeypatch
):
    saved = []
    original = ActivityPhoto.save

    def save(self, *args, **kwargs):
        # The first photo is saved; the second one's row fails after its file is stored.
        if saved:
            raise OperationalError("server closed the connection unexpectedly")
        saved.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ActivityPhoto, "save", save)
    with pytest.raises(OperationalError):
        activity_record(values=activity_values(village), photos=photos(2), user=timah_user)
    assert stored_files(media_root) == []
    assert Activity.objects.count() == ActivityPartner.objects.count() == 0
    assert ActivityPhoto.objects.count() == 0


# --- changing -------------------------------------------------------------------------


def test_it_changes_an_activity_its_partners_and_photos(
    village, other_village, timah_user, verifikator, media_root, django_capture_on_commit_callbacks
):
    activity = make_activity(village, (TIMAH,), photos=2, recorded_by=timah_user)
    first, second = activity.photos.all()
    first_file = media_root / first.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        activity_update(
            activity=activity,
            values=activity_values(other_village, (PUSKESMAS,), topic="Kelas ibu", mothers_count=7),
            add_photos=photos(2),
            remove_photos=[first],
            user=verifikator,
        )

    activity.refresh_from_db()
    assert activity.village == other_village
    assert list(activity.partners.all()) == [partner(PUSKESMAS)]
    assert activity.topic == "Kelas ibu"
    assert (activity.parents_count, activity.mothers_count) == (12, 7)
    assert activity.photos.count() == 3
    assert second in activity.photos.all()
    assert not first_file.exists()
    assert len(stored_files(media_root)) == 3
    # Who changed it and who removed the photo are on record.
    assert activity.history.latest().history_user == verifikator
    removed = ActivityPhoto.history.get(id=first.pk, history_type="-")
    assert removed.history_user == verifikator
    assert activity.recorded_by == timah_user


def test_it_keeps_at_most_three_photos_when_changing(
    village, timah_user, media_root, django_capture_on_commit_callbacks
):
    activity = make_activity(village, photos=2)
    before = sorted(stored_files(media_root))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as e:
        activity_update(
            activity=activity,
            values=activity_values(village, topic="Diubah"),
            add_photos=photos(2),
            user=timah_user,
        )
    assert errors_of(e) == {"photos": ["Paling banyak 3 foto per kegiatan."]}
    activity.refresh_from_db()
    assert activity.topic == "Gizi seimbang untuk balita"
    assert activity.photos.count() == 2
    assert sorted(stored_files(media_root)) == before


def test_a_failed_change_keeps_the_photo_it_was_to_remove(
    village, timah_user, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    activity = make_activity(village, photos=1)
    old = activity.photos.get()
    before = sorted(stored_files(media_root))

    def save(self, *args, **kwargs):
        raise OperationalError("disk full")

    monkeypatch.setattr(ActivityPhoto, "save", save)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OperationalError):
        activity_update(
            activity=activity,
            values=activity_values(village),
            add_photos=photos(1),
            remove_photos=[old],
            user=timah_user,
        )
    assert list(activity.photos.all()) == [old]
    assert sorted(stored_files(media_root)) == before


def test_it_ignores_a_photo_of_another_activity(village, timah_user, media_root):
    activity = make_activity(village, photos=1)
    other = make_activity(village, photos=1)
    activity_update(
        activity=activity,
        values=activity_values(village),
        remove_photos=list(other.photos.all()),
        user=timah_user,
    )
    assert other.photos.count() == 1
    assert activity.photos.count() == 1
