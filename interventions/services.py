from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gasken.files import delete_stored
from interventions.emails import notify_new_assignments
from interventions.models import (
    VIEW_ACTIVITY_PHOTO,
    VIEW_DELIVERY_PHOTO,
    Activity,
    ActivityPhoto,
    Delivery,
    Intervention,
    InterventionType,
    Obstacle,
    Partner,
    PartnerMember,
    PasswordChangeRequired,
)
from registrations.dates import completed_months
from registrations.models import (
    AccessLog,
    Child,
    Measurement,
    Mother,
    MotherCheck,
    Posyandu,
    Village,
)
from registrations.services import MeasurementValues, StoredFile, measurement_create
from registrations.uploads import CleanFile
from registrations.validators import validate_not_future
from verification import roles


class TransitionError(Exception):
    """A status change the workflow does not allow (e.g. finishing a cancelled one)."""


class DuplicateAssignment(Exception):
    """A child or a mother already has the same kind of intervention by the same partner,
    planned or running; `existing` are those interventions."""

    def __init__(self, existing: list[Intervention]) -> None:
        super().__init__(existing)
        self.existing = existing


@dataclass(frozen=True)
class ObstacleValues:
    """An obstacle as a partner reports it: its kind (an Obstacle.Kind value), the day it
    was met, and in words what happened (required for Obstacle.Kind.OTHER)."""

    kind: str
    date: Date
    description: str = ""


@dataclass(frozen=True)
class MotherCheckValues:
    """What a partner measured of a mother at a visit: LiLA, and Hb and weight if measured.
    Her status (pregnant or breastfeeding) and its dates carry over from her latest check."""

    checked_on: Date
    muac_cm: Decimal
    hb_g_dl: Decimal | None = None
    weight_kg: Decimal | None = None


OTHER_OBSTACLE_MESSAGE = "Tuliskan kendalanya bila memilih lainnya."
KIND_FOR_MOTHERS_MESSAGE = "Jenis intervensi ini untuk ibu hamil/menyusui, bukan untuk balita."
KIND_FOR_CHILDREN_MESSAGE = "Jenis intervensi ini untuk balita, bukan untuk ibu hamil/menyusui."
NO_MOTHER_STATUS_MESSAGE = (
    "Status ibu (hamil atau menyusui) belum tercatat: pemeriksaan belum dapat dicatat mitra."
)


