"""The dashboard's figures, kept for a few minutes.

Every figure counts all children of the villages, so computing them takes time that grows
with the registry (seconds at 100,000 children). The figures of one set of filters are kept
in the cache for SNAPSHOT_SECONDS and shown with the time they were counted; the page
offers to count again, and `manage.py refresh_dashboard` (run by the scheduler more often
than SNAPSHOT_SECONDS) counts the views officials open most — the current year for the
kecamatan and for each kelurahan/desa — so that nobody waits for them. The public summary
is kept the same way: a page anyone may load must not make the database count everything
on every request. Worklists and the Excel recaps always read the database as it is.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone

from monitoring import indicators
from registrations.models import Village

SNAPSHOT_SECONDS = 15 * 60
# Part of every key: raise it when what dashboard_figures() returns changes shape, so that
# an upgraded app never reads figures kept by the previous version.
SHAPE = 5


def _key(village_ids, date_from, date_to, today, reported_as=""):
    villages = ",".join(map(str, sorted(village_ids)))
    text = f"{villages}|{date_from}|{date_to}|{today}|{reported_as}"
    return f"monitoring:figures:{SHAPE}:" + hashlib.sha256(text.encode()).hexdigest()


def figures(villages, date_from, date_to, *, today, reported_as="", refresh=False):
    """indicators.dashboard_figures() of the villages, period and target group, from the
    cache unless it holds none or `refresh`; with "computed_at", the moment they were
    counted. Every filter of the page is part of the key."""
    ids = list(villages.values_list("pk", flat=True))
    key = _key(ids, date_from, date_to, today, reported_as)
    found = None if refresh else cache.get(key)
    if found is None:
        found = indicators.dashboard_figures(villages, date_from, date_to, today, reported_as)
        found["computed_at"] = timezone.now()
        cache.set(key, found, SNAPSHOT_SECONDS)
    return found


def public_figures(*, today, refresh=False):
    """indicators.public_rows() of every village from the first of January to `today`, from
    the cache unless it holds none or `refresh`."""
    key = f"monitoring:public:{SHAPE}:{today}"
    found = None if refresh else cache.get(key)
    if found is None:
        found = indicators.public_rows(
            villages=Village.objects.all(), date_from=today.replace(month=1, day=1), date_to=today
        )
        cache.set(key, found, SNAPSHOT_SECONDS)
    return found
