import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from gasken.clients import client_ip
from gasken.pages import bounded_count, paginate, require_perm, search
from registrations.dates import months_before
from registrations.growth_chart import length_for_age_svg
from registrations.models import AccessLog, Child, Measurement, Submission
from registrations.services import (
    ProgrammeStatusConflict,
    child_close_aged_out,
    child_set_programme_status,
)
from verification.checks import check_kk_number, check_nik, whatsapp_link
from verification.forms import (
    AGE_GROUPS,
    ChildFilterForm,
    ChildForm,
    DecisionForm,
    MeasurementForm,
    ProgrammeStatusForm,
    QueueFilterForm,
)
from verification.models import Decision
from verification.services import DecisionConflict, decide, find_duplicates


@require_perm("verification.view_cases")
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}

    q = Submission.objects.all()
    if filters.get("village"):
        q = q.filter(village=filters["village"])
    if filters.get("posyandu"):
        q = q.filter(posyandu=filters["posyandu"])
    # Bounds as local midnights, so the created_at index serves the range.
    if filters.get("date_from"):
        q = q.filter(created_at__gte=_local_midnight(filters["date_from"]))
    if filters.get("date_to"):
        q = q.filter(created_at__lt=_local_midnight(filters["date_to"] + timedelta(days=1)))
    if filters.get("q"):
        q = search(q, filters["q"], ["child_name", "mother_name", "child_nik"])

    # One bounded count per status, each read from the (status, created_at, id) index:
    # a GROUP BY over every report grew with the table. The list's own count is one of them.
    counts = {value: bounded_count(q.filter(status=value)) for value in Submission.Status.values}
    status = filters.get("status") or Submission.Status.PENDING
    if status != "semua":
        q = q.filter(status=status)
    count = counts.get(status, sum(counts.values()))
    q = q.select_related("village", "posyandu", "measurement").order_by("created_at", "pk")
    page, query = paginate(request, q, count)

    status_counts = [(value, label, counts[value]) for value, label in Submission.Status.choices]
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("status", None)
    ctx = {
        "form": form,
        "page": page,
        "query": query,
        "status": status,
        "status_counts": status_counts,
        "total": sum(counts.values()),
        "status_query": params.urlencode(),
    }
    return render(request, "verification/queue.html", ctx)


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _get_submission(pk):
    q = Submission.objects.select_related("village", "posyandu", "measurement", "child")
    return get_object_or_404(q, pk=pk)


@require_perm("verification.view_cases")
def submission_detail(request, pk):
    submission = _get_submission(pk)
    _log_view(request, f"Laporan {submission.formatted_code} ({submission.child_name})")
    ctx = _submission_context(request, submission)
    return render(request, "verification/submission_detail.html", ctx)


def _log_view(request, detail):
    # These pages show a full NIK and KK number: who opened them is logged like a document.
    AccessLog.objects.create(
        user=request.user,
        action=AccessLog.Action.VIEW_CHILD,
        detail=detail[:255],
        ip_address=client_ip(request),
    )


def _submission_context(request, submission, form=None):
    measurement = getattr(submission, "measurement", None)
    children, reports = find_duplicates(submission)
    versions = list(submission.versions.all())
    decisions = list(submission.decisions.select_related("decided_by", "child"))
    ctx = {
        "submission": submission,
        "measurement": measurement,
        "chart": _chart(submission.child_sex, [measurement]) if measurement else "",
        "documents": submission.documents.current(),
        "old_documents": submission.documents.filter(superseded_at__isnull=False),
        "nik_checks": check_nik(submission.child_nik, submission.birth_date, submission.child_sex),
        "kk_checks": check_kk_number(submission.kk_number),
        "duplicate_children": children,
        "duplicate_reports": reports,
        "versions": versions,
        "timeline": _timeline(versions, decisions),
        "can_decide": request.user.has_perm("verification.decide_submission"),
        "can_view_documents": request.user.has_perm("registrations.view_document"),
        "form": form,
        "whatsapp": _whatsapp(submission),
    }
    if submission.is_imported:
        ctx["original_row"] = _original_row(submission, ctx["can_view_documents"])
        ctx["sex_choices"] = Submission.Sex.choices
    if len(versions) > 1:
        ctx["changed_fields"] = {
            name
            for name, value in versions[-1].data.items()
            if versions[-2].data.get(name) != value
        }
    return ctx


_LINK = re.compile(r"https?://\S+")


def _original_row(submission, can_view_documents):
    """The Google Form row as exported. Its Drive links lead to KK/akta files: shown only
    to those who may open documents."""
    rows = []
    for header, value in submission.imported_row.items():
        if not can_view_documents:
            value = _LINK.sub("(tautan berkas)", value)
        rows.append((header, value))
    return rows


def _timeline(versions, decisions):
    events = [(v.created_at, "version", v) for v in versions] + [
        (d.decided_at, "decision", d) for d in decisions
    ]
    return sorted(events, key=lambda e: e[0])


