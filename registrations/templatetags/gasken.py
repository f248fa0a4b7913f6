from django import template
from django.conf import settings

from gasken import pages
from registrations import forms

register = template.Library()


@register.filter
def bounded(count):
    """A count from gasken.pages.bounded_count: 10000+ when it stopped counting."""
    return f"{pages.COUNT_LIMIT}+" if count > pages.COUNT_LIMIT else count


@register.filter
def total(paginator):
    """The rows of a list paginated by gasken.pages.paginate: 10000+ when there are more."""
    return f"{paginator.count}+" if getattr(paginator, "more", False) else paginator.count


@register.filter
def zscore(value):
    """A z-score the Indonesian way: −2,35 / +1,20, or a dash when not computed."""
    if value is None:
        return "–"
    sign = "−" if value < 0 else "+" if value > 0 else ""
    return f"{sign}{abs(value):.2f}".replace(".", ",")


@register.filter
def mask_nik(value):
    """What a partner needs to match a child, and no more: 190101********01."""
    if not value:
        return "–"
    return value[:6] + "*" * (len(value) - 8) + value[-2:]


@register.filter
def summary_label(bound_field):
    return forms.summary_label(bound_field)


@register.simple_tag
def upload_limit():
    """The server's size limit of one uploaded file, as people write it: 10 MB, 2,5 MB."""
    megabytes = settings.MAX_UPLOAD_SIZE / (1024 * 1024)
    return f"{megabytes:.1f}".removesuffix(".0").replace(".", ",") + " MB"
