import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from interventions.models import Intervention, InterventionType, Partner
from tests.builders import (
    PUSKESMAS,
    RUJUKAN,
    TIMAH,
    kind,
    make_child,
    make_intervention,
    messages_of,
    partner,
)

pytestmark = pytest.mark.django_db
URL = "/intervensi/tugaskan/"


def post_data(children, **overrides):
    data = {
        "children": [c.pk for c in children],
        "partner": partner(PUSKESMAS).pk,
        "kind": kind("PMT").pk,
        "start_date": "2026-03-02",
        "planned_end": "2026-05-31",
        "note": "Prioritaskan kunjungan rumah.",
    }
    data.update(overrides)
    return data


def errors(response, field):
    return response.context["form"].errors.get(field, [])


def selected_child(response, child):
    """The assign page's item of one selected child, with its open interventions."""
    html = response.content.decode()
    found = re.search(rf'<li data-child="{child.pk}">(.*?)<p class="assign-note"', html, re.S)
    return found.group(1)


# --- access -------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, village):
    child = make_child(village)
    r = client.get(URL, {"anak": child.pk})
    assert r.status_code == 302
    assert r.url == f"/akun/masuk/?next=/intervensi/tugaskan/%3Fanak%3D{child.pk}"
    r = client.post(URL, post_data([child]))
    assert r.status_code == 302
    assert r.url.startswith("/akun/masuk/")
    assert not Intervention.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "pimpinan", "mitra_user", "desa_user"])
def test_it_refuses_users_who_may_not_assign(client, request, who, village):
    child = make_child(village, name="Rahasia Sekali")
    client.force_login(request.getfixturevalue(who))
    r = client.get(URL, {"anak": child.pk})
    assert r.status_code == 403
    assert b"Rahasia Sekali" not in r.content
    assert client.post(URL, post_data([child])).status_code == 403
    assert not Intervention.objects.exists()


# --- entry points -----------------------------------------------------------------


def test_it_links_the_child_page_to_assign_for_the_verifikator_only(
    client, village, verifikator, pimpinan
):
    child = make_child(village)
    link = f'href="/intervensi/tugaskan/?anak={child.pk}"'
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/anak/{child.pk}/").content.decode()
    assert link in html
    assert "Tugaskan ke mitra" in html

    client.force_login(pimpinan)
    r = client.get(f"/verifikasi/anak/{child.pk}/")
    assert r.status_code == 200
    assert link not in r.content.decode()
    assert "Tugaskan ke mitra" not in r.content.decode()


def test_it_puts_bulk_checkboxes_on_the_children_list_for_the_verifikator_only(
    client, village, verifikator, pimpinan
):
    a = make_child(village, name="Anak Satu")
    b = make_child(village, name="Anak Dua")
    client.force_login(verifikator)
    html = client.get("/verifikasi/anak/").content.decode()
    assert 'action="/intervensi/tugaskan/"' in html
    for c in (a, b):
        assert f'name="anak" value="{c.pk}"' in html

    client.force_login(pimpinan)
    html = client.get("/verifikasi/anak/").content.decode()
    assert "Anak Satu" in html
    assert 'name="anak"' not in html
    assert "/intervensi/tugaskan/" not in html


def test_it_shows_the_selected_children(clock, client, village, other_village, verifikator):
    a = make_child(village, name="Anak Satu")
    b = make_child(other_village, name="Anak Dua")
    make_child(village, name="Tidak Dipilih")
    client.force_login(verifikator)
    r = client.get(f"{URL}?anak={a.pk}&anak={b.pk}")
    assert r.status_code == 200
    assert set(r.context["children"]) == {a, b}
    html = r.content.decode()
    assert "Anak Satu (Matras)" in html
    assert "Anak Dua (Rebo)" in html
    assert "Tidak Dipilih" not in html
    assert "2 anak" in html
    for c in (a, b):
        assert f'name="children" value="{c.pk}"' in html
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html  # start date defaults to today


def test_it_ignores_non_numeric_ids_in_the_link(client, village, verifikator):
    a = make_child(village, name="Anak Satu")
    client.force_login(verifikator)
    r = client.get(URL, {"anak": [a.pk, "abc"]})
    assert r.status_code == 200
    assert list(r.context["children"]) == [a]


