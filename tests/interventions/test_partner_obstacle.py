"""A partner's obstacles: recorded on an assignment (/mitra/tugas/<id>/kendala/) and listed
with their state (/mitra/kendala/)."""

from datetime import timedelta

import pytest

from interventions.models import Intervention, Obstacle
from tests.builders import (
    MITRA_GROUP,
    NOT_LINKED_PARTNER,
    PUSKESMAS,
    login_redirect,
    make_child,
    make_intervention,
    make_obstacle,
    make_user,
    messages_of,
    partner_user,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

LIST = "/mitra/kendala/"


def url(intervention):
    return f"/mitra/tugas/{intervention.pk}/kendala/"


def child_url(intervention):
    return f"/mitra/anak/{intervention.child_id}/"


def data(**overrides):
    values = {
        "date": (today() - timedelta(days=1)).isoformat(),
        "kind": Obstacle.Kind.UNREACHABLE,
        "description": "Nomor HP orang tua tidak aktif",
    }
    values.update(overrides)
    return values


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


@pytest.fixture
def logged_in(client, timah_user):
    client.force_login(timah_user)
    return client


@pytest.fixture
def child(village):
    return make_child(village, name="Bunga Citra")


@pytest.fixture
def pmt(child):
    return make_intervention(child, status=Intervention.Status.RUNNING)


# --- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_the_login_page(client, pmt, method):
    for page in (url(pmt), LIST):
        r = getattr(client, method)(page, data() if method == "post" else None)
        assert (r.status_code, r.url) == (302, login_redirect(page))
    assert Obstacle.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "verifikator", "pimpinan", "desa_user"])
def test_it_refuses_users_without_the_partner_role(client, request, pmt, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(pmt)).status_code == 403
    assert client.post(url(pmt), data()).status_code == 403
    assert client.get(LIST).status_code == 403
    assert Obstacle.objects.count() == 0


def test_it_refuses_a_partner_user_not_linked_to_a_partner(client, pmt):
    client.force_login(make_user("mitra-baru", MITRA_GROUP))
    for page in (url(pmt), LIST):
        r = client.get(page)
        assert r.status_code == 403
        assert NOT_LINKED_PARTNER in r.content.decode()


def test_another_partners_assignment_does_not_exist_for_it(logged_in, child):
    theirs = make_intervention(child, PUSKESMAS, status=Intervention.Status.RUNNING)
    assert logged_in.get(url(theirs)).status_code == 404
    assert logged_in.post(url(theirs), data()).status_code == 404
    assert Obstacle.objects.count() == 0


# --- recording --------------------------------------------------------------------------


def test_it_shows_the_form(logged_in, pmt):
    r = logged_in.get(url(pmt))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Catat kendala: PMT" in html
    assert f'name="date" value="{today().isoformat()}"' in html
    for value, label in Obstacle.Kind.choices:
        assert f'value="{value}"' in html and label in html


def test_it_records_an_obstacle(logged_in, pmt, timah_user):
    r = logged_in.post(url(pmt), data(), follow=True)
    assert r.redirect_chain == [(child_url(pmt), 302)]
    assert messages_of(r) == ["Kendala dicatat; kecamatan akan menindaklanjutinya."]
    obstacle = Obstacle.objects.get()
    assert obstacle.intervention == pmt
    assert obstacle.kind == Obstacle.Kind.UNREACHABLE
    assert obstacle.date == today() - timedelta(days=1)
    assert obstacle.description == "Nomor HP orang tua tidak aktif"
    assert obstacle.status == Obstacle.Status.OPEN
    assert obstacle.reported_by == timah_user
    # The child page shows it with its state, and offers to record another one.
    html = r.content.decode()
    assert "Tidak dapat dihubungi" in html and "belum ditangani" in html
    assert f'href="{url(pmt)}"' in html


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"kind": ""}, "kind", "Pilih kendalanya."),
        (
            {"kind": "banjir"},
            "kind",
            "Masukkan pilihan yang valid. banjir bukan salah satu dari pilihan yang tersedia.",
        ),
        (
            {"kind": Obstacle.Kind.OTHER, "description": "  "},
            "description",
            "Tuliskan kendalanya bila memilih lainnya.",
        ),
        ({"date": ""}, "date", "Bidang ini tidak boleh kosong."),
        ({"date": "kemarin"}, "date", "Masukkan tanggal yang valid."),
        (
            {"date": (today() + timedelta(days=1)).isoformat()},
            "date",
            "Tanggal tidak boleh di masa depan.",
        ),
        (
            {"description": "x" * 1001},
            "description",
            "Pastikan nilai ini mengandung paling banyak 1000 karakter (sekarang 1001 karakter).",
        ),
    ],
)
def test_it_refuses_a_bad_value(logged_in, pmt, overrides, field, message):
    r = logged_in.post(url(pmt), data(**overrides))
    assert r.status_code == 200
    assert r.context["form"].errors[field] == [message]
    assert "Kendala belum dicatat" in r.content.decode()
    assert Obstacle.objects.count() == 0


def test_it_keeps_what_was_typed(logged_in, pmt):
    r = logged_in.post(url(pmt), data(kind=Obstacle.Kind.OTHER, description="", date="x"))
    html = r.content.decode()
    assert 'value="other" id="id_kind_5" required checked' in html
    assert 'value="x"' in html


@pytest.mark.parametrize("status", [Intervention.Status.DONE, Intervention.Status.CANCELLED])
def test_it_sends_a_closed_assignment_back_to_the_child(logged_in, child, status):
    closed = make_intervention(child, status=status, finished_on=today())
    r = logged_in.post(url(closed), data(), follow=True)
    if status == Intervention.Status.CANCELLED:
        # A cancelled assignment is no longer the partner's at all.
        assert r.status_code == 404
    else:
        assert r.redirect_chain == [(child_url(closed), 302)]
        assert messages_of(r) == ["Intervensi ini sudah selesai atau dibatalkan."]
    assert Obstacle.objects.count() == 0


# --- the list ---------------------------------------------------------------------------


def test_it_lists_its_obstacles_with_their_state(logged_in, pmt, child, verifikator):
    handled = make_obstacle(
        pmt,
        kind=Obstacle.Kind.CHILD_ILL,
        date=today() - timedelta(days=5),
        handled_by=verifikator,
        note="Dijadwalkan ulang minggu depan",
    )
    open_ = make_obstacle(pmt, kind=Obstacle.Kind.HELP_LATE)
    theirs = make_intervention(child, PUSKESMAS, status=Intervention.Status.RUNNING)
    make_obstacle(theirs, kind=Obstacle.Kind.REFUSED)

    r = logged_in.get(LIST)
    assert r.status_code == 200
    assert [o.pk for o in r.context["page"]] == [open_.pk, handled.pk]
    html = r.content.decode()
    assert "Bantuan terlambat" in html and "Belum ditangani" in html
    assert "Sudah ditangani" in html and "Dijadwalkan ulang minggu depan" in html
    assert "Menolak bantuan" not in html
    assert [o.pk for o in logged_in.get(LIST, {"status": "open"}).context["page"]] == [open_.pk]
    handled_only = logged_in.get(LIST, {"status": Obstacle.Status.HANDLED}).context["page"]
    assert [o.pk for o in handled_only] == [handled.pk]


def test_it_no_longer_lists_those_of_a_child_out_of_its_reach(logged_in, pmt):
    make_obstacle(pmt)
    Intervention.objects.filter(pk=pmt.pk).update(
        status=Intervention.Status.DONE, finished_on=today() - timedelta(days=400)
    )
    assert list(logged_in.get(LIST).context["page"]) == []
