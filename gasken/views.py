import logging
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_safe
from django.views.defaults import server_error as django_server_error

from gasken.navigation import pages_for

logger = logging.getLogger(__name__)

# Pages of the kader form: after an error the kader goes back to the same address.
_FORM_PAGES = {"intake", "intake_posyandu", "intake_village", "correct"}


@login_required
def home(request):
    """Send each role to its own starting page."""
    pages = pages_for(request.user)
    if pages:
        _, url = pages[0]
        return redirect(url)
    return render(request, "home.html")


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
