"""Demo data: the verifikator registers the first demo mothers' reports, once."""

import io

import pytest

from registrations.models import Mother, MotherReport
from tests.builders import make_mother_report
from verification import demo

pytestmark = pytest.mark.django_db


def test_it_registers_two_demo_mothers_and_leaves_the_rest_once(village):
    reports = [make_mother_report(village, kader_name="Kader Demo", name=f"Ibu {n}") for n in "ABC"]
    make_mother_report(village, name="Bukan demo")
    demo.seed(io.StringIO())
    statuses = {r.name: r.status for r in MotherReport.objects.all()}
    assert statuses == {
        "Ibu A": "verified",
        "Ibu B": "verified",
        "Ibu C": "pending",
        "Bukan demo": "pending",
    }
    assert sorted(Mother.objects.values_list("name", flat=True)) == ["Ibu A", "Ibu B"]

    demo.seed(io.StringIO())
    assert Mother.objects.count() == 2
    assert MotherReport.objects.get(pk=reports[2].pk).status == "pending"
