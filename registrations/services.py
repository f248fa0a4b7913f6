import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date as Date
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from gasken.files import delete_stored
from registrations.google_form import ParsedRow
from registrations.models import (
    EXPORT_CHILD_DATA,
    VIEW_DOCUMENT,
    AccessLog,
    Child,
    Document,
    Measurement,
    MotherReport,
    MotherReportVersion,
    MotherStatus,
    Posyandu,
    Submission,
    SubmissionVersion,
    Village,
    implied_risk_factors,
)
from registrations.uploads import CleanFile
from registrations.validators import validate_not_future

logger = logging.getLogger(__name__)

ProgrammeStatus = Child.ProgrammeStatus
ExitReason = Child.ExitReason


class StaleSubmission(Exception):
    """The report changed (decided, corrected) since the page was loaded."""


class ProgrammeStatusConflict(Exception):
    """The child's programme status changed since the caller read it."""


@dataclass(frozen=True)
class MeasurementValues:
    """A weight and a length/height measured on a day, lying or standing (a
    Measurement.Position value)."""

    measured_on: Date
    weight_kg: Decimal
    height_cm: Decimal
    position: str


@dataclass(frozen=True)
class ReportValues:
    """What a kader reports about a child, apart from the measurement and the files: the
    intake form's fields, cleaned (phone numbers as 62…, the posyandu as a row or, when it
    is not in the list, `posyandu` None and its name in `posyandu_other`).

    Why the child is reported: `reported_as` a ReportedAs value (blank only for reports
    that never asked, such as imported ones), `risk_factors` RiskFactor values, with the
    text of "lainnya" in `risk_other_text`, and the birth weight (g) and length (cm). The
    factors the other values state are added when saved (implied_risk_factors)."""

    kader_name: str
    kader_phone: str
    village: Village
    child_name: str
    child_sex: str
    birth_date: Date
    mother_name: str
    parent_occupation: str
    address: str
    posyandu: Posyandu | None = None
    posyandu_other: str = ""
    child_nik: str = ""
    father_name: str = ""
    parent_phone: str = ""
    kk_number: str = ""
    reported_as: str = ""
    risk_factors: frozenset[str] = frozenset()
    risk_other_text: str = ""
    birth_weight_g: int | None = None
    birth_length_cm: Decimal | None = None


@dataclass(frozen=True)
class MotherValues:
    """What a kader reports about a pregnant or breastfeeding mother: the mother's form's
    fields, cleaned (phone numbers as 62…, the posyandu as a row or, when it is not in the
    list, `posyandu` None and its name in `posyandu_other`).

    `mother_status` is a MotherStatus value. A pregnant mother has `pregnancy_month` or
    `due_date` (HPL), a breastfeeding one `baby_birth_date`; the other status's values are
    dropped when saved. LiLA (`muac_cm`) is required; Hb, weight and height may be None."""

    kader_name: str
    kader_phone: str
    village: Village
    name: str
    birth_date: Date
    address: str
    mother_status: str
    measured_on: Date
    muac_cm: Decimal
    posyandu: Posyandu | None = None
    posyandu_other: str = ""
    nik: str = ""
    phone: str = ""
    kk_number: str = ""
    husband_name: str = ""
    pregnancy_month: int | None = None
    due_date: Date | None = None
    baby_birth_date: Date | None = None
    hb_g_dl: Decimal | None = None
    weight_kg: Decimal | None = None
    height_cm: Decimal | None = None


# A stored file, as delete_stored takes it back: (storage, name).
StoredFile = tuple[Storage, str]

# A kader's report: a child's or a mother's. Both have a receipt code, an idempotency key,
# a status, versions and documents.
Report = TypeVar("Report", Submission, MotherReport)


def submission_create(
    *,
    report: ReportValues,
    measurement: MeasurementValues,
    documents: Mapping[str, CleanFile],
    idempotency_key: UUID | None = None,
) -> Submission:
    """Save a kader's report, its measurement and its documents (by Document.Kind) as one
    unit, with parental consent recorded now, and keep it as version 1.

    A key already used returns that report instead of a second one. Either the report and
    all its files are stored, or nothing is: files already written are removed again when
    anything fails (and if the process dies before that, sweep_storage removes them later)."""
    if idempotency_key is not None:
        existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    submission = Submission(idempotency_key=idempotency_key, consent_at=timezone.now())
    _set_report(submission, report, measurement)

    def save_measurement() -> None:
        _save_kader_measurement(Measurement(submission=submission), measurement)

    return _create_report(
        submission, documents=documents, idempotency_key=idempotency_key, then=save_measurement
    )


