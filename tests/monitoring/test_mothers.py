"""The dashboard's pregnant and breastfeeding mothers: figures, their worklist, and that
mothers and children never count in each other's figures (dataset.add_mothers)."""

from datetime import date

import pytest

from monitoring import indicators as ind
from registrations.models import ReportedAs, Village
from tests.builders import login_redirect, partner_user, village_user
from tests.monitoring.dataset import (
    KELAS_IBU,
    MATRAS,
    PMT_IBU,
    PUSKESMAS,
    REBO,
    TIMAH,
    TODAY,
    add_mothers,
)

URL = "/pemantauan/"
LIST = "/pemantauan/daftar/ibu/"
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def figures(reported_as=""):
    return ind.dashboard_figures(Village.objects.all(), *YEAR, TODAY, reported_as)


def by_code(rows):
    return {row["code"]: row for row in rows}


# --- figures --------------------------------------------------------------------


def test_it_counts_the_mothers_per_village_and_in_total(mothers):
    rows, total = ind.mother_rows(
        villages=Village.objects.all(), date_from=YEAR[0], date_to=YEAR[1]
    )
    expected = {
        # 2 reports in 2026 (1 verified); Siti, Rina and Dewi active (Yuni exited, Siti's
        # double merged); KEK: Siti and Dewi; anaemic: Siti and Rina; helped: Siti only
        # (Dewi's help is planned); Dewi is KEK without help.
        MATRAS: dict(
            reports=2,
            verified_reports=1,
            active=3,
            pregnant=2,
            breastfeeding=1,
            kek=2,
            anaemic=2,
            helped=1,
            kek_not_helped=1,
        ),
        # Lina: pregnant, not KEK, Hb unknown; her class is finished: helped.
        REBO: dict(
            reports=1,
            verified_reports=1,
            active=1,
            pregnant=1,
            breastfeeding=0,
            kek=0,
            anaemic=0,
            helped=1,
            kek_not_helped=0,
        ),
    }
    found = by_code(rows)
    for code, counts in expected.items():
        assert {key: found[code][key] for key in ind.MOTHER_KEYS} == counts
    assert {key: total[key] for key in ind.MOTHER_KEYS} == dict(
        reports=3,
        verified_reports=2,
        active=4,
        pregnant=3,
        breastfeeding=1,
        kek=2,
        anaemic=2,
        helped=2,
        kek_not_helped=1,
    )
    assert found["19.01.01.1001"]["active"] == 0


def test_the_period_bounds_the_reports_only(mothers):
    rows, total = ind.mother_rows(
        villages=Village.objects.all(), date_from=date(2025, 12, 1), date_to=date(2026, 2, 28)
    )
    assert (total["reports"], total["verified_reports"], total["active"]) == (2, 2, 4)


def test_it_counts_the_mothers_interventions_per_partner(mothers):
    rows = ind.mother_partner_rows(Village.objects.all(), *YEAR, today=TODAY)
    assert [
        (
            r["partner__name"],
            r["kind__name"],
            r["assigned"],
            r["planned"],
            r["running"],
            r["done"],
            r["overdue"],
            r["deliveries"],
        )
        for r in rows
    ] == [
        ("PT Timah Tbk", KELAS_IBU, 1, 1, 0, 0, 1, 0),
        (PUSKESMAS, KELAS_IBU, 1, 0, 0, 1, 0, 0),
        (PUSKESMAS, PMT_IBU, 1, 0, 1, 0, 0, 1),
    ]
    matras = Village.objects.filter(code=MATRAS)
    assert [r["assigned"] for r in ind.mother_partner_rows(matras, *YEAR, today=TODAY)] == [1, 1]


def test_mothers_leave_every_child_figure_as_it_was(dataset, clock):
    before = figures()
    add_mothers(dataset)
    after = figures()
    for key in before:
        if key in ("mothers", "obstacles"):
            continue
        assert after[key] == before[key], key
    # The children's partner table has no mother's intervention in it.
    assert {r["kind__name"] for r in after["partner_rows"]} == {"PMT", "Pemantauan kesehatan"}
    assert after["worklists"]["overdue"] == before["worklists"]["overdue"]


