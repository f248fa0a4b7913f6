"""The village government's mothers: their group on /desa/ and the mother page
/desa/ibu/<id>/, read-only, of its own village only, without internal notes or KK."""

from datetime import timedelta

import pytest

from tests.builders import (
    DESA_GROUP,
    KELAS_IBU,
    NOT_LINKED_VILLAGE,
    PUSKESMAS,
    login_redirect,
    make_child,
    make_delivery,
    make_intervention,
    make_mother,
    make_user,
    partner_user,
    today,
    village_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
HOME = "/desa/"
KK = "1901010101209999"


def url(mother):
    return f"/desa/ibu/{mother.pk}/"


@pytest.fixture
def matras_mother(village, posyandu):
    return make_mother(village, name="Siti Aminah", kk_number=KK, posyandu=posyandu)


@pytest.fixture
def rebo_mother(other_village):
    return make_mother(other_village, name="Yanti Rebo")


@pytest.fixture
def logged_in(client, village):
    client.force_login(village_user("desa-matras", village))
    return client


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, matras_mother):
    r = client.get(url(matras_mother))
    assert r.status_code == 302
    assert r.url == login_redirect(url(matras_mother))


@pytest.mark.parametrize("user", ["outsider", "pimpinan", "verifikator", "mitra_user", "staff"])
def test_it_refuses_users_without_the_village_role(client, matras_mother, user, request):
    client.force_login(request.getfixturevalue(user))
    r = client.get(url(matras_mother))
    assert r.status_code == 403
    assert "Siti Aminah" not in r.content.decode()


def test_it_refuses_a_partner_user_with_her_assignment(client, matras_mother):
    make_intervention(matras_mother)
    client.force_login(partner_user("timah"))
    assert client.get(url(matras_mother)).status_code == 403


def test_it_refuses_a_village_user_not_linked_to_a_village(client, matras_mother):
    client.force_login(make_user("desa-baru", DESA_GROUP))
    r = client.get(url(matras_mother))
    assert r.status_code == 403
    assert NOT_LINKED_VILLAGE in r.content.decode()


def test_it_answers_404_for_a_mother_of_another_village(logged_in, rebo_mother):
    make_intervention(rebo_mother)
    assert logged_in.get(url(rebo_mother)).status_code == 404


def test_it_answers_404_for_a_mother_merged_into_another(logged_in, village, matras_mother):
    merged = make_mother(village, name="Siti A.", merged_into=matras_mother)
    assert logged_in.get(url(merged)).status_code == 404


# --- the pages ------------------------------------------------------------------


def test_the_home_lists_its_villages_mothers_as_their_own_group(
    logged_in, matras_mother, rebo_mother, village
):
    make_child(village, name="Bunga Citra")
    make_intervention(matras_mother)
    make_intervention(rebo_mother)
    r = logged_in.get(HOME)
    assert r.status_code == 200
    assert [m.name for m in r.context["mother_page"]] == ["Siti Aminah"]
    html = r.content.decode()
    assert '<h2 id="mothers">Ibu hamil/menyusui</h2>' in html
    assert f'<a href="/desa/ibu/{matras_mother.pk}/">Siti Aminah</a>' in html
    assert "Yanti Rebo" not in html
    assert "1 anak terdaftar · 1 ibu hamil/menyusui terdaftar" in html
    # The mother's open assignment counts; the other village's does not.
    assert "1 intervensi berjalan/direncanakan" in html
    assert "22,8 cm" in html and "KEK" in html
    assert KK not in html


def test_the_home_counts_a_mothers_overdue_assignment(logged_in, matras_mother):
    make_intervention(
        matras_mother,
        start_date=today() - timedelta(days=100),
        planned_end=today() - timedelta(days=1),
    )
    html = logged_in.get(HOME).content.decode()
    assert "1 lewat rencana selesai" in html


def test_the_home_searches_mothers_too(logged_in, matras_mother, village):
    make_mother(village, name="Rina Marlina")
    r = logged_in.get(HOME, {"q": "aminah"})
    assert [m.name for m in r.context["mother_page"]] == ["Siti Aminah"]


def test_the_mother_page_shows_her_help_without_internal_notes(logged_in, matras_mother):
    own = make_intervention(matras_mother)
    other = make_intervention(matras_mother, PUSKESMAS, kind=KELAS_IBU)
    timah = partner_user("timah")
    make_delivery(own, timah, description="Paket PMT ibu", note="Ibu senang")
    make_delivery(
        other, timah, description="Kelas pertemuan 1", note="Catatan rahasia", internal=True
    )
    r = logged_in.get(url(matras_mother))
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Siti Aminah</h1>" in html
    assert "PMT ibu hamil KEK oleh PT Timah Tbk" in html
    assert "Kelas ibu hamil oleh Puskesmas Sungailiat" in html
    assert "Paket PMT ibu" in html and "Ibu senang" in html
    assert "Kelas pertemuan 1" in html and "Catatan rahasia" not in html
    assert '<dd id="nik">190101********01</dd>' in html
    assert KK not in html
    # Read-only: nothing to record or change.
    main = html[html.index("<main") :]
    assert 'method="post"' not in main
    assert "/catat/" not in main and "/status/" not in main
