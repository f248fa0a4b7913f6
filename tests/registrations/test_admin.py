from datetime import date

import pytest

from registrations.models import Child, Posyandu
from tests.builders import make_child, make_measurement, make_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="password")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/registrations/village/",
        "/admin/registrations/posyandu/",
        "/admin/registrations/submission/",
        "/admin/registrations/document/",
        "/admin/registrations/child/",
        "/admin/registrations/measurement/",
    ],
)
def test_changelists_render_in_indonesian(admin_client, posyandu, url):
    make_submission(posyandu.village, posyandu)
    r = admin_client.get(url, {"q": "a"})
    assert r.status_code == 200
    assert "Cari" in r.content.decode()


def test_posyandu_list_links_form_qr_and_poster(admin_client, posyandu):
    html = admin_client.get("/admin/registrations/posyandu/").content.decode()
    for url in (
        "/lapor/melati/",
        "/lapor/melati/qr.png",
        "/lapor/melati/qr.svg",
        "/lapor/melati/poster/",
    ):
        assert f'href="{url}"' in html


def test_village_list_links_its_form_qr_poster_and_all_posyandu_posters(admin_client, db):
    html = admin_client.get("/admin/registrations/village/").content.decode()
    for url in (
        "/lapor/desa/19.01.01.1009/",
        "/lapor/desa/19.01.01.1009/qr.png",
        "/lapor/desa/19.01.01.1009/qr.svg",
        "/lapor/desa/19.01.01.1009/poster/",
        "/lapor/desa/19.01.01.1009/poster/semua/",
    ):
        assert f'href="{url}"' in html


@pytest.mark.parametrize("url", ["/admin/registrations/village/", "/admin/registrations/posyandu/"])
def test_place_lists_link_the_general_form_and_its_poster(admin_client, db, url):
    html = admin_client.get(url).content.decode()
    for link in ("/lapor/", "/lapor/qr.png", "/lapor/qr.svg", "/lapor/poster/"):
        assert f'href="{link}" target="_blank"' in html


def test_posyandu_code_cannot_change_once_created(admin_client, posyandu):
    r = admin_client.get(f"/admin/registrations/posyandu/{posyandu.pk}/change/")
    assert 'name="code"' not in r.content.decode()
    r = admin_client.get("/admin/registrations/posyandu/add/")
    assert 'name="code"' in r.content.decode()


@pytest.mark.parametrize("code", ["status", "desa", "poster"])
def test_posyandu_code_refuses_reserved_words(admin_client, village, code):
    r = admin_client.post(
        "/admin/registrations/posyandu/add/",
        {"name": "Status", "village": village.pk, "code": code, "is_active": "on"},
    )
    assert r.status_code == 200
    assert "dipakai oleh sistem" in r.content.decode()
    assert not Posyandu.objects.filter(code=code).exists()


def test_submission_page_links_documents_and_is_read_only(admin_client, posyandu):
    s = make_submission(posyandu.village, posyandu)
    doc = s.documents.get()
    html = admin_client.get(f"/admin/registrations/submission/{s.pk}/change/").content.decode()
    assert f'href="/dokumen/{doc.pk}/"' in html
    assert 'name="child_name"' not in html
    assert admin_client.get("/admin/registrations/submission/add/").status_code == 403


def test_staff_without_permissions_cannot_use_the_admin(client, staff):
    client.force_login(staff)
    assert client.get("/admin/registrations/submission/").status_code == 403


def test_child_programme_status_is_read_only_in_the_admin(admin_client, village):
    child = make_child(village, name="Putri Ayu")
    r = admin_client.get("/admin/registrations/child/", {"programme_status__exact": "active"})
    assert r.status_code == 200
    assert "Putri Ayu" in r.content.decode()
    html = admin_client.get(f"/admin/registrations/child/{child.pk}/change/").content.decode()
    assert 'name="name"' in html
    for field in ["programme_status", "exit_reason", "exit_date", "exit_note"]:
        assert f'name="{field}"' not in html


def test_deleting_measurements_in_bulk_refreshes_the_childrens_latest(admin_client, village):
    child = make_child(village)
    first = make_measurement(child, date(2025, 1, 10), "68.0")
    latest = make_measurement(child, date(2025, 2, 10), "76.0")

    r = admin_client.post(
        "/admin/registrations/measurement/",
        {"action": "delete_selected", "_selected_action": [latest.pk], "post": "yes"},
    )
    assert r.status_code == 302
    child.refresh_from_db()
    assert child.latest_measurement == first
    assert child.latest_haz_category == "pendek"