def mother_report_create(
    *,
    report: MotherValues,
    documents: Mapping[str, CleanFile],
    idempotency_key: UUID | None = None,
) -> MotherReport:
    """Save a kader's report of a pregnant or breastfeeding mother and its documents (by
    Document.Kind) as one unit, with her consent recorded now, and keep it as version 1.

    As submission_create: a key already used returns that report, and either the report
    and all its files are stored, or nothing is."""
    if idempotency_key is not None:
        existing = MotherReport.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    mother_report = MotherReport(idempotency_key=idempotency_key, consent_at=timezone.now())
    _set_mother_report(mother_report, report)
    return _create_report(mother_report, documents=documents, idempotency_key=idempotency_key)


def _create_report(
    report: Report,
    *,
    documents: Mapping[str, CleanFile],
    idempotency_key: UUID | None,
    then: Callable[[], None] | None = None,
) -> Report:
    """Save a new report, what `then` saves with it, and its documents, as version 1."""
    stored: list[StoredFile] = []
    try:
        with transaction.atomic():
            report.save()
            if then is not None:
                then()
            for kind, clean in documents.items():
                _store_document(report, kind, clean, stored)
            _record_version(report)
    except IntegrityError:
        delete_stored(stored)
        # Two sends of the same report raced each other: the first one wins.
        if idempotency_key is not None:
            existing = type(report).objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise
    except BaseException:
        delete_stored(stored)
        raise
    return report


def submission_resubmit(
    *,
    submission: Submission,
    report: ReportValues,
    measurement: MeasurementValues,
    documents: Mapping[str, CleanFile],
) -> Submission:
    """Save the kader's correction of a report sent back, as its next version, pending again.

    The old version's data and files are kept; a new file of a kind replaces the old one
    in the current version only. Raises StaleSubmission when the report is no longer sent
    back, or was corrected since `submission` was read. Nothing is kept if anything fails."""

    def save() -> None:
        _set_report(submission, report, measurement)
        submission.save()
        _save_kader_measurement(submission.measurement, measurement)

    return _resubmit_report(submission, documents=documents, save=save)


def mother_report_resubmit(
    *,
    mother_report: MotherReport,
    report: MotherValues,
    documents: Mapping[str, CleanFile],
) -> MotherReport:
    """Save the kader's correction of a mother's report sent back, as its next version,
    pending again; as submission_resubmit (raises StaleSubmission the same way)."""

    def save() -> None:
        _set_mother_report(mother_report, report)
        mother_report.save()

    return _resubmit_report(mother_report, documents=documents, save=save)


def _resubmit_report(
    report: Report, *, documents: Mapping[str, CleanFile], save: Callable[[], None]
) -> Report:
    stored: list[StoredFile] = []
    try:
        with transaction.atomic():
            # Compare-and-set: only one correction of this version can win, and not after
            # staff changed the report's status in the meantime.
            claimed = (
                type(report)
                .objects.filter(
                    pk=report.pk,
                    status=Submission.Status.NEEDS_CORRECTION,
                    version=report.version,
                )
                .update(version=report.version + 1)
            )
            if not claimed:
                raise StaleSubmission
            report.version += 1
            report.status = Submission.Status.PENDING
            report.status_message = ""
            save()
            now = timezone.now()
            for kind, clean in documents.items():
                report.documents.current().filter(kind=kind).update(superseded_at=now)
                _store_document(report, kind, clean, stored)
            _record_version(report)
    except BaseException:
        delete_stored(stored)
        raise
    return report


def _set_report(
    submission: Submission, report: ReportValues, measurement: MeasurementValues
) -> None:
    for field in fields(report):
        setattr(submission, field.name, getattr(report, field.name))
    submission.risk_factors = implied_risk_factors(
        report.risk_factors,
        birth_weight_g=report.birth_weight_g,
        risk_other_text=report.risk_other_text,
    )
    submission.measured_on = measurement.measured_on
    submission.weight_kg = measurement.weight_kg
    submission.height_cm = measurement.height_cm
    submission.measurement_position = measurement.position


