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
from registrations import formats
from registrations.dates import months_before
from registrations.messages import kader_decision_text, parent_status_text, whatsapp_link
from registrations.models import Child, MotherReport, Submission, reason_filter
from registrations.services import (
    ProgrammeStatusConflict,
    child_close_aged_out,
    child_set_programme_status,
    child_update,
    measurement_create,
)
from registrations.validators import is_record_id
from verification.checks import check_kk_number, check_nik
from verification.forms import (
    AGE_GROUPS,
    CHILD_REPORTS,
    MOTHER_REPORTS,
    REPORT_KINDS,
    ChildFilterForm,
    ChildForm,
    DecisionForm,
    MeasurementForm,
    MergeForm,
    MotherQueueFilterForm,
    ProgrammeStatusForm,
    QueueFilterForm,
    report_kind,
)
from verification.models import Decision
from verification.services import (
    DecisionConflict,
    MergeConflict,
    child_log_view,
    child_merge,
    find_child_duplicates,
    find_duplicates,
    search_children,
    submission_decide,
    submission_log_view,
)


@require_perm("verification.view_cases")
def queue(request):
    if report_kind(request.GET) == MOTHER_REPORTS:
        return _mother_queue(request)
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}

    q = _filter_reports(Submission.objects.all(), filters)
    q = q.filter(reason_filter(filters.get("reported_as", ""), filters.get("risk_factor", "")))
    if filters.get("q"):
        q = search(q, filters["q"], ["child_name", "mother_name", "child_nik"])
    q = q.select_related("village", "posyandu", "measurement")
    ctx = _queue_context(request, form, q, filters, CHILD_REPORTS)
    return render(request, "verification/queue.html", ctx)


def _mother_queue(request):
    form = MotherQueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}

    q = _filter_reports(MotherReport.objects.all(), filters)
    if filters.get("mother_status"):
        q = q.filter(mother_status=filters["mother_status"])
    if filters.get("q"):
        q = search(q, filters["q"], ["name", "nik"])
    q = q.select_related("village", "posyandu")
    ctx = _queue_context(request, form, q, filters, MOTHER_REPORTS)
    return render(request, "verification/queue.html", ctx)


def _filter_reports(q, filters):
    """The filters a child's and a mother's report share: village, posyandu, dates sent."""
    if filters.get("village"):
        q = q.filter(village=filters["village"])
    if filters.get("posyandu"):
        q = q.filter(posyandu=filters["posyandu"])
    # Bounds as local midnights, so the created_at index serves the range.
    if filters.get("date_from"):
        q = q.filter(created_at__gte=_local_midnight(filters["date_from"]))
    if filters.get("date_to"):
        q = q.filter(created_at__lt=_local_midnight(filters["date_to"] + timedelta(days=1)))
    return q


def _queue_context(request, form, q, filters, kind):
    """The queue page of one kind of reports, by status, oldest first; each kind's
    pending count on its tab."""
    # One bounded count per status, each read from the (status, created_at, id) index:
    # a GROUP BY over every report grew with the table. The list's own count is one of them.
    counts = {value: bounded_count(q.filter(status=value)) for value in Submission.Status.values}
    status = filters.get("status") or Submission.Status.PENDING
    if status != QueueFilterForm.ALL:
        q = q.filter(status=status)
    count = counts.get(status, sum(counts.values()))
    q = q.order_by("created_at", "pk")
    page, query = paginate(request, q, count)

    status_counts = [(value, label, counts[value]) for value, label in Submission.Status.choices]
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("status", None)
    pending = {
        CHILD_REPORTS: Submission.objects.filter(status=Submission.Status.PENDING),
        MOTHER_REPORTS: MotherReport.objects.filter(status=MotherReport.Status.PENDING),
    }
    kinds = [
        (value, label, value == kind, bounded_count(pending[value]))
        for value, label in REPORT_KINDS
    ]
    return {
        "form": form,
        "page": page,
        "query": query,
        "status": status,
        "status_counts": status_counts,
        "total": sum(counts.values()),
        "status_query": params.urlencode(),
        "kind": kind,
        "kinds": kinds,
    }


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _get_submission(pk):
    q = Submission.objects.select_related("village", "posyandu", "measurement", "child")
    return get_object_or_404(q, pk=pk)