def admin_child_data(child, **changes):
    """The admin's change form of `child` as sent, with some fields changed."""
    data = {
        "name": child.name,
        "nik": child.nik,
        "sex": child.sex,
        "birth_date": child.birth_date.isoformat(),
        "mother_name": child.mother_name,
        "father_name": child.father_name,
        "parent_occupation": child.parent_occupation,
        "parent_phone": child.parent_phone,
        "address": child.address,
        "kk_number": child.kk_number,
        "village": child.village_id,
        "posyandu": child.posyandu_id or "",
    }
    measurements = list(child.measurements.order_by("pk"))
    data.update(
        {
            "measurements-TOTAL_FORMS": len(measurements),
            "measurements-INITIAL_FORMS": len(measurements),
            "measurements-MIN_NUM_FORMS": 0,
            "measurements-MAX_NUM_FORMS": 1000,
        }
    )
    for i, m in enumerate(measurements):
        data[f"measurements-{i}-id"] = m.pk
        data[f"measurements-{i}-child"] = child.pk
    data.update(changes)
    return data


def scores(child):
    return {m.pk: (m.age_days, m.haz, m.haz_category) for m in child.measurements.all()}


@pytest.mark.parametrize(
    "change", [{"birth_date": "2023-12-01"}, {"sex": "L"}], ids=["birth_date", "sex"]
)
def test_editing_birth_date_or_sex_in_the_admin_recomputes_the_z_scores(
    admin_client, village, change
):
    from registrations import growth

    child = make_child(village, sex="P", birth_date=date(2024, 1, 10))
    make_measurement(child, date(2024, 7, 10), "66.0", "7.1")
    latest = make_measurement(child, date(2025, 1, 10), "72.5", "8.2")
    before = scores(child)

    r = admin_client.post(
        f"/admin/registrations/child/{child.pk}/change/", admin_child_data(child, **change)
    )
    assert r.status_code == 302, r.context["adminform"].errors if r.context else r
    child.refresh_from_db()
    after = scores(child)
    assert all(after[pk] != before[pk] for pk in before)
    latest.refresh_from_db()
    expected = growth.assess(
        child.sex, child.birth_date, latest.measured_on, latest.height_cm, latest.weight_kg, True
    )
    assert (latest.age_days, latest.haz, latest.waz) == (
        expected.age_days,
        expected.haz,
        expected.waz,
    )
    assert child.latest_measurement == latest
    assert child.latest_haz_category == expected.haz_category
    record = child.history.latest()
    assert record.history_user.username == "root"
    assert record.history_change_reason == "Diubah di panel admin"


def test_the_admin_refuses_a_birth_date_after_the_first_measurement(admin_client, village):
    child = make_child(village, birth_date=date(2024, 1, 10))
    make_measurement(child, date(2024, 7, 10), "66.0", "7.1")
    before = scores(child)
    r = admin_client.post(
        f"/admin/registrations/child/{child.pk}/change/",
        admin_child_data(child, birth_date="2024-08-01"),
    )
    assert r.status_code == 200
    assert "Tanggal lahir tidak boleh setelah pengukuran pertama (10-07-2024)." in (
        r.content.decode()
    )
    child.refresh_from_db()
    assert child.birth_date == date(2024, 1, 10)
    assert scores(child) == before
    assert child.history.count() == 1


def test_the_admin_saves_other_changes_in_the_history(admin_client, village):
    child = make_child(village, name="Putri Ayu")
    make_measurement(child, date(2024, 7, 10), "66.0", "7.1")
    before = scores(child)
    r = admin_client.post(
        f"/admin/registrations/child/{child.pk}/change/",
        admin_child_data(child, name="Putri Ayu Lestari"),
    )
    assert r.status_code == 302
    child.refresh_from_db()
    assert child.name == "Putri Ayu Lestari"
    assert scores(child) == before
    [change] = child.history.latest().diff_against(child.history.earliest()).changes
    assert (change.field, change.old, change.new) == ("name", "Putri Ayu", "Putri Ayu Lestari")


def test_the_merge_is_read_only_in_the_admin(admin_client, village):
    kept = make_child(village, name="Tetap")
    merged = make_child(village, name="Ganda", merged_into=kept)
    html = admin_client.get(f"/admin/registrations/child/{merged.pk}/change/").content.decode()
    assert 'name="merged_into"' not in html
    assert "Digabungkan ke" in html
    admin_client.post(
        f"/admin/registrations/child/{merged.pk}/change/",
        admin_child_data(merged, merged_into=""),
    )
    assert Child.objects.get(pk=merged.pk).merged_into == kept
