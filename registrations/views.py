import uuid

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from gasken.clients import client_ip
from gasken.files import private_file_response
from gasken.pages import require_perm, unavailable_on_outage
from registrations import growth, intake_page, qr
from registrations.forms import (
    CorrectionForm,
    CorrectionGateForm,
    IntakeForm,
    MeasurementCheckForm,
    ReceiptLookupForm,
    prefill_from,
)
from registrations.messages import receipt_share_text, whatsapp_share_link
from registrations.models import Document, Posyandu, Submission, Village
from registrations.services import (
    StaleSubmission,
    document_log_view,
    submission_create,
    submission_resubmit,
)


def _get_posyandu(code):
    return get_object_or_404(Posyandu.objects.select_related("village"), code=code, is_active=True)


def _get_village(code):
    return get_object_or_404(Village, code=code)


@never_cache
@unavailable_on_outage
def intake(request, posyandu_code=None, village_code=None):
    if request.method != "POST" and not request.GET.get("dari"):
        return _empty_intake(request, posyandu_code, village_code)

    posyandu, village = _intake_place(posyandu_code, village_code)
    if request.method == "POST":
        key = _idempotency_key(request.POST.get("idempotency_key"))
        if key:
            existing = Submission.objects.filter(idempotency_key=key).first()
            if existing:
                return _sent(request, existing)
        form = IntakeForm(request.POST, request.FILES)
        if form.is_valid():
            submission = submission_create(
                report=form.report_values(),
                measurement=form.measurement_values(),
                documents=form.documents,
                idempotency_key=key,
            )
            return _sent(request, submission)
    else:
        # The next report of the same kader: her name and posyandu filled in.
        initial = _intake_initial(posyandu, village, key=uuid.uuid4())
        sent = Submission.objects.filter(code=request.GET["dari"]).select_related(
            "village", "posyandu"
        )
        if sent:
            initial.update(prefill_from(sent[0]))
        form = IntakeForm(initial=initial)

    ctx = {
        "form": form,
        "posyandu": posyandu,
        "village": village,
        # The page script keeps the chosen photos itself; only a plain form loses them.
        "lost_files": form.is_bound and bool(request.FILES) and not _from_script(request),
        "lookup_form": ReceiptLookupForm(),
    }
    return render(request, "registrations/intake.html", ctx)


def _intake_place(posyandu_code, village_code):
    """The posyandu and the kelurahan/desa a form's address chooses (a posyandu's form:
    its village; /lapor/desa/<kode>/: the village only), or None."""
    if posyandu_code:
        posyandu = _get_posyandu(posyandu_code)
        return posyandu, posyandu.village
    return None, _get_village(village_code) if village_code else None


def _intake_initial(posyandu, village, *, key):
    # The page script makes and keeps its own key with the draft; this one serves
    # browsers without JavaScript, where each opened form is one report.
    initial = {"idempotency_key": key}
    if village:
        initial["village"] = village.code
    if posyandu:
        initial["posyandu"] = posyandu.code
    return initial


def _empty_intake(request, posyandu_code, village_code):
    """The empty form, the page every kader opens: rendered once per posyandu (or
    kelurahan/desa) and day, and kept until villages or posyandu change
    (registrations/intake_page.py). A request adds only its idempotency key and CSRF token;
    it reads the version stamp from the shared cache and nothing else (a page not kept yet,
    or an unknown posyandu or village, reads the tables)."""

    def render_page():
        posyandu, village = _intake_place(posyandu_code, village_code)
        form = IntakeForm(initial=_intake_initial(posyandu, village, key=intake_page.KEY_SLOT))
        ctx = {
            "form": form,
            "posyandu": posyandu,
            "village": village,
            "lost_files": False,
            "lookup_form": ReceiptLookupForm(),
            "csrf_token": intake_page.CSRF_SLOT,
        }
        # Without the request: nothing of one kader's visit may end up in the kept copy.
        return render_to_string("registrations/intake.html", ctx)

    html = intake_page.page(
        (posyandu_code, village_code, timezone.localdate()),
        render_page,
        key=uuid.uuid4(),
        csrf_token=get_token(request),
    )
    return HttpResponse(html)


