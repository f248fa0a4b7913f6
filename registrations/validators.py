import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from registrations.dates import AGE_LIMIT_MONTHS, completed_months
from registrations.formats import phone_display

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")
# Indonesian mobile numbers: 08xx-xxxx-xxxx, 10 to 13 digits in the 0-prefixed form.
_MOBILE = re.compile(r"^628[1-9][0-9]{6,10}$")

PHONE_MESSAGE = "Nomor HP tidak valid. Tulis nomor HP Indonesia, misalnya 0812 3456 7890."
SIXTEEN_DIGITS_MESSAGE = "%(label)s harus tepat 16 angka (sekarang %(length)s karakter)."
NUMBER_MESSAGE = "Tulis angka dengan paling banyak satu angka di belakang koma, misalnya 12,5."
RANGE_MESSAGE = "Nilai harus antara %(min)s dan %(max)s %(unit)s."


def normalize_phone(value: str | None) -> str:
    """Return an Indonesian mobile number as 62…, or raise ValidationError."""
    digits = _PHONE_SEPARATORS.sub("", value or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not _MOBILE.match(digits):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
    return digits


def validate_16_digits(value: str, label: str) -> None:
    if not re.fullmatch(r"[0-9]{16}", value):
        raise ValidationError(
            SIXTEEN_DIGITS_MESSAGE,
            code="invalid_length",
            params={"label": label, "length": len(value)},
        )


def client_checks(field: forms.Field) -> dict[str, str]:
    """data- attributes with which static/js/checks.js applies the field's own rule, limits
    and messages in the browser before anything is sent. The server still checks it all."""
    attrs: dict[str, str] = {}
    if field.required:
        attrs["data-msg-required"] = str(field.error_messages["required"])
    if hasattr(field, "client_checks"):
        attrs.update(field.client_checks())
    elif isinstance(field, forms.DateField):
        attrs.update({"data-date": "", "data-msg-invalid": str(field.error_messages["invalid"])})
    return attrs


class OneDecimalField(forms.CharField):
    """A measurement typed on a phone: `12.5` or `12,5`, at most one decimal."""

    def __init__(self, *, min_value: Decimal, max_value: Decimal, unit: str, **kwargs: Any) -> None:
        self.min_value, self.max_value, self.unit = min_value, max_value, unit
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "8"})
        return attrs

    # Typed input is handled as a CharField's, but the cleaned value is a Decimal.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = value.replace(" ", "").replace(",", ".")
        if not re.fullmatch(r"[0-9]+(\.[0-9])?", text):
            raise ValidationError(NUMBER_MESSAGE, code="invalid_number")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError("Tulis angka, misalnya 12,5.", code="invalid_number") from None
        if not (self.min_value <= number <= self.max_value):
            raise ValidationError(RANGE_MESSAGE, code="out_of_range", params=self._range())
        return number

    def _range(self) -> dict[str, str]:
        return {
            "min": str(self.min_value).replace(".", ","),
            "max": str(self.max_value).replace(".", ","),
            "unit": self.unit,
        }

    def client_checks(self) -> dict[str, str]:
        return {
            "data-decimal": "",
            "data-min": str(self.min_value),
            "data-max": str(self.max_value),
            "data-msg-number": NUMBER_MESSAGE,
            "data-msg-range": RANGE_MESSAGE % self._range(),
        }

    def prepare_value(self, value: Any) -> Any:
        # Show stored decimals the Indonesian way when the form is filled from the database.
        if isinstance(value, Decimal):
            return str(value).replace(".", ",")
        return value


class SixteenDigitField(forms.CharField):
    """An optional NIK or KK number: spaces typed between groups are dropped."""

    def __init__(self, *, name: str, **kwargs: Any) -> None:
        self.name = name
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        return attrs

    def clean(self, value: Any) -> str:
        digits: str = super().clean(value).replace(" ", "")
        if digits:
            validate_16_digits(digits, self.name)
        return digits

    def client_checks(self) -> dict[str, str]:
        # {n}: the number of characters typed, filled in by the script.
        message = SIXTEEN_DIGITS_MESSAGE % {"label": self.name, "length": "{n}"}
        return {"data-digits": "16", "data-msg-digits": message}


class PhoneInput(forms.TextInput):
    """Shows a stored number (62…) as people write it: 0812-7788-9900."""

    input_type = "tel"

    def format_value(self, value: Any) -> str | None:
        return phone_display(super().format_value(value)) or None


class PhoneField(forms.CharField):
    """An Indonesian mobile number, stored as 62…"""

    widget = PhoneInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "tel", "type": "tel"})
        return attrs

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return normalize_phone(value) if value else ""

    def client_checks(self) -> dict[str, str]:
        return {"data-phone": _MOBILE.pattern, "data-msg-phone": PHONE_MESSAGE}


# Every date typed into a form lies in this range: far wider than any date of the programme,
# and narrow enough that date arithmetic on it (the next day, 90 days later, a local
# midnight) never falls off Python's calendar.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)


