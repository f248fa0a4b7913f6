"""Builders for the kecamatan staff's intervention tests (the partner portal has its own)."""

from datetime import timedelta

from django.contrib.messages import get_messages
from django.utils import timezone

from interventions.models import Intervention, InterventionType, Partner

PUSKESMAS = "Puskesmas Sungailiat"
TIMAH = "PT Timah Tbk"
PMT = "PMT"
RUJUKAN = "Rujukan ke fasilitas kesehatan"


def partner(name=PUSKESMAS):
    return Partner.objects.get(name=name)


def kind(name=PMT):
    return InterventionType.objects.get(name=name)


def make_intervention(child, created_by, **fields):
    """An intervention saved directly (no history user), planned by default."""
    today = timezone.localdate()
    values = {
        "child": child,
        "type": kind(),
        "partner": partner(),
        "start_date": today - timedelta(days=10),
        "planned_end": today + timedelta(days=80),
        "created_by": created_by,
    }
    values.update(fields)
    return Intervention.objects.create(**values)


def messages_of(response):
    """The flash messages a request queued (read before the redirect is followed)."""
    return [str(m) for m in get_messages(response.wsgi_request)]
