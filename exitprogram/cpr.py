"""The Danish CPR number: validation, keyed hash for lookup, masking for display.

The CPR number is stored only encrypted (``ExitCase.cpr``); lookups go through
an HMAC-SHA256 of the normalised number keyed with ``settings.CPR_HASH_KEY``,
which lives in the environment, never in the database. A plain hash would
not do: the space of CPR numbers is small enough to enumerate.
"""
import hashlib
import hmac
import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _

_CPR_RE = re.compile(r"^(\d{6})-?(\d{4})$")


def normalise(value: str) -> str:
    """Ten digits without the hyphen (input may carry spaces or a hyphen)."""
    return re.sub(r"[\s-]", "", value or "")


def birth_date(cpr: str) -> date:
    """The date of birth encoded in a CPR number (century from the 7th digit, CPR office rules)."""
    digits = normalise(cpr)
    day, month, yy, c = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if c in (0, 1, 2, 3):
        century = 1900
    elif c in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:  # 5, 6, 7, 8
        century = 2000 if yy <= 57 else 1800
    return date(century + yy, month, day)


def validate_cpr(value: str) -> None:
    """Reject anything that is not ten digits (DDMMYY-SSSS) with a real date of birth.

    The modulus-11 check is deliberately not applied: the CPR office has issued
    numbers without it since 2007.
    """
    if not _CPR_RE.match((value or "").strip()):
        raise ValidationError(_("Enter the CPR number as ten digits, DDMMYY-SSSS."), code="cpr_format")
    try:
        birth_date(value.strip())
    except ValueError as exc:
        raise ValidationError(_("The first six digits of the CPR number are not a valid date."),
                              code="cpr_date") from exc


_CPR_IN_TEXT_RE = re.compile(r"(?<!\d)\d{6}[\s-]?\d{4}(?!\d)")


def looks_like_cpr(text: str) -> bool:
    """Whether a free text holds something shaped like a CPR number (kept out of texts that are not encrypted)."""
    return bool(_CPR_IN_TEXT_RE.search(text or ""))


def cpr_hash(cpr: str) -> str:
    """Keyed hash (HMAC-SHA256, hex) of the normalised CPR number, for lookups."""
    key = getattr(settings, "CPR_HASH_KEY", "")
    if not key:
        raise ImproperlyConfigured("CPR_HASH_KEY is not set.")
    return hmac.new(key.encode(), normalise(cpr).encode(), hashlib.sha256).hexdigest()


def mask(cpr: str | None) -> str:
    """Date part shown, sequence number hidden: ``010190-XXXX`` (Danish case-work practice)."""
    digits = normalise(cpr or "")
    if len(digits) != 10:
        return "–"
    return f"{digits[:6]}-XXXX"


def age_on(cpr: str, on: date) -> int:
    """Age in whole years on a date."""
    born = birth_date(cpr)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
