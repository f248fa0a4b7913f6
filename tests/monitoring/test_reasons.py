"""Why children were reported, on the monitoring pages: the dashboard's figure comparing
stunted and at-risk children, its target-group filter (kept apart in the cache), the
worklists behind it."""

from datetime import date

import pytest

from monitoring import indicators, snapshot
from registrations.models import Child, RiskFactor, Village
from tests.builders import make_child, make_intervention, make_submission, village_user
from tests.monitoring.dataset import REBO, TODAY, measure

pytestmark = pytest.mark.usefixtures("clock")

URL = "/pemantauan/"
STUNTED = Child.ReportedAs.STUNTED
AT_RISK = Child.ReportedAs.AT_RISK
BIRTH = date(2024, 6, 1)


@pytest.fixture
def children(village):
    """Matras: Ani reported stunted (pendek now, PMT running), Budi and Citra at risk (Budi
    normal now, Citra pendek now), Dedi before the form asked (sangat pendek), Eko at risk
    but exited. Rebo: Gita at risk, never measured. Reports sent this year: one stunted,
    two at risk."""
    rebo = Village.objects.get(code=REBO)
    c = {
        "ani": make_child(
            village, name="Ani", birth_date=BIRTH, reported_as=STUNTED, risk_undernutrition=True
        ),
        "budi": make_child(
            village,
            name="Budi",
            sex="L",
            birth_date=BIRTH,
            reported_as=AT_RISK,
            risk_low_birth_weight=True,
            risk_premature=True,
            birth_weight_g=2200,
        ),
        "citra": make_child(
            village, name="Citra", birth_date=BIRTH, reported_as=AT_RISK, risk_poor_sanitation=True
        ),
        "dedi": make_child(village, name="Dedi", sex="L", birth_date=BIRTH),
        "eko": make_child(
            village,
            name="Eko",
            sex="L",
            birth_date=BIRTH,
            reported_as=AT_RISK,
            risk_premature=True,
            programme_status=Child.ProgrammeStatus.EXITED,
            exit_reason=Child.ExitReason.MOVED,
            exit_date=date(2026, 2, 1),
        ),
        "gita": make_child(
            rebo, name="Gita", birth_date=BIRTH, reported_as=AT_RISK, risk_recurrent_illness=True
        ),
    }
    on = date(2026, 5, 1)
    measure(c["ani"], on, -2.5)
    measure(c["budi"], on, -1.0)
    measure(c["citra"], on, -2.4)
    measure(c["dedi"], on, -3.5)
    measure(c["eko"], on, -2.5)
    make_intervention(c["ani"], status="running", start_date=date(2026, 5, 2))
    make_submission(village, child_name="Lapor Stunting", reported_as=STUNTED)
    for name in ("Lapor Berisiko 1", "Lapor Berisiko 2"):
        make_submission(
            village,
            child_name=name,
            reported_as=AT_RISK,
            risk_factors=frozenset({RiskFactor.PREMATURE}),
        )
    return c


def group_counts(ctx):
    return {
        g["value"]: (g["active"], g["measured"], g["stunted"], g["prevalence"])
        for g in ctx["reasons"]["groups"]
    }


def factor_counts(ctx):
    return {f["value"]: (f["children"], f["at_risk"]) for f in ctx["reasons"]["factors"]}


def test_the_figure_compares_stunted_and_at_risk_children(client, verifikator, children):
    client.force_login(verifikator)
    ctx = client.get(URL).context
    assert group_counts(ctx) == {
        "stunted": (1, 1, 1, 100.0),
        "at_risk": (3, 2, 1, 50.0),  # Budi, Citra, Gita (Eko exited)
        "none": (1, 1, 1, 100.0),
    }
    assert factor_counts(ctx) == {
        "weight_faltering": (0, 0),
        "undernutrition": (1, 0),  # Ani, reported stunted
        "low_birth_weight": (1, 1),
        "premature": (1, 1),  # Budi; Eko exited
        "recurrent_illness": (1, 1),
        "poor_sanitation": (1, 1),
        "other": (0, 0),
    }
    html = client.get(URL).content.decode()
    assert '<section class="card" id="sasaran">' in html
    assert '<table id="tabel-sasaran">' in html and '<table id="tabel-faktor-risiko">' in html
    assert '<option value="at_risk">Berisiko stunting</option>' in html


