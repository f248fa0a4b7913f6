"""/intervensi/tugaskan/ibu/<id>/: a verifikator assigns a mother to a partner, with the kinds
for mothers only; and the mother page's interventions section this app provides."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory

from interventions.models import Intervention, InterventionType
from interventions.views import staff_mother_url
from tests.builders import (
    KELAS_IBU,
    PMT,
    PMT_IBU,
    PUSKESMAS,
    TIMAH,
    kind,
    login_redirect,
    make_intervention,
    make_mother,
    messages_of,
    partner,
    partner_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
NIK = "1901014507950001"
KK = "1901010101209999"


def url(mother):
    return f"/intervensi/tugaskan/ibu/{mother.pk}/"


@pytest.fixture
def mother(village):
    return make_mother(village, name="Siti Aminah", kk_number=KK, address="Jl. Rahasia 7")


def post_data(**overrides):
    data = {
        "partner": partner(TIMAH).pk,
        "kind": kind(PMT_IBU).pk,
        "start_date": "2026-03-16",
        "planned_end": "",
        "note": "Pantau LiLA tiap bulan.",
    }
    data.update(overrides)
    return data


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, mother):
    r = client.get(url(mother))
    assert r.status_code == 302
    assert r.url == login_redirect(url(mother))
    r = client.post(url(mother), post_data())
    assert r.status_code == 302 and r.url.startswith("/akun/masuk/")
    assert not Intervention.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "pimpinan", "mitra_user", "desa_user"])
def test_it_refuses_users_who_may_not_assign(client, request, who, mother):
    client.force_login(request.getfixturevalue(who))
    r = client.get(url(mother))
    assert r.status_code == 403
    assert b"Siti Aminah" not in r.content
    assert client.post(url(mother), post_data()).status_code == 403
    assert not Intervention.objects.exists()


def test_it_answers_404_for_an_unknown_mother(client, verifikator):
    client.force_login(verifikator)
    assert client.get("/intervensi/tugaskan/ibu/999999/").status_code == 404
    assert client.get("/intervensi/tugaskan/ibu/99999999999999999999999/").status_code == 404


def test_it_answers_404_for_a_mother_merged_into_another(client, verifikator, village, mother):
    merged = make_mother(village, name="Siti A.", merged_into=mother)
    client.force_login(verifikator)
    assert client.get(url(merged)).status_code == 404
    assert client.post(url(merged), post_data()).status_code == 404
    assert not Intervention.objects.exists()


# --- the page -------------------------------------------------------------------


def test_it_offers_only_the_active_kinds_for_mothers(client, verifikator, mother):
    InterventionType.objects.filter(name=KELAS_IBU).update(is_active=False)
    client.force_login(verifikator)
    r = client.get(url(mother))
    assert r.status_code == 200
    kinds = set(r.context["form"].fields["kind"].queryset)
    assert kinds == set(
        InterventionType.objects.filter(target="mother", is_active=True).exclude(name=KELAS_IBU)
    )
    assert kind(PMT_IBU) in kinds and kind(PMT) not in kinds
    html = r.content.decode()
    assert "Siti Aminah" in html and "Hamil 5 bulan" in html
    assert KK not in html


def test_it_shows_her_open_interventions(client, verifikator, mother):
    make_intervention(mother, PUSKESMAS, kind=KELAS_IBU)
    make_intervention(mother, kind=PMT_IBU, status=Intervention.Status.DONE)
    client.force_login(verifikator)
    r = client.get(url(mother))
    assert list(r.context["open_interventions"].values_list("kind__name", flat=True)) == [KELAS_IBU]
    assert "Kelas ibu hamil oleh Puskesmas Sungailiat" in r.content.decode()


# --- saving ---------------------------------------------------------------------


def test_it_assigns_her_with_the_kinds_default_duration(client, verifikator, mother):
    client.force_login(verifikator)
    r = client.post(url(mother), post_data())
    created = Intervention.objects.get()
    assert created.mother == mother and created.child is None
    assert (created.kind, created.partner) == (kind(PMT_IBU), partner(TIMAH))
    assert created.start_date == date(2026, 3, 16)
    assert created.planned_end == date(2026, 3, 16) + timedelta(days=120)
    assert created.note == "Pantau LiLA tiap bulan."
    assert created.created_by == verifikator
    # Back to her page in the registry, or where there is none, to the assignment's page.
    assert r.status_code == 302
    assert r.url == (staff_mother_url(mother) or f"/intervensi/{created.pk}/")
    assert messages_of(r) == ["Siti Aminah ditugaskan ke PT Timah Tbk (PMT ibu hamil KEK)."]


def test_it_mails_the_partner_users(
    client, verifikator, mother, django_capture_on_commit_callbacks
):
    partner_user("timah-1", email="ani@timah.example")
    client.force_login(verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(mother), post_data())
    [m] = mail.outbox
    created = Intervention.objects.get()
    assert m.subject == (
        "GASKEN: 1 ibu hamil/menyusui baru ditugaskan ke PT Timah Tbk (PMT ibu hamil KEK)"
    )
    assert f"/mitra/ibu/{mother.pk}/#assignment-{created.pk}" in m.body
    whole = m.subject + m.body + m.alternatives[0][0]
    for secret in [NIK, KK, "Jl. Rahasia", "Pantau LiLA"]:
        assert secret not in whole, secret


def test_it_refuses_a_childs_kind(client, verifikator, mother):
    client.force_login(verifikator)
    r = client.post(url(mother), post_data(kind=kind(PMT).pk))
    assert r.status_code == 200
    assert r.context["form"].errors["kind"]
    assert not Intervention.objects.exists()


def test_it_refuses_the_same_kind_by_the_same_partner_and_keeps_the_input(
    client, verifikator, mother
):
    make_intervention(mother, status=Intervention.Status.RUNNING)
    client.force_login(verifikator)
    r = client.post(url(mother), post_data(note="Catatan yang diketik"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Siti Aminah tidak ditugaskan: sudah ada PMT ibu hamil KEK oleh PT Timah Tbk" in html
    assert "Catatan yang diketik" in html
    assert Intervention.objects.count() == 1


def test_it_warns_but_assigns_the_same_kind_by_another_partner(client, verifikator, mother):
    make_intervention(mother, PUSKESMAS)
    client.force_login(verifikator)
    r = client.post(url(mother), post_data())
    assert r.status_code == 302
    assert Intervention.objects.filter(mother=mother, partner=partner(TIMAH)).exists()
    [_, warning] = messages_of(r)
    assert warning.startswith("Perhatian: Siti Aminah juga mendapat PMT ibu hamil KEK dari ")


def test_it_refuses_a_planned_end_before_the_start(client, verifikator, mother):
    client.force_login(verifikator)
    r = client.post(url(mother), post_data(planned_end="2026-03-01"))
    assert r.context["form"].errors["planned_end"] == [
        "Rencana selesai tidak boleh sebelum tanggal mulai."
    ]
    assert not Intervention.objects.exists()


def test_a_duplicate_made_meanwhile_is_explained_on_the_page(
    client, verifikator, mother, monkeypatch
):
    from interventions import views

    real = views.intervention_assign

    def raced(**kwargs):
        make_intervention(mother, status=Intervention.Status.PLANNED)
        return real(**kwargs)

    monkeypatch.setattr(views, "intervention_assign", raced)
    client.force_login(verifikator)
    r = client.post(url(mother), post_data())
    assert r.status_code == 200
    assert "tidak ditugaskan: sudah ada PMT ibu hamil KEK" in r.content.decode()
    assert Intervention.objects.count() == 1


# --- the mother page's section ----------------------------------------------------


def render_section(user, mother):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load interventions %}{% mother_interventions_section mother %}")
    return template.render(Context({"request": request, "mother": mother}))


def test_the_section_lists_her_interventions_and_links_to_assign(verifikator, mother):
    intervention = make_intervention(mother, kind=KELAS_IBU)
    html = render_section(verifikator, mother)
    assert f'<a href="/intervensi/{intervention.pk}/">Kelas ibu hamil</a> oleh PT Timah Tbk' in html
    assert f'href="/intervensi/tugaskan/ibu/{mother.pk}/"' in html


def test_the_section_shows_no_assign_link_to_officials(pimpinan, mother):
    make_intervention(mother)
    html = render_section(pimpinan, mother)
    assert "PMT ibu hamil KEK" in html
    assert "/intervensi/tugaskan/" not in html


def test_the_section_shows_no_assign_link_for_a_merged_mother(verifikator, village, mother):
    merged = make_mother(village, merged_into=mother)
    html = render_section(verifikator, merged)
    assert "Belum ada intervensi." in html
    assert "/intervensi/tugaskan/" not in html


def test_the_section_lists_only_her_interventions(verifikator, village, mother):
    make_intervention(make_mother(village, name="Ibu Lain"), kind=KELAS_IBU)
    assert "Belum ada intervensi." in render_section(verifikator, mother)
