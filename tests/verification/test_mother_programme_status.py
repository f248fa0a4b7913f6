"""A mother leaves the programme (with a reason) or comes back."""

from datetime import timedelta

import pytest

from registrations.models import Mother
from tests.builders import TODAY, login_redirect, make_mother, messages_of

pytestmark = pytest.mark.django_db


def url(mother):
    return f"/verifikasi/ibu/{mother.pk}/status-program/"


def exit_data(mother, **overrides):
    values = {
        "status": "exited",
        "current": mother.programme_status,
        "reason": "finished",
        "date": TODAY.strftime("%d-%m-%Y"),
        "note": "",
    }
    values.update(overrides)
    return values


def test_it_sends_anonymous_users_to_the_login_page(client, village):
    mother = make_mother(village)
    r = client.get(url(mother))
    assert r.status_code == 302 and r.url == login_redirect(url(mother))


@pytest.mark.parametrize("who", ["pimpinan", "outsider", "mitra_user", "desa_user"])
def test_only_the_verifikator_changes_it(client, request, who, village):
    mother = make_mother(village)
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(mother)).status_code == 403
    assert client.post(url(mother), exit_data(mother)).status_code == 403
    mother.refresh_from_db()
    assert mother.programme_status == Mother.ProgrammeStatus.ACTIVE


def test_it_marks_her_exit_with_the_reason(client, village, verifikator, clock):
    mother = make_mother(village)
    client.force_login(verifikator)
    assert client.get(url(mother)).status_code == 200
    r = client.post(url(mother), exit_data(mother, reason="moved", note="Pindah ke Pangkalpinang"))
    assert r.status_code == 302 and r.url == f"/verifikasi/ibu/{mother.pk}/"
    assert messages_of(r) == ["Ibu ditandai keluar dari program (pindah)."]
    mother.refresh_from_db()
    assert (mother.programme_status, mother.exit_reason, mother.exit_date, mother.exit_note) == (
        "exited",
        "moved",
        TODAY,
        "Pindah ke Pangkalpinang",
    )
    assert mother.history.first().history_user == verifikator
    html = client.get(f"/verifikasi/ibu/{mother.pk}/").content.decode()
    assert "alasan pindah (“Pindah ke Pangkalpinang”)" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reason": ""}, "reason", "Pilih alasan keluar."),
        ({"reason": "other"}, "note", "Tulis keterangan untuk alasan Lainnya."),
        ({"date": ""}, "date", "Isi tanggal keluar."),
        ({"date": "futur"}, "date", "Masukkan tanggal yang valid."),
    ],
)
def test_it_explains_what_is_missing(
    client, village, verifikator, clock, overrides, field, message
):
    mother = make_mother(village)
    client.force_login(verifikator)
    r = client.post(url(mother), exit_data(mother, **overrides))
    assert r.status_code == 200
    assert message in " ".join(r.context["form"].errors[field])
    assert "Status program belum disimpan" in r.content.decode()
    mother.refresh_from_db()
    assert mother.programme_status == "active"


def test_the_date_is_neither_in_the_future_nor_before_registration(
    client, village, verifikator, clock
):
    mother = make_mother(village)
    client.force_login(verifikator)
    tomorrow = (TODAY + timedelta(days=1)).strftime("%d-%m-%Y")
    r = client.post(url(mother), exit_data(mother, date=tomorrow))
    assert "Tanggal keluar tidak boleh di masa depan." in r.content.decode()
    earlier = (TODAY - timedelta(days=5)).strftime("%d-%m-%Y")
    r = client.post(url(mother), exit_data(mother, date=earlier))
    assert "Tanggal keluar tidak boleh sebelum ibu terdaftar" in r.content.decode()
    mother.refresh_from_db()
    assert mother.programme_status == "active"


def test_it_brings_her_back(client, village, verifikator, clock):
    mother = make_mother(village, programme_status="exited", exit_reason="moved", exit_date=TODAY)
    client.force_login(verifikator)
    r = client.post(url(mother), {"status": "active", "current": "exited"})
    assert messages_of(r) == ["Ibu diaktifkan kembali dalam program."]
    mother.refresh_from_db()
    assert (mother.programme_status, mother.exit_reason, mother.exit_date) == ("active", "", None)


def test_it_refuses_a_change_made_on_a_stale_page(client, village, verifikator, clock):
    mother = make_mother(village)
    client.force_login(verifikator)
    r = client.post(url(mother), exit_data(mother, current="exited"))
    assert r.status_code == 302
    assert "petugas lain baru saja mengubahnya" in messages_of(r)[0]
    mother.refresh_from_db()
    assert mother.programme_status == "active"
