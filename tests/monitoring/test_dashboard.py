import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations.models import Posyandu, Village
from tests.builders import (
    kecamatan_user,
    login_redirect,
    make_delivery,
    make_user,
    partner_user,
    village_user,
)
from tests.monitoring.dataset import MATRAS, child_of, decided, intervene, measure, report
from verification.models import Decision

URL = "/pemantauan/"


@pytest.fixture
def matras_user(dataset):
    return village_user("desa-matras", dataset.matras)


def test_it_requires_login(client, db):
    r = client.get(URL)
    assert r.status_code == 302 and r.url == login_redirect(URL)


def test_it_refuses_a_partner(client, db):
    client.force_login(partner_user("mitra-timah"))
    assert client.get(URL).status_code == 403


def test_it_refuses_an_account_without_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_it_refuses_a_village_role_without_its_village(client, desa_user):
    client.force_login(desa_user)
    assert client.get(URL).status_code == 403


def test_it_refuses_an_inactive_village_government(client, village):
    user = village_user("desa-lama", village)
    village.government.is_active = False
    village.government.save()
    client.force_login(user)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", ["verifikator", "pimpinan"])
def test_it_shows_the_kecamatan_to_staff(client, dataset, role, request):
    client.force_login(request.getfixturevalue(role))
    r = client.get(URL)
    assert r.status_code == 200
    ctx = r.context
    assert len(ctx["rows"]) == 13
    assert ctx["total"]["reports"] == 13
    assert ctx["total"]["prevalence"] == 71.4
    assert ctx["reports"]["received"] == 13
    assert ctx["reports"]["verified_children"] == 7
    assert ctx["reports"]["median_days"] == 2.5
    assert ctx["reports"]["pending_overdue"] == 2
    assert ctx["reach_share"] == 60.0  # 3 of the 5 active stunted children
    assert ctx["worklists"] == {
        "overdue": 2,  # Fajar's monitoring, Rudi's PMT
        "turning_five": 1,  # Fajar
        "not_helped": 2,  # Citra, Rudi
        "not_stunted_help": 1,  # Dodi
    }
    html = r.content.decode()
    assert "Semua kelurahan/desa · periode 1 Jan 2026 – 31 Des 2026" in html
    assert "<svg" in html and html.count("<svg") == 3
    # Names of children belong to lists, not to the dashboard.
    assert "Rudi" not in html and "Andi" not in html


def test_staff_numbers_link_to_the_lists_behind_them(client, dataset, verifikator):
    client.force_login(verifikator)
    html = client.get(URL).content.decode()
    period = "date_from=2026-01-01&amp;date_to=2026-12-31"
    assert f'href="/verifikasi/?status=pending&amp;{period}">3</a>' in html
    assert f'href="/pemantauan/daftar/laporan-tertunda/?{period}">2</a>' in html
    assert f'href="/pemantauan/daftar/stunting-tanpa-intervensi/?{period}">2</a>' in html
    assert f'href="/pemantauan/daftar/anak/?{period}&amp;tbu=pendek">3</a>' in html
    timah = dataset.interventions["andi_pmt"].partner_id
    pmt = dataset.interventions["andi_pmt"].kind_id
    assert f'href="/intervensi/?partner={timah}&amp;kind={pmt}&amp;overdue=on">1</a>' in html
    links = {"planned": 2, "running": 1, "done": 1, "cancelled": 1}
    for status, n in links.items():
        link = f'href="/intervensi/?partner={timah}&amp;kind={pmt}&amp;status={status}">{n}</a>'
        assert link in html


def test_it_counts_group_activities_and_obstacles(client, dataset, verifikator):
    client.force_login(verifikator)
    r = client.get(URL)
    assert (r.context["activities"]["activities"], r.context["activities"]["people"]) == (3, 48)
    assert r.context["obstacle_total"][1:4] == (3, 2, 5)
    html = r.content.decode()
    period = "date_from=2026-01-01&amp;date_to=2026-12-31"
    # Each count opens the list behind it: activities by village, partner and month, the
    # obstacles by kind and status.
    assert f'href="/kegiatan/?{period}">3</a>' in html
    assert f'href="/kegiatan/?{period}&amp;village={dataset.matras.pk}">2</a>' in html
    puskesmas = dataset.activities["A3"].partners.get().pk
    assert f'href="/kegiatan/?{period}&amp;partner={puskesmas}">2</a>' in html
    assert 'href="/kegiatan/?date_from=2026-02-01&amp;date_to=2026-02-28">2</a>' in html
    assert f'href="/kendala/?{period}&amp;status=open&amp;kind=child_ill">1</a>' in html
    assert f'href="/kendala/?{period}&amp;status=handled">2</a>' in html
    assert f'href="/kendala/?{period}&amp;status=all">5</a>' in html
    assert "Orang terjangkau" in html


def test_staff_can_narrow_it_to_a_village_and_a_period(client, dataset, verifikator):
    client.force_login(verifikator)
    r = client.get(
        URL, {"village": dataset.matras.pk, "date_from": "2026-01-01", "date_to": "2026-03-31"}
    )
    assert [row["code"] for row in r.context["rows"]] == [MATRAS]
    assert r.context["reports"]["received"] == 6
    assert r.context["total"]["left_stunting"] == 0
    assert r.context["filters"].area == "Kelurahan Matras"
    assert f"village={dataset.matras.pk}" in r.context["links"]["not_helped"]


