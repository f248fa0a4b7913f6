"""Demo data for `manage.py seed_demo`: one user per role and some decided reports."""

from django.contrib.auth.models import Group

from registrations.demo import DEMO_PASSWORD, demo_user
from registrations.models import MotherReport, Submission
from verification import roles
from verification.services import mother_report_decide, submission_decide

DEMO_USERS = [
    ("verifikator", roles.VERIFIKATOR),
    ("pimpinan", roles.PIMPINAN),
]


def seed(stdout):
    users = {}
    for username, role in DEMO_USERS:
        user = demo_user(username)
        user.groups.add(Group.objects.get(name=role))
        user.is_staff = role in roles.ADMIN_ROLES
        user.save(update_fields=["is_staff"])
        users[username] = user

    pending = Submission.objects.filter(
        kader_name="Kader Demo", status=Submission.Status.PENDING
    ).order_by("pk")
    # Leave a few reports in the queue; verify the rest and send one back.
    plan = ["verified_new"] * 4 + ["needs_correction"]
    if (
        Submission.objects.filter(kader_name="Kader Demo")
        .exclude(status=Submission.Status.PENDING)
        .exists()
    ):
        plan = []
    for submission, action in zip(pending, plan, strict=False):
        note = "Foto KK kurang jelas, mohon foto ulang." if action == "needs_correction" else ""
        submission_decide(
            submission=submission, action=action, note=note, user=users["verifikator"]
        )
    _decide_mother_reports(users["verifikator"])
    return [(name, DEMO_PASSWORD, role) for name, role in DEMO_USERS]


def _decide_mother_reports(user):
    """Register the first two demo mothers' reports, if there are any, and leave the rest
    in the queue; nothing when a demo mother's report was decided before."""
    reports = MotherReport.objects.filter(kader_name="Kader Demo")
    if reports.exclude(status=MotherReport.Status.PENDING).exists():
        return
    for report in reports.order_by("pk")[:2]:
        mother_report_decide(
            report=report, version=report.version, action="verified_new", user=user
        )
