"""Formatting of indicator values and statuses in the active language's style."""
from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value):
    """A Decimal without trailing zeros, grouped and with the language's decimal mark; – for no value."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else min(4, -value.normalize().as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
