from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gasken.files import delete_stored
from interventions.models import Delivery, Intervention, PartnerMember, PasswordChangeRequired
from registrations.models import Measurement
from verification import roles


class TransitionError(Exception):
    """A status change the workflow does not allow (e.g. finishing a cancelled one)."""


def assign(*, children, partner, kind, start_date, planned_end, note, user):
    """Assign each child to the partner for one kind of intervention."""
    with transaction.atomic():
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


def account_create(
    *, username, password, role, partner=None, first_name="", last_name="", email=""
):
    """A user account with its role (group), its partner for the partner roles, and a first
    password that the user must change at the first login. Verifikator accounts are staff:
    they keep the master data in the Django admin."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username,
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            is_staff=role in roles.ADMIN_ROLES,
        )
        user.groups.add(Group.objects.get(name=role))
        if partner is not None:
            PartnerMember.objects.create(user=user, partner=partner)
        PasswordChangeRequired.require(user)
    return user
