from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError

from registrations import growth
from registrations.models import Child, Measurement
from tests.builders import make_child, make_measurement, make_submission

pytestmark = pytest.mark.django_db


def test_it_stores_the_assessment_when_saved(village):
    child = make_child(village)
    m = Measurement.objects.create(
        child=child,
        measured_on=date(2025, 1, 10),
        weight_kg=Decimal("7.9"),
        height_cm=Decimal("68.0"),
        position="lying",
        source="puskesmas",
    )
    expected = growth.assess("P", date(2024, 1, 10), date(2025, 1, 10), 68.0, 7.9, True)
    m.refresh_from_db()
    assert m.age_days == 366 and m.age_months == 12
    assert (m.haz, m.waz, m.whz) == (expected.haz, expected.waz, expected.whz)
    assert m.haz_category == expected.haz_category == "pendek"
    assert m.whz_category == expected.whz_category
    assert m.flags == []
    assert m.is_stunted
    assert m.summary == "Hasil ukur menunjukkan anak pendek menurut TB/U."


def test_it_applies_and_flags_the_position_adjustment(village):
    child = make_child(village)
    m = Measurement.objects.create(
        child=child,
        measured_on=date(2024, 6, 10),
        weight_kg=Decimal("6.5"),
        height_cm=Decimal("62.0"),
        position="standing",
        source="puskesmas",
    )
    assert m.height_used_cm == 62.7
    assert m.flags == ["height_adjusted", "standing_under_9_months"]
    assert "ukur ulang panjang badan dengan posisi terlentang" in " ".join(m.flag_messages)


def test_it_keeps_the_latest_measurement_of_a_child(village):
    child = make_child(village)
    assert child.latest_measurement is None
    later = Measurement.objects.create(
        child=child, measured_on=date(2025, 3, 1), height_cm=Decimal("72.0"), source="partner"
    )
    Measurement.objects.create(
        child=child, measured_on=date(2025, 1, 1), height_cm=Decimal("70.0"), source="partner"
    )
    child.refresh_from_db()
    assert child.latest_measurement == later
    newest = Measurement.objects.create(
        child=child, measured_on=date(2025, 6, 1), height_cm=Decimal("75.0"), source="partner"
    )
    child.refresh_from_db()
    assert child.latest_measurement == newest


def test_on_the_same_date_the_latest_recorded_is_the_latest(village):
    child = make_child(village)
    first = Measurement.objects.create(
        child=child, measured_on=date(2025, 3, 1), height_cm=Decimal("72.0"), source="partner"
    )
    second = Measurement.objects.create(
        child=child, measured_on=date(2025, 3, 1), height_cm=Decimal("72.4"), source="partner"
    )
    child.refresh_from_db()
    assert child.latest_measurement == second
    # The time recorded decides, not the row number (a report merged later keeps its id).
    Measurement.objects.filter(pk=first.pk).update(created_at=second.created_at + timedelta(1))
    child.refresh_latest_measurement()
    child.refresh_from_db()
    assert child.latest_measurement == first
    assert list(child.measurements.all()) == [second, first]


def test_it_uses_the_reports_child_before_verification(village):
    submission = make_submission(
        village,
        child_sex="L",
        birth_date=date(2024, 1, 10),
        measured_on=date(2025, 1, 10),
        height_cm=Decimal("68.0"),
    )
    m = submission.measurement
    assert m.source == "kader"
    assert m.haz == growth.assess("L", date(2024, 1, 10), date(2025, 1, 10), 68.0).haz


def test_it_needs_a_child_or_a_report(db):
    m = Measurement(measured_on=date(2025, 1, 1), source="kader", age_days=0, age_months=0)
    with pytest.raises(IntegrityError):
        Measurement.objects.bulk_create([m])


