"""Formatting of key figures: thousands separators, signed percentages, suppressed cells."""
from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value, none_means="suppressed"):
    """A count, or a marked empty cell (readable by screen readers).

    An empty cell is a suppressed count (·), or with ``none_means="missing"``
    a figure the source does not have (–): a missing figure is not a zero.
    """
    if value is None:
        if none_means == "missing":
            return format_html('<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>',
                               _("no figure"))
        return format_html('<span aria-hidden="true">·</span><span class="visually-hidden">{}</span>',
                           _("suppressed"))
    return intcomma(value)


@register.filter
def signed(value):
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + intcomma(value)


@register.filter
def pct(value):
    """A signed percentage change in the active language's number format ("+12,5 %" in Danish)."""
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + number_format(value, 1) + " %"