def validate_date_range(value: date) -> None:
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(
            "Tanggal harus antara 1 Januari 1900 dan 31 Desember 2100.", code="date_range"
        )


def date_field(label: str, required: bool = True) -> forms.DateField:
    """A date typed with the phone's date picker (YYYY-MM-DD) or by hand (DD/MM/YYYY)."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_range],
    )


def future_message(what: str) -> str:
    return f"{what} tidak boleh di masa depan."


def validate_not_future(value: date, *, what: str = "Tanggal", today: date | None = None) -> None:
    """The date of something that has happened (a birth, a measurement, a delivery, an exit)
    is not after today (`today`, or the local date). `what` names it in the message."""
    if value > (today or timezone.localdate()):
        raise ValidationError(future_message(what), code="future")


# A child's birth date, wherever it is typed (the kader's report, the staff's edit).
FUTURE_BIRTH_MESSAGE = future_message("Tanggal lahir")
TOO_OLD_MESSAGE = (
    "Anak sudah berumur 60 bulan atau lebih pada tanggal ukur; "
    "GASKEN hanya untuk balita (di bawah 5 tahun)."
)


def validate_under_five(birth: date, measured_on: date) -> None:
    """GASKEN is for balita: under 60 completed months on the day the child was measured."""
    if completed_months(birth, measured_on) >= AGE_LIMIT_MONTHS:
        raise ValidationError(TOO_OLD_MESSAGE, code="too_old")


# The largest id of a BigAutoField: a larger number in a URL or form is no record at all,
# and must not reach the database, which would refuse it with an error.
MAX_RECORD_ID = 2**63 - 1


def is_record_id(value: object) -> bool:
    text = str(value)
    return text.isdigit() and 0 < int(text) <= MAX_RECORD_ID


# The plausible range of a balita's measurement, the same wherever one is typed.
def weight_field(**kwargs: Any) -> OneDecimalField:
    kwargs.setdefault("label", "Berat badan (kg)")
    return OneDecimalField(min_value=Decimal("1.0"), max_value=Decimal("40.0"), unit="kg", **kwargs)


def height_field(**kwargs: Any) -> OneDecimalField:
    kwargs.setdefault("label", "Panjang/tinggi badan (cm)")
    return OneDecimalField(
        min_value=Decimal("40.0"), max_value=Decimal("130.0"), unit="cm", **kwargs
    )


# A birth weight, as a kader writes it: grams (2800, 2.800) or, below 10, kilograms (2,8).
BIRTH_WEIGHT_MIN_G = 400
BIRTH_WEIGHT_MAX_G = 6000
BIRTH_WEIGHT_NUMBER_MESSAGE = "Tulis berat lahir dalam gram, misalnya 2800 (atau 2,8 kg)."
BIRTH_WEIGHT_RANGE_MESSAGE = "Berat lahir harus antara 400 dan 6.000 g (0,4–6 kg)."
_KILOGRAMS = re.compile(r"[0-9]([.,][0-9]{1,3})?")
_GRAMS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})?|[0-9]+")


def parse_birth_weight(text: str) -> int:
    """Grams from a birth weight typed as grams or kilograms; raises ValidationError."""
    text = text.replace(" ", "")
    if _KILOGRAMS.fullmatch(text):
        grams = int((Decimal(text.replace(",", ".")) * 1000).to_integral_value())
    elif _GRAMS.fullmatch(text):
        grams = int(text.replace(".", ""))
    else:
        raise ValidationError(BIRTH_WEIGHT_NUMBER_MESSAGE, code="invalid_number")
    if not BIRTH_WEIGHT_MIN_G <= grams <= BIRTH_WEIGHT_MAX_G:
        raise ValidationError(BIRTH_WEIGHT_RANGE_MESSAGE, code="out_of_range")
    return grams


class BirthWeightField(forms.Field):
    """An optional birth weight, cleaned to whole grams."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "10"})
        return attrs

    def to_python(self, value: Any) -> int | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if len(text) > 10:
            raise ValidationError(BIRTH_WEIGHT_NUMBER_MESSAGE, code="invalid_number")
        return parse_birth_weight(text)

    def client_checks(self) -> dict[str, str]:
        return {
            "data-grams": "",
            "data-min": str(BIRTH_WEIGHT_MIN_G),
            "data-max": str(BIRTH_WEIGHT_MAX_G),
            "data-msg-number": BIRTH_WEIGHT_NUMBER_MESSAGE,
            "data-msg-range": BIRTH_WEIGHT_RANGE_MESSAGE,
        }


def birth_length_field(**kwargs: Any) -> OneDecimalField:
    kwargs.setdefault("label", "Panjang lahir (cm, boleh dikosongkan)")
    kwargs.setdefault("required", False)
    return OneDecimalField(
        min_value=Decimal("30.0"), max_value=Decimal("60.0"), unit="cm", **kwargs
    )
