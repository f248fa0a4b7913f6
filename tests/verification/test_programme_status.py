import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from registrations.models import Child
from registrations.services import child_set_programme_status
from tests.builders import login_redirect, make_child, messages_of

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 6, 15)


def at(day):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 9, tzinfo=JAKARTA), tick=False
    )


def url(child):
    return f"/verifikasi/anak/{child.pk}/status-program/"


@pytest.fixture
def child(village):
    """Born 10 January 2024, registered 2 January 2026; the clock stands at 15 June 2026."""
    with at(date(2026, 1, 2)):
        child = make_child(village, name="Putri Ayu", birth_date=date(2024, 1, 10))
    with at(TODAY):
        yield child


def stored(child):
    return Child.objects.values_list(
        "programme_status", "exit_reason", "exit_date", "exit_note"
    ).get(pk=child.pk)


ACTIVE = ("active", "", None, "")


def exit_data(**overrides):
    data = {
        "status": "exited",
        "current": "active",
        "reason": "moved",
        "date": "2026-06-01",
        "note": "Pindah ke Pangkalpinang",
    }
    data.update(overrides)
    return data


def mark_exited(child, user, reason="moved", day=date(2026, 6, 1), note=""):
    child_set_programme_status(
        child=child, status="exited", reason=reason, date=day, note=note, user=user
    )


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_the_login_page(client, child, method):
    r = getattr(client, method)(url(child), exit_data() if method == "post" else {})
    assert r.status_code == 302
    assert r.url == login_redirect(url(child))
    assert stored(child) == ACTIVE


