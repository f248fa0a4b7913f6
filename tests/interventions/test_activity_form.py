"""The kecamatan's form for a group activity: /kegiatan/baru/ and /kegiatan/<id>/ubah/."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from interventions.models import Activity, ActivityPhoto
from tests.builders import (
    PUSKESMAS,
    TIMAH,
    jpeg_upload,
    kecamatan_user,
    login_redirect,
    make_activity,
    make_pdf_bytes,
    messages_of,
    partner,
    stored_files,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

NEW = "/kegiatan/baru/"


def edit_url(activity):
    return f"/kegiatan/{activity.pk}/ubah/"


def data(place, **overrides):
    values = {
        "kind": Activity.Kind.NUTRITION_EDUCATION,
        "date": (today() - timedelta(days=3)).isoformat(),
        "village": place.pk,
        "posyandu": "",
        "partners": [partner(TIMAH).pk, partner(PUSKESMAS).pk],
        "topic": "Gizi seimbang untuk balita",
        "parents_count": "15",
        "mothers_count": "4",
        "kader_count": "",
        "officials_count": "1",
        "others_count": "",
        "notes": "Di balai kelurahan",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


@pytest.fixture
def logged_in(client, verifikator):
    client.force_login(verifikator)
    return client


def assert_nothing_recorded(media_root):
    assert Activity.objects.count() == 0
    assert ActivityPhoto.objects.count() == 0
    assert stored_files(media_root) == []


# --- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_the_login_page(client, village, media_root, method):
    r = getattr(client, method)(NEW, data(village) if method == "post" else None)
    assert r.status_code == 302
    assert r.url == login_redirect(NEW)
    assert_nothing_recorded(media_root)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["outsider", "pimpinan", "mitra_user", "desa_user"])
def test_it_refuses_users_who_may_not_record_for_the_kecamatan(
    client, request, village, media_root, who, method
):
    client.force_login(request.getfixturevalue(who))
    r = getattr(client, method)(NEW, data(village) if method == "post" else None)
    assert r.status_code == 403
    assert_nothing_recorded(media_root)


@pytest.mark.parametrize("who", ["outsider", "pimpinan", "mitra_user", "desa_user"])
def test_its_edit_page_is_the_verifikators_only(client, request, village, who):
    activity = make_activity(village)
    client.force_login(request.getfixturevalue(who))
    assert client.get(edit_url(activity)).status_code == 403
    assert client.post(edit_url(activity), data(village, topic="Lain")).status_code == 403
    activity.refresh_from_db()
    assert activity.topic == "Gizi seimbang untuk balita"


def test_its_edit_page_sends_anonymous_users_to_the_login_page(client, village):
    activity = make_activity(village)
    r = client.get(edit_url(activity))
    assert (r.status_code, r.url) == (302, login_redirect(edit_url(activity)))


def test_it_returns_404_for_an_unknown_activity(logged_in):
    assert logged_in.get("/kegiatan/999/ubah/").status_code == 404


# --- the form ---------------------------------------------------------------------------


def test_it_shows_the_form(logged_in):
    r = logged_in.get(NEW)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert f'name="date" value="{today().isoformat()}"' in html
    for value, label in Activity.Kind.choices:
        assert f'value="{value}"' in html and label in html
    for label in ["Orang tua balita", "Ibu hamil/menyusui", "Kader posyandu/PKK"]:
        assert label in html
    assert "Aparat desa/kelurahan" in html
    # Every active partner may be ticked; three photo inputs that shrink photos first.
    assert html.count('name="partners"') == 19
    assert [f"photo_{n}" for n in (1, 2, 3)] == r.context["form"].photo_names
    assert 'name="photo_1" accept="image/*" data-max-size=' in html
    assert "js/photos.js" in html and "js/filters.js" in html


def test_it_records_an_activity(logged_in, village, posyandu, verifikator, media_root):
    r = logged_in.post(
        NEW,
        data(village, posyandu=posyandu.pk, photo_1=jpeg_upload("kelas.jpg")),
        follow=True,
    )
    activity = Activity.objects.get()
    assert r.redirect_chain == [(f"/kegiatan/{activity.pk}/", 302)]
    assert messages_of(r) == ["Kegiatan dicatat."]
    assert activity.kind == Activity.Kind.NUTRITION_EDUCATION
    assert activity.date == today() - timedelta(days=3)
    assert (activity.village, activity.posyandu) == (village, posyandu)
    assert set(activity.partners.all()) == {partner(TIMAH), partner(PUSKESMAS)}
    assert (activity.parents_count, activity.mothers_count, activity.kader_count) == (15, 4, 0)
    assert (activity.officials_count, activity.others_count, activity.people) == (1, 0, 20)
    assert activity.notes == "Di balai kelurahan"
    assert activity.recorded_by == verifikator
    assert activity.photos.get().photo_original_name == "kelas.jpg"
    assert len(stored_files(media_root)) == 1
    html = r.content.decode()
    assert "Edukasi gizi: Gizi seimbang untuk balita" in html
    assert "PT Timah Tbk, Puskesmas Sungailiat" in html


def test_it_records_an_activity_without_a_posyandu_or_photos(logged_in, village, media_root):
    assert logged_in.post(NEW, data(village)).status_code == 302
    activity = Activity.objects.get()
    assert activity.posyandu is None
    assert activity.photos.count() == 0
    assert stored_files(media_root) == []


# --- bad values: a clear message, nothing typed lost, nothing saved ----------------------


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"kind": ""}, "kind", "Pilih jenis kegiatan."),
        (
            {"kind": "arisan"},
            "kind",
            "Masukkan pilihan yang valid. arisan bukan salah satu dari pilihan yang tersedia.",
        ),
        ({"date": ""}, "date", "Bidang ini tidak boleh kosong."),
        ({"date": "31-02-2026"}, "date", "Masukkan tanggal yang valid."),
        ({"village": ""}, "village", "Pilih kelurahan/desa tempat kegiatan."),
        ({"partners": []}, "partners", "Pilih minimal satu mitra pelaksana."),
        ({"topic": "  "}, "topic", "Tulis topik kegiatan."),
        (
            {"topic": "x" * 201},
            "topic",
            "Pastikan nilai ini mengandung paling banyak 200 karakter (sekarang 201 karakter).",
        ),
        ({"mothers_count": "-2"}, "mothers_count", "Jumlah tidak boleh kurang dari 0."),
        (
            {"mothers_count": "2,5"},
            "mothers_count",
            "Tulis jumlah orang dengan angka bulat, misalnya 12.",
        ),
        (
            {"kader_count": "banyak"},
            "kader_count",
            "Tulis jumlah orang dengan angka bulat, misalnya 12.",
        ),
        ({"others_count": "10001"}, "others_count", "Jumlah paling banyak 10000 orang."),
    ],
)
def test_it_refuses_a_bad_value(logged_in, village, media_root, overrides, field, message):
    posted = data(village, **overrides)
    r = logged_in.post(NEW, posted)
    assert r.status_code == 200
    assert r.context["form"].errors[field] == [message]
    html = r.content.decode()
    assert "Kegiatan belum disimpan" in html
    # What was typed is still there.
    assert "Di balai kelurahan" in html and 'value="15"' in html
    assert_nothing_recorded(media_root)


def test_it_refuses_a_date_in_the_future(logged_in, village, media_root):
    tomorrow = today() + timedelta(days=1)
    r = logged_in.post(NEW, data(village, date=tomorrow.isoformat()))
    assert r.context["form"].errors["date"] == ["Tanggal kegiatan tidak boleh di masa depan."]
    assert_nothing_recorded(media_root)


def test_it_refuses_a_posyandu_of_another_village(logged_in, village, other_posyandu, media_root):
    r = logged_in.post(NEW, data(village, posyandu=other_posyandu.pk))
    assert r.context["form"].errors["posyandu"] == [
        "Posyandu ini bukan di kelurahan/desa yang dipilih."
    ]
    assert_nothing_recorded(media_root)


def test_it_refuses_an_activity_nobody_came_to(logged_in, village, media_root):
    nobody = {name: "" for name, _ in Activity.AUDIENCES} | {"kader_count": "0"}
    r = logged_in.post(NEW, data(village, **nobody))
    assert r.status_code == 200
    assert r.context["form"].non_field_errors() == [
        "Isi jumlah peserta: minimal satu kelompok lebih dari 0."
    ]
    assert "Isi jumlah peserta: minimal satu kelompok lebih dari 0." in r.content.decode()
    assert_nothing_recorded(media_root)


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("kelas.pdf", make_pdf_bytes(), "application/pdf"),
            "Unggah foto (JPG, PNG, WebP atau HEIC), bukan PDF.",
        ),
        (
            SimpleUploadedFile("kelas.jpg", b"bukan gambar", "image/jpeg"),
            "Berkas ini bukan foto (JPG, PNG, WebP, HEIC) yang dapat dibaca. Pilih berkas lain.",
        ),
    ],
)
def test_it_refuses_a_photo_that_is_not_one(logged_in, village, media_root, upload, message):
    r = logged_in.post(NEW, data(village, photo_2=upload))
    assert r.context["form"].errors["photo_2"] == [message]
    assert_nothing_recorded(media_root)


def test_it_refuses_a_photo_over_the_size_limit(logged_in, village, media_root, settings):
    settings.MAX_UPLOAD_SIZE = 1000
    r = logged_in.post(NEW, data(village, photo_1=jpeg_upload(size=(400, 400))))
    [message] = r.context["form"].errors["photo_1"]
    assert message.startswith("Ukuran berkas") and "melebihi batas" in message
    assert_nothing_recorded(media_root)


def test_it_asks_again_for_the_photos_when_another_field_is_wrong(logged_in, village, media_root):
    r = logged_in.post(NEW, data(village, topic="", photo_1=jpeg_upload()))
    assert "Foto harus dipilih lagi." in r.content.decode()
    assert_nothing_recorded(media_root)


# --- changing ---------------------------------------------------------------------------


def test_it_shows_the_activity_in_the_edit_form(logged_in, village, posyandu):
    activity = make_activity(
        village, (TIMAH, PUSKESMAS), posyandu=posyandu, kader_count=3, photos=1
    )
    r = logged_in.get(edit_url(activity))
    assert r.status_code == 200
    form = r.context["form"]
    assert form.initial["village"] == village.pk
    assert form.initial["posyandu"] == posyandu.pk
    assert sorted(form.initial["partners"]) == sorted([partner(TIMAH).pk, partner(PUSKESMAS).pk])
    assert (form.initial["parents_count"], form.initial["kader_count"]) == (12, 3)
    # One photo kept: two more may come, and the kept one may go.
    assert form.photo_names == ["photo_1", "photo_2"]
    assert 'name="remove_photos"' in r.content.decode()


def test_it_saves_the_changes(logged_in, village, verifikator, media_root):
    activity = make_activity(village, (TIMAH,), photos=3)
    kept = list(activity.photos.all())
    r = logged_in.post(
        edit_url(activity),
        data(village, partners=[partner(PUSKESMAS).pk], remove_photos=[kept[0].pk]),
        follow=True,
    )
    assert r.redirect_chain == [(f"/kegiatan/{activity.pk}/", 302)]
    assert messages_of(r) == ["Perubahan kegiatan disimpan."]
    activity.refresh_from_db()
    assert activity.kind == Activity.Kind.NUTRITION_EDUCATION
    assert list(activity.partners.all()) == [partner(PUSKESMAS)]
    assert list(activity.photos.all()) == kept[1:]
    assert activity.history.latest().history_user == verifikator
    # One entry for the change, partners included, and one for the photo removed.
    assert [(who, what) for _, who, what in r.context["history"]] == [
        (verifikator, "Foto dihapus"),
        (
            verifikator,
            "Diubah: jenis kegiatan, tanggal, orang tua balita, ibu hamil/menyusui, "
            "aparat desa/kelurahan, catatan, mitra pelaksana",
        ),
        (kecamatan_user(), "Foto ditambahkan"),
        (kecamatan_user(), "Foto ditambahkan"),
        (kecamatan_user(), "Foto ditambahkan"),
        (kecamatan_user(), "Dicatat"),
    ]


def test_a_full_activity_offers_no_new_photo(logged_in, village):
    activity = make_activity(village, photos=3)
    r = logged_in.get(edit_url(activity))
    assert r.context["form"].photo_names == []
    assert "Hapus foto lama dulu" in r.content.decode()