def test_it_reports_a_bad_period(client, dataset, verifikator):
    client.force_login(verifikator)
    r = client.get(URL, {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert r.status_code == 200
    assert "Tanggal akhir sebelum tanggal awal." in r.content.decode()
    assert r.context["reports"]["received"] == 13  # the default period instead


def test_a_village_user_sees_only_the_own_village(client, dataset, matras_user):
    client.force_login(matras_user)
    r = client.get(URL)
    assert r.status_code == 200
    ctx = r.context
    assert [row["code"] for row in ctx["rows"]] == [MATRAS]
    assert ctx["total"]["reports"] == 11
    assert ctx["total"]["prevalence"] == 66.7
    assert ctx["reports"]["pending_overdue"] == 1  # S8; Rebo's R2 is not Matras'
    assert ctx["worklists"]["overdue"] == 1
    assert ctx["worklists"]["not_helped"] == 1
    assert ctx["participation"]["kader"] == 2
    html = r.content.decode()
    assert "Kelurahan Matras · periode" in html
    assert "Rebo" not in html
    # Village users do not work the verification queue or the intervention list.
    assert "/verifikasi/" not in html and "/intervensi/" not in html
    assert "laporan-tertunda" not in html
    # Their village's activities and obstacles, counted but not linked to staff pages.
    assert (ctx["activities"]["activities"], ctx["activities"]["people"]) == (2, 37)
    assert ctx["obstacle_total"][1:4] == (3, 1, 4)
    assert 'href="/kegiatan/' not in html and 'href="/kendala/' not in html


def test_a_village_user_cannot_pick_another_village(client, dataset, matras_user):
    client.force_login(matras_user)
    r = client.get(URL, {"village": dataset.rebo.pk})
    assert [row["code"] for row in r.context["rows"]] == [MATRAS]
    assert r.context["reports"]["received"] == 11
    assert "Rebo" not in r.content.decode()


def test_the_menu_offers_it(client, dataset, matras_user):
    client.force_login(matras_user)
    html = client.get("/desa/").content.decode()
    assert 'href="/pemantauan/"' in html


def _add_children(n, first=0):
    """`n` children of Matras, each reported and verified, measured again, and helped."""
    village = Village.objects.get(code=MATRAS)
    posyandu = Posyandu.objects.get_or_create(name="Melati", village=village, code="melati")[0]
    staff = kecamatan_user()
    for i in range(first, first + n):
        s = report(
            village,
            posyandu,
            name=f"Anak {i}",
            sex="L" if i % 2 else "P",
            birth=date(2024, 1, 1),
            measured_on=date(2026, 1, 10),
            haz=-2.5,
            created=date(2026, 1, 11),
        )
        decided(s, Decision.Action.VERIFIED_NEW, 2)
        child = child_of(s)
        measure(child, date(2026, 4, 10), -1.5 if i % 3 else -2.8)
        helped = intervene(child, "PT Timah Tbk", "PMT", "running", date(2026, 1, 15))
        make_delivery(helped, staff, date=date(2026, 2, 1))


@pytest.mark.parametrize("role", ["verifikator", "village"])
def test_its_number_of_queries_does_not_grow_with_the_children(client, db, clock, role):
    user = (
        make_user("staf", "Verifikator Kecamatan")
        if role == "verifikator"
        else village_user("desa-matras", Village.objects.get(code=MATRAS))
    )
    client.force_login(user)
    counts = []
    for n, first in ((3, 0), (27, 3)):
        _add_children(n, first)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(URL, {"segar": "1"})
        assert r.context["total"]["active_children"] == n + first
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_menu_leaves_it_out_for_an_inactive_village_government(village):
    from gasken.navigation import pages_for

    user = village_user("desa-lama", village)
    village.government.is_active = False
    village.government.save()
    user = type(user).objects.get(pk=user.pk)
    assert "/pemantauan/" not in [url for _, url in pages_for(user)]


def test_it_reuses_the_figures_until_asked_to_count_again(client, dataset, verifikator, clock):
    client.force_login(verifikator)
    first = client.get(URL)
    assert first.context["reports"]["received"] == 13
    assert "Angka dihitung" in first.content.decode()
    report(
        dataset.matras,
        None,
        name="Anak Baru",
        sex="P",
        birth=date(2025, 1, 1),
        measured_on=date(2026, 3, 1),
        haz=-1.0,
        created=date(2026, 3, 1),
    )
    clock.shift(60)
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(URL)
    # The kept figures: counted at the first visit, without the indicator queries.
    assert again.context["reports"]["received"] == 13
    assert again.context["computed_at"] == first.context["computed_at"]
    assert len(ctx.captured_queries) < 10
    fresh = client.get(URL, {"segar": "1"})
    assert fresh.context["reports"]["received"] == 14
    assert fresh.context["computed_at"] > first.context["computed_at"]
    assert client.get(URL).context["reports"]["received"] == 14


def test_the_kept_figures_belong_to_their_filters(client, dataset, verifikator, matras_user):
    client.force_login(verifikator)
    assert client.get(URL).context["total"]["reports"] == 13
    # A village user never gets the kecamatan's figures, nor another period's.
    client.force_login(matras_user)
    assert client.get(URL).context["total"]["reports"] == 11
    client.force_login(verifikator)
    r = client.get(URL, {"village": dataset.matras.pk})
    assert r.context["total"]["reports"] == 11
    r = client.get(URL, {"date_from": "2026-02-01", "date_to": "2026-12-31"})
    assert r.context["total"]["reports"] < 13


def test_refresh_dashboard_counts_the_usual_views_beforehand(client, dataset, verifikator):
    out = io.StringIO()
    call_command("refresh_dashboard", stdout=out)
    assert "kecamatan dan 13 kelurahan/desa" in out.getvalue()
    client.force_login(verifikator)
    for params in ({}, {"village": dataset.matras.pk}):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(URL, params)
        assert r.status_code == 200
        assert len(ctx.captured_queries) < 10
    assert r.context["total"]["reports"] == 11
