"""``{% data_basis basis %}``: the one label beside a figure that rests on demo or synthetic data."""
from django import template
from django.utils.html import format_html

from sikkerby import databasis

register = template.Library()


@register.simple_tag
def data_basis(value) -> str:
    """A badge saying the figure rests on demo or synthetic data; nothing for real data.

    ``value`` is a basis ("demo", "synthetic", "real") or a bool (True = demo).
    """
    if value is True:
        value = databasis.DataBasis.DEMO
    text = databasis.label(value or None)
    if not text:
        return ""
    return format_html('<span class="badge text-bg-warning data-basis" data-basis="{}">{}</span>', value, text)
