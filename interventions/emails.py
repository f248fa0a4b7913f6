"""Mail to partner users: new assignments, and the weekly digest of overdue ones.

The mails carry what a partner's page shows in its list (the child's or mother's name,
village, type, dates)
and a link; never a NIK, KK number, birth date, address or the kecamatan's note."""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from gasken import emails
from interventions.models import Intervention, OverdueDigest, Partner


def partner_recipients(partner):
    """The partner's users who can open its pages and have an address, in a stable order."""
    users = (
        get_user_model()
        .objects.filter(partner_membership__partner=partner, is_active=True)
        .exclude(email="")
    )
    return [u for u in users.order_by("pk") if u.has_perm("interventions.work_as_partner")]


def _absolute(path):
    return f"{settings.PUBLIC_BASE_URL}{path}"


def partner_target_url(intervention):
    """The partner's page of the child or mother an assignment is for."""
    if intervention.mother_id:
        return reverse("interventions:partner_mother", args=[intervention.mother_id])
    return reverse("interventions:partner_child", args=[intervention.child_id])


def _items(interventions):
    return [
        {
            "intervention": i,
            "url": _absolute(partner_target_url(i) + f"#assignment-{i.pk}"),
        }
        for i in interventions
    ]


def _ctx(user, partner, items, **extra):
    return {
        "name": user.get_full_name() or user.get_username(),
        "partner": partner,
        "items": items,
        "count": len(items),
        "home_url": _absolute(reverse("interventions:partner_home")),
        **extra,
    }


def notify_new_assignments(interventions: list[Intervention]) -> None:
    """Mail each user of the partner the children or mothers just assigned to it (one mail per user).
    Called once the assignment is committed; a mail that fails is logged and the
    assignment stands."""
    if not emails.enabled() or not interventions:
        return
    q = Intervention.objects.filter(pk__in=[i.pk for i in interventions])
    q = q.select_related("child__village", "mother__village", "kind", "partner")
    q = q.order_by("child__name", "mother__name", "pk")
    assigned = list(q)
    if not assigned:
        return
    partner = assigned[0].partner
    items = _items(assigned)
    kinds = sorted({i.kind.name for i in assigned})
    # One assignment is of children or of mothers, as its kind says.
    who = "ibu hamil/menyusui" if assigned[0].mother_id else "anak"
    messages = [
        emails.make("new_assignments", user.email, _ctx(user, partner, items, kinds=kinds, who=who))
        for user in partner_recipients(partner)
    ]
    emails.send(messages)


def week_of(day):
    """The Monday of the ISO week of `day`: a digest is sent at most once per user and week."""
    return day - timedelta(days=day.weekday())


def send_overdue_digests(*, today):
    """Mail every user of each active partner the partner's open assignments past their
    planned end, at most once per user a week.

    A row of OverdueDigest is claimed for (user, week) before the mail is sent, so a second
    run in the same week, even one running at the same time, sends nothing twice; when the
    mail fails the claim is removed again, so the next run retries. Returns counts: sent,
    already (sent earlier this week), failed."""
    counts: Counter[str] = Counter()
    if not emails.enabled():
        return counts
    week = week_of(today)
    overdue = Intervention.objects.overdue(today).filter(partner__is_active=True)
    for partner in Partner.objects.filter(pk__in=overdue.values("partner")).order_by("name"):
        q = overdue.filter(partner=partner).select_related(
            "child__village", "mother__village", "kind"
        )
        assigned = list(q.order_by("planned_end", "pk"))
        items = _items(assigned)
        for item in items:
            item["days_late"] = (today - item["intervention"].planned_end).days
        for user in partner_recipients(partner):
            try:
                with transaction.atomic():
                    claim = OverdueDigest.objects.create(
                        user=user, week=week, assignments=len(items)
                    )
            except IntegrityError:
                counts["already"] += 1
                continue
            ctx = _ctx(user, partner, items, today=today)
            [sent] = emails.send([emails.make("overdue_digest", user.email, ctx)])
            if sent:
                counts["sent"] += 1
            else:
                claim.delete()
                counts["failed"] += 1
    return counts
