"""Demonstration values for a programme's indicators: clearly labelled, never in production."""
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from areas.models import Area
from sikkerby.demo import PROGRAMME_YEARS, RECENT_YEARS

from .models import IndicatorValue, PeriodType, ReportingCalendar, ValueStatus

DEMO_SOURCE = "DEMO – fiktive tal, ikke fra en rigtig kilde"
# A plausible starting level per unit; the demo series then drifts towards the desired direction.
START = {"antal": 400, "andel": 55, "procent": 12}


@transaction.atomic
def indicator_demo_values_create(*, programme, years: range | None = None) -> int:
    """Replace the programme's demo values: approved yearly values for the city and each bydel.

    ``years`` defaults to the demo timeline (``sikkerby.demo``): every year from two years before
    the programme's baseline (2008) to the last recent year (2025), one unbroken series.
    Refused unless the settings allow demo data. Values are ``is_demo`` and
    their source says so; deterministic (seeded), so reloading gives the same figures.
    """
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is not allowed with these settings.")
    if years is None:
        years = range(PROGRAMME_YEARS[0] - 2, RECENT_YEARS[-1] + 1)
    IndicatorValue.objects.filter(indicator__programme=programme, is_demo=True).delete()
    areas = list(Area.objects.filter(municipality_id=programme.municipality_id, level__in=["city", "bydel"])
                 .order_by("level", "code"))
    rng = random.Random(f"sikkerby-demo-{programme.slug}")
    now = timezone.now()
    rows = []
    for indicator in programme.indicators.filter(formula="").order_by("number"):
        base = START.get(indicator.unit, 100)
        step = {"falling": -0.04, "rising": 0.03}.get(indicator.direction, 0)
        for area in areas:
            level = base if area.level == "city" else base / 8 * rng.uniform(0.5, 1.6)
            for i, year in enumerate(years):
                value = level * (1 + step * i) * rng.uniform(0.95, 1.05)
                if indicator.unit in ("andel", "procent"):
                    value = min(value if area.level == "city" else value * 8, 100)
                reported = _demo_reported_at(indicator.number, year)
                rows.append(IndicatorValue(
                    indicator=indicator, area=area, period_type=PeriodType.YEAR, period_start=date(year, 1, 1),
                    value=Decimal(f"{value:.1f}"), source=DEMO_SOURCE, status=ValueStatus.APPROVED,
                    submitted_at=reported, first_reported_at=reported, approved_at=now, is_demo=True))
    IndicatorValue.objects.bulk_create(rows)
    reporting_demo_calendars_create(programme=programme)
    return len(rows)


# The reporting calendar of the demo (docs/demo.md): every entered indicator is due yearly from the first
# recent year, 90 days after the year ends, escalated 30 days later. When each year was reported follows the
# indicator's number, so the dashboard shows a mix: every third indicator reported 2025 late, every third 2024
# late, the rest on time; one indicator is due quarterly from 2025 and its owner has not begun (all overdue).
DEMO_DUE_DAYS, DEMO_ESCALATE_DAYS = 90, 30


def _demo_reported_at(number: int, year: int) -> datetime:
    on_time = date(year + 1, 3, 1)
    late = date(year + 1, 3, 31) + timedelta(days=20 + 7 * (number % 5))
    day = late if year in RECENT_YEARS and (number % 3, year) in {(0, RECENT_YEARS[-1]), (2, RECENT_YEARS[0])} \
        else on_time
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def reporting_demo_calendars_create(*, programme) -> int:
    """Give every entered indicator of the programme its demo calendar (idempotent); returns how many."""
    entered = list(programme.indicators.filter(formula="").order_by("number"))
    for i, indicator in enumerate(entered):
        quarterly = i == len(entered) - 1  # the last one: due quarterly, nothing reported yet
        ReportingCalendar.objects.update_or_create(indicator=indicator, defaults={
            "period_type": PeriodType.QUARTER if quarterly else PeriodType.YEAR,
            "first_period_start": date(RECENT_YEARS[-1 if quarterly else 0], 1, 1),
            "due_days": 45 if quarterly else DEMO_DUE_DAYS, "escalate_after_days": DEMO_ESCALATE_DAYS,
            # the demo's story: each calendar was set up when its first period began, so its overdue periods
            # were reminded as they fell due (load_demo_indicators sends what the daily task would have sent)
            "reminders_from": date(RECENT_YEARS[-1 if quarterly else 0], 1, 1)})
    return len(entered)