def intervention_assign(
    *,
    children: Iterable[Child] = (),
    mothers: Iterable[Mother] = (),
    partner: Partner,
    kind: InterventionType,
    start_date: Date,
    planned_end: Date,
    note: str,
    user: User,
) -> list[Intervention]:
    """Assign each child, or each mother, to the partner for one kind of intervention,
    planned.

    Raises ValidationError (keyed "kind") when the kind is not for that target (a child's
    kind for a mother or the other way round), and DuplicateAssignment, creating nothing,
    when a target already has this kind by this partner planned or running: the same help
    twice would be counted and delivered twice. The same kind by another partner is allowed
    (the page warns about it)."""
    children, mothers = list(children), list(mothers)
    if children and kind.target != InterventionType.Target.CHILD:
        raise ValidationError({"kind": ValidationError(KIND_FOR_MOTHERS_MESSAGE, "target")})
    if mothers and kind.target != InterventionType.Target.MOTHER:
        raise ValidationError({"kind": ValidationError(KIND_FOR_CHILDREN_MESSAGE, "target")})
    with transaction.atomic():
        # Lock the targets: of two staff assigning the same child at once, the second
        # waits here and then finds the first one's assignment.
        list(Child.objects.select_for_update().filter(pk__in=[c.pk for c in children]))
        list(Mother.objects.select_for_update().filter(pk__in=[m.pk for m in mothers]))
        existing = list(
            Intervention.objects.open()
            .filter(kind=kind, partner=partner)
            .filter(Q(child__in=children) | Q(mother__in=mothers))
            .select_related("child", "mother", "partner", "kind")
        )
        if existing:
            raise DuplicateAssignment(existing)
        targets = [{"child": c} for c in children] + [{"mother": m} for m in mothers]
        created = []
        for target in targets:
            intervention = Intervention(
                **target,
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
    mother_check: MotherCheckValues | None = None,
    obstacle: ObstacleValues | None = None,
) -> Delivery:
    """Save a partner's delivery or visit, its evidence photo, a measurement of the child
    (or a check of the mother) taken then and an obstacle met then, if any.

    A mother's check becomes her latest if it is; it raises ValidationError (keyed
    "muac_cm") when her status is not known yet.

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
                # A child's measurement: the delivery forms offer one only for a child.
                assert intervention.child is not None
                delivery.measurement = measurement_create(
                    child=intervention.child,
                    values=measurement,
                    source=Measurement.Source.PARTNER,
                    user=user,
                )
            if mother_check is not None:
                # A mother's check: the delivery forms offer one only for a mother.
                assert intervention.mother is not None
                delivery.mother_check = _partner_mother_check(
                    mother=intervention.mother, values=mother_check, user=user
                )
            if photo is not None:
                delivery.photo_original_name = photo.original_name[-255:]
                delivery.photo_sha256 = photo.sha256
                delivery.photo.save("foto.jpg", ContentFile(photo.content), save=False)
                assert delivery.photo.name is not None  # given by the storage as it saved
                stored.append((delivery.photo.storage, delivery.photo.name))
            delivery._history_user = user
            delivery.save()
            if obstacle is not None:
                obstacle_record(
                    intervention=intervention, values=obstacle, user=user, delivery=delivery
                )
    except BaseException:
        delete_stored(stored)
        raise
    return delivery


def _partner_mother_check(*, mother: Mother, values: MotherCheckValues, user: User) -> MotherCheck:
    """A check of `mother` a partner took: what was measured, with her status and its dates
    from her latest check (the month of pregnancy moved on by the months since)."""
    previous = mother.checks.order_by(*MotherCheck.LATEST_FIRST).first()
    if previous is None:
        raise ValidationError({"muac_cm": ValidationError(NO_MOTHER_STATUS_MESSAGE, "no_status")})
    month = previous.pregnancy_month
    if month is not None and values.checked_on > previous.checked_on:
        month = min(month + completed_months(previous.checked_on, values.checked_on), 10)
    check = MotherCheck.objects.create(
        mother=mother,
        checked_on=values.checked_on,
        source=MotherCheck.Source.PARTNER,
        recorded_by=user,
        mother_status=previous.mother_status,
        pregnancy_month=month,
        due_date=previous.due_date,
        baby_birth_date=previous.baby_birth_date,
        baby=previous.baby,
        muac_cm=values.muac_cm,
        hb_g_dl=values.hb_g_dl,
        weight_kg=values.weight_kg,
    )
    mother.refresh_latest_check()
    return check


def delivery_log_photo_view(*, delivery: Delivery, user: User, ip_address: str | None) -> None:
    """Log that `user` opened a delivery's evidence photo."""
    AccessLog.record(
        user=user,
        action=VIEW_DELIVERY_PHOTO,
        ip_address=ip_address,
        target=delivery,
        detail=f"Foto layanan #{delivery.pk} ({delivery.intervention})",
    )


# --- Obstacles ---------------------------------------------------------------------------


class ObstacleAlreadyHandled(Exception):
    """The obstacle was marked handled (by someone else) since the page was loaded."""


