"""The partner portal's mothers: their group on /mitra/, the mother's page /mitra/ibu/<id>/,
recording a delivery with a check of her, starting and finishing, and obstacles. A partner
sees only the mothers assigned to it, her NIK masked and never her KK."""

from datetime import timedelta
from decimal import Decimal

import pytest

from interventions.models import Delivery, Intervention, Obstacle
from registrations.models import Mother, MotherCheck
from tests.builders import (
    KELAS_IBU,
    MITRA_GROUP,
    NOT_LINKED_PARTNER,
    PUSKESMAS,
    login_redirect,
    make_child,
    make_delivery,
    make_intervention,
    make_mother,
    make_mother_check,
    make_user,
    messages_of,
    partner_user,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
NIK = "1901014507950001"
KK = "1901010101209999"
HOME = "/mitra/"


def url(mother):
    return f"/mitra/ibu/{mother.pk}/"


def record_url(intervention):
    return f"/mitra/tugas/{intervention.pk}/catat/"


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


@pytest.fixture
def mother(village, posyandu):
    return make_mother(
        village,
        name="Siti Aminah",
        nik=NIK,
        kk_number=KK,
        posyandu=posyandu,
        phone="6281377889900",
        husband_name="Ahmad",
    )


@pytest.fixture
def logged_in(client, timah_user):
    client.force_login(timah_user)
    return client


def assert_no_kk(html):
    assert KK not in html
    assert NIK not in html and NIK[:12] not in html
    assert "Nomor KK" not in html and "nomor KK" not in html


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, mother):
    make_intervention(mother)
    r = client.get(url(mother))
    assert r.status_code == 302
    assert r.url == login_redirect(url(mother))


@pytest.mark.parametrize("user", ["outsider", "pimpinan", "verifikator", "desa_user"])
def test_it_refuses_users_without_the_partner_role(client, mother, user, request):
    make_intervention(mother)
    client.force_login(request.getfixturevalue(user))
    r = client.get(url(mother))
    assert r.status_code == 403
    assert "Siti Aminah" not in r.content.decode()


def test_it_refuses_a_partner_user_not_linked_to_a_partner(client, mother):
    make_intervention(mother)
    client.force_login(make_user("mitra-baru", MITRA_GROUP))
    r = client.get(url(mother))
    assert r.status_code == 403
    html = r.content.decode()
    assert NOT_LINKED_PARTNER in html and "Siti Aminah" not in html


def test_it_answers_404_for_another_partners_mother(logged_in, mother):
    make_intervention(mother, PUSKESMAS)
    assert logged_in.get(url(mother)).status_code == 404


def test_it_answers_404_for_an_unassigned_mother(logged_in, mother):
    assert logged_in.get(url(mother)).status_code == 404
    assert logged_in.get("/mitra/ibu/999999/").status_code == 404


def test_it_answers_404_for_a_cancelled_assignment(logged_in, mother):
    make_intervention(mother, status=Intervention.Status.CANCELLED, finished_on=today())
    assert logged_in.get(url(mother)).status_code == 404


def test_it_shows_her_for_a_while_after_the_assignment_finished(logged_in, mother):
    make_intervention(
        mother, status=Intervention.Status.DONE, finished_on=today() - timedelta(days=90)
    )
    r = logged_in.get(url(mother))
    assert r.status_code == 200
    assert "masih dapat Anda baca sampai" in r.content.decode()


def test_it_answers_404_once_the_finished_assignment_is_long_past(logged_in, mother):
    make_intervention(
        mother, status=Intervention.Status.DONE, finished_on=today() - timedelta(days=91)
    )
    assert logged_in.get(url(mother)).status_code == 404


# --- the mother page -------------------------------------------------------------


def test_it_shows_her_condition_with_a_masked_nik_and_no_kk(logged_in, mother):
    intervention = make_intervention(mother, note="Kunjungi pagi hari")
    r = logged_in.get(url(mother))
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Siti Aminah</h1>" in html
    assert '<dd id="nik">190101********01</dd>' in html
    assert_no_kk(html)
    assert "Hamil 5 bulan" in html
    assert '22,8 cm — <strong class="overdue">KEK</strong>' in html
    assert '10,5 g/dL — <strong class="overdue">anemia</strong>' in html
    assert "Catatan kecamatan: Kunjungi pagi hari" in html
    assert f'href="/mitra/tugas/{intervention.pk}/catat/"' in html
    assert f'href="/mitra/tugas/{intervention.pk}/kendala/"' in html


def test_it_shows_a_breastfeeding_mother_with_her_babys_age(logged_in, village):
    mother = make_mother(village, check=False)
    make_mother_check(
        mother,
        mother_status=Mother.MotherStatus.BREASTFEEDING,
        pregnancy_month=None,
        baby_birth_date=today() - timedelta(days=100),
        muac_cm=Decimal("25.0"),
        hb_g_dl=None,
    )
    make_intervention(mother, kind="Pendampingan menyusui")
    html = logged_in.get(url(mother)).content.decode()
    assert "Menyusui, bayi 3 bulan" in html
    assert "tidak KEK" in html and "belum diperiksa" in html


