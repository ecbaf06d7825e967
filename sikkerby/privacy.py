"""Small-count suppression for every aggregate over people.

Any count below ``settings.SMALL_COUNT_THRESHOLD`` (default 5) could point to
identifiable young people; it is shown as suppressed, and so is any figure
derived from it (a share, a percentage change). One function, used by every
output: pages, API, PDF, Excel.

Where it applies: the exit programme's statistics, the key-figure tables of
charges and the uneasy-areas addendum (``crimestats``), the safety index's
respondents (``tryghedsindeks``), and the published values of indicators that
count persons (``Indicator.counts_persons``: pages, charts, CSV and API).
Evaluations' closures count institutions, not people, and are not suppressed.
"""
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _


def threshold() -> int:
    return settings.SMALL_COUNT_THRESHOLD


def is_suppressed(count: int | None) -> bool:
    """True when a count is positive but below the threshold (zero reveals no one)."""
    return count is not None and 0 < count < threshold()


def suppress(count: int | None):
    """The count, or None when it must not be shown."""
    return None if is_suppressed(count) else count


def suppress_if(value, *, applies: bool):
    """``suppress(value)`` for a figure the rule applies to (a count of persons), the value itself otherwise."""
    return suppress(value) if applies else value


class Suppressed:
    """A suppressed count on a page: written "<5" (the threshold), and read out as suppressed."""

    def __str__(self):
        return f"<{threshold()}"

    def __html__(self):
        return format_html('<span aria-hidden="true">&lt;{}</span><span class="visually-hidden">{}</span>',
                           threshold(), _("fewer than %(n)d, suppressed") % {"n": threshold()})


SUPPRESSED = Suppressed()