def _whatsapp(submission):
    receipt = settings.PUBLIC_BASE_URL + submission.get_absolute_url()
    greeting = f"Halo {submission.kader_name}, laporan GASKEN untuk {submission.child_name}"
    greeting += f" (kode {submission.formatted_code})"
    if submission.status == Submission.Status.NEEDS_CORRECTION:
        text = (
            f"{greeting} perlu diperbaiki: {submission.status_message}\n"
            f"Silakan perbaiki di {receipt}\nTerima kasih. – Kecamatan Sungailiat"
        )
    elif submission.status == Submission.Status.VERIFIED:
        text = (
            f"{greeting} sudah diverifikasi dan anak terdaftar sebagai sasaran program.\n"
            f"Status: {receipt}\nTerima kasih. – Kecamatan Sungailiat"
        )
    else:
        return None
    return whatsapp_link(submission.kader_phone, text)


@require_POST
@require_perm("verification.decide_submission")
def decide_submission(request, pk):
    submission = _get_submission(pk)
    form = DecisionForm(request.POST, submission=submission)
    if not form.is_valid():
        messages.error(request, "Keputusan belum disimpan: periksa isian yang ditandai.")
        for error in form.non_field_errors():
            messages.error(request, error)
        ctx = _submission_context(request, submission, form)
        return render(request, "verification/submission_detail.html", ctx, status=400)

    data = form.cleaned_data
    try:
        decision = decide(
            submission=submission,
            action=data["action"],
            user=request.user,
            version=data["version"],
            note=data["note"],
            child=data.get("child"),
            birth_date=data["birth_date"] if submission.birth_date_estimated else None,
            child_sex="" if submission.child_sex else data["child_sex"],
        )
    except DecisionConflict:
        submission.refresh_from_db()
        messages.error(
            request,
            "Keputusan tidak disimpan: laporan ini sudah diputuskan petugas lain atau sudah "
            f"diperbaiki kader (status sekarang: {submission.get_status_display()}).",
        )
        return redirect("verification:submission", pk=submission.pk)

    messages.success(request, f"Tersimpan: {decision.get_action_display().lower()}.")
    return redirect("verification:submission", pk=submission.pk)


@require_perm("verification.view_cases")
def children(request):
    form = ChildFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}

    q = Child.objects.select_related("village", "posyandu", "latest_measurement")
    if filters.get("village"):
        q = q.filter(village=filters["village"])
    if filters.get("posyandu"):
        q = q.filter(posyandu=filters["posyandu"])
    if filters.get("haz"):
        q = q.filter(latest_haz_category=filters["haz"])
    if filters.get("age"):
        _, youngest, oldest = AGE_GROUPS[filters["age"]]
        today = timezone.localdate()
        q = q.filter(
            birth_date__gt=months_before(today, oldest + 1),
            birth_date__lte=months_before(today, youngest),
        )
    if filters.get("status"):
        q = q.filter(programme_status=filters["status"])
    if filters.get("q"):
        q = search(q, filters["q"], ["name", "mother_name", "nik"])
    q = q.order_by("name", "pk")
    page, query = paginate(request, q)
    ctx = {
        "form": form,
        "page": page,
        "query": query,
        "aged_out_count": Child.objects.aged_out(timezone.localdate()).count(),
    }
    return render(request, "verification/children.html", ctx)


@require_perm("verification.view_cases")
def aged_out(request):
    q = Child.objects.aged_out(timezone.localdate())
    q = q.select_related("village", "posyandu").order_by("birth_date", "pk")
    page, query = paginate(request, q)
    ctx = {
        "page": page,
        "query": query,
        "can_close": request.user.has_perm("registrations.change_child"),
    }
    return render(request, "verification/aged_out.html", ctx)


@require_POST
@require_perm("registrations.change_child")
def close_aged_out(request):
    closed = child_close_aged_out(
        today=timezone.localdate(),
        user=request.user,
        change_reason="Ditutup dari daftar anak usia 5 tahun",
    )
    messages.success(
        request, f"{len(closed)} anak ditandai keluar dari program (alasan: usia 5 tahun)."
    )
    return redirect("verification:aged_out")


def _get_child(pk):
    q = Child.objects.select_related("village", "posyandu", "latest_measurement")
    return get_object_or_404(q, pk=pk)


def _chart(sex, measurements):
    points = [
        (m.age_days, m.height_used_cm)
        for m in measurements
        if m.height_used_cm is not None and m.haz is not None
    ]
    return length_for_age_svg(sex, points)


@require_perm("verification.view_cases")
def child_detail(request, pk):
    child = _get_child(pk)
    _log_view(request, f"Data anak #{child.pk} ({child.name})")
    ctx = _child_context(request, child)
    return render(request, "verification/child_detail.html", ctx)