def test_it_shows_her_check_history(logged_in, mother):
    make_mother_check(mother, checked_on=today() - timedelta(days=40), muac_cm=Decimal("22.1"))
    make_intervention(mother)
    r = logged_in.get(url(mother))
    assert [c.muac_cm for c in r.context["checks"]] == [Decimal("22.8"), Decimal("22.1")]
    assert "22,1 cm (KEK)" in r.content.decode()


def test_it_shows_only_its_own_deliveries_and_the_other_partners_help(logged_in, mother):
    own = make_intervention(mother)
    other = make_intervention(mother, PUSKESMAS, kind=KELAS_IBU)
    make_delivery(own, partner_user("timah-2"), description="Paket PMT ibu")
    make_delivery(other, partner_user("pkm", PUSKESMAS), description="Kelas pertemuan 1")
    r = logged_in.get(url(mother))
    html = r.content.decode()
    assert "Paket PMT ibu" in html
    assert "Kelas pertemuan 1" not in html
    assert "Kelas ibu hamil oleh Puskesmas Sungailiat" in html
    assert list(r.context["interventions"]) == [own]


def test_the_first_visit_marks_her_assignments_new_and_opens_them(logged_in, mother):
    intervention = make_intervention(mother)
    html = logged_in.get(url(mother)).content.decode()
    assert '<span class="badge badge-new">baru</span>' in html
    intervention.refresh_from_db()
    assert intervention.partner_opened_at is not None
    html = logged_in.get(url(mother)).content.decode()
    assert '<span class="badge badge-new">baru</span>' not in html


# --- the portal's home ------------------------------------------------------------


def test_the_home_lists_its_mothers_as_their_own_group(logged_in, mother, village):
    own = make_intervention(mother)
    make_intervention(make_mother(village, name="Ibu Puskesmas"), PUSKESMAS)
    child = make_intervention(make_child(village, name="Bunga Citra"))
    r = logged_in.get(HOME)
    assert r.status_code == 200
    html = r.content.decode()
    assert '<h2 id="mothers">Ibu hamil/menyusui</h2>' in html
    assert [i.pk for i in r.context["page"]] == [child.pk]
    assert [i.pk for i in r.context["mother_page"]] == [own.pk]
    mothers = html[html.index('id="mother-interventions"') :]
    assert f'<a href="/mitra/ibu/{mother.pk}/">Siti Aminah</a>' in mothers
    assert '<span class="badge badge-new">baru</span>' in mothers
    assert "Bunga Citra" not in mothers
    assert "Ibu Puskesmas" not in html
    assert_no_kk(html)


def test_the_home_has_no_mothers_group_without_mothers(logged_in, village):
    make_intervention(make_child(village, name="Bunga Citra"))
    html = logged_in.get(HOME).content.decode()
    assert "mother-interventions" not in html and "Ibu hamil/menyusui" not in html


def test_the_home_filters_the_mothers_too(logged_in, mother, village):
    make_intervention(mother)
    done = make_intervention(
        make_mother(village, name="Rina Selesai"),
        status=Intervention.Status.DONE,
        finished_on=today(),
    )
    r = logged_in.get(HOME)
    assert [i.target.name for i in r.context["mother_page"]] == ["Siti Aminah"]
    r = logged_in.get(HOME, {"status": "done"})
    assert [i.pk for i in r.context["mother_page"]] == [done.pk]
    r = logged_in.get(HOME, {"status": "all", "q": "rina"})
    assert [i.pk for i in r.context["mother_page"]] == [done.pk]
    r = logged_in.get(HOME, {"status": "new"})
    assert [i.target.name for i in r.context["mother_page"]] == ["Siti Aminah"]


def test_the_menu_counts_a_new_mothers_assignment(logged_in, mother):
    make_intervention(mother)
    html = logged_in.get(HOME).content.decode()
    assert '<a href="/mitra/">Dampingan <span class="badge badge-new">1 baru</span></a>' in html


# --- recording a delivery -----------------------------------------------------------


def test_the_delivery_form_asks_for_her_check_not_a_childs_measurement(logged_in, mother):
    intervention = make_intervention(mother)
    r = logged_in.get(record_url(intervention))
    assert r.status_code == 200
    form = r.context["form"]
    assert {"muac_cm", "hb_g_dl", "mother_weight_kg"} <= set(form.fields)
    assert not {"weight_kg", "height_cm", "position"} & set(form.fields)
    html = r.content.decode()
    assert "Pemeriksaan ibu (jika diperiksa)" in html
    assert f'href="/mitra/ibu/{mother.pk}/"' in html


