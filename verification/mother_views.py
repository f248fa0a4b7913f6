"""Staff pages of pregnant and breastfeeding mothers: a mother's report as sent and the
decision on it, the registry of mothers, a mother's page with her checks, identity and
programme status. The queue of reports is the children's (views.queue, ?jenis=ibu)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gasken.clients import client_ip
from gasken.pages import paginate, require_perm, search
from registrations.models import Mother, MotherReport
from registrations.services import ProgrammeStatusConflict
from registrations.validators import is_record_id
from verification.checks import check_kk_number, check_nik
from verification.forms import (
    MotherCheckForm,
    MotherDecisionForm,
    MotherFilterForm,
    MotherForm,
    MotherMergeForm,
    MotherProgrammeStatusForm,
)
from verification.models import Decision
from verification.services import (
    DecisionConflict,
    MergeConflict,
    find_candidate_babies,
    find_mother_duplicates,
    find_other_mothers,
    mother_check_create,
    mother_log_view,
    mother_merge,
    mother_report_decide,
    mother_report_log_view,
    mother_set_programme_status,
    mother_update,
    search_mothers,
)
from verification.views import audit_changes, identity_value, record_counts, timeline

# --- a mother's report ----------------------------------------------------------------------


def _get_mother_report(pk):
    q = MotherReport.objects.select_related("village", "posyandu", "mother", "baby")
    return get_object_or_404(q, pk=pk)


@require_perm("verification.view_cases")
def mother_report_detail(request, pk):
    report = _get_mother_report(pk)
    mother_report_log_view(report=report, user=request.user, ip_address=client_ip(request))
    ctx = _report_context(request, report)
    return render(request, "verification/mother_report_detail.html", ctx)


def _report_context(request, report, form=None):
    mothers, reports = find_mother_duplicates(report)
    versions = list(report.versions.all())
    decisions = list(report.decisions.select_related("decided_by", "mother"))
    can_decide = request.user.has_perm("verification.decide_submission")
    is_breastfeeding = report.mother_status == MotherReport.MotherStatus.BREASTFEEDING
    ctx = {
        "report": report,
        "documents": report.documents.current(),
        "old_documents": report.documents.filter(superseded_at__isnull=False),
        # Women are registered with the day of birth plus 40.
        "nik_checks": check_nik(report.nik, report.birth_date, "P"),
        "kk_checks": check_kk_number(report.kk_number),
        "duplicate_mothers": mothers,
        "duplicate_reports": reports,
        "babies": find_candidate_babies(
            mother_name=report.name,
            baby_birth_date=report.baby_birth_date,
            village_id=report.village_id,
        )
        if is_breastfeeding
        else [],
        "is_breastfeeding": is_breastfeeding,
        "timeline": timeline(versions, decisions),
        "can_decide": can_decide,
        "can_view_documents": request.user.has_perm("registrations.view_document"),
        "form": form,
    }
    if can_decide and report.status == MotherReport.Status.PENDING:
        ctx.update(_merge_search(request, exclude=[m for m, _ in mothers]))
    if len(versions) > 1:
        ctx["changed_fields"] = {
            name
            for name, value in versions[-1].data.items()
            if versions[-2].data.get(name) != value
        }
    return ctx


def _merge_search(request, exclude):
    """The search for the registered mother a report is merged into (?cari=): name, NIK,
    birth date or #number. Mothers already offered as possible duplicates are not listed
    twice."""
    text = request.GET.get("cari", "").strip()[:100]
    found = []
    if text:
        candidates = Mother.objects.current().exclude(pk__in=[m.pk for m in exclude])
        found = search_mothers(candidates, text)
    return {"merge_search": text, "merge_results": found}


@require_POST
@require_perm("verification.decide_submission")
def decide_mother_report(request, pk):
    report = _get_mother_report(pk)
    form = MotherDecisionForm(request.POST, report=report)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = mother_report_decide(
                report=report,
                version=data["version"],
                action=data["action"],
                user=request.user,
                note=data["note"],
                mother=data["mother"],
                baby=data["baby"],
            )
        except DecisionConflict:
            report.refresh_from_db()
            messages.error(
                request,
                "Keputusan tidak disimpan: laporan ini sudah diputuskan petugas lain atau sudah "
                f"diperbaiki kader (status sekarang: {report.get_status_display()}).",
            )
            return redirect("verification:mother_report", pk=report.pk)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            label = mother_action_label(decision.action).lower()
            messages.success(request, f"Tersimpan: {label}.")
            return redirect("verification:mother_report", pk=report.pk)

    messages.error(request, "Keputusan belum disimpan: periksa isian yang ditandai.")
    for error in form.non_field_errors():
        messages.error(request, error)
    ctx = _report_context(request, report, form)
    return render(request, "verification/mother_report_detail.html", ctx, status=400)


def mother_action_label(action):
    """A decision's label on a mother's report: a merge is with a registered mother."""
    if action == Decision.Action.MERGED:
        return "Digabungkan dengan ibu yang sudah terdaftar"
    return Decision.Action(action).label


# --- the registry -----------------------------------------------------------------------------


@require_perm("verification.view_cases")
def mothers(request):
    form = MotherFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}

    q = Mother.objects.current().select_related("village", "posyandu", "latest_check")
    if filters.get("village"):
        q = q.filter(village=filters["village"])
    if filters.get("posyandu"):
        q = q.filter(posyandu=filters["posyandu"])
    if filters.get("mother_status"):
        q = q.filter(mother_status=filters["mother_status"])
    if filters.get("kek"):
        q = q.filter(is_kek=filters["kek"] == "ya")
    if filters.get("anaemia"):
        q = q.filter(is_anaemic=filters["anaemia"] == "ya")
    if filters.get("status"):
        q = q.filter(programme_status=filters["status"])
    if filters.get("q"):
        q = search(q, filters["q"], ["name", "nik"])
    q = q.order_by("name", "pk")
    page, query = paginate(request, q)
    return render(
        request, "verification/mothers.html", {"form": form, "page": page, "query": query}
    )


def _get_mother(pk):
    q = Mother.objects.select_related("village", "posyandu", "latest_check", "merged_into")
    return get_object_or_404(q, pk=pk)


@require_perm("verification.view_cases")
def mother_detail(request, pk):
    mother = _get_mother(pk)
    mother_log_view(mother=mother, user=request.user, ip_address=client_ip(request))
    checks = list(mother.checks.select_related("recorded_by", "report", "baby"))
    current = mother.merged_into_id is None
    ctx = {
        "mother": mother,
        "latest": mother.latest_check,
        "checks": checks,
        "babies": _linked_babies(checks),
        "reports": mother.reports.select_related("village", "posyandu"),
        "decisions": Decision.objects.filter(mother=mother).select_related(
            "decided_by", "mother_report"
        ),
        "changes": audit_changes(Mother, mother),
        "nik_checks": check_nik(mother.nik, mother.birth_date, "P"),
        "kk_checks": check_kk_number(mother.kk_number),
        "duplicates": find_other_mothers(mother) if current else [],
        "merged_mothers": mother.merged_mothers.order_by("pk"),
        "can_edit": current and request.user.has_perm("registrations.change_mother"),
        "can_check": current and request.user.has_perm("registrations.add_mothercheck"),
    }
    return render(request, "verification/mother_detail.html", ctx)


def _linked_babies(checks):
    """The registered children her checks name, newest first, each once."""
    babies = []
    for check in checks:
        if check.baby is not None and check.baby not in babies:
            babies.append(check.baby)
    return babies


def _refuse_merged(request, mother):
    messages.error(
        request,
        f"Ibu ini sudah digabungkan ke ibu #{mother.merged_into_id}: ubah datanya di sana.",
    )
    return redirect("verification:mother", pk=mother.merged_into_id)


@require_perm("registrations.change_mother")
def edit_mother(request, pk):
    mother = _get_mother(pk)
    if mother.merged_into_id is not None:
        return _refuse_merged(request, mother)
    form = MotherForm(request.POST or None, instance=mother)
    if form.is_valid():
        mother_update(mother=mother, changes=form.changes(), user=request.user)
        messages.success(request, "Data ibu disimpan.")
        return redirect("verification:mother", pk=mother.pk)
    return render(request, "verification/mother_form.html", {"form": form, "mother": mother})


@require_perm("registrations.add_mothercheck")
def add_mother_check(request, pk):
    mother = _get_mother(pk)
    if mother.merged_into_id is not None:
        return _refuse_merged(request, mother)
    initial = {"checked_on": timezone.localdate()}
    if mother.latest_check is not None:
        initial["mother_status"] = mother.latest_check.mother_status
    form = MotherCheckForm(request.POST or None, mother=mother, initial=initial)
    if form.is_valid():
        check = mother_check_create(
            mother=mother,
            values=form.values(),
            checked_on=form.cleaned_data["checked_on"],
            source=form.cleaned_data["source"],
            user=request.user,
        )
        found = [w for w, on in (("KEK", check.is_kek), ("anemia", check.is_anaemic)) if on]
        summary = f" Hasil: {' dan '.join(found)}." if found else ""
        messages.success(request, f"Pemeriksaan disimpan.{summary}")
        return redirect("verification:mother", pk=mother.pk)
    ctx = {"form": form, "mother": mother}
    return render(request, "verification/mother_check_form.html", ctx)


@require_perm("registrations.change_mother")
def edit_mother_programme_status(request, pk):
    mother = _get_mother(pk)
    if mother.merged_into_id is not None:
        return _refuse_merged(request, mother)
    initial = {
        "status": Mother.ProgrammeStatus.EXITED,
        "current": mother.programme_status,
        "reason": mother.exit_reason,
        "date": mother.exit_date or timezone.localdate(),
        "note": mother.exit_note,
    }
    form = MotherProgrammeStatusForm(request.POST or None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        before = (mother.programme_status, mother.exit_reason, mother.exit_date, mother.exit_note)
        try:
            mother_set_programme_status(
                mother=mother,
                status=data["status"],
                reason=data["reason"],
                date=data["date"],
                note=data["note"],
                user=request.user,
                expected_status=data["current"],
            )
        except ProgrammeStatusConflict:
            mother.refresh_from_db()
            messages.error(
                request,
                "Status program tidak disimpan: petugas lain baru saja mengubahnya (sekarang: "
                f"{mother.get_programme_status_display()}). Periksa lalu ulangi bila perlu.",
            )
            return redirect("verification:mother", pk=mother.pk)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            after = (
                mother.programme_status,
                mother.exit_reason,
                mother.exit_date,
                mother.exit_note,
            )
            if after == before:
                messages.info(request, "Status program tidak berubah.")
            elif mother.programme_status == Mother.ProgrammeStatus.ACTIVE:
                messages.success(request, "Ibu diaktifkan kembali dalam program.")
            else:
                reason = mother.get_exit_reason_display().lower()
                messages.success(request, f"Ibu ditandai keluar dari program ({reason}).")
            return redirect("verification:mother", pk=mother.pk)
    ctx = {"form": form, "mother": mother}
    return render(request, "verification/mother_programme_status.html", ctx)


@require_perm("registrations.change_mother")
def merge_mother(request, pk):
    """Merge two registrations of one mother: find the other one (possible duplicates, a
    search), compare them side by side, choose which one stays."""
    mother = _get_mother(pk)
    if mother.merged_into_id is not None:
        return _refuse_merged(request, mother)
    candidates = Mother.objects.current().exclude(pk=mother.pk)
    other_id = request.POST.get("other") if request.method == "POST" else request.GET.get("dengan")
    other = None
    if is_record_id(other_id):
        other = candidates.select_related("village", "posyandu").filter(pk=other_id).first()
    form = MotherMergeForm(
        request.POST or None,
        mother=mother,
        other=other,
        initial={"other": other.pk if other else None, "kept": mother.pk},
    )
    if form.is_valid():
        pair = (mother, other) if form.cleaned_data["kept"] == mother.pk else (other, mother)
        kept, merged = pair
        try:
            mother_merge(
                kept=kept, merged=merged, user=request.user, note=form.cleaned_data["note"]
            )
        except MergeConflict:
            messages.error(
                request,
                "Penggabungan tidak disimpan: salah satu ibu baru saja digabungkan petugas "
                "lain. Periksa lalu ulangi bila perlu.",
            )
            return redirect("verification:mother", pk=mother.pk)
        messages.success(
            request,
            f"Ibu #{merged.pk} ({merged.name}) digabungkan ke #{kept.pk} ({kept.name}): "
            "laporan, pemeriksaan, intervensi dan keputusannya dipindahkan ke sini.",
        )
        return redirect("verification:mother", pk=kept.pk)

    text = request.GET.get("q", "").strip()[:100]
    ctx = {
        "mother": mother,
        "other": other,
        "form": form,
        "duplicates": find_other_mothers(mother),
        "q": text,
        "results": search_mothers(candidates, text) if text else None,
    }
    if other is not None:
        ctx["rows"] = _identity_rows(mother, other)
        ctx["records"] = [(m, record_counts(m)) for m in (mother, other)]
    return render(request, "verification/merge_mother.html", ctx)


# The identity shown side by side on the merge page.
_IDENTITY = [*Mother.IDENTITY_FIELDS, "programme_status"]


def _identity_rows(a, b):
    """(label, value of a, value of b, whether they differ) for the merge page."""
    rows = []
    for name in _IDENTITY:
        field = Mother._meta.get_field(name)
        values = [identity_value(m, field) for m in (a, b)]
        rows.append((field.verbose_name, *values, values[0] != values[1]))
    latest = [_latest_condition(m) for m in (a, b)]
    rows.append(("kondisi terakhir", *latest, latest[0] != latest[1]))
    registered = [f"{timezone.localdate(m.created_at):%d-%m-%Y}" for m in (a, b)]
    rows.append(("terdaftar", *registered, False))
    return rows


def _latest_condition(mother):
    check = mother.latest_check
    if check is None:
        return ""
    return f"{check.get_mother_status_display()}, {check.checked_on:%d-%m-%Y}"