def _from_script(request):
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _sent(request, submission):
    """The receipt: a redirect for a plain form, its address for the page script."""
    if _from_script(request):
        return JsonResponse(
            {
                "code": submission.code,
                "formatted_code": submission.formatted_code,
                "url": submission.get_absolute_url(),
            }
        )
    return redirect(submission)


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
    if not request.session.get(_gate_key(submission)):
        return _correction_gate(request, submission)

    form = CorrectionForm(request.POST or None, request.FILES or None, instance=submission)
    if form.is_valid():
        try:
            submission_resubmit(
                submission=submission,
                report=form.report_values(),
                measurement=form.measurement_values(),
                documents=form.documents,
            )
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


def _gate_key(submission):
    return f"perbaiki:{submission.code}"


def _correction_gate(request, submission):
    """The kader's phone number before the correction page: it shows the child's full data
    and replaces documents, and the receipt code alone travels in chats. Every POST here
    counts towards the public rate limit, which bounds guessing."""
    answering = request.method == "POST" and "nomor_hp" in request.POST
    form = CorrectionGateForm(request.POST if answering else None, submission=submission)
    if form.is_valid():
        request.session[_gate_key(submission)] = True
        return redirect("registrations:correct", submission.code)
    # A correction sent without the phone number (an old tab, a lost session) saves nothing.
    status = 403 if request.method == "POST" and not answering else 200
    ctx = {"form": form, "submission": submission}
    return render(request, "registrations/correct_gate.html", ctx, status=status)


# Not a reason to measure again: the position correction is applied and shown on the receipt.
_NOT_A_MEASURING_MISTAKE = {"height_adjusted"}


@require_GET
@never_cache
def check_measurement(request):
    """The WHO plausibility flags of a measurement, before the report is sent.

    Reads only the query string and the WHO tables: nothing is stored or logged, and the
    answer is never cached."""
    form = MeasurementCheckForm(request.GET)
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    d = form.cleaned_data
    result = growth.assess(
        d["jenis_kelamin"],
        d["tanggal_lahir"],
        d["tanggal_ukur"],
        d["tinggi"],
        d["berat"],
        lying=d["cara_ukur"] == Submission.Position.LYING,
    )
    flags = [
        {"code": code, "message": message}
        for code, message in growth.FLAG_LABELS.items()
        if code in result.flags and code not in _NOT_A_MEASURING_MISTAKE
    ]
    return JsonResponse({"flags": flags})


@require_GET
@never_cache
def find_receipt(request):
    form = ReceiptLookupForm(request.GET if "kode" in request.GET else None)
    if form.is_valid():
        return redirect("registrations:receipt", form.cleaned_data["kode"])
    return render(request, "registrations/find_receipt.html", {"lookup_form": form})


@never_cache
def receipt(request, code):
    submission = get_object_or_404(
        Submission.objects.select_related("village", "posyandu", "measurement"), code=code
    )
    ctx = {
        "submission": submission,
        "remeasure": _remeasure_messages(submission),
        "documents": submission.documents.current(),
        "next_url": reverse("registrations:intake") + f"?dari={submission.code}",
        "share_url": _share_link(submission),
        "earlier_reports": submission.earlier_reports_of_same_child()[:5],
    }
    return render(request, "registrations/receipt.html", ctx)


def _remeasure_messages(submission):
    """What to measure again, while the kader can still act on it: the plausibility
    flags' plain messages, without the child's values or nutrition status."""
    if submission.status not in (Submission.Status.PENDING, Submission.Status.NEEDS_CORRECTION):
        return []
    measurement = getattr(submission, "measurement", None)
    if measurement is None:
        return []
    return [
        message
        for code, message in growth.FLAG_LABELS.items()
        if code in measurement.flags and code not in _NOT_A_MEASURING_MISTAKE
    ]


def _share_link(submission):
    """wa.me with no number: the kader picks a chat (their own, a group) to keep the code in."""
    status_url = settings.PUBLIC_BASE_URL + submission.get_absolute_url()
    text = receipt_share_text(code=submission.formatted_code, status_url=status_url)
    return whatsapp_share_link(text)


# Enough for every report a kader keeps in "Laporan saya" on her phone.
MAX_STATUS_CODES = 50


@require_GET
@never_cache
def statuses(request):
    """Status labels of the reports a phone sent: only code → label, nothing personal
    (the phone keeps the child's name itself). Unknown codes are left out."""
    codes = {c.replace("-", "").strip().upper() for c in request.GET.getlist("kode")}
    codes = sorted(codes)[:MAX_STATUS_CODES]
    rows = Submission.objects.filter(code__in=codes).values_list("code", "status")
    labels = dict(Submission.Status.choices)
    return JsonResponse({code: str(labels[status]) for code, status in rows})


