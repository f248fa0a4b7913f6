import uuid
from collections.abc import Callable
from dataclasses import dataclass

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
    MotherCorrectionForm,
    MotherReportForm,
    ReceiptLookupForm,
    prefill_from,
)
from registrations.messages import receipt_share_text, whatsapp_share_link
from registrations.models import Document, MotherReport, Posyandu, Submission, Village
from registrations.services import (
    StaleSubmission,
    document_log_view,
    mother_report_create,
    mother_report_resubmit,
    submission_create,
    submission_resubmit,
)


def _get_posyandu(code):
    return get_object_or_404(Posyandu.objects.select_related("village"), code=code, is_active=True)


def _get_village(code):
    return get_object_or_404(Village, code=code)


@dataclass(frozen=True)
class _Intake:
    """One of the kader's report forms: the child's or the mother's."""

    name: str
    model: type[Submission] | type[MotherReport]
    form: type[IntakeForm] | type[MotherReportForm]
    template: str
    create: Callable


def _create_submission(form, key):
    return submission_create(
        report=form.report_values(),
        measurement=form.measurement_values(),
        documents=form.documents,
        idempotency_key=key,
    )


def _create_mother_report(form, key):
    return mother_report_create(
        report=form.mother_values(), documents=form.documents, idempotency_key=key
    )


CHILD = _Intake("anak", Submission, IntakeForm, "registrations/intake.html", _create_submission)
MOTHER = _Intake(
    "ibu", MotherReport, MotherReportForm, "registrations/mother_intake.html", _create_mother_report
)


@never_cache
@unavailable_on_outage
def intake(request, posyandu_code=None, village_code=None):
    return _intake(request, CHILD, posyandu_code, village_code)


@never_cache
@unavailable_on_outage
def mother_intake(request, posyandu_code=None, village_code=None):
    """The report of a pregnant or breastfeeding mother: the child's form's twin."""
    return _intake(request, MOTHER, posyandu_code, village_code)


def _intake(request, kind, posyandu_code, village_code):
    if request.method != "POST" and not request.GET.get("dari"):
        return _empty_intake(request, kind, posyandu_code, village_code)

    posyandu, village = _intake_place(posyandu_code, village_code)
    if request.method == "POST":
        key = _idempotency_key(request.POST.get("idempotency_key"))
        if key:
            existing = kind.model.objects.filter(idempotency_key=key).first()
            if existing:
                return _sent(request, existing)
        form = kind.form(request.POST, request.FILES)
        if form.is_valid():
            return _sent(request, kind.create(form, key))
    else:
        # The next report of the same kader (after a child's or a mother's): her name and
        # posyandu filled in.
        initial = _intake_initial(posyandu, village, key=uuid.uuid4())
        sent = _find_report(request.GET["dari"])
        if sent:
            initial.update(prefill_from(sent))
        form = kind.form(initial=initial)

    ctx = {
        "form": form,
        "posyandu": posyandu,
        "village": village,
        # The page script keeps the chosen photos itself; only a plain form loses them.
        "lost_files": form.is_bound and bool(request.FILES) and not _from_script(request),
        "lookup_form": ReceiptLookupForm(),
    }
    return render(request, kind.template, ctx)


def _find_report(code):
    """The child's or the mother's report with this receipt code, or None."""
    q = Submission.objects.select_related("village", "posyandu", "measurement")
    return (
        q.filter(code=code).first()
        or MotherReport.objects.select_related("village", "posyandu").filter(code=code).first()
    )


def _get_report(code):
    mother = MotherReport.objects.select_related("village", "posyandu").filter(code=code).first()
    return mother or get_object_or_404(
        Submission.objects.select_related("village", "posyandu", "measurement"), code=code
    )


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


