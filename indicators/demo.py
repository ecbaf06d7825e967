"""Demonstration values for a programme's indicators: clearly labelled, never in production."""
import random
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from areas.models import Area
from sikkerby.demo import PROGRAMME_YEARS, RECENT_YEARS

from .models import IndicatorValue, PeriodType, ValueStatus

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
                rows.append(IndicatorValue(
                    indicator=indicator, area=area, period_type=PeriodType.YEAR, period_start=date(year, 1, 1),
                    value=Decimal(f"{value:.1f}"), source=DEMO_SOURCE, status=ValueStatus.APPROVED,
                    approved_at=now, is_demo=True))
    IndicatorValue.objects.bulk_create(rows)
    return len(rows)
