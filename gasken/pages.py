"""Small helpers shared by the staff, partner and village pages."""

import logging
from functools import wraps

from botocore.exceptions import BotoCoreError, ClientError
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Q
from django.shortcuts import render

logger = logging.getLogger(__name__)

# What a failing database or file storage (local disk or S3) raises. The services have
# then kept nothing, so the same form sent again later can succeed.
OUTAGES = (DatabaseError, OSError, BotoCoreError, ClientError)

PAGE_SIZE = 25


def require_perm(perm):
    """Login first, then the permission: anonymous users go to the login page, others get 403."""

    def decorator(view):
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorator


def search(q, text, fields):
    """Every word must match at least one of the fields."""
    for word in text.split():
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        q = q.filter(match)
    return q


def paginate(request, q):
    """The requested page, and the query string to keep the filters in page links."""
    page = Paginator(q, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def unavailable_on_outage(view):
    """A POST that fails because the database or the file storage does gets a 503 page
    asking to send again (the idempotency key makes a resend safe), not a bare error."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except OUTAGES:
            if request.method != "POST":
                raise
            logger.exception("Saving %s failed; asked the sender to try again", request.path)
            response = render(
                request, "send_again.html", {"form_url": request.get_full_path()}, status=503
            )
            response["Retry-After"] = "60"
            return response

    return wrapper