def test_it_refuses_a_measurement_before_birth(village):
    child = make_child(village)
    with pytest.raises(ValueError, match="sebelum tanggal lahir"):
        Measurement.objects.create(
            child=child, measured_on=child.birth_date - timedelta(days=1), source="puskesmas"
        )
    assert Measurement.objects.count() == 0


def test_the_summary_names_normal_and_missing_results(village):
    child = make_child(village)
    normal = Measurement(child=child, measured_on=date(2025, 1, 10), height_cm=Decimal("74.0"))
    normal.assess()
    assert normal.haz_category == "normal"
    assert "normal" in normal.summary
    missing = Measurement(child=child, measured_on=date(2025, 1, 10), weight_kg=Decimal("8"))
    missing.assess()
    assert missing.summary == "Status gizi menurut TB/U tidak dapat dihitung dari data ini."


def test_the_child_keeps_the_latest_tbu_category(village):
    child = make_child(village)
    assert child.latest_haz_category == ""
    make_measurement(child, date(2025, 1, 10), "68.0")
    child.refresh_from_db()
    assert child.latest_haz_category == "pendek"

    older = make_measurement(child, date(2024, 12, 1), "74.0")
    child.refresh_from_db()
    assert child.latest_haz_category == "pendek"  # not the latest: nothing changes

    newest = make_measurement(child, date(2025, 2, 10), "76.0")
    child.refresh_from_db()
    assert child.latest_haz_category == newest.haz_category == "normal"

    # A correction of the latest measurement's length changes the category it stores.
    newest.height_cm = Decimal("66.0")
    newest.save()
    child.refresh_from_db()
    assert child.latest_haz_category == "sangat_pendek"
    assert older.haz_category == "normal"


def test_deleting_the_latest_measurement_falls_back_to_the_one_before(village):
    child = make_child(village)
    first = make_measurement(child, date(2025, 1, 10), "68.0")
    latest = make_measurement(child, date(2025, 2, 10), "76.0")
    child.refresh_from_db()
    assert child.latest_haz_category == "normal"

    latest.delete()
    child.refresh_from_db()
    assert child.latest_measurement == first
    assert child.latest_haz_category == "pendek"

    first.delete()
    child.refresh_from_db()
    assert child.latest_measurement is None
    assert child.latest_haz_category == ""


def test_it_keeps_the_first_measurement_with_a_haz(village):
    child = make_child(village)
    later = Measurement.objects.create(
        child=child, measured_on=date(2025, 3, 1), height_cm=Decimal("72.0"), source="partner"
    )
    child.refresh_from_db()
    assert child.first_haz_measurement == later
    # Weight only: no HAZ, so it is not the first one to compare with.
    Measurement.objects.create(
        child=child, measured_on=date(2025, 1, 1), weight_kg=Decimal("8.0"), source="partner"
    )
    child.refresh_from_db()
    assert child.first_haz_measurement == later
    earlier = Measurement.objects.create(
        child=child, measured_on=date(2025, 2, 1), height_cm=Decimal("71.0"), source="partner"
    )
    child.refresh_from_db()
    assert child.first_haz_measurement == earlier
    assert child.latest_measurement == later
    earlier.delete()
    child.refresh_from_db()
    assert child.first_haz_measurement == later


def test_refreshing_in_bulk_finds_the_first_measurement_again(village):
    child, other = make_child(village), make_child(village, name="Lain")
    first = make_measurement(child, measured_on=date(2025, 1, 1), height_cm=Decimal("70.0"))
    make_measurement(child, measured_on=date(2025, 3, 1), height_cm=Decimal("72.0"))
    make_measurement(other, measured_on=date(2025, 3, 1), height_cm=Decimal("72.0"))
    # As after recomputing z-scores: the first one lost its HAZ.
    Measurement.objects.filter(pk=first.pk).update(haz=None)
    assert Child.objects.refresh_first_haz_measurement() == 1
    child.refresh_from_db()
    assert child.first_haz_measurement.measured_on == date(2025, 3, 1)
    assert Child.objects.refresh_first_haz_measurement() == 0