def obstacle_record(
    *,
    intervention: Intervention,
    values: ObstacleValues,
    user: User,
    delivery: Delivery | None = None,
) -> Obstacle:
    """Record an obstacle a partner met on an open assignment, on its own or with one of its
    deliveries. Raises TransitionError for a finished or cancelled assignment and
    ValidationError (Indonesian, keyed by field) for a date in the future or an "other"
    without words."""
    description = values.description.strip()
    errors: dict[str, ValidationError] = {}
    try:
        validate_not_future(values.date)
    except ValidationError as e:
        errors["date"] = e
    if values.kind == Obstacle.Kind.OTHER and not description:
        errors["description"] = ValidationError(OTHER_OBSTACLE_MESSAGE, code="required")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if not current.is_open:
            raise TransitionError("Intervensi ini sudah selesai atau dibatalkan.")
        obstacle = Obstacle(
            intervention=current,
            delivery=delivery,
            kind=Obstacle.Kind(values.kind),
            date=values.date,
            description=description,
            reported_by=user,
        )
        obstacle._history_user = user
        obstacle.save()
    return obstacle


def obstacle_handle(*, obstacle: Obstacle, note: str, user: User) -> Obstacle:
    """Mark an open obstacle handled by `user` now, with what was done about it. Raises
    ObstacleAlreadyHandled when someone marked it handled first: their note stays."""
    note = note.strip()
    if not note:
        raise ValidationError(
            {"note": ValidationError("Tuliskan tindak lanjutnya.", code="required")}
        )
    with transaction.atomic():
        current = Obstacle.objects.select_for_update().get(pk=obstacle.pk)
        if current.status != Obstacle.Status.OPEN:
            raise ObstacleAlreadyHandled
        current.status = Obstacle.Status.HANDLED
        current.handled_by = user
        current.handled_at = timezone.now()
        current.handling_note = note
        current._history_user = user
        current.save()
    obstacle.refresh_from_db()
    return obstacle


# --- Group activities ----------------------------------------------------------------


@dataclass(frozen=True)
class ActivityValues:
    """A group activity as its form cleans it: its kind (an Activity.Kind value), day,
    kelurahan/desa and posyandu (of that village, or None), the partners that ran it, the
    topic, the people who came by audience (the count fields of Activity.AUDIENCES) and
    notes."""

    kind: str
    date: Date
    village: Village
    partners: Sequence[Partner]
    topic: str
    posyandu: Posyandu | None = None
    parents_count: int = 0
    mothers_count: int = 0
    kader_count: int = 0
    officials_count: int = 0
    others_count: int = 0
    notes: str = ""

    def people(self) -> int:
        return sum(getattr(self, name) for name, _ in Activity.AUDIENCES)


TOO_MANY_PHOTOS_MESSAGE = f"Paling banyak {Activity.MAX_PHOTOS} foto per kegiatan."
ATTENDANCE_MESSAGE = "Isi jumlah peserta: minimal satu kelompok lebih dari 0."


def _check_activity(values: ActivityValues) -> None:
    """The rules of an activity, whoever records it: ValidationError keyed by field
    ("attendance" for the counts together)."""
    errors: dict[str, ValidationError] = {}
    try:
        validate_not_future(values.date)
    except ValidationError as e:
        errors["date"] = e
    if values.posyandu is not None and values.posyandu.village_id != values.village.pk:
        errors["posyandu"] = ValidationError(
            "Posyandu ini bukan di kelurahan/desa yang dipilih.", code="other_village"
        )
    if not values.partners:
        errors["partners"] = ValidationError("Pilih minimal satu mitra pelaksana.", "required")
    counts = [getattr(values, name) for name, _ in Activity.AUDIENCES]
    if any(n < 0 for n in counts):
        errors["attendance"] = ValidationError("Jumlah peserta tidak boleh negatif.", "min")
    elif not any(counts):
        errors["attendance"] = ValidationError(ATTENDANCE_MESSAGE, "no_attendance")
    if errors:
        raise ValidationError(errors)


def _set_activity(activity: Activity, values: ActivityValues) -> None:
    activity.kind = Activity.Kind(values.kind)
    activity.date = values.date
    activity.village = values.village
    activity.posyandu = values.posyandu
    activity.topic = values.topic.strip()
    activity.notes = values.notes.strip()
    for name, _ in Activity.AUDIENCES:
        setattr(activity, name, getattr(values, name))


