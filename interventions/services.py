from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gasken.files import delete_stored
from interventions.models import Delivery, Intervention
from registrations.models import Child, Measurement


class TransitionError(Exception):
    """A status change the workflow does not allow (e.g. finishing a cancelled one)."""


class DuplicateAssignment(Exception):
    """A child already has the same kind of intervention by the same partner, planned or
    running; `existing` are those interventions."""

    def __init__(self, existing):
        super().__init__(existing)
        self.existing = existing


def assign(*, children, partner, kind, start_date, planned_end, note, user):
    """Assign each child to the partner for one kind of intervention.

    Raises DuplicateAssignment, and creates nothing, when a child already has this kind by
    this partner planned or running: the same help twice would be counted and delivered
    twice. The same kind by another partner is allowed (the page warns about it)."""
    children = list(children)
    with transaction.atomic():
        # Lock the children: of two staff assigning the same child at once, the second
        # waits here and then finds the first one's assignment.
        list(Child.objects.select_for_update().filter(pk__in=[c.pk for c in children]))
        existing = list(
            Intervention.objects.open()
            .filter(child__in=children, type=kind, partner=partner)
            .select_related("child", "partner", "type")
        )
        if existing:
            raise DuplicateAssignment(existing)
        created = []
        for child in children:
            intervention = Intervention(
                child=child,
                type=kind,
                partner=partner,
                start_date=start_date,
                planned_end=planned_end,
                note=note,
                created_by=user,
            )
            intervention._history_user = user
            intervention.save()
            created.append(intervention)
    return created


def change_status(*, intervention, status, user, reason="", day=None):
    """Move an intervention along direncanakan → berjalan → selesai, or cancel it."""
    day = day or timezone.localdate()
    with transaction.atomic():
        # Lock the row so two people changing it at once see each other's change.
        current = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if not current.can_become(status):
            raise TransitionError(
                f"Status {current.get_status_display().lower()} tidak dapat diubah menjadi "
                f"{Intervention.Status(status).label.lower()}."
            )
        current.status = status
        if status == Intervention.Status.RUNNING:
            current.started_on = day
        elif status in (Intervention.Status.DONE, Intervention.Status.CANCELLED):
            current.finished_on = day
        if status == Intervention.Status.CANCELLED:
            current.cancel_reason = reason
        current._history_user = user
        current.save()
    intervention.refresh_from_db()
    return intervention


def record_delivery(*, intervention, data, photo, user):
    """Save a partner's delivery/visit, its evidence photo and an optional measurement.

    A delivery on a planned intervention starts it. Nothing is kept if anything fails."""
    stored = []
    try:
        with transaction.atomic():
            if intervention.status == Intervention.Status.PLANNED:
                change_status(
                    intervention=intervention,
                    status=Intervention.Status.RUNNING,
                    user=user,
                    day=data["date"],
                )
            elif not intervention.is_open:
                raise TransitionError("Intervensi ini sudah selesai atau dibatalkan.")
            measurement = None
            if data.get("height_cm") or data.get("weight_kg"):
                measurement = Measurement(
                    child=intervention.child,
                    measured_on=data["date"],
                    weight_kg=data.get("weight_kg"),
                    height_cm=data.get("height_cm"),
                    position=data.get("position") or "",
                    source=Measurement.Source.MITRA,
                    recorded_by=user,
                )
                measurement.save()
            delivery = Delivery(
                intervention=intervention,
                date=data["date"],
                description=data["description"],
                quantity=data.get("quantity"),
                note=data.get("note", ""),
                internal=data.get("internal", False),
                measurement=measurement,
                recorded_by=user,
            )
            if photo:
                delivery.photo_original_name = photo.original_name[-255:]
                delivery.photo_sha256 = photo.sha256
                delivery.photo.save("foto.jpg", ContentFile(photo.content), save=False)
                stored.append((delivery.photo.storage, delivery.photo.name))
            delivery._history_user = user
            delivery.save()
    except BaseException:
        delete_stored(stored)
        raise
    return delivery
