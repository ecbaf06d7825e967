"""Formatting of indicator values and statuses in the active language's style."""
from decimal import Decimal

from django import template
from django.utils.formats import number_format

from sikkerby import privacy

register = template.Library()


@register.filter
def num(value, suppressed=False):
    """A Decimal without trailing zeros, grouped and with the language's decimal mark; – for no value.

    A suppressed count (``suppressed`` true, or ``privacy.SUPPRESSED``) is written "<5" (``sikkerby.privacy``).
    """
    if suppressed or isinstance(value, privacy.Suppressed):
        return privacy.SUPPRESSED.__html__()
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else min(4, -value.normalize().as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