def _set_mother_report(mother_report: MotherReport, report: MotherValues) -> None:
    for field in fields(report):
        setattr(mother_report, field.name, getattr(report, field.name))
    # Only the values of the status chosen: a month typed before switching to
    # "menyusui" is not the mother's.
    if report.mother_status == MotherStatus.PREGNANT:
        mother_report.baby_birth_date = None
    else:
        mother_report.pregnancy_month = None
        mother_report.due_date = None
    # The baby is linked to a registered child by staff, never from the public form.
    mother_report.baby = None
    # As stored (one decimal), so that the version kept now reads as the row will.
    for name in ("muac_cm", "hb_g_dl", "weight_kg", "height_cm"):
        value = getattr(report, name)
        if value is not None:
            setattr(mother_report, name, value.quantize(ONE_DECIMAL))


ONE_DECIMAL = Decimal("0.1")


def _save_kader_measurement(measurement: Measurement, values: MeasurementValues) -> None:
    """The report's measurement, as the kader sent it (before it belongs to a child)."""
    measurement.measured_on = values.measured_on
    measurement.weight_kg = values.weight_kg
    measurement.height_cm = values.height_cm
    measurement.position = values.position
    measurement.source = Measurement.Source.KADER
    measurement.save()


def _record_version(report: Submission | MotherReport) -> SubmissionVersion | MotherReportVersion:
    document_ids = list(report.documents.current().values_list("pk", flat=True))
    if isinstance(report, MotherReport):
        return MotherReportVersion.objects.create(
            report=report, number=report.version, data=report.snapshot(), document_ids=document_ids
        )
    return SubmissionVersion.objects.create(
        submission=report,
        number=report.version,
        data=report.snapshot(),
        document_ids=document_ids,
    )


def submissions_import_google_form(*, rows: list[ParsedRow]) -> list[Submission]:
    """Save rows of the Google Form's export as reports waiting for verification, with the
    time each was sent on the form; all of them or, when anything fails, none.

    A row whose key is already stored (the same export imported again) is skipped, so is a
    second row with the same key. Returns the reports created."""
    villages = Village.objects.in_bulk(field_name="code")
    posyandu = Posyandu.objects.in_bulk(field_name="code")
    now = timezone.now()
    created: list[Submission] = []
    with transaction.atomic():
        known = set(
            Submission.objects.filter(import_key__in=[r.key for r in rows]).values_list(
                "import_key", flat=True
            )
        )
        for row in rows:
            if row.key in known:
                continue
            known.add(row.key)
            submission = Submission.objects.create(
                status=Submission.Status.PENDING,
                source=Submission.Source.GOOGLE_FORM,
                import_key=row.key,
                imported_at=now,
                kader_name=row.kader_name,
                kader_phone=row.kader_phone,
                village=villages[row.village_code],
                posyandu=posyandu.get(row.posyandu_code),
                posyandu_other=row.posyandu_other,
                child_name=row.child_name,
                child_nik=row.child_nik,
                child_sex=row.child_sex,
                birth_date=row.birth_date,
                birth_date_estimated=row.birth_date_estimated,
                mother_name=row.mother_name,
                father_name=row.father_name,
                parent_occupation=row.parent_occupation,
                address=row.address,
                file_links=row.links,
                imported_row=row.original,
            )
            # created_at is set on insert; the report keeps the time the kader sent it.
            sent_at = timezone.make_aware(row.created_at)
            Submission.objects.filter(pk=submission.pk).update(created_at=sent_at)
            submission.created_at = sent_at
            version = _record_version(submission)
            SubmissionVersion.objects.filter(pk=version.pk).update(created_at=sent_at)
            created.append(submission)
    return created


def _store_document(
    report: Submission | MotherReport, kind: str, clean: CleanFile, stored: list[StoredFile]
) -> Document:
    doc = Document(
        kind=kind,
        version=report.version,
        original_name=clean.original_name[-255:],
        original_size=clean.original_size,
        content_type=clean.content_type,
        size=len(clean.content),
        sha256=clean.sha256,
    )
    if isinstance(report, MotherReport):
        doc.mother_report = report
    else:
        doc.submission = report
    doc.file.save(f"upload{clean.extension}", ContentFile(clean.content), save=False)
    assert doc.file.name is not None  # given by the storage as it saved the file
    stored.append((doc.file.storage, doc.file.name))
    doc.save()
    return doc


