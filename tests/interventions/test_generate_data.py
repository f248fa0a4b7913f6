from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from interventions.models import Activity, Delivery, Intervention, Obstacle
from registrations import growth
from registrations.models import (
    Child,
    Measurement,
    Mother,
    MotherCheck,
    MotherReport,
    Posyandu,
    Submission,
    Village,
)
from verification.models import Decision

pytestmark = pytest.mark.django_db


def generate(children=200, **options):
    out = StringIO()
    call_command("generate_data", children=children, i_know=True, stdout=out, **options)
    return out.getvalue()


def fingerprint():
    children = Child.objects.order_by("pk").values_list(
        "name", "birth_date", "village__code", "programme_status", "latest_measurement__haz"
    )
    reports = Submission.objects.order_by("pk").values_list("code", "status", "created_at")
    return list(children), list(reports)


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("generate_data", children=5)
    assert not Child.objects.exists()


def test_it_runs_with_debug(settings):
    settings.DEBUG = True
    call_command("generate_data", children=5, stdout=StringIO())
    assert Child.objects.count() == 5


def test_it_builds_every_kind_of_record():
    out = generate()

    assert "Selesai: 200 anak" in out
    assert Child.objects.count() == 200
    statuses = Counter(Submission.objects.values_list("status", flat=True))
    assert set(statuses) == set(Submission.Status.values)
    # Verified reports are the children's, and a few more merged into them.
    assert statuses[Submission.Status.VERIFIED] > 200
    actions = set(Decision.objects.values_list("action", flat=True))
    assert actions == set(Decision.Action.values)


def test_merged_reports_point_at_a_child_with_two_reports():
    generate()

    merged = Decision.objects.filter(action=Decision.Action.MERGED)
    assert merged.exists()
    for decision in merged:
        assert decision.submission.child_id == decision.child_id
        assert decision.child.submissions.count() == 2


def test_each_child_has_one_to_five_measurements_and_its_latest():
    generate()

    counts = Child.objects.annotate(n=Count("measurements")).values_list("n", flat=True)
    assert set(counts) == {1, 2, 3, 4, 5}
    for child in Child.objects.all():
        latest = child.measurements.order_by(*Measurement.LATEST_FIRST).first()
        assert child.latest_measurement_id == latest.pk
        assert child.latest_haz_category == latest.haz_category


def test_measurements_carry_the_calculators_z_scores():
    generate(children=50)

    for m in Measurement.objects.select_related("child", "submission")[:200]:
        sex, birth = m.subject_sex_and_birth_date
        lying = m.position == "lying"
        expected = growth.assess(sex, birth, m.measured_on, m.height_cm, m.weight_kg, lying)
        assert (m.haz, m.waz, m.whz) == (expected.haz, expected.waz, expected.whz)
        assert m.haz_category == (expected.haz_category or "")
    categories = set(Measurement.objects.values_list("haz_category", flat=True))
    assert {"sangat_pendek", "pendek", "normal"} <= categories


def test_it_spreads_children_over_villages_posyandu_and_programme_status():
    generate()

    assert Child.objects.values("village").distinct().count() == Village.objects.count()
    # The reference data has no posyandu: a few are made per village.
    assert Posyandu.objects.count() >= 3 * Village.objects.count()
    statuses = Counter(Child.objects.values_list("programme_status", flat=True))
    assert statuses[Child.ProgrammeStatus.ACTIVE] > statuses[Child.ProgrammeStatus.EXITED] > 0
    # Some children moved house or left the programme: their history has more than one entry.
    assert Child.history.filter(history_type="~").exists()


def test_it_assigns_interventions_to_several_partners_with_deliveries():
    generate()

    assert Intervention.objects.values("partner").distinct().count() >= 5
    assert Intervention.objects.values("kind").distinct().count() >= 3
    assert set(Intervention.objects.values_list("status", flat=True)) >= {
        Intervention.Status.RUNNING,
        Intervention.Status.DONE,
    }
    assert Delivery.objects.exists()
    assert not Delivery.objects.filter(intervention__status=Intervention.Status.PLANNED).exists()


def test_the_same_seed_gives_the_same_data():
    runs = []
    for _ in range(2):
        with transaction.atomic():
            generate(children=30, seed=7)
            runs.append(fingerprint())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert runs[0][0]

    with transaction.atomic():
        generate(children=30, seed=8)
        assert fingerprint() != runs[0]
        transaction.set_rollback(True)