def test_it_records_a_delivery_with_her_check(logged_in, timah_user, mother):
    intervention = make_intervention(mother)
    r = logged_in.post(
        record_url(intervention),
        {
            "date": today().isoformat(),
            "description": "Paket PMT ibu hamil",
            "quantity": "3",
            "muac_cm": "23,6",
            "hb_g_dl": "11,4",
            "mother_weight_kg": "55,2",
        },
    )
    assert r.status_code == 302
    assert r.url == url(mother)
    assert messages_of(r) == ["Layanan dicatat."]
    delivery = Delivery.objects.get()
    assert delivery.quantity == Decimal("3")
    check = delivery.mother_check
    assert (check.source, check.recorded_by) == (MotherCheck.Source.PARTNER, timah_user)
    assert (check.muac_cm, check.hb_g_dl, check.weight_kg) == (
        Decimal("23.6"),
        Decimal("11.4"),
        Decimal("55.2"),
    )
    mother = Mother.objects.get(pk=mother.pk)
    assert mother.latest_check == check
    assert (mother.is_kek, mother.is_anaemic) == (False, False)
    intervention.refresh_from_db()
    assert intervention.status == Intervention.Status.RUNNING


def test_it_records_a_delivery_without_a_check(logged_in, mother):
    intervention = make_intervention(mother, kind=KELAS_IBU)
    r = logged_in.post(
        record_url(intervention),
        {"date": today().isoformat(), "description": "Kelas ibu hamil pertemuan 1"},
    )
    assert r.status_code == 302
    assert Delivery.objects.get().mother_check is None
    assert mother.checks.count() == 1


def test_it_requires_lila_with_hb_and_keeps_what_was_typed(logged_in, mother):
    intervention = make_intervention(mother)
    r = logged_in.post(
        record_url(intervention),
        {
            "date": today().isoformat(),
            "description": "Paket PMT ibu hamil",
            "quantity": "3",
            "hb_g_dl": "11,4",
        },
    )
    assert r.status_code == 200
    assert r.context["form"].errors["muac_cm"] == [
        "Isi LiLA, atau kosongkan Hb dan berat badan ibu."
    ]
    html = r.content.decode()
    assert 'value="11,4"' in html and 'value="Paket PMT ibu hamil"' in html
    assert not Delivery.objects.exists() and mother.checks.count() == 1


def test_it_refuses_an_implausible_lila(logged_in, mother):
    intervention = make_intervention(mother)
    r = logged_in.post(
        record_url(intervention),
        {"date": today().isoformat(), "description": "PMT", "quantity": "1", "muac_cm": "235"},
    )
    assert r.status_code == 200
    assert r.context["form"].errors["muac_cm"]
    assert not Delivery.objects.exists()


def test_it_explains_a_check_of_a_mother_without_status(logged_in, village):
    mother = make_mother(village, check=False)
    intervention = make_intervention(mother)
    r = logged_in.post(
        record_url(intervention),
        {"date": today().isoformat(), "description": "PMT", "quantity": "1", "muac_cm": "23"},
    )
    assert r.status_code == 200
    assert "Status ibu (hamil atau menyusui) belum tercatat" in r.content.decode()
    assert not Delivery.objects.exists() and not MotherCheck.objects.exists()


def test_it_answers_404_for_another_partners_assignment(logged_in, mother):
    intervention = make_intervention(mother, PUSKESMAS)
    assert logged_in.get(record_url(intervention)).status_code == 404
    data = {"date": today().isoformat(), "description": "PMT", "quantity": "1"}
    assert logged_in.post(record_url(intervention), data).status_code == 404
    assert not Delivery.objects.exists()


# --- status and obstacles ------------------------------------------------------------


def test_it_starts_and_finishes_her_assignment(logged_in, mother):
    intervention = make_intervention(mother)
    status_url = f"/mitra/tugas/{intervention.pk}/status/"
    r = logged_in.post(status_url, {"status": "running"})
    assert r.status_code == 302 and r.url == url(mother)
    r = logged_in.post(status_url, {"status": "done"})
    intervention.refresh_from_db()
    assert intervention.status == Intervention.Status.DONE
    # Cancelling is the kecamatan's decision.
    assert logged_in.post(status_url, {"status": "cancelled"}).status_code == 403


def test_it_records_an_obstacle_on_her_assignment(logged_in, mother):
    intervention = make_intervention(mother)
    obstacle_url = f"/mitra/tugas/{intervention.pk}/kendala/"
    r = logged_in.get(obstacle_url)
    assert r.status_code == 200
    assert "Siti Aminah" in r.content.decode()
    r = logged_in.post(
        obstacle_url, {"date": today().isoformat(), "kind": "refused", "description": ""}
    )
    assert r.status_code == 302 and r.url == url(mother)
    obstacle = Obstacle.objects.get()
    assert obstacle.intervention == intervention
    html = logged_in.get("/mitra/kendala/").content.decode()
    assert f'href="/mitra/ibu/{mother.pk}/">Siti Aminah</a>' in html
