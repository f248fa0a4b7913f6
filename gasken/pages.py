"""Small helpers shared by the staff, partner and village pages."""

import logging
from functools import wraps
from typing import TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Model, Q, QuerySet
from django.shortcuts import render

logger = logging.getLogger(__name__)

# What a failing database or file storage (local disk or S3) raises. The services have
# then kept nothing, so the same form sent again later can succeed.
OUTAGES = (DatabaseError, OSError, BotoCoreError, ClientError)

PAGE_SIZE = 25
# Lists count, and page through, at most this many rows. Counting further would read every
# row of a province-sized table on each request, and nobody pages that deep: past it, the
# page says "10000+" and asks for a filter.
COUNT_LIMIT = 10_000


def require_perm(perm):
    """Login first, then the permission: anonymous users go to the login page, others get 403."""

    def decorator(view):
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorator


_M = TypeVar("_M", bound=Model)


def search(q: QuerySet[_M], text: str, fields: list[str]) -> QuerySet[_M]:
    """Every word must match at least one of the fields.

    icontains, which PostgreSQL runs as UPPER(field) LIKE UPPER('%word%'): the trigram
    indexes on UPPER(field) (registrations migration 0007) answer exactly that."""
    for word in text.split():
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        q = q.filter(match)
    return q


def bounded_count(q):
    """The number of rows of q, reading no more than COUNT_LIMIT + 1 of them: a result
    above COUNT_LIMIT means "more than COUNT_LIMIT"."""
    return q.order_by()[: COUNT_LIMIT + 1].count()


class _Paginator(Paginator):
    def page(self, number):
        # The page's ids first, from an index alone, then those rows with their joins: a
        # deep page no longer joins every row it skips (page 200 joined 5,000 reports).
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = self.object_list.filter(pk__in=self.object_list.values("pk")[bottom:top])
        return self._get_page(rows, number, self)


def paginate(request, q, count=None, param="page"):
    """The requested page, and the query string to keep the filters in page links.

    Pass `count` when the view has already counted q (at most COUNT_LIMIT + 1) to spare a
    second count. Pages reach the first COUNT_LIMIT rows; `page.paginator.more` says
    whether there are more. `param` names the page number in the URL, for a second list
    on the same page (its links then need `page_param` in _pagination.html)."""
    if count is None:
        count = bounded_count(q)
    paginator = _Paginator(q, PAGE_SIZE)
    # Paginator.count is a cached property: setting it skips its own COUNT query.
    paginator.count = min(count, COUNT_LIMIT)
    paginator.more = count > COUNT_LIMIT
    page = paginator.get_page(request.GET.get(param))
    params = request.GET.copy()
    params.pop(param, None)
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
