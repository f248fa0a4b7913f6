"""Bad input gets an Indonesian answer, never a server error."""

from datetime import date

import pytest

from interventions.models import Intervention
from registrations.models import Submission
from tests.builders import PMT, TIMAH, kind, make_child, messages_of, partner

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999999"
BAD_REQUEST = "Permintaan tidak dapat diproses"


# --- 400 ----------------------------------------------------------------------


def assert_indonesian_400(response):
    assert response.status_code == 400
    html = response.content.decode()
    assert BAD_REQUEST in html
    assert '<html lang="id">' in html
    assert "Bad Request" not in html


def test_too_many_fields_get_an_indonesian_page(client, posyandu):
    data = {f"x{i}": "1" for i in range(1200)}
    assert_indonesian_400(client.post("/lapor/", data))
    assert Submission.objects.count() == 0


def test_a_body_over_the_memory_limit_gets_an_indonesian_page(client, posyandu, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert_indonesian_400(client.post("/lapor/", {"address": "x" * 2000}))


def test_a_broken_upload_gets_an_indonesian_page(client, posyandu):
    body = b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'
    r = client.post("/lapor/", body, content_type="multipart/form-data; boundary=")
    assert_indonesian_400(r)


def test_an_unknown_host_gets_an_indonesian_page(client):
    assert_indonesian_400(client.get("/lapor/", HTTP_HOST="evil.example"))


# --- dates out of range ---------------------------------------------------------

RANGE = "Tanggal harus antara 1 Januari 1900 dan 31 Desember 2100."


@pytest.mark.parametrize(
    "params", [{"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}, {"date_from": "1899-12-31"}]
)
def test_the_queue_refuses_a_date_out_of_range(client, verifikator, params):
    client.force_login(verifikator)
    r = client.get("/verifikasi/", params)
    assert r.status_code == 200
    assert RANGE in r.content.decode()
    assert not r.context["form"].is_valid()


def test_the_queue_accepts_the_ends_of_the_range(client, verifikator):
    client.force_login(verifikator)
    r = client.get("/verifikasi/", {"date_from": "1900-01-01", "date_to": "2100-12-31"})
    assert r.status_code == 200
    assert r.context["form"].is_valid()


def assign_data(child, **overrides):
    data = {
        "children": [child.pk],
        "partner": partner(TIMAH).pk,
        "kind": kind(PMT).pk,
        "start_date": "2026-03-16",
        "note": "",
    }
    data.update(overrides)
    return data


def test_an_assignment_starting_in_the_year_9999_is_refused(client, verifikator, village):
    child = make_child(village)
    client.force_login(verifikator)
    r = client.post("/intervensi/tugaskan/", assign_data(child, start_date="9999-12-20"))
    assert r.status_code == 200
    assert r.context["form"].errors["start_date"] == [RANGE]
    r = client.post("/intervensi/tugaskan/", assign_data(child, planned_end="9999-12-20"))
    assert r.context["form"].errors["planned_end"] == [RANGE]
    assert not Intervention.objects.exists()


def test_a_delivery_dated_in_the_year_1_is_refused(client, village, media_root):
    from tests.builders import make_intervention, partner_user

    child = make_child(village)
    intervention = make_intervention(child)
    client.force_login(partner_user("timah"))
    r = client.post(
        f"/mitra/tugas/{intervention.pk}/catat/",
        {"date": "0001-01-01", "description": "Paket PMT", "quantity": "1"},
    )
    assert r.status_code == 200
    assert r.context["form"].errors["date"] == [RANGE]


# --- ids out of range -----------------------------------------------------------


def test_the_assignment_page_ignores_an_impossible_child_id(client, verifikator, village):
    child = make_child(village, name="Bunga Citra")
    client.force_login(verifikator)
    r = client.get("/intervensi/tugaskan/", {"anak": [BIG, child.pk, "-1", "abc"]})
    assert r.status_code == 200
    assert list(r.context["children"]) == [child]


def test_the_assignment_refuses_an_impossible_child_id(client, verifikator, village):
    child = make_child(village)
    client.force_login(verifikator)
    r = client.post("/intervensi/tugaskan/", {**assign_data(child), "children": [child.pk, BIG]})
    assert r.status_code == 200
    assert r.context["form"].errors["children"] == [f"Anak nomor {BIG} tidak terdaftar."]
    assert not Intervention.objects.exists()


def test_a_merge_into_an_impossible_child_id_is_refused(client, verifikator, posyandu):
    from tests.builders import make_submission

    submission = make_submission(posyandu.village, posyandu)
    client.force_login(verifikator)
    r = client.post(
        f"/verifikasi/laporan/{submission.pk}/putuskan/",
        {"action": "merged", "version": "1", "child": BIG},
    )
    assert r.status_code == 400
    assert "Tidak ada anak terdaftar dengan nomor ini." in r.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PENDING
    assert messages_of(r) == ["Keputusan belum disimpan: periksa isian yang ditandai."]


def test_a_filter_with_an_impossible_id_is_no_error(client, verifikator):
    client.force_login(verifikator)
    for url in [
        f"/verifikasi/?village={BIG}",
        f"/verifikasi/anak/?posyandu={BIG}",
        f"/intervensi/?partner={BIG}",
        f"/verifikasi/?page={BIG}",
        f"/kendala/?village={BIG}&partner={BIG}",
        f"/kegiatan/?village={BIG}&partner={BIG}",
    ]:
        assert client.get(url).status_code == 200, url


def test_the_date_range_ends_are_the_shared_ones():
    from registrations.validators import DATE_MAX, DATE_MIN

    assert (DATE_MIN, DATE_MAX) == (date(1900, 1, 1), date(2100, 12, 31))


def test_the_activity_form_refuses_impossible_ids(client, verifikator, village):
    from interventions.models import Activity

    client.force_login(verifikator)
    r = client.post(
        "/kegiatan/baru/",
        {
            "kind": Activity.Kind.OUTREACH,
            "date": "2026-01-05",
            "village": BIG,
            "posyandu": BIG,
            "partners": [partner(TIMAH).pk, BIG],
            "topic": "Gizi",
            "parents_count": "3",
        },
    )
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert set(errors) == {"village", "posyandu", "partners"}
    assert errors["partners"] == [
        f"Masukkan pilihan yang valid. {BIG} bukan salah satu dari pilihan yang tersedia."
    ]
    assert not Activity.objects.exists()


def test_the_activity_edit_refuses_an_impossible_photo_id(client, verifikator, village):
    from interventions.models import Activity
    from tests.builders import make_activity

    activity = make_activity(village, photos=1)
    client.force_login(verifikator)
    r = client.post(
        f"/kegiatan/{activity.pk}/ubah/",
        {
            "kind": Activity.Kind.OUTREACH,
            "date": "2026-01-05",
            "village": village.pk,
            "partners": [partner(TIMAH).pk],
            "topic": "Gizi",
            "parents_count": "3",
            "remove_photos": [BIG],
        },
    )
    assert r.status_code == 200
    assert list(r.context["form"].errors) == ["remove_photos"]
    assert activity.photos.count() == 1