def _child_context(request, child):
    measurements = list(child.measurements.select_related("recorded_by", "submission"))
    # Two saves can share a timestamp (one request, a coarse clock): the id breaks the tie.
    history = child.history.select_related("history_user").order_by("-history_date", "-pk")
    history = list(history)
    field_order = [f.name for f in Child._meta.fields]
    diffs = []
    for newer, older in zip(history, history[1:] + [None], strict=True):
        diff = []
        if older is not None:
            diff = sorted(
                newer.diff_against(older).changes, key=lambda c: field_order.index(c.field)
            )
        diffs.append((newer, diff))
    names = _related_names(c for _, diff in diffs for c in diff)
    changes = [
        (
            newer,
            [
                (field.verbose_name, _display(field, c.old, names), _display(field, c.new, names))
                for c in diff
                for field in [Child._meta.get_field(c.field)]
            ],
        )
        for newer, diff in diffs
    ]
    ctx = {
        "child": child,
        "measurements": measurements,
        "latest": child.latest_measurement,
        "chart": _chart(child.sex, measurements),
        "submissions": child.submissions.select_related("village", "posyandu"),
        "decisions": Decision.objects.filter(child=child).select_related(
            "decided_by", "submission"
        ),
        "changes": changes,
        "nik_checks": check_nik(child.nik, child.birth_date, child.sex),
        "can_edit": request.user.has_perm("registrations.change_child"),
        "can_measure": request.user.has_perm("registrations.add_measurement"),
        "today": timezone.localdate(),
    }
    return ctx


def _related_names(changes):
    """{(model, pk): name} of the villages, posyandu, … named in history changes: one query
    per model, however long the history."""
    ids = {}
    for c in changes:
        field = Child._meta.get_field(c.field)
        if field.is_relation:
            ids.setdefault(field.related_model, set()).update(
                v for v in (c.old, c.new) if v not in (None, "")
            )
    return {
        (model, pk): str(obj)
        for model, pks in ids.items()
        for pk, obj in model.objects.in_bulk(pks).items()
    }


def _display(field, value, names):
    """A history value as people read it: names instead of ids and codes."""
    if value in (None, ""):
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if field.is_relation:
        return names.get((field.related_model, value), value)
    return value


@require_perm("registrations.change_child")
def edit_child(request, pk):
    child = _get_child(pk)
    form = ChildForm(request.POST or None, instance=child)
    if form.is_valid():
        recompute = {"birth_date", "sex"} & set(form.changed_data)
        child = form.save()
        if recompute:
            for m in child.measurements.all():
                m.save()
        messages.success(request, "Data anak disimpan.")
        return redirect("verification:child", pk=child.pk)
    return render(request, "verification/child_form.html", {"form": form, "child": child})


@require_perm("registrations.add_measurement")
def add_measurement(request, pk):
    child = _get_child(pk)
    form = MeasurementForm(request.POST or None, child=child)
    if form.is_valid():
        measurement = form.save(commit=False)
        measurement.child = child
        measurement.source = Measurement.Source.PUSKESMAS
        measurement.recorded_by = request.user
        measurement.save()
        messages.success(request, f"Pengukuran disimpan. {measurement.summary}")
        return redirect("verification:child", pk=child.pk)
    return render(request, "verification/measurement_form.html", {"form": form, "child": child})


@require_perm("registrations.change_child")
def edit_programme_status(request, pk):
    child = _get_child(pk)
    form = ProgrammeStatusForm(request.POST or None, initial=_programme_initial(child, request.GET))
    if form.is_valid():
        data = form.cleaned_data
        before = _programme_values(child)
        try:
            child_set_programme_status(
                child=child,
                status=data["status"],
                reason=data["reason"],
                date=data["date"],
                note=data["note"],
                user=request.user,
                expected_status=data["current"],
            )
        except ProgrammeStatusConflict:
            child.refresh_from_db()
            messages.error(
                request,
                "Status program tidak disimpan: petugas lain baru saja mengubahnya (sekarang: "
                f"{child.get_programme_status_display()}). Periksa lalu ulangi bila perlu.",
            )
            return redirect("verification:child", pk=child.pk)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if _programme_values(child) == before:
                messages.info(request, "Status program tidak berubah.")
            elif child.is_active:
                messages.success(request, "Anak diaktifkan kembali dalam program.")
            else:
                reason = child.get_exit_reason_display().lower()
                messages.success(request, f"Anak ditandai keluar dari program ({reason}).")
            return redirect("verification:child", pk=child.pk)
    ctx = {"form": form, "child": child}
    return render(request, "verification/programme_status.html", ctx)


def _programme_values(child):
    return child.programme_status, child.exit_reason, child.exit_date, child.exit_note


def _programme_initial(child, params):
    """The form as the page opens it: the stored exit, or a new one with the suggested
    reason (?alasan=…) dated today, or the 60-month day for a child who aged out."""
    if not child.is_active:
        reason, day = child.exit_reason, child.exit_date
    else:
        reason = params.get("alasan", "")
        if reason not in Child.ExitReason.values:
            reason = ""
        day = timezone.localdate()
        if reason == Child.ExitReason.AGED_OUT and child.aged_out_on <= day:
            day = max(child.aged_out_on, child.registered_on)
    return {
        "status": Child.ProgrammeStatus.EXITED,
        "current": child.programme_status,
        "reason": reason,
        "date": day,
        "note": child.exit_note,
    }
