from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from gasken import pages
from registrations import formats, forms
from registrations.growth_chart import Marks, length_for_age_svg, weight_for_age_svg

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


@register.filter
def phone(value):
    """A phone number as people write it: 0812-7788-9900, or a dash."""
    return formats.phone_display(value) or "–"


@register.filter
def phone_international(value):
    """The digits of a tel: or wa.me link: 6281277889900."""
    return formats.phone_international(value)


@register.filter
def measured_length(height_cm, position_label):
    """A measured length or height with its position's label: 69,5 cm, terlentang."""
    return formats.length_display(height_cm, position_label)


@register.filter
def grams(value):
    """A birth weight: 2.800 g, or a dash."""
    return formats.grams_display(value)


@register.filter
def centimetres(value):
    """A length with no position (a birth length): 48,5 cm, or a dash."""
    return formats.centimetres_display(value)


@register.simple_tag
def length_chart(sex, measurements, marks=None):
    """A child's length/height-for-age chart: each scored measurement, adjusted for position,
    and the bands and ticks of `marks` (from the app that knows what they are)."""
    marks = marks or Marks()
    points = [
        (m.age_days, m.height_used_cm)
        for m in measurements
        if m.height_used_cm is not None and m.haz is not None
    ]
    svg = length_for_age_svg(sex, points, bands=marks.bands, ticks=marks.ticks)
    return mark_safe(svg)  # built by growth_chart, every text in it escaped there


@register.simple_tag
def weight_chart(sex, measurements, marks=None):
    """A child's weight-for-age chart, like length_chart."""
    marks = marks or Marks()
    points = [(m.age_days, m.weight_kg) for m in measurements if m.waz is not None]
    svg = weight_for_age_svg(sex, points, bands=marks.bands, ticks=marks.ticks)
    return mark_safe(svg)  # built by growth_chart, every text in it escaped there