@pytest.mark.parametrize("user", ["outsider", "mitra_user", "desa_user", "pimpinan"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_everyone_but_the_verifikator(client, child, user, method, request):
    client.force_login(request.getfixturevalue(user))
    r = getattr(client, method)(url(child), exit_data() if method == "post" else {})
    assert r.status_code == 403
    assert stored(child) == ACTIVE
    assert child.history.count() == 1


def test_it_shows_the_form_to_the_verifikator(client, child, verifikator):
    client.force_login(verifikator)
    r = client.get(url(child))
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Status program</h1>" in html
    assert "<h2>Tandai keluar dari program</h2>" in html
    assert "lahir 10 Januari 2024, terdaftar 2 Januari 2026" in html
    assert '<span class="badge badge-active">Aktif</span>' in html
    assert '<input type="hidden" name="status" value="exited">' in html
    assert re.search(r'<input type="hidden" name="current" value="active"[^>]*>', html)
    for value, label in Child.ExitReason.choices:
        assert re.search(rf'<input type="radio" name="reason" value="{value}"[^>]*> {label}', html)
    assert 'type="radio" name="reason" value="moved" required' not in html
    assert "checked" not in html
    # Dated today unless changed.
    assert 'name="date" value="2026-06-15"' in html
    assert "reactivate-form" not in html


def test_it_returns_404_for_an_unknown_child(client, child, verifikator):
    client.force_login(verifikator)
    missing = f"/verifikasi/anak/{child.pk + 1}/status-program/"
    assert client.get(missing).status_code == 404
    assert client.post(missing, exit_data()).status_code == 404
    assert stored(child) == ACTIVE


def test_it_preselects_the_suggested_reason(client, child, verifikator):
    client.force_login(verifikator)
    html = client.get(url(child), {"alasan": "not_stunted"}).content.decode()
    assert re.search(r'name="reason" value="not_stunted"[^>]*checked', html)
    assert html.count("checked") == 1
    html = client.get(url(child), {"alasan": "bosan"}).content.decode()
    assert "checked" not in html


def test_it_dates_an_aged_out_exit_on_the_60_month_day(client, village, verifikator):
    with at(date(2025, 1, 1)):
        child = make_child(village, birth_date=date(2021, 5, 31))
    client.force_login(verifikator)
    with at(TODAY):
        html = client.get(url(child), {"alasan": "aged_out"}).content.decode()
    assert re.search(r'name="reason" value="aged_out"[^>]*checked', html)
    assert 'name="date" value="2026-05-31"' in html


def test_it_shows_the_stored_exit_and_the_way_back(client, child, verifikator):
    mark_exited(child, verifikator, reason="other", note="Ikut orang tua merantau")
    client.force_login(verifikator)
    html = client.get(url(child)).content.decode()
    assert "<h2>Ubah keterangan keluar</h2>" in html
    assert (
        '<span class="badge badge-exited">Keluar</span> sejak 1 Juni 2026, alasan lainnya '
        "(“Ikut orang tua merantau”)"
    ) in html
    assert re.search(r'name="reason" value="other"[^>]*checked', html)
    assert 'name="date" value="2026-06-01"' in html
    assert "\nIkut orang tua merantau</textarea>" in html
    reactivate = html.split('id="reactivate-form"')[1].split("</form>")[0]
    assert '<input type="hidden" name="status" value="active">' in reactivate
    assert '<input type="hidden" name="current" value="exited">' in reactivate
    assert "Aktifkan kembali</button>" in reactivate


# --- saving -------------------------------------------------------------------


def test_it_marks_the_child_exited(client, child, verifikator):
    client.force_login(verifikator)
    r = client.post(url(child), exit_data())
    assert r.status_code == 302
    assert r.url == f"/verifikasi/anak/{child.pk}/"
    assert stored(child) == ("exited", "moved", date(2026, 6, 1), "Pindah ke Pangkalpinang")
    record = child.history.latest()
    assert (record.history_user, record.programme_status) == (verifikator, "exited")
    page = client.get(r.url)
    assert messages_of(page) == ["Anak ditandai keluar dari program (pindah)."]


def test_it_shows_each_change_in_the_history_with_labels(client, child, verifikator):
    client.force_login(verifikator)
    client.post(url(child), exit_data())
    client.post(url(child), {"status": "active", "current": "exited"})

    html = client.get(f"/verifikasi/anak/{child.pk}/").content.decode()
    history = html.split('id="history"')[1].split("</section>")[0]
    entries = history.split("<li><time>")[1:]
    assert len(entries) == 3
    back, out, registered = entries
    assert "Diubah oleh verifikator" in back
    for line in [
        "<li>status program: “Keluar” → “Aktif”</li>",
        "<li>alasan keluar: “Pindah” → “–”</li>",
        "<li>tanggal keluar: “1 Juni 2026” → “–”</li>",
        "<li>keterangan keluar: “Pindah ke Pangkalpinang” → “–”</li>",
    ]:
        assert line in back
    # The four fields, in the order of the child's data, and nothing else.
    assert (
        "<ul><li>status program: “Aktif” → “Keluar”</li>"
        "<li>alasan keluar: “–” → “Pindah”</li>"
        "<li>tanggal keluar: “–” → “1 Juni 2026”</li>"
        "<li>keterangan keluar: “–” → “Pindah ke Pangkalpinang”</li></ul>"
    ) in out
    assert "Didaftarkan oleh sistem" in registered


def test_it_sets_the_child_active_again(client, child, verifikator):
    mark_exited(child, verifikator)
    client.force_login(verifikator)
    r = client.post(url(child), {"status": "active", "current": "exited"}, follow=True)
    assert r.redirect_chain == [(f"/verifikasi/anak/{child.pk}/", 302)]
    assert stored(child) == ACTIVE
    assert child.history.count() == 3
    assert messages_of(r) == ["Anak diaktifkan kembali dalam program."]


def test_it_corrects_the_exit_of_an_exited_child(client, child, verifikator):
    mark_exited(child, verifikator)
    client.force_login(verifikator)
    r = client.post(
        url(child), exit_data(current="exited", reason="died", date="2026-05-30", note="")
    )
    assert r.status_code == 302
    assert stored(child) == ("exited", "died", date(2026, 5, 30), "")


def test_it_says_when_nothing_changed(client, child, verifikator):
    mark_exited(child, verifikator, note="Pindah ke Pangkalpinang")
    client.force_login(verifikator)
    r = client.post(url(child), exit_data(current="exited"), follow=True)
    assert messages_of(r) == ["Status program tidak berubah."]
    assert child.history.count() == 2


def test_it_accepts_a_date_typed_by_hand(client, child, verifikator):
    client.force_login(verifikator)
    r = client.post(url(child), exit_data(date="01/06/2026"))
    assert r.status_code == 302
    assert stored(child)[2] == date(2026, 6, 1)


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        pytest.param({"reason": ""}, "reason", "Pilih alasan keluar.", id="no-reason"),
        pytest.param({"date": ""}, "date", "Isi tanggal keluar.", id="no-date"),
        pytest.param(
            {"date": "2026-06-16"}, "date", "Tanggal keluar tidak boleh di masa depan.", id="future"
        ),
        pytest.param(
            {"date": "2024-01-09"},
            "date",
            "Tanggal keluar tidak boleh sebelum tanggal lahir anak (10-01-2024).",
            id="before-birth",
        ),
        pytest.param(
            {"date": "2025-12-31"},
            "date",
            "Tanggal keluar tidak boleh sebelum anak terdaftar (02-01-2026).",
            id="before-registration",
        ),
        pytest.param({"date": "31-02-2026"}, "date", "tanggal yang valid", id="no-such-date"),
        pytest.param(
            {"reason": "other", "note": "  "},
            "note",
            "Tulis keterangan untuk alasan Lainnya.",
            id="other-without-note",
        ),
        pytest.param(
            {"reason": "aged_out"},
            "date",
            "Anak baru genap 60 bulan pada 10-01-2029",
            id="aged-out-too-young",
        ),
        pytest.param({"note": "x" * 201}, "note", "paling banyak 200 karakter", id="long-note"),
        pytest.param({"reason": "bosan"}, "reason", "pilihan yang valid", id="unknown-reason"),
    ],
)
def test_it_refuses_bad_values_and_keeps_what_was_typed(
    client, child, verifikator, overrides, field, message
):
    client.force_login(verifikator)
    data = exit_data(**overrides)
    r = client.post(url(child), data)
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    html = r.content.decode()
    assert "Status program belum disimpan: periksa isian yang ditandai merah." in html
    assert message in html.replace("&ldquo;", "“").replace("&rdquo;", "”")
    # What was typed is still there, ready to be corrected.
    if field != "date":
        assert f'name="date" value="{data["date"]}"' in html
    if field != "note" and data["note"]:
        assert f"\n{data['note']}</textarea>" in html
    if data["reason"] in Child.ExitReason.values:
        assert re.search(rf'name="reason" value="{data["reason"]}"[^>]*checked', html)
    assert stored(child) == ACTIVE
    assert child.history.count() == 1


def test_it_refuses_an_unknown_status(client, child, verifikator):
    client.force_login(verifikator)
    r = client.post(url(child), exit_data(status="pause"))
    assert r.status_code == 200
    assert "Status program belum disimpan" in r.content.decode()
    assert stored(child) == ACTIVE


def test_it_does_not_overwrite_a_change_made_meanwhile(client, child, verifikator, pimpinan):
    # The page was opened while the child was active; someone closed it before the send.
    mark_exited(child, pimpinan, reason="died", day=date(2026, 6, 10))
    client.force_login(verifikator)
    r = client.post(url(child), exit_data(current="active"), follow=True)
    assert r.redirect_chain == [(f"/verifikasi/anak/{child.pk}/", 302)]
    assert stored(child) == ("exited", "died", date(2026, 6, 10), "")
    assert child.history.count() == 2
    assert messages_of(r) == [
        "Status program tidak disimpan: petugas lain baru saja mengubahnya (sekarang: "
        "Keluar). Periksa lalu ulangi bila perlu."
    ]