def test_it_only_offers_active_partners_and_types(client, village, verifikator):
    Partner.objects.filter(name=TIMAH).update(is_active=False)
    InterventionType.objects.filter(name=RUJUKAN).update(is_active=False)
    client.force_login(verifikator)
    r = client.get(URL, {"anak": make_child(village).pk})
    form = r.context["form"]
    assert partner(PUSKESMAS) in form.fields["partner"].queryset
    assert partner(TIMAH) not in form.fields["partner"].queryset
    assert kind(RUJUKAN) not in form.fields["kind"].queryset
    html = r.content.decode()
    assert "Puskesmas Sungailiat" in html
    assert "PT Timah Tbk" not in html


# --- saving --------------------------------------------------------------------


def test_it_assigns_one_child_and_returns_to_its_page(client, village, verifikator):
    child = make_child(village)
    client.force_login(verifikator)
    r = client.post(URL, post_data([child]))
    assert r.status_code == 302
    assert r.url == f"/verifikasi/anak/{child.pk}/"
    i = Intervention.objects.get()
    assert i.child == child
    assert i.partner == partner(PUSKESMAS)
    assert i.kind == kind("PMT")
    assert i.start_date == date(2026, 3, 2)
    assert i.planned_end == date(2026, 5, 31)
    assert i.note == "Prioritaskan kunjungan rumah."
    assert i.created_by == verifikator
    assert i.status == Intervention.Status.PLANNED
    assert i.started_on is None and i.finished_on is None
    assert messages_of(r) == ["1 anak ditugaskan ke Puskesmas Sungailiat (PMT)."]

    page = client.get(r.url).content.decode()
    assert f'href="/intervensi/{i.pk}/"' in page


def test_it_assigns_many_children_and_returns_to_the_list(
    client, village, other_village, verifikator
):
    children = [
        make_child(village, name="Anak Satu"),
        make_child(other_village, name="Anak Dua"),
        make_child(village, name="Anak Tiga"),
    ]
    make_child(village, name="Tidak Dipilih")
    client.force_login(verifikator)
    data = post_data(children, partner=partner(TIMAH).pk, kind=kind(RUJUKAN).pk, note="")
    r = client.post(URL, data)
    assert r.status_code == 302
    assert r.url == "/intervensi/"
    created = Intervention.objects.order_by("child__name")
    assert [i.child.name for i in created] == ["Anak Dua", "Anak Satu", "Anak Tiga"]
    for i in created:
        assert (i.partner, i.kind, i.status) == (
            partner(TIMAH),
            kind(RUJUKAN),
            Intervention.Status.PLANNED,
        )
        assert (i.start_date, i.planned_end) == (date(2026, 3, 2), date(2026, 5, 31))
        assert i.created_by == verifikator
        assert i.note == ""
    assert messages_of(r) == ["3 anak ditugaskan ke PT Timah Tbk (Rujukan ke fasilitas kesehatan)."]


def test_it_records_the_creator_in_the_history(client, village, verifikator):
    client.force_login(verifikator)
    client.post(URL, post_data([make_child(village)]))
    i = Intervention.objects.get()
    [record] = i.history.all()
    assert record.history_type == "+"
    assert record.history_user == verifikator
    assert record.status == "planned"


def test_it_uses_the_types_default_duration_without_a_planned_end(client, village, verifikator):
    InterventionType.objects.filter(name="PMT").update(default_duration_days=56)
    child = make_child(village)
    client.force_login(verifikator)
    r = client.post(URL, post_data([child], start_date="2026-03-02", planned_end=""))
    assert r.status_code == 302
    assert Intervention.objects.get().planned_end == date(2026, 3, 2) + timedelta(days=56)
    assert Intervention.objects.get().planned_end == date(2026, 4, 27)


def test_it_accepts_the_indonesian_date_format(client, village, verifikator):
    client.force_login(verifikator)
    r = client.post(
        URL, post_data([make_child(village)], start_date="02-03-2026", planned_end="31-05-2026")
    )
    assert r.status_code == 302
    i = Intervention.objects.get()
    assert (i.start_date, i.planned_end) == (date(2026, 3, 2), date(2026, 5, 31))


def test_it_refuses_a_planned_end_before_the_start(client, village, verifikator):
    client.force_login(verifikator)
    r = client.post(
        URL, post_data([make_child(village)], start_date="2026-03-02", planned_end="2026-03-01")
    )
    assert r.status_code == 200
    assert errors(r, "planned_end") == ["Rencana selesai tidak boleh sebelum tanggal mulai."]
    assert "Penugasan belum disimpan" in r.content.decode()
    assert not Intervention.objects.exists()


