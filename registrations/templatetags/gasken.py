from django import template

register = template.Library()


@register.filter
def zscore(value):
    """A z-score the Indonesian way: −2,35 / +1,20, or a dash when not computed."""
    if value is None:
        return "–"
    sign = "−" if value < 0 else "+" if value > 0 else ""
    return f"{sign}{abs(value):.2f}".replace(".", ",")
