import logging
import uuid

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from gasken.navigation import pages_for

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """Send each role to its own starting page."""
    pages = pages_for(request.user)
    if pages:
        _, url = pages[0]
        return redirect(url)
    return render(request, "home.html")


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
