"""Small-count suppression for every aggregate over people.

Any count below ``settings.SMALL_COUNT_THRESHOLD`` (default 5) could point to
identifiable young people; it is shown as suppressed, and so is any figure
derived from it (a share, a percentage change). One function, used by every
output: pages, API, PDF, Excel.
"""
from django.conf import settings


def threshold() -> int:
    return settings.SMALL_COUNT_THRESHOLD


def is_suppressed(count: int | None) -> bool:
    """True when a count is positive but below the threshold (zero reveals no one)."""
    return count is not None and 0 < count < threshold()


def suppress(count: int | None):
    """The count, or None when it must not be shown."""
    return None if is_suppressed(count) else count
