"""Formatting of amounts in thousands of DKK, in the active language's style."""
from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def tdkk(value):
    """Format a Decimal amount of 1,000 DKK: whole thousands without decimals, else up to three."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else min(3, -value.normalize().as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
