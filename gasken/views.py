import logging
import math
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import Resolver404, resolve, reverse, reverse_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_safe
from django.views.defaults import server_error as django_server_error

from gasken import emails
from gasken.clients import client_ip
from gasken.middleware import hit
from gasken.navigation import missing_link, pages_for
from interventions.models import PasswordChangeRequired

logger = logging.getLogger(__name__)

# Pages of the kader form: after an error the kader goes back to the same address.
_FORM_PAGES = {
    "intake",
    "intake_posyandu",
    "intake_village",
    "mother_intake",
    "mother_intake_posyandu",
    "mother_intake_village",
    "correct",
}


@login_required
def home(request):
    """Send each role to its own starting page."""
    pages = pages_for(request.user)
    if pages:
        _, url = pages[0]
        return redirect(url)
    return render(request, "home.html", {"missing_link": missing_link(request.user)})


@requires_csrf_token
def server_error(request):
    """Django's 500 page, except on the kader's pages: there it says what to do next."""
    intake = reverse("registrations:intake")
    if not request.path_info.startswith(intake):
        return django_server_error(request)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    form_url = intake
    if match and match.namespace == "registrations" and match.url_name in _FORM_PAGES:
        form_url = request.path
    # Rendered without the request's context processors, as Django's own 500 view does:
    # the less this page depends on, the less can fail while showing it.
    html = loader.get_template("registrations/500.html").render({"form_url": form_url})
    return HttpResponseServerError(html)


# --- accounts -------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        # Without e-mail the page says whom to ask instead of offering "Lupa sandi?".
        return super().get_context_data(reset_by_email=emails.enabled(), **kwargs)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # Stored in the message cookie: the session it would go in is gone.
        messages.success(request, "Anda sudah keluar.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def get_context_data(self, **kwargs):
        required = self.request.session.get(PasswordChangeRequired.SESSION_KEY, False)
        return super().get_context_data(required=required, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        PasswordChangeRequired.clear(self.request, form.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """ "Lupa sandi": a link by e-mail, when the app sends e-mail. Limited per client address
    (RATE_LIMIT_PASSWORD_RESET), and as often per e-mail address, so that nobody floods a
    mailbox or tries addresses one after another."""

    subject_template_name = "emails/password_reset_subject.txt"
    email_template_name = "emails/password_reset.txt"
    html_email_template_name = "emails/password_reset.html"
    success_url = reverse_lazy("password_reset_done")

    def dispatch(self, request, *args, **kwargs):
        if not emails.enabled():
            return render(request, "registration/password_reset_unavailable.html")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        rate = settings.RATE_LIMIT_PASSWORD_RESET
        if rate is not None:
            retry_after = hit(f"password-reset:{client_ip(request) or 'unknown'}", *rate)
            if retry_after:
                ctx = self.get_context_data(
                    form=self.get_form(), minutes=math.ceil(retry_after / 60)
                )
                response = self.render_to_response(ctx, status=429)
                response["Retry-After"] = str(retry_after)
                return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        rate = settings.RATE_LIMIT_PASSWORD_RESET
        email = form.cleaned_data["email"].strip().lower()
        if rate is not None and hit(f"password-reset-email:{email}", *rate):
            # The same page as after a sent link: it must not tell which addresses exist.
            return redirect(self.get_success_url())
        # Links point at the public address, never at the Host header of the request.
        self.extra_email_context = {"base_url": settings.PUBLIC_BASE_URL}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The user has just chosen this password: no need to change it again.
        PasswordChangeRequired.clear(self.request, form.user)
        return response


def locked_out(request, original_response=None, credentials=None):
    """The page of a login refused by django-axes after too many failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    # Browsers ask for /favicon.ico on their own, whatever the pages link to.
    return FileResponse(open(finders.find("img/favicon.ico"), "rb"), content_type="image/x-icon")


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _storage():
    # A real round trip through the configured storage (local disk or S3), under a name
    # sweep_storage never takes for an upload.
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as f:
            if f.read() != b"ok":
                raise OSError("storage returned other content")
    finally:
        default_storage.delete(name)


def _cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 30)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("cache lost the value")
    finally:
        cache.delete(key)


HEALTH_CHECKS = [("database", _database), ("storage", _storage), ("cache", _cache)]


@require_safe
@never_cache
def healthz(request):
    """For a load balancer or uptime monitor: 200 "ok" when the database, the file storage
    and the cache all answer, else 503 naming the ones that did not (details in the log)."""
    failed = []
    for name, check in HEALTH_CHECKS:
        try:
            check()
        except Exception:
            logger.exception("Health check failed: %s", name)
            failed.append(name)
    if failed:
        return HttpResponse(f"failed: {', '.join(failed)}\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
