"""Factories and helpers for indicator data."""
from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from areas.models import Area
from indicators.models import IndicatorValue, PeriodType, ValueStatus


def city(programme) -> Area:
    return Area.objects.get(municipality=programme.municipality, level="city")


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    """An approved yearly value (use ``status=`` for drafts)."""

    class Meta:
        model = IndicatorValue

    period_type = PeriodType.YEAR
    period_start = date(2010, 1, 1)
    value = Decimal("100")
    source = "Testkilde"
    status = ValueStatus.APPROVED
    approved_at = factory.LazyFunction(timezone.now)