def _store_activity_photo(
    activity: Activity, photo: CleanFile, user: User, stored: list[StoredFile]
) -> None:
    row = ActivityPhoto(
        activity=activity,
        photo_original_name=photo.original_name[-255:],
        photo_sha256=photo.sha256,
    )
    row.photo.save("foto.jpg", ContentFile(photo.content), save=False)
    assert row.photo.name is not None  # given by the storage as it saved
    stored.append((row.photo.storage, row.photo.name))
    row._history_user = user
    row.save()


def activity_record(
    *, values: ActivityValues, user: User, photos: Sequence[CleanFile] = ()
) -> Activity:
    """Save a group activity with its partners and photos (at most Activity.MAX_PHOTOS).

    Raises ValidationError (Indonesian, keyed by field) when a rule is broken. Nothing is
    kept, in the database or in storage, if anything fails."""
    _check_activity(values)
    if len(photos) > Activity.MAX_PHOTOS:
        raise ValidationError({"photos": ValidationError(TOO_MANY_PHOTOS_MESSAGE, "too_many")})
    stored: list[StoredFile] = []
    try:
        with transaction.atomic():
            activity = Activity(recorded_by=user)
            _set_activity(activity, values)
            activity._history_user = user
            activity.save()
            # Setting the partners adds the entry of its history that names them.
            activity.partners.set(values.partners)
            for photo in photos:
                _store_activity_photo(activity, photo, user, stored)
    except BaseException:
        delete_stored(stored)
        raise
    return activity


def activity_update(
    *,
    activity: Activity,
    values: ActivityValues,
    user: User,
    add_photos: Sequence[CleanFile] = (),
    remove_photos: Iterable[ActivityPhoto] = (),
) -> Activity:
    """Change a group activity, its partners and its photos: `remove_photos` (of this
    activity) go, `add_photos` come, and it keeps at most Activity.MAX_PHOTOS.

    Raises ValidationError (Indonesian, keyed by field) when a rule is broken. Nothing is
    kept if anything fails; the files of removed photos leave the storage only once the
    change is saved."""
    _check_activity(values)
    stored: list[StoredFile] = []
    removed: list[StoredFile] = []
    try:
        with transaction.atomic():
            # Of two people changing the photos at once, the second counts the first's.
            current = Activity.objects.select_for_update().get(pk=activity.pk)
            gone = list(current.photos.filter(pk__in=[p.pk for p in remove_photos]))
            kept = current.photos.count() - len(gone)
            if kept + len(add_photos) > Activity.MAX_PHOTOS:
                raise ValidationError(
                    {"photos": ValidationError(TOO_MANY_PHOTOS_MESSAGE, "too_many")}
                )
            _set_activity(current, values)
            current._history_user = user
            # One entry of its history for the change, the partners included.
            current.skip_history_when_saving = True
            current.save()
            current.partners.set(values.partners)
            del current.skip_history_when_saving
            current.save()
            for row in gone:
                if row.photo.name:
                    removed.append((row.photo.storage, row.photo.name))
                row._history_user = user
                row.delete()
            for photo in add_photos:
                _store_activity_photo(current, photo, user, stored)
            transaction.on_commit(lambda: delete_stored(removed))
    except BaseException:
        delete_stored(stored)
        raise
    activity.refresh_from_db()
    return activity


def activity_log_photo_view(*, photo: ActivityPhoto, user: User, ip_address: str | None) -> None:
    """Log that `user` opened a photo of a group activity."""
    AccessLog.record(
        user=user,
        action=VIEW_ACTIVITY_PHOTO,
        ip_address=ip_address,
        target=photo,
        detail=f"Foto kegiatan #{photo.pk} ({photo.activity})",
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
