import uuid

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from gasken.files import private_file_response
from gasken.pages import require_perm, unavailable_on_outage
from registrations import qr
from registrations.forms import CorrectionForm, IntakeForm, prefill_from
from registrations.models import AccessLog, Document, Posyandu, Submission
from registrations.services import StaleSubmission, create_submission, resubmit_submission


def _get_posyandu(code):
    return get_object_or_404(Posyandu.objects.select_related("village"), code=code, is_active=True)


@never_cache
@unavailable_on_outage
def intake(request, posyandu_code=None):
    posyandu = _get_posyandu(posyandu_code) if posyandu_code else None

    if request.method == "POST":
        key = _idempotency_key(request.POST.get("idempotency_key"))
        if key:
            existing = Submission.objects.filter(idempotency_key=key).first()
            if existing:
                return redirect(existing)
        form = IntakeForm(request.POST, request.FILES)
        if form.is_valid():
            submission = create_submission(form=form, idempotency_key=key)
            return redirect(submission)
    else:
        initial = {"idempotency_key": uuid.uuid4()}
        if posyandu:
            initial.update(village=posyandu.village.code, posyandu=posyandu.code)
        previous = request.GET.get("dari")
        if previous:
            sent = Submission.objects.filter(code=previous).select_related("village", "posyandu")
            if sent:
                initial.update(prefill_from(sent[0]))
        form = IntakeForm(initial=initial)

    ctx = {"form": form, "posyandu": posyandu, "lost_files": form.is_bound and bool(request.FILES)}
    return render(request, "registrations/intake.html", ctx)


def _idempotency_key(value):
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@never_cache
@unavailable_on_outage
def correct(request, code):
    submission = get_object_or_404(
        Submission.objects.select_related("village", "posyandu", "measurement"), code=code
    )
    if submission.status != Submission.Status.NEEDS_CORRECTION:
        return redirect(submission)

    form = CorrectionForm(request.POST or None, request.FILES or None, instance=submission)
    if form.is_valid():
        try:
            resubmit_submission(form=form)
        except StaleSubmission:
            pass  # sent twice, or staff acted meanwhile: the receipt shows the state
        return redirect(submission)

    ctx = {
        "form": form,
        "submission": submission,
        "documents": submission.documents.current(),
        "lost_files": form.is_bound and bool(request.FILES),
    }
    return render(request, "registrations/correct.html", ctx)


@never_cache
def receipt(request, code):
    submission = get_object_or_404(
        Submission.objects.select_related("village", "posyandu", "measurement"), code=code
    )
    ctx = {
        "submission": submission,
        "measurement": getattr(submission, "measurement", None),
        "documents": submission.documents.current(),
        "next_url": reverse("registrations:intake") + f"?dari={submission.code}",
    }
    return render(request, "registrations/receipt.html", ctx)


def _form_url(posyandu_code=None):
    if posyandu_code:
        return _get_posyandu(posyandu_code).public_url()
    return settings.PUBLIC_BASE_URL + reverse("registrations:intake")


@require_GET
@cache_control(max_age=3600)
def qr_png(request, posyandu_code=None):
    return HttpResponse(qr.qr_png(_form_url(posyandu_code)), content_type="image/png")


@require_GET
@cache_control(max_age=3600)
def qr_svg(request, posyandu_code=None):
    return HttpResponse(qr.qr_svg(_form_url(posyandu_code)), content_type="image/svg+xml")


@require_GET
def poster(request, posyandu_code):
    posyandu = _get_posyandu(posyandu_code)
    ctx = {"posyandu": posyandu, "form_url": posyandu.public_url()}
    return render(request, "registrations/poster.html", ctx)


@require_perm("registrations.view_document")
@never_cache
def document(request, pk):
    # Only roles that verify reports see KK/akta images; partners and villages never do.
    doc = get_object_or_404(
        Document.objects.select_related("submission"), pk=pk, purged_at__isnull=True
    )
    AccessLog.objects.create(
        user=request.user,
        action=AccessLog.Action.VIEW_DOCUMENT,
        document=doc,
        detail=f"{doc.get_kind_display()} laporan {doc.submission.formatted_code}",
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    # A PDF is downloaded rather than opened in the browser's viewer, where its scripts
    # would run in the middle of a staff session.
    return private_file_response(
        doc.file,
        content_type=doc.content_type,
        filename=f"dokumen-{doc.pk}{doc.extension}",
        as_attachment=not doc.is_image,
    )