def test_it_accepts_a_planned_end_on_the_start_day(client, village, verifikator):
    client.force_login(verifikator)
    r = client.post(
        URL, post_data([make_child(village)], start_date="2026-03-02", planned_end="2026-03-02")
    )
    assert r.status_code == 302
    assert Intervention.objects.get().planned_end == date(2026, 3, 2)


def test_it_requires_a_planned_end_for_a_type_without_a_default(client, village, verifikator):
    visit = InterventionType.objects.create(name="Kunjungan rumah")
    child = make_child(village)
    client.force_login(verifikator)
    r = client.post(URL, post_data([child], kind=visit.pk, planned_end=""))
    assert r.status_code == 200
    assert errors(r, "planned_end") == ["Isi rencana selesai: jenis ini tidak punya lama bawaan."]
    assert not Intervention.objects.exists()
    # The selected child stays on the page for the next attempt.
    assert list(r.context["children"]) == [child]
    assert f'name="children" value="{child.pk}"' in r.content.decode()


def test_it_requires_at_least_one_child(client, verifikator):
    client.force_login(verifikator)
    r = client.post(URL, post_data([]))
    assert r.status_code == 200
    assert errors(r, "children") == ["Pilih minimal satu anak dari daftar anak."]
    assert "Pilih minimal satu anak dari daftar anak." in r.content.decode()
    assert not Intervention.objects.exists()


def test_it_refuses_an_unknown_child(client, village, verifikator):
    child = make_child(village)
    client.force_login(verifikator)
    r = client.post(URL, {**post_data([child]), "children": [child.pk, 999999]})
    assert r.status_code == 200
    assert errors(r, "children") == ["Anak nomor 999999 tidak terdaftar."]
    assert "Anak nomor 999999 tidak terdaftar." in r.content.decode()
    assert not Intervention.objects.exists()


def test_it_refuses_an_inactive_partner(client, village, verifikator):
    Partner.objects.filter(name=TIMAH).update(is_active=False)
    client.force_login(verifikator)
    r = client.post(URL, post_data([make_child(village)], partner=partner(TIMAH).pk))
    assert r.status_code == 200
    assert errors(r, "partner")
    assert not Intervention.objects.exists()


def test_it_refuses_an_inactive_type(client, village, verifikator):
    InterventionType.objects.filter(name=RUJUKAN).update(is_active=False)
    client.force_login(verifikator)
    r = client.post(URL, post_data([make_child(village)], kind=kind(RUJUKAN).pk))
    assert r.status_code == 200
    assert errors(r, "kind")
    assert not Intervention.objects.exists()


@pytest.mark.parametrize("field", ["partner", "kind", "start_date"])
def test_it_requires_partner_type_and_start(client, village, verifikator, field):
    client.force_login(verifikator)
    r = client.post(URL, post_data([make_child(village)], **{field: ""}))
    assert r.status_code == 200
    assert errors(r, field)
    assert not Intervention.objects.exists()


def test_it_adds_to_existing_interventions(client, village, verifikator):
    child = make_child(village)
    existing = make_intervention(child, TIMAH, created_by=verifikator)
    client.force_login(verifikator)
    r = client.post(URL, post_data([child]))
    assert r.status_code == 302
    assert child.interventions.count() == 2
    existing.refresh_from_db()
    assert existing.partner == partner(TIMAH)


def test_it_refuses_a_start_before_the_childs_birth(client, verifikator, village):
    from datetime import timedelta

    from django.utils import timezone

    from interventions.models import Intervention, InterventionType, Partner

    baby = make_child(village, name="Bayi", birth_date=timezone.localdate() - timedelta(days=3))
    client.force_login(verifikator)
    r = client.post(
        "/intervensi/tugaskan/",
        {
            "children": [baby.pk],
            "partner": Partner.objects.get(name="PT Timah Tbk").pk,
            "kind": InterventionType.objects.get(name="PMT").pk,
            "start_date": (timezone.localdate() - timedelta(days=10)).isoformat(),
        },
    )
    assert r.status_code == 200
    assert r.context["form"].errors["start_date"] == ["Tanggal mulai sebelum tanggal lahir Bayi."]
    assert not Intervention.objects.exists()


# --- open interventions and duplicates ----------------------------------------------


