from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from registrations import growth
from registrations.models import Child, Measurement
from tests.builders import make_child, make_measurement, make_submission

pytestmark = pytest.mark.django_db


def run(**options):
    out, err = StringIO(), StringIO()
    call_command("recompute_growth", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_it_recomputes_stale_values_in_batches(village):
    for _ in range(5):
        make_submission(
            village,
            documents=(),
            birth_date=date(2024, 1, 10),
            measured_on=date(2025, 1, 10),
            height_cm=Decimal("68.0"),
        )
    # Pretend the values were computed by an older rule.
    Measurement.objects.update(haz=9.99, haz_category="tinggi", flags=["old"])

    out, _ = run(batch_size=2)
    assert "2/5 pengukuran diperiksa" in out
    assert "4/5 pengukuran diperiksa" in out
    assert "Selesai: 5 dari 5 pengukuran diperbarui." in out
    expected = growth.assess("P", date(2024, 1, 10), date(2025, 1, 10), 68.0, 8.1, True)
    for m in Measurement.objects.all():
        assert m.haz == expected.haz
        assert m.haz_category == "pendek"
        assert m.flags == []


def test_it_is_safe_to_run_again(village):
    make_submission(village, documents=())
    run()
    before = list(Measurement.objects.values())
    out, _ = run()
    assert "Selesai: 0 dari 1 pengukuran diperbarui." in out
    assert list(Measurement.objects.values()) == before


def test_it_reports_and_skips_an_impossible_measurement(village):
    child = make_child(village)
    bad = Measurement.objects.create(
        child=child, measured_on=date(2025, 1, 1), height_cm=Decimal("70.0"), source="partner"
    )
    other = make_submission(village, documents=())
    Measurement.objects.update(haz=None)
    # A birth date later corrected to after the measurement.
    type(child).objects.filter(pk=child.pk).update(birth_date=date(2025, 6, 1))
    out, err = run()
    assert f"Pengukuran #{bad.pk} dilewati" in err
    assert "Selesai: 1 dari 2 pengukuran diperbarui." in out
    other.measurement.refresh_from_db()
    assert other.measurement.haz is not None


def test_it_brings_the_childrens_latest_tbu_category_along(village):
    child = make_child(village)
    m = make_measurement(child, date(2025, 1, 10), "68.0")
    other = make_child(village, name="Budi")
    make_measurement(other, date(2025, 1, 10), "76.0")
    # Pretend an older rule computed "tinggi" for the first child, and the second child's
    # stored category drifted from its measurement.
    Measurement.objects.filter(pk=m.pk).update(haz_category="tinggi")
    Child.objects.update(latest_haz_category="tinggi")

    out, _ = run()
    assert "Status TB/U terakhir diperbarui pada 2 anak." in out
    child.refresh_from_db()
    other.refresh_from_db()
    assert child.latest_haz_category == "pendek"
    assert other.latest_haz_category == "normal"