def measurement_create(
    *, child: Child, values: MeasurementValues, source: str, user: User | None
) -> Measurement:
    """Record a measurement of a registered child, taken by staff or a partner (`source`,
    a Measurement.Source value). Its z-scores are computed, and the child's latest
    measurement and TB/U category follow it, in the same transaction."""
    measurement = Measurement(
        child=child,
        measured_on=values.measured_on,
        weight_kg=values.weight_kg,
        height_cm=values.height_cm,
        position=values.position,
        source=source,
        recorded_by=user,
    )
    with transaction.atomic():
        measurement.save()
    return measurement


def document_log_view(*, document: Document, user: User, ip_address: str | None) -> None:
    """Log that `user` opened a KK/akta file."""
    AccessLog.record(
        user=user,
        action=VIEW_DOCUMENT,
        ip_address=ip_address,
        target=document,
        detail=f"{document.get_kind_display()} laporan {document.report.formatted_code}",
    )


def child_log_export(*, child: Child, user: User, ip_address: str | None) -> None:
    """Log that `user` exported all of a child's data (a data subject's request)."""
    AccessLog.record(
        user=user,
        action=EXPORT_CHILD_DATA,
        ip_address=ip_address,
        target=child,
        detail=f"Ekspor data anak #{child.pk} (permintaan subjek data, UU 27/2022 Ps. 32)",
    )


def documents_purge(*, documents: Iterable[Document], reason: str) -> list[Document]:
    """Delete the files of these documents from storage, keeping each row as the record of
    what was sent, marked with when and why its file went. Returns the documents purged.

    Each row is marked before its file is deleted, so a page never links to a missing
    file; a file that cannot be deleted is logged and left to sweep_storage."""
    purged: list[Document] = []
    for doc in documents:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=doc.pk)
            if locked.is_purged:
                continue
            name, storage = locked.file.name, locked.file.storage
            locked.mark_purged(reason)
        if name:
            delete_stored([(storage, name)])
        logger.info("Purged document #%s (%s): %s", locked.pk, reason, name)
        purged.append(locked)
    return purged


# The child's values every z-score of its measurements is computed from.
GROWTH_INPUTS = {"birth_date", "sex"}


def child_update(
    *,
    child: Child,
    changes: dict[str, Any],
    user: User | None,
    change_reason: str = "",
) -> Child:
    """Change a child's data (field name → cleaned value), in its audit history, and compute
    the z-scores of all its measurements again when the birth date or sex changed.

    The staff edit page and the admin both save through here, so no path leaves stored
    z-scores computed from an old birth date. Values equal to the stored ones save nothing.
    Raises ValidationError keyed by "birth_date" when the new birth date breaks a rule
    (Child.check_birth_date): the measurements could not be assessed with it."""
    with transaction.atomic():
        locked = Child.objects.select_for_update().get(pk=child.pk)
        changed = {name: value for name, value in changes.items() if getattr(locked, name) != value}
        if "birth_date" in changed:
            try:
                locked.check_birth_date(changed["birth_date"], today=timezone.localdate())
            except ValidationError as e:
                raise ValidationError({"birth_date": e}) from None
        if changed:
            for name, value in changed.items():
                setattr(locked, name, value)
            locked._history_user = user
            locked._change_reason = change_reason[:100] or None
            locked.save(update_fields=list(changed))
        if GROWTH_INPUTS & set(changed):
            for measurement in locked.measurements.all():
                measurement.save()
            locked.refresh_latest_measurement()
    child.refresh_from_db()
    return child