def _empty_intake(request, kind, posyandu_code, village_code):
    """The empty form, the page every kader opens: rendered once per posyandu (or
    kelurahan/desa) and day, and kept until villages or posyandu change
    (registrations/intake_page.py). A request adds only its idempotency key and CSRF token;
    it reads the version stamp from the shared cache and nothing else (a page not kept yet,
    or an unknown posyandu or village, reads the tables)."""

    def render_page():
        posyandu, village = _intake_place(posyandu_code, village_code)
        form = kind.form(initial=_intake_initial(posyandu, village, key=intake_page.KEY_SLOT))
        ctx = {
            "form": form,
            "posyandu": posyandu,
            "village": village,
            "lost_files": False,
            "lookup_form": ReceiptLookupForm(),
            "csrf_token": intake_page.CSRF_SLOT,
        }
        # Without the request: nothing of one kader's visit may end up in the kept copy.
        return render_to_string(kind.template, ctx)

    html = intake_page.page(
        (posyandu_code, village_code, timezone.localdate(), kind.name),
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
    report = _get_report(code)
    if report.status != Submission.Status.NEEDS_CORRECTION:
        return redirect(report)
    if not request.session.get(_gate_key(report)):
        return _correction_gate(request, report)

    mother = isinstance(report, MotherReport)
    form_class = MotherCorrectionForm if mother else CorrectionForm
    form = form_class(request.POST or None, request.FILES or None, instance=report)
    if form.is_valid():
        try:
            if mother:
                mother_report_resubmit(
                    mother_report=report, report=form.mother_values(), documents=form.documents
                )
            else:
                submission_resubmit(
                    submission=report,
                    report=form.report_values(),
                    measurement=form.measurement_values(),
                    documents=form.documents,
                )
        except StaleSubmission:
            pass  # sent twice, or staff acted meanwhile: the receipt shows the state
        return redirect(report)

    ctx = {
        "form": form,
        "submission": report,
        "documents": report.documents.current(),
        "lost_files": form.is_bound and bool(request.FILES),
    }
    template = "registrations/mother_correct.html" if mother else "registrations/correct.html"
    return render(request, template, ctx)


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
    ctx = {
        "form": form,
        "submission": submission,
        "subject": "ibu" if isinstance(submission, MotherReport) else "anak",
    }
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
    report = _get_report(code)
    if isinstance(report, MotherReport):
        return _mother_receipt(request, report)
    submission = report
    ctx = {
        "submission": submission,
        "remeasure": _remeasure_messages(submission),
        "documents": submission.documents.current(),
        "next_url": reverse("registrations:intake") + f"?dari={submission.code}",
        "mother_url": reverse("registrations:mother_intake") + f"?dari={submission.code}",
        "share_url": _share_link(submission),
        "earlier_reports": submission.earlier_reports_of_same_child()[:5],
    }
    return render(request, "registrations/receipt.html", ctx)


def _mother_receipt(request, report):
    ctx = {
        "submission": report,
        "documents": report.documents.current(),
        "next_url": reverse("registrations:mother_intake") + f"?dari={report.code}",
        "child_url": reverse("registrations:intake") + f"?dari={report.code}",
        "share_url": _share_link(report),
    }
    return render(request, "registrations/mother_receipt.html", ctx)


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
    labels = dict(Submission.Status.choices)
    found = {}
    for model in (Submission, MotherReport):
        for code, status in model.objects.filter(code__in=codes).values_list("code", "status"):
            found[code] = str(labels[status])
    return JsonResponse(found)


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


def _form_url(posyandu_code=None, village_code=None, mother=False):
    """The public address of a form: the child's, or with `mother` the mother's."""
    if posyandu_code:
        url = _get_posyandu(posyandu_code).public_url()
    elif village_code:
        url = _get_village(village_code).public_url()
    else:
        url = settings.PUBLIC_BASE_URL + reverse("registrations:intake")
    # Every mother's form lives under its child's form's address: /lapor/…/ibu/.
    return url + MOTHER_PATH if mother else url


MOTHER_PATH = "ibu/"


@require_GET
@cache_control(max_age=3600)
def qr_png(request, posyandu_code=None, village_code=None, mother=False):
    url = _form_url(posyandu_code, village_code, mother)
    return HttpResponse(qr.qr_png(url), content_type="image/png")


@require_GET
@cache_control(max_age=3600)
def qr_svg(request, posyandu_code=None, village_code=None, mother=False):
    url = _form_url(posyandu_code, village_code, mother)
    return HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")


# What a poster says about its form: its title and the kader's steps.
CHILD_POSTER = {
    "form_title": "Laporan balita stunting atau berisiko stunting",
    "step": "Isi data balita, alasan dilaporkan, dan foto KK atau akta kelahiran.",
}
MOTHER_POSTER = {
    "form_title": "Laporan ibu hamil dan ibu menyusui",
    "step": "Isi data ibu, status hamil atau menyusui, LiLA, dan foto KK.",
}


def _url_name(name, mother):
    return f"registrations:mother_{name}" if mother else f"registrations:{name}"


# A poster: the place it is for, the QR code's image and the address it encodes.
def _posyandu_poster(posyandu, mother=False):
    return {
        **(MOTHER_POSTER if mother else CHILD_POSTER),
        "place": str(posyandu),
        "area": str(posyandu.village),
        "qr_url": reverse(_url_name("posyandu_qr_svg", mother), args=[posyandu.code]),
        "form_url": posyandu.public_url() + (MOTHER_PATH if mother else ""),
    }


def _village_poster(village, mother=False):
    return {
        **(MOTHER_POSTER if mother else CHILD_POSTER),
        "place": str(village),
        "area": "Semua posyandu",
        "qr_url": reverse(_url_name("village_qr_svg", mother), args=[village.code]),
        "form_url": village.public_url() + (MOTHER_PATH if mother else ""),
    }


def _general_poster(mother=False):
    return {
        **(MOTHER_POSTER if mother else CHILD_POSTER),
        "place": "Semua kelurahan/desa",
        "area": "",
        "qr_url": reverse(_url_name("qr_svg", mother)),
        "form_url": _form_url(mother=mother),
    }


def _posters_page(request, posters, title, village=None, mother=False):
    ctx = {"posters": posters, "title": title, "village": village, "mother": mother}
    return render(request, "registrations/poster.html", ctx)


def _poster_title(place, mother):
    return f"Poster QR ibu hamil/menyusui – {place}" if mother else f"Poster QR – {place}"


@require_GET
def poster(request, posyandu_code, mother=False):
    posyandu = _get_posyandu(posyandu_code)
    posters = [_posyandu_poster(posyandu, mother)]
    return _posters_page(request, posters, _poster_title(posyandu, mother), mother=mother)


@require_GET
def village_poster(request, village_code, mother=False):
    village = _get_village(village_code)
    posters = [_village_poster(village, mother)]
    return _posters_page(request, posters, _poster_title(village, mother), mother=mother)


@require_GET
def general_poster(request, mother=False):
    posters = [_general_poster(mother)]
    return _posters_page(request, posters, _poster_title("formulir umum", mother), mother=mother)


@require_GET
def village_posters(request, village_code, mother=False):
    """Every active posyandu's poster of a village, one per A4 page, printed at once: the
    child's form's, or with `mother` the mother's form's."""
    village = _get_village(village_code)
    posyandu = village.posyandu_set.active().order_by("name")
    posters = [_posyandu_poster(p, mother) for p in posyandu]
    what = " (ibu hamil/menyusui)" if mother else ""
    title = f"Semua poster posyandu{what} – {village}"
    return _posters_page(request, posters, title, village=village, mother=mother)


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
