"""The empty intake form, rendered once and then handed out as kept HTML.

Every kader who opens /lapor/, a posyandu's /lapor/<code>/ or a kelurahan/desa's
/lapor/desa/<kode>/ (or the mother's form at any of them, …/ibu/) gets the same page, apart from two values made for each request: the
idempotency key (used by browsers without JavaScript: one report per opened form) and the
CSRF token. Rendering the page's ~40 widgets takes tens of milliseconds of CPU; filling those
two values into a kept copy takes a few microseconds.

A copy is kept in each app process's memory, by name (the view names it by posyandu or
village and day, as the date fields' `max` is today), together with the version stamp of the villages
and posyandu it was rendered from. The stamp lives in the shared cache, so every process
sees a change: saving or deleting a village or posyandu renews it (at once, and again when
the transaction commits, so that a copy rendered from the data before the commit is not
kept). The process that saved drops its copies at once; the others read the stamp again
at most CHECK_EVERY seconds later (reading it on every request would cost a query each
with the database cache). A copy is also re-rendered after MAX_AGE, for changes made around
the models' signals (a bulk update in the shell, a data migration), and at most MAX_PAGES
copies are kept. While the cache cannot be read, a kept copy is served until MAX_AGE and a
missing one rendered for each request: the form opens all the same. With DEBUG=true
(development) nothing is kept, so an edited template shows at once.
"""

import logging
import re
import threading
import uuid
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from registrations.models import Posyandu, Village

logger = logging.getLogger(__name__)

# Rendered in place of the per-request values, then cut out. No character of them is
# changed by HTML escaping.
KEY_SLOT = "gasken-slot-idempotency-key"
CSRF_SLOT = "gasken-slot-csrf-token"
_SLOTS = re.compile(f"({KEY_SLOT}|{CSRF_SLOT})")

VERSION_KEY = "intake-page:version"
CHECK_EVERY = 1  # second
MAX_AGE = 600  # seconds
MAX_PAGES = 200

# name -> (stamp, time rendered, pieces), and the stamp last read with its time; both
# changed under the lock.
_kept: dict = {}
_checked: tuple | None = None
_lock = threading.Lock()


def version():
    """The version stamp of the villages and posyandu, from the shared cache. A cache that
    lost it (restarted, culled) gets a new one, so every copy is rendered again. None when
    the cache cannot be read."""
    try:
        stamp = cache.get(VERSION_KEY)
        if stamp is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            stamp = cache.get(VERSION_KEY)
        return stamp
    except Exception:
        logger.exception("Cannot read the intake form's version stamp from the cache")
        return None


def page(name, render, *, key, csrf_token):
    """The HTML of page `name` with this request's idempotency key and CSRF token; render()
    makes it, with KEY_SLOT and CSRF_SLOT in their places, when no current copy is kept."""
    pieces = _pieces(name, render)
    values = {KEY_SLOT: str(key), CSRF_SLOT: csrf_token}
    return "".join(values[p] if i % 2 else p for i, p in enumerate(pieces))


def _pieces(name, render):
    now = monotonic()
    stamp = _stamp(now)  # read before the data the page is rendered from
    kept = _kept.get(name)
    # Without a stamp (the cache is down) a copy is still good until MAX_AGE.
    if kept and stamp in (kept[0], None) and now - kept[1] < MAX_AGE:
        return kept[2]
    pieces = _SLOTS.split(render())
    if sorted(pieces[1::2]) != sorted([KEY_SLOT, CSRF_SLOT]):
        raise ValueError("The form page must carry one idempotency key and one CSRF token.")
    if stamp is None or settings.DEBUG:
        return pieces
    with _lock:
        for other, (s, at, _) in list(_kept.items()):
            if s != stamp or now - at >= MAX_AGE:
                del _kept[other]
        while len(_kept) >= MAX_PAGES:
            del _kept[next(iter(_kept))]
        _kept[name] = (stamp, now, pieces)
    return pieces


def _stamp(now):
    global _checked
    checked = _checked
    if checked and now - checked[1] < CHECK_EVERY:
        return checked[0]
    stamp = version()
    with _lock:
        _checked = (stamp, now) if stamp is not None else None
    return stamp


def forget():
    """Drops every kept copy: at once in this process, within CHECK_EVERY in the others."""
    global _checked
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # Saving a posyandu must not fail for it; other processes catch up within MAX_AGE.
        logger.exception("Cannot renew the intake form's version stamp in the cache")
    with _lock:
        _kept.clear()
        _checked = None


@receiver([post_save, post_delete], sender=Village)
@receiver([post_save, post_delete], sender=Posyandu)
def _changed(sender, using, **kwargs):
    forget()
    transaction.on_commit(forget, using=using)
