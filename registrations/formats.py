"""Values as people read and write them: phone numbers and measured lengths.

Numbers are stored the way machines need them (62812…, Decimal("69.5")); these pure functions
turn them into what a page or a message shows, and back where a link needs the machine form.
The template filters `phone`, `phone_international` and `measured_length` call them.
"""

import re
from decimal import Decimal

_NOT_DIGITS = re.compile(r"[^0-9]")
_INDONESIAN_MOBILE = re.compile(r"^628[0-9]{7,11}$")


def phone_international(number: str | None) -> str:
    """The digits WhatsApp and tel: links need: 6281277889900 for 0812-7788-9900,
    +62 812 7788 9900 or 6281277889900; empty for no number."""
    digits = _NOT_DIGITS.sub("", number or "")
    if digits.startswith("0"):
        return "62" + digits[1:]
    if digits.startswith("8"):
        return "62" + digits
    return digits


def phone_display(number: str | None) -> str:
    """An Indonesian mobile number as people write it: 0812-7788-9900.

    The first four digits (0 and the operator's prefix), then the rest in two groups, the
    first one never shorter. Anything that is not an Indonesian mobile number (a landline
    typed into the admin, a number from abroad) is shown as it was written."""
    number = (number or "").strip()
    digits = phone_international(number)
    if not _INDONESIAN_MOBILE.match(digits):
        return number
    local = "0" + digits[2:]
    head, rest = local[:4], local[4:]
    if len(rest) <= 8:
        middle = (len(rest) + 1) // 2
    else:
        middle = 4
    return f"{head}-{rest[:middle]}-{rest[middle:]}"


def decimal_comma(value: Decimal | float, decimals: int = 1) -> str:
    """69.5 as Indonesians write it: 69,5."""
    return f"{value:.{decimals}f}".replace(".", ",")


def length_display(height_cm: Decimal | float | None, position_label: str = "") -> str:
    """A measured length or height with how it was measured: "69,5 cm, terlentang".

    `position_label` is the label of the position's choice; what a form adds in brackets to
    explain it ("Terlentang (diukur berbaring)") is left out. Without a position (a partner's
    measurement may have none) only the length is shown; without a length, a dash."""
    if height_cm is None:
        return "–"
    text = f"{decimal_comma(Decimal(height_cm))} cm"
    word = (position_label or "").split("(")[0].strip().lower()
    return f"{text}, {word}" if word else text


def grams_display(grams: int | None) -> str:
    """A birth weight as Indonesians write it: "2.800 g", or a dash."""
    if grams is None:
        return "–"
    return f"{grams:,} g".replace(",", ".")


def centimetres_display(value: Decimal | float | None) -> str:
    """A length without how it was measured (a birth length): "48,5 cm", or a dash."""
    if value is None:
        return "–"
    return f"{decimal_comma(Decimal(value))} cm"