def test_it_shows_each_childs_open_interventions(client, village, verifikator):
    a = make_child(village, name="Anak Satu")
    b = make_child(village, name="Anak Dua")
    running = make_intervention(a, TIMAH, status=Intervention.Status.RUNNING)
    make_intervention(a, PUSKESMAS, kind=RUJUKAN, status=Intervention.Status.DONE)
    make_intervention(b, PUSKESMAS, status=Intervention.Status.CANCELLED)
    client.force_login(verifikator)
    r = client.get(URL, {"anak": [a.pk, b.pk]})
    first, second = selected_child(r, a), selected_child(r, b)
    assert f'data-kind="{running.kind_id}" data-partner="{running.partner_id}"' in first
    assert f"PMT oleh PT Timah Tbk — berjalan sejak {running.start_date:%d-%m-%Y}" in first
    # Finished and cancelled help is not in the way of a new assignment.
    assert "Rujukan" not in first
    assert "Sungailiat" not in second
    assert "belum ada intervensi yang direncanakan atau berjalan" in second


@pytest.mark.parametrize("status", [Intervention.Status.PLANNED, Intervention.Status.RUNNING])
def test_it_refuses_the_same_type_by_the_same_partner_still_open(
    client, village, verifikator, status
):
    child = make_child(village, name="Putri Ayu")
    existing = make_intervention(
        child, TIMAH, status=status, start_date=date(2026, 3, 2), created_by=verifikator
    )
    client.force_login(verifikator)
    r = client.post(URL, post_data([child], partner=partner(TIMAH).pk))
    assert r.status_code == 200
    message = (
        f"Putri Ayu tidak ditugaskan: sudah ada PMT oleh PT Timah Tbk yang "
        f"{existing.get_status_display().lower()} (mulai 02-03-2026)."
    )
    assert errors(r, "children") == [message]
    html = r.content.decode()
    assert "Penugasan belum disimpan" in html
    assert message in html
    assert list(Intervention.objects.all()) == [existing]
    # What was typed stays for another try.
    assert "Prioritaskan kunjungan rumah." in html


@pytest.mark.parametrize("status", [Intervention.Status.DONE, Intervention.Status.CANCELLED])
def test_it_assigns_again_after_the_same_help_ended(client, village, verifikator, status):
    child = make_child(village)
    make_intervention(child, TIMAH, status=status)
    client.force_login(verifikator)
    r = client.post(URL, post_data([child], partner=partner(TIMAH).pk))
    assert r.status_code == 302
    assert child.interventions.filter(status=Intervention.Status.PLANNED).count() == 1
    assert messages_of(r) == ["1 anak ditugaskan ke PT Timah Tbk (PMT)."]


def test_it_assigns_another_type_by_the_same_partner(client, village, verifikator):
    child = make_child(village)
    make_intervention(child, TIMAH)
    client.force_login(verifikator)
    r = client.post(URL, post_data([child], partner=partner(TIMAH).pk, kind=kind(RUJUKAN).pk))
    assert r.status_code == 302
    assert child.interventions.count() == 2
    assert messages_of(r) == ["1 anak ditugaskan ke PT Timah Tbk (Rujukan ke fasilitas kesehatan)."]


def test_it_warns_but_assigns_the_same_type_by_another_partner(client, village, verifikator):
    child = make_child(village, name="Putri Ayu")
    make_intervention(
        child, PUSKESMAS, status=Intervention.Status.RUNNING, start_date=date(2026, 2, 1)
    )
    client.force_login(verifikator)
    r = client.post(URL, post_data([child], partner=partner(TIMAH).pk))
    assert r.status_code == 302
    assert r.url == f"/verifikasi/anak/{child.pk}/"
    assert child.interventions.filter(partner=partner(TIMAH)).count() == 1
    assert messages_of(r) == [
        "1 anak ditugaskan ke PT Timah Tbk (PMT).",
        "Perhatian: Putri Ayu juga mendapat PMT dari Puskesmas Sungailiat (berjalan, mulai "
        "01-02-2026); pastikan bantuannya tidak ganda.",
    ]