def child_set_programme_status(
    *,
    child: Child,
    status: str,
    reason: str = "",
    date: Date | None = None,
    note: str = "",
    user: User | None,
    expected_status: str | None = None,
    change_reason: str = "",
) -> Child:
    """Mark a child as exited (reason, date, note) or active again, in its audit history.

    Active again clears the reason, date and note. Raises ValidationError, with Indonesian
    messages keyed by "status", "reason", "date" and "note", when the values break a rule;
    raises ProgrammeStatusConflict when `expected_status` is given and the stored status is
    another one (someone else changed it meanwhile). Values equal to the stored ones save
    nothing, so no empty history entry appears. `user` None records the change as the
    system's; `change_reason` is kept with the history entry.
    """
    note = note.strip()
    with transaction.atomic():
        locked = Child.objects.select_for_update().get(pk=child.pk)
        if expected_status is not None and locked.programme_status != expected_status:
            raise ProgrammeStatusConflict
        if status == ProgrammeStatus.ACTIVE:
            reason, date, note = "", None, ""
        elif status == ProgrammeStatus.EXITED:
            _check_exit(locked, reason, date, note)
        else:
            raise ValidationError(
                {"status": ValidationError("Pilih status program: Aktif atau Keluar.", "status")}
            )

        values = {
            "programme_status": status,
            "exit_reason": reason,
            "exit_date": date,
            "exit_note": note,
        }
        if any(getattr(locked, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(locked, name, value)
            locked._history_user = user
            locked._change_reason = change_reason[:100] or None
            locked.save(update_fields=list(values))
    for name, value in values.items():
        setattr(child, name, value)
    return child


def _check_exit(child: Child, reason: str, date: Date | None, note: str) -> None:
    errors: dict[str, ValidationError] = {}
    if reason not in ExitReason.values:
        errors["reason"] = ValidationError("Pilih alasan keluar.", "reason_required")
    elif reason == ExitReason.OTHER and not note:
        errors["note"] = ValidationError("Tulis keterangan untuk alasan Lainnya.", "note_required")
    if len(note) > 200:
        errors["note"] = ValidationError(
            "Keterangan paling banyak 200 karakter (sekarang %(n)s).",
            "note_too_long",
            params={"n": len(note)},
        )

    try:
        _check_exit_date(child, reason, date)
    except ValidationError as e:
        errors["date"] = e
    if errors:
        raise ValidationError(errors)


def _check_exit_date(child: Child, reason: str, date: Date | None) -> None:
    """Raises the first thing wrong with an exit date."""
    if date is None:
        raise ValidationError("Isi tanggal keluar.", "date_required")
    validate_not_future(date, what="Tanggal keluar")
    if date < child.birth_date:
        raise ValidationError(
            "Tanggal keluar tidak boleh sebelum tanggal lahir anak (%(day)s).",
            "date_before_birth",
            params={"day": child.birth_date.strftime("%d-%m-%Y")},
        )
    if date < child.registered_on:
        raise ValidationError(
            "Tanggal keluar tidak boleh sebelum anak terdaftar (%(day)s).",
            "date_before_registration",
            params={"day": child.registered_on.strftime("%d-%m-%Y")},
        )
    if reason == ExitReason.AGED_OUT and date < child.aged_out_on:
        raise ValidationError(
            "Anak baru genap 60 bulan pada %(day)s; alasan “Usia 5 tahun” berlaku mulai "
            "tanggal itu.",
            "date_before_aged_out",
            params={"day": child.aged_out_on.strftime("%d-%m-%Y")},
        )


def child_close_aged_out(
    *, today: Date, user: User | None = None, change_reason: str = ""
) -> list[Child]:
    """Mark every active child who is 60 months old on `today` as exited, reason aged out.

    The exit date is the day the child reached 60 months (or the registration day, for a
    child registered after it). Safe to repeat: closed children are no longer active, and a
    child someone else changed during the run is left alone. Returns the children closed.
    """
    closed = []
    # One transaction per child (inside the service): a long first run locks nobody else
    # for its whole duration, and a run that stops half-way is finished by the next one.
    for child in Child.objects.aged_out(today).order_by("birth_date", "pk"):
        try:
            child_set_programme_status(
                child=child,
                status=ProgrammeStatus.EXITED,
                reason=ExitReason.AGED_OUT,
                date=max(child.aged_out_on, child.registered_on),
                user=user,
                expected_status=ProgrammeStatus.ACTIVE,
                change_reason=change_reason,
            )
        except (ProgrammeStatusConflict, ValidationError):
            # Changed by someone else meanwhile (status, birth date): the next run decides.
            continue
        closed.append(child)
    return closed
