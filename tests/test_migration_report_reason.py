"""Migration 0021 adds why a child was reported to reports and children: rows saved before
it keep everything they had and read as "not recorded"; it can be undone."""

from decimal import Decimal

from registrations.models import Child, Submission, reason_filter
from tests.builders import old_child, old_submission

BEFORE = [("registrations", "0020_submission_google_form_import")]


def test_earlier_rows_read_as_not_recorded_and_the_step_can_be_undone(migrate):
    apps = migrate(*BEFORE)
    report = old_submission(apps, child_name="Putri Lama").pk
    child = old_child(apps, name="Anak Lama").pk

    migrate()
    s = Submission.objects.get(pk=report)
    c = Child.objects.get(pk=child)
    for row in (s, c):
        assert (row.reported_as, row.risk_factors, row.risk_other_text) == ("", [], "")
        assert (row.birth_weight_g, row.birth_length_cm) == (None, None)
    assert s.child_name == "Putri Lama" and c.name == "Anak Lama"
    assert list(Child.objects.filter(reason_filter("none"))) == [c]
    # Newly saved rows use the columns at once.
    Child.objects.filter(pk=child).update(
        reported_as="at_risk", risk_premature=True, birth_length_cm=Decimal("47.5")
    )
    c.refresh_from_db()
    assert (c.reported_as, c.risk_factors, c.birth_length_cm) == (
        "at_risk",
        ["premature"],
        Decimal("47.5"),
    )

    apps = migrate(*BEFORE)
    Child_ = apps.get_model("registrations", "Child")
    assert Child_.objects.get(pk=child).name == "Anak Lama"
    assert "reported_as" not in {f.name for f in Child_._meta.get_fields()}