def test_the_filter_counts_only_the_chosen_group(client, verifikator, children):
    client.force_login(verifikator)
    ctx = client.get(URL, {"reported_as": "at_risk"}).context
    assert ctx["nutrition"]["active"] == 3
    assert (ctx["total"]["measured_children"], ctx["total"]["prevalence"]) == (2, 50.0)
    assert ctx["reports"]["received"] == 2
    assert ctx["partner_rows"] == []  # Ani's PMT belongs to a stunted child
    assert ctx["worklists"]["not_helped"] == 1  # Citra
    # The comparison still shows every group, the chosen one marked.
    assert group_counts(ctx)["stunted"] == (1, 1, 1, 100.0)
    assert [g["value"] for g in ctx["reasons"]["groups"] if g["chosen"]] == ["at_risk"]
    assert "reported_as=at_risk" in ctx["queue_links"]["received"]
    html = client.get(URL, {"reported_as": "at_risk"}).content.decode()
    assert "Semua kelurahan/desa · dilaporkan sebagai berisiko stunting · periode" in html
    assert 'class="chosen"><td><a href="/pemantauan/?date_from=2026-01-01' in html

    ctx = client.get(URL, {"reported_as": "stunted"}).context
    assert ctx["nutrition"]["active"] == 1
    assert ctx["reports"]["received"] == 1
    assert [(r["partner__name"], r["running"]) for r in ctx["partner_rows"]] == [
        ("PT Timah Tbk", 1)
    ]
    ctx = client.get(URL, {"reported_as": "none"}).context
    assert (ctx["nutrition"]["active"], ctx["reports"]["received"]) == (1, 0)


def test_an_unknown_group_counts_everyone(client, verifikator, children):
    client.force_login(verifikator)
    r = client.get(URL, {"reported_as": "curiga"})
    assert r.status_code == 200
    assert r.context["nutrition"]["active"] == 5


def test_each_group_is_kept_apart_in_the_cache(client, verifikator, children, village):
    client.force_login(verifikator)
    assert client.get(URL, {"reported_as": "at_risk"}).context["nutrition"]["active"] == 3
    # Counted fresh for another group, not taken from the kept at-risk figures.
    assert client.get(URL, {"reported_as": "stunted"}).context["nutrition"]["active"] == 1
    assert client.get(URL).context["nutrition"]["active"] == 5
    # And kept for a while: a new at-risk child shows after "Hitung ulang sekarang".
    make_child(village, name="Hana", reported_as=AT_RISK, risk_premature=True)
    assert client.get(URL, {"reported_as": "at_risk"}).context["nutrition"]["active"] == 3
    fresh = client.get(URL, {"reported_as": "at_risk", "segar": "1"})
    assert fresh.context["nutrition"]["active"] == 4


def test_the_snapshot_key_names_the_group(children):
    villages = Village.objects.all()
    period = (date(2026, 1, 1), date(2026, 12, 31))
    keys = {
        snapshot._key(villages.values_list("pk", flat=True), *period, TODAY, group)
        for group in ("", "stunted", "at_risk", "none")
    }
    assert len(keys) == 4
    kept = snapshot.figures(villages, *period, today=TODAY, reported_as="at_risk")
    assert kept["nutrition"]["active"] == 3
    assert (
        indicators.dashboard_figures(villages, *period, TODAY, "none")["nutrition"]["active"] == 1
    )


def test_a_village_sees_its_own_groups(client, children, village):
    client.force_login(village_user("desa-matras", village))
    ctx = client.get(URL).context
    assert group_counts(ctx)["at_risk"] == (2, 2, 1, 50.0)  # Budi, Citra; Gita is in Rebo
    assert factor_counts(ctx)["recurrent_illness"] == (0, 0)


@pytest.mark.parametrize(
    "params,names",
    [
        ({"faktor": "premature"}, ["Budi"]),
        ({"faktor": "undernutrition"}, ["Ani"]),
        ({"reported_as": "at_risk"}, ["Budi", "Citra", "Gita"]),
        ({"reported_as": "at_risk", "tbu": "stunting"}, ["Citra"]),
        ({"reported_as": "stunted", "faktor": "premature"}, []),
        ({"faktor": "obesitas"}, ["Ani", "Budi", "Citra", "Dedi", "Gita"]),
    ],
)
def test_the_worklist_of_children_filters_by_group_and_factor(
    client, verifikator, children, params, names
):
    client.force_login(verifikator)
    r = client.get("/pemantauan/daftar/anak/", params)
    assert r.status_code == 200
    assert sorted(c.name for c in r.context["page"]) == names


def test_the_factor_links_list_every_group(client, verifikator, children):
    client.force_login(verifikator)
    ctx = client.get(URL, {"reported_as": "stunted"}).context
    premature = next(f for f in ctx["reasons"]["factors"] if f["value"] == "premature")
    assert "reported_as" not in premature["url"] and "faktor=premature" in premature["url"]
    r = client.get(premature["url"])
    assert [c.name for c in r.context["page"]] == ["Budi"]
    assert "faktor risiko lahir prematur" in r.context["title"]


def test_the_other_worklists_honour_the_group(client, verifikator, children):
    client.force_login(verifikator)
    r = client.get("/pemantauan/daftar/stunting-tanpa-intervensi/", {"reported_as": "at_risk"})
    assert [c.name for c in r.context["page"]] == ["Citra"]
    r = client.get("/pemantauan/daftar/stunting-tanpa-intervensi/", {"reported_as": "none"})
    assert [c.name for c in r.context["page"]] == ["Dedi"]
    r = client.get("/pemantauan/daftar/keluar-program/", {"reported_as": "stunted"})
    assert list(r.context["page"]) == []
