"""A child merged into another one (registered twice) leaves every figure, list and workbook:
what it had is counted with the child it was merged into."""

from datetime import date

import pytest
import time_machine

from monitoring import indicators as ind
from registrations.models import Child, Village
from tests.builders import make_child, merge_children
from tests.monitoring.workbooks import NOW, body, build, data_rows, sheet_of

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def programme(db):
    with time_machine.travel(NOW, tick=False):
        yield build()


def figures(villages):
    return {
        "rows": ind.village_rows(villages=villages, date_from=YEAR[0], date_to=YEAR[1]),
        "nutrition": ind.nutrition_figures(villages, *YEAR),
        "haz_by_village": ind.haz_by_village(villages),
        "outcomes": ind.outcome_figures(villages, *YEAR),
        "not_measured": ind.not_measured_counts(villages, [30, 60, 90]),
        "turning_five": list(ind.turning_five(villages, within_days=365 * 5)),
        "public": ind.public_rows(villages=villages, date_from=YEAR[0], date_to=YEAR[1]),
        "trend": ind.monthly_trend(villages, *YEAR),
    }


def add_second_registrations(programme):
    """Andi registered twice more: once still active, once marked as moved away."""
    matras = programme.matras
    return [
        make_child(matras, name="Andi S.", sex="L", birth_date=date(2024, 1, 10)),
        make_child(
            matras,
            name="Andi Saputra",
            sex="L",
            birth_date=date(2024, 1, 10),
            programme_status=Child.ProgrammeStatus.EXITED,
            exit_reason=Child.ExitReason.MOVED,
            exit_date=date(2026, 3, 1),
        ),
    ]


def test_merged_children_leave_every_figure(programme):
    villages = Village.objects.all()
    before = figures(villages)
    with time_machine.travel(NOW, tick=False):
        twice = add_second_registrations(programme)
        # The extra registrations are counted until they are merged.
        assert figures(villages) != before
        for child in twice:
            merge_children(programme.children["andi"], child)
        assert figures(villages) == before


def test_merged_children_leave_the_worklists(client, verifikator, programme):
    lists = {
        "anak": {},  # the active second registration, until merged
        "belum-diukur": {"hari": 30},  # the same, never measured
        "keluar-program": {},  # the one marked as moved
    }

    def listed(name):
        r = client.get(f"/pemantauan/daftar/{name}/", lists[name])
        assert r.status_code == 200
        return set(r.context["page"]) & set(twice)

    client.force_login(verifikator)
    with time_machine.travel(NOW, tick=False):
        twice = add_second_registrations(programme)
        assert all(listed(name) for name in lists)
        for child in twice:
            merge_children(programme.children["andi"], child)
        assert not any(listed(name) for name in lists)


def test_merged_children_leave_the_childrens_workbook(client, verifikator, programme):
    client.force_login(verifikator)
    with time_machine.travel(NOW, tick=False):
        before = data_rows(sheet_of(body(client.get("/pemantauan/unduh/daftar-balita.xlsx"))))
        twice = add_second_registrations(programme)
        for child in twice:
            merge_children(programme.children["andi"], child)
        after = data_rows(sheet_of(body(client.get("/pemantauan/unduh/daftar-balita.xlsx"))))
    assert after == before
    assert [row["Nama Anak"] for row in after].count("Andi Saputra") == 1