def test_children_leave_the_mothers_figures_alone(mothers):
    # The dataset's children have eight interventions; only the mothers' three count here.
    found = figures()["mothers"]
    assert sum(r["assigned"] for r in found["partner_rows"]) == 3
    assert found["total"]["helped"] == 2


def test_the_childrens_target_group_does_not_narrow_the_mothers(mothers):
    everyone = figures()["mothers"]
    assert figures(ReportedAs.AT_RISK)["mothers"] == everyone
    assert figures(ReportedAs.STUNTED)["mothers"] == everyone


def test_obstacles_on_mothers_assignments_count_with_the_others(mothers):
    obstacles = ind.obstacle_figures(Village.objects.all(), *YEAR)
    # The children's five of 2026 and Siti's "tidak dapat dihubungi".
    assert (obstacles["open"], obstacles["handled"], obstacles["total"]) == (4, 2, 6)
    assert obstacles["mothers"] == 1
    unreachable = {row[0]: row for row in obstacles["rows"]}["unreachable"]
    assert unreachable[2:] == (2, 0)
    # In Rebo only Rudi's: Siti lives in Matras.
    rebo = ind.obstacle_figures(Village.objects.filter(code=REBO), *YEAR)
    assert (rebo["total"], rebo["mothers"]) == (1, 0)
    # A target group narrows the children's obstacles, never the mothers'.
    at_risk = ind.obstacle_figures(Village.objects.all(), *YEAR, reported_as=ReportedAs.AT_RISK)
    assert (at_risk["total"], at_risk["mothers"]) == (1, 1)


def test_the_public_summary_counts_active_mothers_per_village(mothers, client):
    r = client.get("/ringkasan/")
    rows = {village.code: values for village, values in r.context["rows"]}
    # 3 in Matras and 1 in Rebo: both small, hidden as "< 5"; the total 4 too.
    assert rows[MATRAS]["mothers"] == "< 5"
    assert rows[REBO]["mothers"] == "< 5"
    assert r.context["total"]["mothers"] == "< 5"
    html = r.content.decode()
    assert "Ibu hamil/menyusui terdaftar" in html
    assert "Siti" not in html


# --- dashboard ------------------------------------------------------------------


def test_the_dashboard_shows_the_mothers_section(client, mothers, verifikator):
    client.force_login(verifikator)
    r = client.get(URL)
    assert r.status_code == 200
    section = r.context["mothers"]
    assert section["total"]["active"] == 4
    assert section["help_share"] == 50.0
    html = r.content.decode()
    assert 'id="ibu"' in html and "Ibu hamil dan menyusui" in html
    period = "date_from=2026-01-01&amp;date_to=2026-12-31"
    assert f'href="{LIST}?{period}&amp;kondisi=kek&amp;bantuan=tanpa">1</a>' in html
    assert f'href="{LIST}?{period}&amp;status=menyusui">1</a>' in html
    matras = mothers.matras.pk
    assert f'href="{LIST}?{period}&amp;village={matras}&amp;kondisi=kek">2</a>' in html
    assert "PMT ibu hamil KEK" in html
    # Mothers' interventions are their own table, not rows of the children's.
    assert [r["kind__name"] for r in r.context["partner_rows"]].count(PMT_IBU) == 0


def test_the_mothers_links_leave_out_the_childrens_target_group(client, mothers, verifikator):
    client.force_login(verifikator)
    r = client.get(URL, {"reported_as": ReportedAs.AT_RISK})
    assert r.context["mothers"]["total"]["active"] == 4
    assert "reported_as" not in r.context["mothers"]["links"]["kek"]


def test_a_village_user_sees_the_own_villages_mothers_without_lists(client, mothers):
    client.force_login(village_user("desa-rebo", mothers.rebo))
    r = client.get(URL)
    section = r.context["mothers"]
    assert [row["code"] for row in section["rows"]] == [REBO]
    assert (section["total"]["active"], section["total"]["reports"]) == (1, 1)
    assert section["links"]["kek"] is None
    assert LIST not in r.content.decode()


def test_the_dashboard_is_kept_with_the_mothers(client, mothers, verifikator):
    client.force_login(verifikator)
    client.get(URL)
    mothers.mothers["rina"].delete()
    assert client.get(URL).context["mothers"]["total"]["active"] == 4
    assert client.get(URL, {"segar": "1"}).context["mothers"]["total"]["active"] == 3