@require_GET
def service_worker(request):
    response = render(
        request,
        "registrations/sw.js",
        {
            "form_url": reverse("registrations:intake"),
            "static_url": settings.STATIC_URL,
            "css_url": static("css/public.css"),
        },
        content_type="text/javascript; charset=utf-8",
    )
    # The browser looks for a new worker on every visit: it must revalidate each time
    # (a 304 costs a few bytes), or a broken worker could outlive its fix for a day.
    patch_cache_control(response, no_cache=True, max_age=0)
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


@require_GET
@cache_control(max_age=86400)
def manifest(request, posyandu_code=None):
    """Makes the form installable; a posyandu's form opens its own page from the icon."""
    posyandu = _get_posyandu(posyandu_code) if posyandu_code else None
    start = posyandu.get_absolute_url() if posyandu else reverse("registrations:intake")
    icons = [
        {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append({**icons[-1], "purpose": "maskable"})
    data = {
        "id": start,
        "name": f"GASKEN – {posyandu.name}" if posyandu else "GASKEN – Lapor balita",
        "short_name": "GASKEN",
        "description": "Laporan balita stunting atau berisiko stunting oleh kader posyandu",
        "lang": "id",
        "start_url": start,
        "scope": reverse("registrations:intake"),
        "display": "standalone",
        "background_color": "#f3f6f4",
        "theme_color": "#0b6e4f",
        "icons": icons,
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


def _form_url(posyandu_code=None, village_code=None):
    if posyandu_code:
        return _get_posyandu(posyandu_code).public_url()
    if village_code:
        return _get_village(village_code).public_url()
    return settings.PUBLIC_BASE_URL + reverse("registrations:intake")


@require_GET
@cache_control(max_age=3600)
def qr_png(request, posyandu_code=None, village_code=None):
    url = _form_url(posyandu_code, village_code)
    return HttpResponse(qr.qr_png(url), content_type="image/png")


@require_GET
@cache_control(max_age=3600)
def qr_svg(request, posyandu_code=None, village_code=None):
    url = _form_url(posyandu_code, village_code)
    return HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")


# A poster: the place it is for, the QR code's image and the address it encodes.
def _posyandu_poster(posyandu):
    return {
        "place": str(posyandu),
        "area": str(posyandu.village),
        "qr_url": reverse("registrations:posyandu_qr_svg", args=[posyandu.code]),
        "form_url": posyandu.public_url(),
    }


def _village_poster(village):
    return {
        "place": str(village),
        "area": "Semua posyandu",
        "qr_url": reverse("registrations:village_qr_svg", args=[village.code]),
        "form_url": village.public_url(),
    }


def _general_poster():
    return {
        "place": "Semua kelurahan/desa",
        "area": "",
        "qr_url": reverse("registrations:qr_svg"),
        "form_url": _form_url(),
    }


def _posters_page(request, posters, title, village=None):
    ctx = {"posters": posters, "title": title, "village": village}
    return render(request, "registrations/poster.html", ctx)


@require_GET
def poster(request, posyandu_code):
    posyandu = _get_posyandu(posyandu_code)
    return _posters_page(request, [_posyandu_poster(posyandu)], f"Poster QR – {posyandu}")


@require_GET
def village_poster(request, village_code):
    village = _get_village(village_code)
    return _posters_page(request, [_village_poster(village)], f"Poster QR – {village}")


@require_GET
def general_poster(request):
    return _posters_page(request, [_general_poster()], "Poster QR – formulir umum")


@require_GET
def village_posters(request, village_code):
    """Every active posyandu's poster of a village, one per A4 page, printed at once."""
    village = _get_village(village_code)
    posyandu = village.posyandu_set.active().order_by("name")
    posters = [_posyandu_poster(p) for p in posyandu]
    title = f"Semua poster posyandu – {village}"
    return _posters_page(request, posters, title, village=village)


@require_perm("registrations.view_document")
@never_cache
def document(request, pk):
    # Only roles that verify reports see KK/akta images; partners and villages never do.
    doc = get_object_or_404(
        Document.objects.select_related("submission"), pk=pk, purged_at__isnull=True
    )
    document_log_view(document=doc, user=request.user, ip_address=client_ip(request))
    # A PDF is downloaded rather than opened in the browser's viewer, where its scripts
    # would run in the middle of a staff session.
    return private_file_response(
        doc.file,
        content_type=doc.content_type,
        filename=f"dokumen-{doc.pk}{doc.extension}",
        as_attachment=not doc.is_image,
    )
