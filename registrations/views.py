import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from registrations import qr
from registrations.forms import IntakeForm, prefill_from
from registrations.models import Document, Posyandu, Submission
from registrations.services import create_submission


def _get_posyandu(code):
    return get_object_or_404(Posyandu.objects.select_related("village"), code=code, is_active=True)


@never_cache
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
def receipt(request, code):
    submission = get_object_or_404(
        Submission.objects.select_related("village", "posyandu", "measurement"), code=code
    )
    ctx = {
        "submission": submission,
        "measurement": getattr(submission, "measurement", None),
        "documents": submission.documents.all(),
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


@login_required
@never_cache
def document(request, pk):
    if not request.user.is_staff:
        raise PermissionDenied
    doc = get_object_or_404(Document, pk=pk)
    response = FileResponse(doc.file.open("rb"), content_type=doc.content_type)
    response["Content-Disposition"] = f'inline; filename="dokumen-{doc.pk}{doc.extension}"'
    return response