def test_children_and_their_reports_say_why_they_were_reported():
    generate()

    groups = Counter(Child.objects.values_list("reported_as", flat=True))
    assert groups[Child.ReportedAs.STUNTED] > groups[Child.ReportedAs.AT_RISK] > 0
    assert "" not in groups
    at_risk = Child.objects.filter(reported_as=Child.ReportedAs.AT_RISK)
    assert all(child.risk_factors for child in at_risk)
    # A weight under 2,500 g always comes with its factor.
    assert not Child.objects.filter(birth_weight_g__lt=2500, risk_low_birth_weight=False).exists()
    # A report says what its child was reported for.
    for report in Submission.objects.filter(child__isnull=False).select_related("child")[:50]:
        assert report.reported_as == report.child.reported_as
        assert report.risk_factors == report.child.risk_factors


def mother_fingerprint():
    mothers = Mother.objects.order_by("pk").values_list(
        "name", "nik", "village__code", "mother_status", "is_kek", "programme_status"
    )
    reports = MotherReport.objects.order_by("pk").values_list("code", "status", "created_at")
    activities = Activity.objects.order_by("pk").values_list("kind", "date", "village__code")
    obstacles = Obstacle.objects.order_by("pk").values_list("kind", "date", "status")
    return list(mothers), list(reports), list(activities), list(obstacles)


def test_it_builds_mothers_with_reports_checks_and_help():
    out = generate()

    mothers = Mother.objects.all()
    assert mothers.count() == 60  # 0.3 per child
    assert "60 ibu" in out
    # Every registered mother comes from a verified report and has its check as her first.
    assert not mothers.filter(reports__isnull=True).exists()
    assert not mothers.filter(latest_check__isnull=True).exists()
    for mother in mothers.select_related("latest_check")[:30]:
        latest = mother.checks.order_by(*MotherCheck.LATEST_FIRST).first()
        assert mother.latest_check == latest
        assert (mother.mother_status, mother.is_kek, mother.is_anaemic) == (
            latest.mother_status,
            latest.is_kek,
            latest.is_anaemic,
        )
        assert mother.reports.filter(status=MotherReport.Status.VERIFIED).count() == 1
    assert set(mothers.values_list("mother_status", flat=True)) == set(Mother.MotherStatus.values)
    assert mothers.filter(is_kek=True).exists() and mothers.filter(is_kek=False).exists()
    assert mothers.filter(programme_status=Mother.ProgrammeStatus.EXITED).exists()
    # Reports that made no mother: pending, sent back or refused, with their decisions.
    statuses = set(
        MotherReport.objects.filter(mother__isnull=True).values_list("status", flat=True)
    )
    assert statuses <= {"pending", "needs_correction", "rejected"} and "pending" in statuses
    assert Decision.objects.filter(mother_report__isnull=False).count() == (
        MotherReport.objects.exclude(status=MotherReport.Status.PENDING).count()
    )
    # Mothers' help is of the mothers' types only, and never for a child at the same time.
    helped = Intervention.objects.filter(mother__isnull=False)
    assert helped.exists()
    assert set(helped.values_list("kind__target", flat=True)) == {"mother"}
    assert not helped.filter(child__isnull=False).exists()
    assert set(
        Intervention.objects.filter(child__isnull=False).values_list("kind__target", flat=True)
    ) == {"child"}


def test_it_builds_group_activities_and_obstacles():
    generate()

    assert Activity.objects.count() == 4  # one per 50 children
    assert not Activity.objects.filter(partners__isnull=True).exists()
    assert Obstacle.objects.exists()
    assert (
        Obstacle.objects.filter(status=Obstacle.Status.HANDLED, handled_at__isnull=True).count()
        == 0
    )
    for obstacle in Obstacle.objects.select_related("intervention")[:50]:
        assert obstacle.intervention.started_on <= obstacle.date
        assert obstacle.reported_by.partner_membership.partner == obstacle.intervention.partner


def test_mothers_activities_and_obstacles_follow_the_seed():
    runs = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            generate(children=30, seed=seed)
            runs.append((fingerprint(), mother_fingerprint()))
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert runs[0][1][0] and runs[0][1][2]
    assert runs[2][1] != runs[0][1]
