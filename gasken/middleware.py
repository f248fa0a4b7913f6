"""Request-wide protections that belong to no single app: they match requests by URL
name or path, so the views they guard need no change."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from gasken.clients import client_ip
from interventions.models import PasswordChangeRequired

# The kader's public forms: every POST to them counts against the client's limit.
RATE_LIMITED_POSTS = {
    "registrations:intake",
    "registrations:intake_posyandu",
    "registrations:intake_village",
    "registrations:mother_intake",
    "registrations:mother_intake_posyandu",
    "registrations:mother_intake_village",
    "registrations:correct",
}


def hit(key, limit, period):
    """Count one request against `limit` per `period` seconds in the shared cache.

    Returns 0 when the request may go on, else the seconds until the window ends. Fixed
    windows: cheap, and a client gets at most twice the limit across a window boundary."""
    now = time.time()
    window = int(now // period)
    key = f"ratelimit:{key}:{window}"
    # add() starts the count only if no other process has; incr() is atomic on Redis.
    cache.add(key, 0, timeout=period + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=period + 60)
        count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil((window + 1) * period - now))


def too_many_requests(request, retry_after):
    ctx = {"minutes": math.ceil(retry_after / 60)}
    response = render(request, "429.html", ctx, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class PublicPostRateLimitMiddleware:
    """Limits the kader forms' POSTs per client address (RATE_LIMIT_PUBLIC_POSTS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        rate = settings.RATE_LIMIT_PUBLIC_POSTS
        if rate is None or request.method != "POST":
            return None
        if request.resolver_match.view_name not in RATE_LIMITED_POSTS:
            return None
        limit, period = rate
        retry_after = hit(f"public-posts:{client_ip(request) or 'unknown'}", limit, period)
        if retry_after:
            return too_many_requests(request, retry_after)
        return None


# What a user whose password must change may still open.
PASSWORD_CHANGE_EXEMPT = {"password_change", "logout", "admin_logout"}


class PasswordChangeRequiredMiddleware:
    """A user logged in with a password someone else chose (interventions'
    PasswordChangeRequired, noted in the session at login) is sent to the password change
    page, whatever page they ask for, until they have chosen their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.session.get(PasswordChangeRequired.SESSION_KEY):
            return None
        if request.resolver_match.view_name in PASSWORD_CHANGE_EXEMPT:
            return None
        if not request.user.is_authenticated:  # the session outlived its login
            return None
        return redirect("password_change")


# Pages that show personal data to a logged-in user (and the admin, logins and the kader's
# receipt): no browser or proxy may keep a copy.
PRIVATE_PREFIXES = (
    "/verifikasi/",
    "/intervensi/",
    "/kendala/",
    "/kegiatan/",
    "/mitra/",
    "/desa/",
    "/pemantauan/",
    "/dokumen/",
    "/admin/",
    "/akun/",
    "/beranda/",
    "/lapor/status/",
)


class PrivatePagesMiddleware:
    """Cache-Control: no-store, private on every response under PRIVATE_PREFIXES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES):
            patch_cache_control(response, no_store=True, private=True)
        return response


# Browser features no page of GASKEN uses. (A file input with `capture` still opens the
# phone's camera app: that is not the camera feature of this policy.)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
