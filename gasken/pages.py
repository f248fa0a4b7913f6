"""Small helpers shared by the staff, partner and village pages."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q

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
