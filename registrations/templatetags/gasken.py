from django import template

from registrations import forms

register = template.Library()


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
