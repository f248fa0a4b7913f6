"""The list of active children who are 60 months old, and closing them all."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from registrations.models import Child
from registrations.services import child_set_programme_status
from tests.builders import login_redirect, make_child, messages_of

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
URL = "/verifikasi/anak/usia-5-tahun/"
CLOSE_URL = "/verifikasi/anak/usia-5-tahun/tutup/"


def at(moment):
    return time_machine.travel(moment.replace(tzinfo=JAKARTA), tick=False)


@pytest.fixture
def children(village, posyandu):
    """Registered in 2025; the clock then stands at 1 March 2026, the first day of a month."""
    with at(datetime(2025, 1, 1, 9)):
        made = {
            "sixty": make_child(
                village, name="Genap Hari Ini", birth_date=date(2021, 3, 1), posyandu=posyandu
            ),
            "older": make_child(village, name="Lahir Akhir Januari", birth_date=date(2021, 1, 31)),
            "younger": make_child(village, name="Masih 59 Bulan", birth_date=date(2021, 3, 2)),
            "gone": make_child(village, name="Sudah Keluar", birth_date=date(2020, 5, 5)),
        }
        child_set_programme_status(
            child=made["gone"], status="exited", reason="moved", date=date(2025, 1, 1), user=None
        )
    with at(datetime(2026, 3, 1, 7)):
        yield made


def status_of(child):
    return Child.objects.values_list("programme_status", "exit_reason", "exit_date").get(
        pk=child.pk
    )


def shown(response):
    return [c.name for c in response.context["page"]]


# --- the list -----------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, children):
    r = client.get(URL)
    assert r.status_code == 302
    assert r.url == login_redirect(URL)


@pytest.mark.parametrize("user", ["outsider", "mitra_user", "desa_user"])
def test_it_refuses_users_without_the_role(client, children, user, request):
    client.force_login(request.getfixturevalue(user))
    r = client.get(URL)
    assert r.status_code == 403
    assert b"Genap Hari Ini" not in r.content


def test_it_lists_the_active_children_aged_60_months(client, children, verifikator):
    client.force_login(verifikator)
    r = client.get(URL)
    assert r.status_code == 200
    # Oldest first; the one born a day later and the one already out are not there.
    assert shown(r) == ["Lahir Akhir Januari", "Genap Hari Ini"]
    html = r.content.decode()
    assert "Sudah genap 60 bulan, masih aktif" in html and "(2)" in html
    sixty = children["sixty"]
    assert f'<td><a href="/verifikasi/anak/{sixty.pk}/">Genap Hari Ini</a></td>' in html
    assert '<td class="nowrap">31-01-2021</td>\n    <td class="nowrap">31-01-2026</td>' in html
    assert '<td class="nowrap">01-03-2021</td>\n    <td class="nowrap">01-03-2026</td>' in html
    assert "Matras · Melati" in html
    assert f'action="{CLOSE_URL}"' in html
    assert "Tandai keluar semua (2 anak)</button>" in html


def test_it_shows_the_list_without_the_button_to_the_pimpinan(client, children, pimpinan):
    client.force_login(pimpinan)
    r = client.get(URL)
    assert r.status_code == 200
    assert shown(r) == ["Lahir Akhir Januari", "Genap Hari Ini"]
    html = r.content.decode()
    assert CLOSE_URL not in html
    assert "Tandai keluar semua" not in html


def test_it_says_when_nobody_is_left(client, village, verifikator):
    make_child(village, birth_date=date(2021, 3, 2))
    client.force_login(verifikator)
    with at(datetime(2026, 3, 1, 7)):
        html = client.get(URL).content.decode()
    assert "Tidak ada anak aktif yang sudah genap 60 bulan." in html
    assert "Tandai keluar semua" not in html


def test_the_children_list_links_to_it_with_the_count(client, children, pimpinan):
    client.force_login(pimpinan)
    html = client.get("/verifikasi/anak/").content.decode()
    assert f'<a href="{URL}">2 anak sudah genap 60 bulan dan masih aktif</a>' in html


def test_the_children_list_has_no_link_when_nobody_aged_out(client, village, pimpinan):
    make_child(village, birth_date=date(2021, 3, 2))
    client.force_login(pimpinan)
    with at(datetime(2026, 3, 1, 7)):
        assert URL not in client.get("/verifikasi/anak/").content.decode()


# --- closing them all ---------------------------------------------------------


def test_it_closes_them_all(client, children, verifikator):
    client.force_login(verifikator)
    r = client.post(CLOSE_URL, follow=True)
    assert r.redirect_chain == [(URL, 302)]
    assert messages_of(r) == ["2 anak ditandai keluar dari program (alasan: usia 5 tahun)."]
    assert shown(r) == []

    assert status_of(children["sixty"]) == ("exited", "aged_out", date(2026, 3, 1))
    assert status_of(children["older"]) == ("exited", "aged_out", date(2026, 1, 31))
    assert status_of(children["younger"]) == ("active", "", None)
    assert status_of(children["gone"]) == ("exited", "moved", date(2025, 1, 1))
    record = children["sixty"].history.latest()
    assert record.history_user == verifikator
    assert record.history_change_reason == "Ditutup dari daftar anak usia 5 tahun"

    history = client.get(f"/verifikasi/anak/{children['sixty'].pk}/").content.decode()
    history = history.split('id="history"')[1]
    assert (
        'Diubah oleh verifikator <span class="muted">(Ditutup dari daftar anak usia 5 tahun)</span>'
    ) in history
    assert "<li>alasan keluar: “–” → “Usia 5 tahun”</li>" in history
    assert "<li>tanggal keluar: “–” → “1 Maret 2026”</li>" in history

    # A second send closes nobody else and writes no history.
    r = client.post(CLOSE_URL, follow=True)
    assert messages_of(r) == ["0 anak ditandai keluar dari program (alasan: usia 5 tahun)."]
    assert children["sixty"].history.count() == 2


def test_it_rejects_get(client, children, verifikator):
    client.force_login(verifikator)
    assert client.get(CLOSE_URL).status_code == 405
    assert status_of(children["sixty"]) == ("active", "", None)


def test_it_sends_anonymous_closers_to_the_login_page(client, children):
    r = client.post(CLOSE_URL)
    assert r.status_code == 302
    assert r.url == login_redirect(CLOSE_URL)
    assert status_of(children["sixty"]) == ("active", "", None)


@pytest.mark.parametrize("user", ["outsider", "mitra_user", "desa_user", "pimpinan"])
def test_it_lets_only_the_verifikator_close(client, children, user, request):
    client.force_login(request.getfixturevalue(user))
    assert client.post(CLOSE_URL).status_code == 403
    assert status_of(children["sixty"]) == ("active", "", None)
    assert status_of(children["older"]) == ("active", "", None)
