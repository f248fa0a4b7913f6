from collections.abc import Iterable
from datetime import date as Date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gasken.files import delete_stored
from interventions.emails import notify_new_assignments
from interventions.models import (
    VIEW_DELIVERY_PHOTO,
    Delivery,
    Intervention,
    InterventionType,
    Partner,
    PartnerMember,
    PasswordChangeRequired,
)
from registrations.models import AccessLog, Child, Measurement
from registrations.services import MeasurementValues, StoredFile, measurement_create
from registrations.uploads import CleanFile
from verification import roles


class TransitionError(Exception):
    """A status change the workflow does not allow (e.g. finishing a cancelled one)."""


class DuplicateAssignment(Exception):
    """A child already has the same kind of intervention by the same partner, planned or
    running; `existing` are those interventions."""

    def __init__(self, existing: list[Intervention]) -> None:
        super().__init__(existing)
        self.existing = existing


def intervention_assign(
    *,
    children: Iterable[Child],
    partner: Partner,
    kind: InterventionType,
    start_date: Date,
    planned_end: Date,
    note: str,
    user: User,
) -> list[Intervention]:
    """Assign each child to the partner for one kind of intervention, planned.

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
            .filter(child__in=children, kind=kind, partner=partner)
            .select_related("child", "partner", "kind")
        )
        if existing:
            raise DuplicateAssignment(existing)
        created = []
        for child in children:
            intervention = Intervention(
                child=child,
                kind=kind,
                partner=partner,
                start_date=start_date,
                planned_end=planned_end,
                note=note,
                created_by=user,
            )
            intervention._history_user = user
            intervention.save()
            created.append(intervention)
        transaction.on_commit(lambda: notify_new_assignments(created))
    return created


def intervention_change_status(
    *,
    intervention: Intervention,
    status: str,
    user: User,
    reason: str = "",
    day: Date | None = None,
) -> Intervention:
    """Move an intervention along planned → running → done, or cancel it (with a
    `reason`), on `day` (default today). Raises TransitionError for a move the workflow
    does not allow."""
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


def delivery_record(
    *,
    intervention: Intervention,
    date: Date,
    description: str,
    user: User,
    quantity: Decimal | None = None,
    note: str = "",
    internal: bool = False,
    photo: CleanFile | None = None,
    measurement: MeasurementValues | None = None,
) -> Delivery:
    """Save a partner's delivery or visit, its evidence photo and a measurement of the child
    taken then, if any.

    A delivery on a planned intervention starts it (on the delivery's date); one on a
    finished or cancelled intervention raises TransitionError. Nothing is kept, in the
    database or in storage, if anything fails."""
    stored: list[StoredFile] = []
    try:
        with transaction.atomic():
            if intervention.status == Intervention.Status.PLANNED:
                intervention_change_status(
                    intervention=intervention,
                    status=Intervention.Status.RUNNING,
                    user=user,
                    day=date,
                )
            elif not intervention.is_open:
                raise TransitionError("Intervensi ini sudah selesai atau dibatalkan.")
            delivery = Delivery(
                intervention=intervention,
                date=date,
                description=description,
                quantity=quantity,
                note=note,
                internal=internal,
                recorded_by=user,
            )
            if measurement is not None:
                delivery.measurement = measurement_create(
                    child=intervention.child,
                    values=measurement,
                    source=Measurement.Source.PARTNER,
                    user=user,
                )
            if photo is not None:
                delivery.photo_original_name = photo.original_name[-255:]
                delivery.photo_sha256 = photo.sha256
                delivery.photo.save("foto.jpg", ContentFile(photo.content), save=False)
                assert delivery.photo.name is not None  # given by the storage as it saved
                stored.append((delivery.photo.storage, delivery.photo.name))
            delivery._history_user = user
            delivery.save()
    except BaseException:
        delete_stored(stored)
        raise
    return delivery


def delivery_log_photo_view(*, delivery: Delivery, user: User, ip_address: str | None) -> None:
    """Log that `user` opened a delivery's evidence photo."""
    AccessLog.record(
        user=user,
        action=VIEW_DELIVERY_PHOTO,
        ip_address=ip_address,
        target=delivery,
        detail=f"Foto layanan #{delivery.pk} ({delivery.intervention})",
    )


def account_create(
    *,
    username: str,
    password: str,
    role: str,
    partner: Partner | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
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