@require_perm("verification.view_cases")
def submission_detail(request, pk):
    submission = _get_submission(pk)
    submission_log_view(submission=submission, user=request.user, ip_address=client_ip(request))
    ctx = _submission_context(request, submission)
    return render(request, "verification/submission_detail.html", ctx)


def _submission_context(request, submission, form=None):
    measurement = getattr(submission, "measurement", None)
    children, reports = find_duplicates(submission)
    versions = list(submission.versions.all())
    decisions = list(submission.decisions.select_related("decided_by", "child"))
    can_decide = request.user.has_perm("verification.decide_submission")
    ctx = {
        "submission": submission,
        "measurement": measurement,
        "measurements": [measurement] if measurement else [],
        "documents": submission.documents.current(),
        "old_documents": submission.documents.filter(superseded_at__isnull=False),
        "nik_checks": check_nik(submission.child_nik, submission.birth_date, submission.child_sex),
        "kk_checks": check_kk_number(submission.kk_number),
        "duplicate_children": children,
        "duplicate_reports": reports,
        "versions": versions,
        "timeline": timeline(versions, decisions),
        "can_decide": can_decide,
        "can_view_documents": request.user.has_perm("registrations.view_document"),
        "form": form,
        "whatsapp": _whatsapp(submission),
    }
    if submission.is_imported:
        ctx["original_row"] = _original_row(submission, ctx["can_view_documents"])
        ctx["sex_choices"] = Submission.Sex.choices
    if can_decide and submission.status == Submission.Status.PENDING:
        ctx.update(_merge_search(request, exclude=[c for c, _ in children]))
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


def _children_for_user(user):
    """The registered children a user may find and choose: for kecamatan staff, every child
    not merged into another one."""
    if user.has_perm("verification.view_cases"):
        return Child.objects.current()
    return Child.objects.none()


def _merge_search(request, exclude=()):
    """The search for the child a report is merged into (?cari=): name, mother, NIK, birth
    date. Children already offered as possible duplicates are not listed twice."""
    text = request.GET.get("cari", "").strip()[:100]
    found = []
    if text:
        children = _children_for_user(request.user).exclude(pk__in=[c.pk for c in exclude])
        found = search_children(children, text)
    return {"merge_search": text, "merge_results": found}


def timeline(versions, decisions):
    events = [(v.created_at, "version", v) for v in versions] + [
        (d.decided_at, "decision", d) for d in decisions
    ]
    return sorted(events, key=lambda e: e[0])


def _whatsapp(submission):
    text = kader_decision_text(
        status=submission.status,
        kader_name=submission.kader_name,
        child_name=submission.child_name,
        code=submission.formatted_code,
        message=submission.status_message,
        receipt_url=settings.PUBLIC_BASE_URL + submission.get_absolute_url(),
    )
    return whatsapp_link(submission.kader_phone, text) if text else None