# --- worklist -------------------------------------------------------------------


def names(response):
    return [m.name for m in response.context["page"]]


def test_the_worklist_requires_login(client, db):
    r = client.get(LIST)
    assert r.status_code == 302 and r.url == login_redirect(LIST)


@pytest.mark.parametrize("user", ["outsider", "mitra_user"])
def test_the_worklist_refuses_users_without_the_dashboard(client, mothers, user, request):
    client.force_login(request.getfixturevalue(user))
    assert client.get(LIST).status_code == 403


def test_the_worklist_refuses_village_users_and_partners(client, mothers):
    client.force_login(village_user("desa-matras", mothers.matras))
    assert client.get(LIST).status_code == 403
    client.force_login(partner_user("timah", TIMAH))
    assert client.get(LIST).status_code == 403


def test_the_worklist_lists_the_active_mothers(client, mothers, verifikator):
    client.force_login(verifikator)
    r = client.get(LIST)
    assert r.status_code == 200
    assert names(r) == ["Dewi Sartika", "Lina Marlina", "Rina Wati", "Siti Aminah"]
    html = r.content.decode()
    siti = mothers.mothers["siti"]
    assert f'href="/verifikasi/ibu/{siti.pk}/">Siti Aminah</a>' in html
    assert siti.nik in html  # staff see the NIK
    assert "KEK, anemia" in html


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"kondisi": "kek"}, ["Dewi Sartika", "Siti Aminah"]),
        ({"kondisi": "anemia"}, ["Rina Wati", "Siti Aminah"]),
        ({"status": "menyusui"}, ["Rina Wati"]),
        ({"status": "hamil"}, ["Dewi Sartika", "Lina Marlina", "Siti Aminah"]),
        ({"bantuan": "ada"}, ["Lina Marlina", "Siti Aminah"]),
        ({"kondisi": "kek", "bantuan": "tanpa"}, ["Dewi Sartika"]),
        ({"kondisi": "kek", "village": "rebo"}, []),
        ({"status": "entah"}, ["Dewi Sartika", "Lina Marlina", "Rina Wati", "Siti Aminah"]),
    ],
)
def test_the_worklist_filters(client, mothers, verifikator, params, expected):
    client.force_login(verifikator)
    if params.get("village") == "rebo":
        params = dict(params, village=mothers.rebo.pk)
    r = client.get(LIST, params)
    assert names(r) == expected


def test_the_worklist_ignores_the_childrens_target_group(client, mothers, verifikator):
    client.force_login(verifikator)
    r = client.get(LIST, {"kondisi": "kek", "reported_as": ReportedAs.AT_RISK})
    assert names(r) == ["Dewi Sartika", "Siti Aminah"]
    assert "dilaporkan sebagai" not in r.content.decode()


def test_every_count_of_the_village_table_opens_its_list(client, mothers, verifikator):
    client.force_login(verifikator)
    r = client.get(URL)
    rebo = next(row for row in r.context["mothers"]["rows"] if row["code"] == REBO)
    # Active, hamil, menyusui, KEK, anaemia, helped, KEK without help.
    assert [n for n, _ in rebo["counts"]] == [1, 1, 0, 0, 0, 1, 0]
    helped_url = rebo["counts"][5][1]
    assert f"village={mothers.rebo.pk}" in helped_url and "bantuan=ada" in helped_url
    assert [n for n, _ in r.context["mothers"]["total_counts"]] == [4, 3, 1, 2, 2, 2, 1]
    html = r.content.decode()
    assert html.count('href="' + helped_url.replace("&", "&amp;") + '"') == 1
    # The worklist section offers the KEK mothers without help too.
    assert "Ibu KEK tanpa intervensi" in html


@pytest.mark.parametrize("name", ["intervensi-terlambat", "intervensi-anak-normal"])
def test_the_childrens_intervention_lists_leave_the_mothers_out(client, mothers, verifikator, name):
    client.force_login(verifikator)
    r = client.get(f"/pemantauan/daftar/{name}/")
    assert r.status_code == 200
    listed = list(r.context["page"])
    assert listed and all(i.child_id for i in listed)
    # Dewi's kelas ibu hamil is overdue too, but she is no child.
    assert mothers.interventions["dewi_kelas"] not in listed