def test_in_bulk_it_refuses_only_the_duplicates_and_names_everyone(client, village, verifikator):
    a = make_child(village, name="Anak Satu")
    b = make_child(village, name="Anak Dua")
    c = make_child(village, name="Anak Tiga")
    d = make_child(village, name="Anak Empat")
    old_b = make_intervention(b, TIMAH, start_date=date(2026, 2, 1))
    old_d = make_intervention(
        d, TIMAH, status=Intervention.Status.RUNNING, start_date=date(2026, 1, 5)
    )
    make_intervention(c, PUSKESMAS, start_date=date(2026, 2, 20))
    client.force_login(verifikator)
    r = client.post(URL, post_data([a, b, c, d], partner=partner(TIMAH).pk))
    assert r.status_code == 302
    assert r.url == "/intervensi/"

    new = Intervention.objects.filter(partner=partner(TIMAH), start_date=date(2026, 3, 2))
    assert sorted(i.child.name for i in new) == ["Anak Satu", "Anak Tiga"]
    assert list(b.interventions.all()) == [old_b]
    assert list(d.interventions.all()) == [old_d]
    assert messages_of(r) == [
        "2 anak ditugaskan ke PT Timah Tbk (PMT): Anak Satu, Anak Tiga.",
        "Anak Dua tidak ditugaskan: sudah ada PMT oleh PT Timah Tbk yang direncanakan "
        "(mulai 01-02-2026).",
        "Anak Empat tidak ditugaskan: sudah ada PMT oleh PT Timah Tbk yang berjalan "
        "(mulai 05-01-2026).",
        "Perhatian: Anak Tiga juga mendapat PMT dari Puskesmas Sungailiat (direncanakan, "
        "mulai 20-02-2026); pastikan bantuannya tidak ganda.",
    ]
    page = client.get(r.url).content.decode()
    assert "Anak Dua tidak ditugaskan" in page


def test_in_bulk_it_creates_nothing_when_every_child_is_a_duplicate(client, village, verifikator):
    a = make_child(village, name="Anak Satu")
    b = make_child(village, name="Anak Dua")
    for c in (a, b):
        make_intervention(c, TIMAH, start_date=date(2026, 2, 1))
    client.force_login(verifikator)
    r = client.post(URL, post_data([a, b], partner=partner(TIMAH).pk))
    assert r.status_code == 200
    assert errors(r, "children") == [
        f"{name} tidak ditugaskan: sudah ada PMT oleh PT Timah Tbk yang direncanakan "
        "(mulai 01-02-2026)."
        for name in ("Anak Dua", "Anak Satu")
    ]
    assert Intervention.objects.count() == 2
    # Both children stay selected on the page.
    assert set(r.context["children"]) == {a, b}


def test_the_service_refuses_a_duplicate_made_meanwhile_and_creates_nothing(village, verifikator):
    # Another verifikator assigned the child between the form's check and the save.
    from interventions.services import DuplicateAssignment, intervention_assign

    a = make_child(village, name="Anak Satu")
    b = make_child(village, name="Anak Dua")
    existing = make_intervention(b, TIMAH)
    with pytest.raises(DuplicateAssignment) as raised:
        intervention_assign(
            children=[a, b],
            partner=partner(TIMAH),
            kind=kind("PMT"),
            start_date=date(2026, 3, 2),
            planned_end=date(2026, 5, 31),
            note="",
            user=verifikator,
        )
    assert raised.value.existing == [existing]
    assert list(Intervention.objects.all()) == [existing]


def test_a_duplicate_made_meanwhile_is_explained_on_the_page(
    client, village, verifikator, monkeypatch
):
    from interventions import views
    from interventions.services import DuplicateAssignment

    child = make_child(village, name="Putri Ayu")
    other = make_intervention(make_child(village, name="Lain"), TIMAH)
    other.child = child  # as the other verifikator's assignment would read

    def raced(**kwargs):
        raise DuplicateAssignment([other])

    monkeypatch.setattr(views, "intervention_assign", raced)
    client.force_login(verifikator)
    r = client.post(URL, post_data([child], partner=partner(TIMAH).pk))
    assert r.status_code == 200
    assert errors(r, "children")[0].startswith("Putri Ayu tidak ditugaskan: sudah ada PMT")


def test_it_refuses_a_child_merged_into_another(client, village, verifikator):
    kept = make_child(village, name="Anak Tetap")
    merged = make_child(village, name="Anak Ganda", merged_into=kept)
    client.force_login(verifikator)
    r = client.post(URL, post_data([merged]))
    assert r.status_code == 200
    assert errors(r, "children") == [f"Anak nomor {merged.pk} tidak terdaftar."]
    assert not Intervention.objects.exists()
    assert list(client.get(URL, {"anak": merged.pk}).context["children"]) == []
