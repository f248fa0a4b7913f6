import hashlib
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from interventions.models import Delivery, Intervention, Obstacle
from registrations import growth
from registrations.models import Measurement
from tests.builders import (
    MITRA_GROUP,
    NOT_LINKED_PARTNER,
    PEMANTAUAN,
    gps_jpeg_bytes,
    jpeg_upload,
    login_redirect,
    make_child,
    make_image_bytes,
    make_intervention,
    make_pdf_bytes,
    make_user,
    messages_of,
    partner_user,
    stored_files,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

BIRTH = timedelta(days=500)


def url(intervention):
    return f"/mitra/tugas/{intervention.pk}/catat/"


def child_url(intervention):
    return f"/mitra/anak/{intervention.child_id}/"


def data(**overrides):
    values = {
        "date": (today() - timedelta(days=2)).isoformat(),
        "description": "Paket PMT biskuit dan susu",
        "quantity": "2",
        "note": "Diterima ibu",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


@pytest.fixture
def child(village):
    return make_child(village, name="Bunga Citra", sex="P", birth_date=today() - BIRTH)


@pytest.fixture
def pmt(child):
    return make_intervention(child)


@pytest.fixture
def pemantauan(child):
    return make_intervention(child, kind_name=PEMANTAUAN)


@pytest.fixture
def logged_in(client, timah_user):
    client.force_login(timah_user)
    return client


def assert_nothing_recorded(intervention, media_root=None):
    assert Delivery.objects.count() == 0
    assert Obstacle.objects.count() == 0
    assert Measurement.objects.count() == 0
    status = intervention.status
    intervention.refresh_from_db()
    assert intervention.status == status
    if media_root is not None:
        assert stored_files(media_root) == []


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_the_login_page(client, pmt, method):
    r = getattr(client, method)(url(pmt), data() if method == "post" else None)
    assert r.status_code == 302
    assert r.url == login_redirect(url(pmt))
    assert_nothing_recorded(pmt)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("user", ["outsider", "pimpinan", "verifikator", "desa_user"])
def test_it_refuses_users_without_the_partner_role(client, pmt, user, method, request):
    client.force_login(request.getfixturevalue(user))
    r = getattr(client, method)(url(pmt), data() if method == "post" else None)
    assert r.status_code == 403
    assert_nothing_recorded(pmt)


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_a_partner_user_not_linked_to_a_partner(client, pmt, method):
    client.force_login(make_user("mitra-baru", MITRA_GROUP))
    r = getattr(client, method)(url(pmt), data() if method == "post" else None)
    assert r.status_code == 403
    assert NOT_LINKED_PARTNER in r.content.decode()
    assert_nothing_recorded(pmt)


def test_it_returns_404_for_an_unknown_intervention(logged_in, pmt):
    assert logged_in.get(f"/mitra/tugas/{pmt.pk + 1000}/catat/").status_code == 404
    assert logged_in.post(f"/mitra/tugas/{pmt.pk + 1000}/catat/", data()).status_code == 404


# --- form ---------------------------------------------------------------------


def test_it_shows_the_form_with_a_quantity_for_pmt(logged_in, pmt):
    r = logged_in.get(url(pmt))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Catat layanan: PMT" in html
    assert f'name="date" value="{today().isoformat()}"' in html
    assert 'name="quantity"' in html and "Jumlah (paket)" in html
    assert 'name="photo"' in html and 'accept="image/*"' in html
    assert 'name="weight_kg"' in html and 'name="height_cm"' in html
    assert 'name="position"' in html


def test_it_tells_the_page_the_photo_size_limit(logged_in, pmt, settings):
    settings.MAX_UPLOAD_SIZE = 5 * 1024 * 1024
    html = logged_in.get(url(pmt)).content.decode()
    assert 'name="photo" accept="image/*" data-max-size="5242880"' in html
    # The script that shrinks the photo on the phone before it is uploaded.
    assert "js/photos.js" in html


def test_it_shows_no_quantity_for_a_type_without_one(logged_in, pemantauan):
    r = logged_in.get(url(pemantauan))
    assert r.status_code == 200
    assert "quantity" not in r.context["form"].fields
    assert 'name="quantity"' not in r.content.decode()


# --- recording ----------------------------------------------------------------


def test_it_records_a_delivery_and_starts_a_planned_intervention(logged_in, pmt, timah_user):
    day = today() - timedelta(days=2)
    r = logged_in.post(url(pmt), data(quantity="2,5", internal="on"))
    assert r.status_code == 302
    assert r.url == child_url(pmt)

    d = Delivery.objects.get()
    assert d.intervention == pmt
    assert d.recorded_by == timah_user
    assert d.date == day
    assert d.description == "Paket PMT biskuit dan susu"
    assert d.quantity == Decimal("2.5")
    assert d.note == "Diterima ibu"
    assert d.internal is True
    assert not d.photo
    assert d.measurement is None
    assert d.history.latest().history_user == timah_user

    pmt.refresh_from_db()
    assert pmt.status == Intervention.Status.RUNNING
    assert pmt.started_on == day
    assert pmt.finished_on is None
    assert pmt.history.latest().history_user == timah_user


def test_it_says_the_delivery_was_recorded(logged_in, pmt):
    r = logged_in.post(url(pmt), data(), follow=True)
    assert r.redirect_chain == [(child_url(pmt), 302)]
    assert messages_of(r) == ["Layanan dicatat."]
    assert "Paket PMT biskuit dan susu" in r.content.decode()


def test_it_keeps_the_start_day_of_a_running_intervention(logged_in, child):
    started = today() - timedelta(days=8)
    running = make_intervention(child, status=Intervention.Status.RUNNING, started_on=started)
    r = logged_in.post(url(running), data())
    assert r.status_code == 302
    running.refresh_from_db()
    assert running.status == Intervention.Status.RUNNING
    assert running.started_on == started
    assert Delivery.objects.get().intervention == running


def test_it_requires_the_quantity_for_pmt(logged_in, pmt):
    r = logged_in.post(url(pmt), data(quantity=""))
    assert r.status_code == 200
    assert r.context["form"].errors["quantity"] == ["Bidang ini tidak boleh kosong."]
    assert "Layanan belum dicatat" in r.content.decode()
    assert_nothing_recorded(pmt)


def test_it_ignores_a_quantity_for_a_type_without_one(logged_in, pemantauan):
    r = logged_in.post(url(pemantauan), data(description="Pemeriksaan berkala", quantity="3"))
    assert r.status_code == 302
    d = Delivery.objects.get()
    assert d.description == "Pemeriksaan berkala"
    assert d.quantity is None


def test_it_refuses_a_date_in_the_future(logged_in, pmt):
    tomorrow = today() + timedelta(days=1)
    r = logged_in.post(url(pmt), data(date=tomorrow.isoformat()))
    assert r.status_code == 200
    assert r.context["form"].errors["date"] == ["Tanggal tidak boleh di masa depan."]
    assert_nothing_recorded(pmt)


def test_it_refuses_a_date_before_the_start(logged_in, pmt):
    before = pmt.start_date - timedelta(days=1)
    r = logged_in.post(url(pmt), data(date=before.isoformat()))
    assert r.status_code == 200
    assert r.context["form"].errors["date"] == [
        f"Tanggal sebelum intervensi dimulai ({pmt.start_date:%d-%m-%Y})."
    ]
    assert_nothing_recorded(pmt)


def test_it_accepts_the_start_day_and_today(logged_in, pmt):
    assert logged_in.post(url(pmt), data(date=pmt.start_date.isoformat())).status_code == 302
    assert logged_in.post(url(pmt), data(date=today().isoformat())).status_code == 302
    assert sorted(Delivery.objects.values_list("date", flat=True)) == [pmt.start_date, today()]
    pmt.refresh_from_db()
    # Started on the day of the first delivery.
    assert pmt.started_on == pmt.start_date


def test_it_requires_a_description(logged_in, pmt):
    r = logged_in.post(url(pmt), data(description=""))
    assert r.status_code == 200
    assert r.context["form"].errors["description"] == ["Bidang ini tidak boleh kosong."]
    assert_nothing_recorded(pmt)


def test_it_keeps_the_typed_values_on_error(logged_in, pmt):
    r = logged_in.post(
        url(pmt),
        data(
            date=(today() + timedelta(days=3)).isoformat(),
            description="Susu formula khusus",
            quantity="4",
            note="Titip ke nenek",
            weight_kg="8,4",
            height_cm="72,5",
            position="lying",
        ),
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'value="Susu formula khusus"' in html
    assert 'name="quantity" value="4"' in html
    assert "Titip ke nenek</textarea>" in html
    assert 'value="8,4"' in html and 'value="72,5"' in html
    assert 'value="lying" id="id_position_0" checked' in html
    assert_nothing_recorded(pmt)


# --- closed interventions -----------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_to_record_on_a_finished_intervention(logged_in, child, method):
    closed = make_intervention(
        child, status=Intervention.Status.DONE, finished_on=today() - timedelta(days=1)
    )
    r = getattr(logged_in, method)(url(closed), data() if method == "post" else None, follow=True)
    assert r.redirect_chain == [(child_url(closed), 302)]
    assert messages_of(r) == ["Intervensi ini sudah selesai atau dibatalkan."]
    assert_nothing_recorded(closed)
    assert closed.finished_on == today() - timedelta(days=1)


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_on_a_cancelled_intervention(logged_in, child, method):
    # A cancelled assignment gives the partner no access at all.
    closed = make_intervention(
        child, status=Intervention.Status.CANCELLED, finished_on=today() - timedelta(days=1)
    )
    r = getattr(logged_in, method)(url(closed), data() if method == "post" else None)
    assert r.status_code == 404
    assert_nothing_recorded(closed)


# --- photo --------------------------------------------------------------------


def test_it_stores_the_photo_without_exif(logged_in, pmt, media_root):
    raw = gps_jpeg_bytes()
    photo = SimpleUploadedFile("IMG_2024.jpg", raw, "image/jpeg")
    r = logged_in.post(url(pmt), {**data(), "photo": photo})
    assert r.status_code == 302

    d = Delivery.objects.get()
    assert d.photo_original_name == "IMG_2024.jpg"
    files = stored_files(media_root)
    assert len(files) == 1
    path = files[0]
    assert path == media_root / d.photo.name
    assert d.photo.name.startswith("deliveries/") and path.suffix == ".jpg"
    assert "IMG_2024" not in str(path) and "Bunga" not in str(path)

    content = path.read_bytes()
    assert content != raw  # re-encoded
    assert d.photo_sha256 == hashlib.sha256(content).hexdigest()
    stored = Image.open(io.BytesIO(content))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert b"Samsung" not in content


def test_it_converts_a_png_photo_to_jpeg(logged_in, pmt, media_root):

    png = SimpleUploadedFile("bukti.png", make_image_bytes("PNG"), "image/png")
    assert logged_in.post(url(pmt), {**data(), "photo": png}).status_code == 302
    with Delivery.objects.get().photo.open("rb") as f:
        assert Image.open(f).format == "JPEG"


@pytest.mark.parametrize(
    "name,content,content_type,message",
    [
        (
            "bukti.jpg",
            b"MZ\x90\x00\x03\x00\x00\x00 this is an exe",
            "image/jpeg",
            "Berkas ini bukan foto (JPG, PNG, WebP, HEIC) yang dapat dibaca. Pilih berkas lain.",
        ),
        (
            "bukti.pdf",
            make_pdf_bytes(),
            "application/pdf",
            "Unggah foto (JPG, PNG, WebP atau HEIC), bukan PDF.",
        ),
        (
            "bukti.jpg",
            make_pdf_bytes(),
            "image/jpeg",
            "Unggah foto (JPG, PNG, WebP atau HEIC), bukan PDF.",
        ),
    ],
    ids=["fake-jpeg", "pdf", "pdf-named-jpg"],
)
def test_it_refuses_a_photo_that_is_not_an_image(
    logged_in, pmt, media_root, name, content, content_type, message
):
    photo = SimpleUploadedFile(name, content, content_type)
    r = logged_in.post(url(pmt), {**data(), "photo": photo})
    assert r.status_code == 200
    assert r.context["form"].errors["photo"] == [message]
    html = r.content.decode()
    assert "Foto harus dipilih lagi." in html
    assert_nothing_recorded(pmt, media_root)


def test_it_stores_nothing_when_another_field_is_wrong(logged_in, pmt, media_root):
    r = logged_in.post(url(pmt), {**data(quantity=""), "photo": jpeg_upload()})
    assert r.status_code == 200
    assert "quantity" in r.context["form"].errors
    assert_nothing_recorded(pmt, media_root)


# --- measurement --------------------------------------------------------------


def test_it_records_a_measurement_with_the_delivery(logged_in, pmt, child, timah_user):
    day = today() - timedelta(days=2)
    r = logged_in.post(
        url(pmt), data(weight_kg="8,4", height_cm="72.5", position="lying", date=day.isoformat())
    )
    assert r.status_code == 302
    assert r.url == child_url(pmt)

    m = Measurement.objects.get()
    assert (m.child, m.submission, m.source, m.recorded_by) == (child, None, "partner", timah_user)
    assert (m.measured_on, m.weight_kg, m.height_cm, m.position) == (
        day,
        Decimal("8.4"),
        Decimal("72.5"),
        "lying",
    )
    expected = growth.assess("P", child.birth_date, day, 72.5, 8.4, lying=True)
    assert (m.haz, m.waz, m.whz) == (expected.haz, expected.waz, expected.whz)
    assert m.haz_category == (expected.haz_category or "")
    assert m.age_days == expected.age_days

    assert Delivery.objects.get().measurement == m
    child.refresh_from_db()
    assert child.latest_measurement == m


def test_it_applies_the_standing_position(logged_in, pmt, child):
    day = today() - timedelta(days=2)
    logged_in.post(url(pmt), data(weight_kg="8.4", height_cm="72.5", position="standing"))
    m = Measurement.objects.get()
    expected = growth.assess("P", child.birth_date, day, 72.5, 8.4, lying=False)
    assert m.position == "standing"
    assert (m.haz, m.waz, m.whz) == (expected.haz, expected.waz, expected.whz)


def test_it_keeps_a_later_measurement_as_the_latest(logged_in, pmt, child):
    later = Measurement.objects.create(
        child=child,
        measured_on=today(),
        weight_kg=Decimal("8.6"),
        height_cm=Decimal("73.0"),
        position="lying",
        source=Measurement.Source.PUSKESMAS,
    )
    logged_in.post(url(pmt), data(weight_kg="8.4", height_cm="72.5", position="lying"))
    assert Measurement.objects.count() == 2
    child.refresh_from_db()
    assert child.latest_measurement == later


@pytest.mark.parametrize(
    "fields,field,message",
    [
        (
            {"weight_kg": "8.4", "height_cm": "72.5"},
            "position",
            "Pilih cara ukur (terlentang atau berdiri).",
        ),
        (
            {"height_cm": "72.5"},
            "position",
            "Pilih cara ukur (terlentang atau berdiri).",
        ),
        (
            {"weight_kg": "8.4", "position": "lying"},
            "height_cm",
            "Isi juga panjang/tinggi badan, atau kosongkan berat badan.",
        ),
        (
            {"height_cm": "72.5", "position": "lying"},
            "weight_kg",
            "Isi juga berat badan, atau kosongkan panjang/tinggi badan.",
        ),
        (
            {"weight_kg": "84", "height_cm": "72.5", "position": "lying"},
            "weight_kg",
            "Nilai harus antara 1,0 dan 40,0 kg.",
        ),
    ],
    ids=["no-position", "height-only-no-position", "weight-only", "height-only", "too-heavy"],
)
def test_it_refuses_an_incomplete_measurement(logged_in, pmt, fields, field, message):
    r = logged_in.post(url(pmt), data(**fields))
    assert r.status_code == 200
    assert message in r.context["form"].errors[field]
    assert_nothing_recorded(pmt)


def test_it_refuses_a_measurement_dated_before_the_birth(logged_in, village, media_root):
    # The assignment started before the (corrected) birth date registered for the child.
    baby = make_child(village, name="Bayi Baru", birth_date=today() - timedelta(days=5))
    early = make_intervention(baby, start_date=today() - timedelta(days=20))
    logged_in.raise_request_exception = False
    r = logged_in.post(
        url(early),
        {
            **data(date=(today() - timedelta(days=10)).isoformat()),
            "weight_kg": "3.1",
            "height_cm": "49.5",
            "position": "lying",
            "photo": jpeg_upload(),
        },
    )
    assert Delivery.objects.count() == 0
    assert stored_files(media_root) == []
    assert r.status_code == 200
    assert r.context["form"].errors["date"] == ["Tanggal ukur sebelum tanggal lahir anak."]


def test_opening_the_form_marks_the_assignment_opened(logged_in, pmt):
    assert pmt.is_new_for_partner
    assert logged_in.get(url(pmt)).status_code == 200
    pmt.refresh_from_db()
    assert pmt.partner_opened_at is not None
    assert not pmt.is_new_for_partner


# --- an obstacle met at the delivery -------------------------------------------------


def test_it_offers_to_record_an_obstacle(logged_in, pmt):
    html = logged_in.get(url(pmt)).content.decode()
    assert 'name="obstacle_kind"' in html and 'name="obstacle_description"' in html
    assert '<option value="" selected>Tidak ada kendala</option>' in html


def test_it_records_the_obstacle_with_the_delivery(logged_in, pmt, timah_user):
    r = logged_in.post(
        url(pmt),
        data(obstacle_kind=Obstacle.Kind.HELP_LATE, obstacle_description="Paket datang sore"),
        follow=True,
    )
    assert r.redirect_chain == [(child_url(pmt), 302)]
    assert messages_of(r) == [
        "Layanan dan kendalanya dicatat; kecamatan akan menindaklanjuti kendalanya."
    ]
    delivery = Delivery.objects.get()
    obstacle = Obstacle.objects.get()
    assert (obstacle.delivery, obstacle.intervention) == (delivery, pmt)
    assert (obstacle.kind, obstacle.description) == (Obstacle.Kind.HELP_LATE, "Paket datang sore")
    assert obstacle.date == delivery.date == today() - timedelta(days=2)
    assert (obstacle.status, obstacle.reported_by) == (Obstacle.Status.OPEN, timah_user)
    assert "Bantuan terlambat" in r.content.decode()


def test_it_records_no_obstacle_when_none_is_chosen(logged_in, pmt):
    assert logged_in.post(url(pmt), data(obstacle_description="Lancar")).status_code == 302
    assert Delivery.objects.count() == 1
    assert Obstacle.objects.count() == 0


def test_an_other_obstacle_needs_words(logged_in, pmt, media_root):
    r = logged_in.post(
        url(pmt), data(obstacle_kind=Obstacle.Kind.OTHER, photo=jpeg_upload()), follow=True
    )
    assert r.status_code == 200
    assert r.context["form"].errors["obstacle_description"] == [
        "Tuliskan kendalanya bila memilih lainnya."
    ]
    assert_nothing_recorded(pmt, media_root)


def test_it_refuses_an_unknown_obstacle(logged_in, pmt):
    r = logged_in.post(url(pmt), data(obstacle_kind="gempa"))
    assert r.context["form"].errors["obstacle_kind"] == [
        "Masukkan pilihan yang valid. gempa bukan salah satu dari pilihan yang tersedia."
    ]
    assert_nothing_recorded(pmt)