def _parent_message(child):
    """(text, wa.me link) of the message to the parents about the latest measurement, or
    None: only while the child is in the programme and a parent's number is known. A z-score
    flagged as implausible asks for a re-measurement, not for words to the parents."""
    m = child.latest_measurement
    if not (child.is_active and child.parent_phone and m is not None):
        return None
    text = parent_status_text(
        mother_name=child.mother_name,
        child_name=child.name,
        measured_on=m.measured_on,
        height_category="" if "haz_implausible" in m.flags else m.haz_category,
        weight_category="" if "waz_implausible" in m.flags else m.waz_category,
        build_category="" if "whz_implausible" in m.flags else m.whz_category,
    )
    if text is None:
        return None
    return text, whatsapp_link(child.parent_phone, text)


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
        decision = submission_decide(
            submission=submission,
            action=data["action"],
            note=data["note"],
            child=data["child"],
            version=data["version"],
            user=request.user,
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

    q = Child.objects.current().select_related("village", "posyandu", "latest_measurement")
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
    q = q.filter(reason_filter(filters.get("reported_as", ""), filters.get("risk_factor", "")))
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
    q = Child.objects.select_related("village", "posyandu", "latest_measurement", "merged_into")
    return get_object_or_404(q, pk=pk)


@require_perm("verification.view_cases")
def child_detail(request, pk):
    child = _get_child(pk)
    child_log_view(child=child, user=request.user, ip_address=client_ip(request))
    ctx = _child_context(request, child)
    return render(request, "verification/child_detail.html", ctx)


def _child_context(request, child):
    measurements = list(child.measurements.select_related("recorded_by", "submission"))
    changes = audit_changes(Child, child)
    # A merged child's page is kept for its history only: nothing to change there.
    current = not child.is_merged
    can_edit = current and request.user.has_perm("registrations.change_child")
    ctx = {
        "child": child,
        "measurements": measurements,
        "latest": child.latest_measurement,
        "submissions": child.submissions.select_related("village", "posyandu"),
        "decisions": Decision.objects.filter(child=child).select_related(
            "decided_by", "submission"
        ),
        "changes": changes,
        "nik_checks": check_nik(child.nik, child.birth_date, child.sex),
        "kk_checks": check_kk_number(child.kk_number),
        "duplicates": find_child_duplicates(child) if current else [],
        "merged_children": child.merged_children.order_by("pk"),
        "can_edit": can_edit,
        # Written to the parents by the staff who work the case, not by officials reading it.
        "parent_message": _parent_message(child) if can_edit else None,
        "can_measure": current and request.user.has_perm("registrations.add_measurement"),
        "today": timezone.localdate(),
    }
    return ctx


def audit_changes(model, obj):
    """(history record, [(field label, old, new)]) of an audited record, newest first, with
    names instead of ids and codes."""
    # Two saves can share a timestamp (one request, a coarse clock): the id breaks the tie.
    history = obj.history.select_related("history_user").order_by("-history_date", "-pk")
    history = list(history)
    field_order = [f.name for f in model._meta.fields]
    diffs = []
    for newer, older in zip(history, history[1:] + [None], strict=True):
        diff = []
        if older is not None:
            diff = sorted(
                newer.diff_against(older).changes, key=lambda c: field_order.index(c.field)
            )
        diffs.append((newer, diff))
    names = _related_names(model, (c for _, diff in diffs for c in diff))
    return [
        (
            newer,
            [
                (field.verbose_name, _display(field, c.old, names), _display(field, c.new, names))
                for c in diff
                for field in [model._meta.get_field(c.field)]
            ],
        )
        for newer, diff in diffs
    ]


def _related_names(model, changes):
    """{(model, pk): name} of the villages, posyandu, … named in history changes: one query
    per model, however long the history."""
    ids = {}
    for c in changes:
        field = model._meta.get_field(c.field)
        if field.is_relation:
            ids.setdefault(field.related_model, set()).update(
                v for v in (c.old, c.new) if v not in (None, "")
            )
    return {
        (related, pk): f"#{pk} {obj}" if related is model else str(obj)
        for related, pks in ids.items()
        for pk, obj in related.objects.in_bulk(pks).items()
    }


def _display(field, value, names):
    """A history value as people read it: names instead of ids and codes."""
    if value in (None, ""):
        return value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if field.is_relation:
        return names.get((field.related_model, value), value)
    return value


def _refuse_merged(request, child):
    messages.error(
        request,
        f"Anak ini sudah digabungkan ke anak #{child.merged_into_id}: ubah datanya di sana.",
    )
    return redirect("verification:child", pk=child.merged_into_id)


@require_perm("registrations.change_child")
def edit_child(request, pk):
    child = _get_child(pk)
    if child.is_merged:
        return _refuse_merged(request, child)
    form = ChildForm(request.POST or None, instance=child)
    if form.is_valid():
        changes = form.changes()
        try:
            child_update(child=child, changes=changes, user=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, "Data anak disimpan.")
            return redirect("verification:child", pk=child.pk)
    return render(request, "verification/child_form.html", {"form": form, "child": child})


@require_perm("registrations.add_measurement")
def add_measurement(request, pk):
    child = _get_child(pk)
    if child.is_merged:
        return _refuse_merged(request, child)
    form = MeasurementForm(request.POST or None, child=child)
    if form.is_valid():
        measurement = measurement_create(
            child=child,
            values=form.values(),
            source=form.cleaned_data["source"],
            user=request.user,
        )
        messages.success(request, f"Pengukuran disimpan. {measurement.summary}")
        return redirect("verification:child", pk=child.pk)
    return render(request, "verification/measurement_form.html", {"form": form, "child": child})


@require_perm("registrations.change_child")
def edit_programme_status(request, pk):
    child = _get_child(pk)
    if child.is_merged:
        return _refuse_merged(request, child)
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


@require_perm("registrations.change_child")
def merge_child(request, pk):
    """Merge two registrations of one child: find the other one (possible duplicates, a
    search), compare them side by side, choose which one stays."""
    child = _get_child(pk)
    if child.is_merged:
        return _refuse_merged(request, child)
    candidates = _children_for_user(request.user).exclude(pk=child.pk)
    other_id = request.POST.get("other") if request.method == "POST" else request.GET.get("dengan")
    other = None
    if is_record_id(other_id):
        other = candidates.select_related("village", "posyandu").filter(pk=other_id).first()
    form = MergeForm(
        request.POST or None,
        child=child,
        other=other,
        initial={"other": other.pk if other else None, "kept": child.pk},
    )
    if form.is_valid():
        kept, merged = (child, other) if form.cleaned_data["kept"] == child.pk else (other, child)
        try:
            child_merge(kept=kept, merged=merged, user=request.user, note=form.cleaned_data["note"])
        except MergeConflict:
            messages.error(
                request,
                "Penggabungan tidak disimpan: salah satu anak baru saja digabungkan petugas "
                "lain. Periksa lalu ulangi bila perlu.",
            )
            return redirect("verification:child", pk=child.pk)
        messages.success(
            request,
            f"Anak #{merged.pk} ({merged.name}) digabungkan ke #{kept.pk} ({kept.name}): "
            "laporan, pengukuran, intervensi dan keputusannya dipindahkan ke sini.",
        )
        return redirect("verification:child", pk=kept.pk)

    text = request.GET.get("q", "").strip()[:100]
    ctx = {
        "child": child,
        "other": other,
        "form": form,
        "duplicates": find_child_duplicates(child),
        "q": text,
        "results": search_children(candidates, text) if text else None,
    }
    if other is not None:
        ctx["rows"] = _identity_rows(child, other)
        ctx["records"] = [(c, record_counts(c)) for c in (child, other)]
    return render(request, "verification/merge_child.html", ctx)


# The identity shown side by side on the merge page.
_IDENTITY = [*Child.IDENTITY_FIELDS, "programme_status"]


def _identity_rows(a, b):
    """(label, value of a, value of b, whether they differ) for the merge page."""
    rows = []
    for name in _IDENTITY:
        field = Child._meta.get_field(name)
        values = [identity_value(child, field) for child in (a, b)]
        rows.append((field.verbose_name, *values, values[0] != values[1]))
    reasons = [
        (
            c.get_reported_as_display(),
            "; ".join(c.get_risk_factors_display()),
            formats.grams_display(c.birth_weight_g) if c.birth_weight_g else "",
            formats.centimetres_display(c.birth_length_cm) if c.birth_length_cm else "",
        )
        for c in (a, b)
    ]
    labels = ["dilaporkan sebagai", "faktor risiko", "berat lahir", "panjang lahir"]
    for label, *values in zip(labels, *reasons, strict=True):
        rows.append((label, *values, values[0] != values[1]))
    registered = [f"{c.registered_on:%d-%m-%Y}" for c in (a, b)]
    rows.append(("terdaftar", *registered, False))
    return rows


def identity_value(child, field):
    if field.choices:
        return getattr(child, f"get_{field.name}_display")()
    value = getattr(child, field.name)
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return "" if value is None else str(value)


def record_counts(registered):
    """(label, count) of the records that name a child (or a mother) and move with a merge:
    reports, measurements or checks, decisions, interventions (whose app this one does not
    import)."""
    model = type(registered)
    counts = []
    for rel in model._meta.related_objects:
        if rel.related_model is model:
            continue
        n = rel.related_model._base_manager.filter(**{rel.field.name: registered}).count()
        counts.append((rel.related_model._meta.verbose_name_plural, n))
    return counts
