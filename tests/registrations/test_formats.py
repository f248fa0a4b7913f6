from decimal import Decimal

import pytest
from django.template import Context, Template

from registrations import formats
from registrations.formats import length_display, phone_display, phone_international
from registrations.models import Measurement, Submission
from registrations.validators import PhoneField

# --- phone numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "stored,shown",
    [
        ("6281277889900", "0812-7788-9900"),  # 12 digits as written: 4-4-4
        ("628127788990", "0812-7788-990"),  # 11: 4-4-3
        ("62812778899", "0812-778-899"),  # 10: 4-3-3
        ("62812345678901", "0812-3456-78901"),  # 13: 4-4-5
        ("62812345678", "0812-345-678"),
    ],
)
def test_it_shows_a_mobile_number_as_people_write_it(stored, shown):
    assert phone_display(stored) == shown


@pytest.mark.parametrize(
    "written", ["0812-7788-9900", "0812 7788 9900", "+62 812-7788-9900", "81277889900"]
)
def test_it_shows_a_number_written_any_way_the_same(written):
    assert phone_display(written) == "0812-7788-9900"


@pytest.mark.parametrize("other", ["(0717) 92123", "+44 20 7946 0958", "62717123456", "12"])
def test_it_leaves_what_is_not_an_indonesian_mobile_number_as_written(other):
    assert phone_display(other) == other


@pytest.mark.parametrize("empty", ["", None, "   "])
def test_it_shows_no_number_as_empty(empty):
    assert phone_display(empty) == ""


@pytest.mark.parametrize(
    "written",
    ["0812-7788-9900", "6281277889900", "+62 812 7788 9900", "812 7788 9900", "(0812) 7788.9900"],
)
def test_it_gives_links_the_international_digits(written):
    assert phone_international(written) == "6281277889900"


def test_it_gives_no_digits_for_no_number():
    assert phone_international("") == phone_international(None) == ""


def test_the_filters_show_numbers_written_and_link_them_international():
    html = Template(
        '{% load gasken %}<a href="tel:+{{ n|phone_international }}">{{ n|phone }}</a> '
        "{{ empty|phone }}"
    ).render(Context({"n": "6281277889900", "empty": ""}))
    assert html == '<a href="tel:+6281277889900">0812-7788-9900</a> –'


def test_a_phone_field_shows_the_stored_number_as_people_write_it():
    field = PhoneField(required=False)
    html = field.widget.render("phone", "6281277889900")
    assert 'value="0812-7788-9900"' in html
    assert 'type="tel"' in html
    assert 'value="' not in field.widget.render("phone", "")
    # What is typed comes back as typed (with the error), never rewritten or lost.
    assert 'value="0812 77"' in field.widget.render("phone", "0812 77")
    # And the written form is what the field stores as 62….
    assert field.clean("0812-7788-9900") == "6281277889900"


# --- lengths ------------------------------------------------------------------------

LYING = Submission.Position.LYING.label
STANDING = Submission.Position.STANDING.label


@pytest.mark.parametrize(
    "height,label,shown",
    [
        (Decimal("69.5"), LYING, "69,5 cm, terlentang"),
        (Decimal("88.0"), STANDING, "88,0 cm, berdiri"),
        (72.3, LYING, "72,3 cm, terlentang"),
        (Decimal("69.5"), "", "69,5 cm"),
        (None, LYING, "–"),
    ],
)
def test_it_shows_a_length_with_its_position_in_a_word(height, label, shown):
    assert length_display(height, label) == shown


def test_no_position_label_leaks_its_explanation():
    # The form explains the position in brackets; pages name it in a word.
    shown = [length_display(Decimal("70.0"), label) for label in Measurement.Position.labels]
    assert shown == ["70,0 cm, terlentang", "70,0 cm, berdiri"]


def test_the_filter_shows_a_measurement_as_people_say_it():
    m = Measurement(height_cm=Decimal("69.5"), position=Measurement.Position.LYING)
    html = Template("{% load gasken %}{{ m.height_cm|measured_length:m.get_position_display }}")
    assert html.render(Context({"m": m})) == "69,5 cm, terlentang"


@pytest.mark.parametrize(
    "grams,text", [(None, "–"), (400, "400 g"), (2800, "2.800 g"), (12500, "12.500 g")]
)
def test_grams_display(grams, text):
    assert formats.grams_display(grams) == text


@pytest.mark.parametrize(
    "value,text", [(None, "–"), (Decimal("48.5"), "48,5 cm"), (Decimal("50"), "50,0 cm")]
)
def test_centimetres_display(value, text):
    assert formats.centimetres_display(value) == text
