"""Test data for the Tryghedsindeks: inputs, and the method versions as the migrations define them."""
import importlib
from datetime import date
from decimal import Decimal

import factory

from areas.models import Area, AreaLevel
from tryghedsindeks.models import SafetyIndexInput, SafetyIndexMethod

_MIGRATION = importlib.import_module("tryghedsindeks.migrations.0002_method_v1")


def method_v1() -> SafetyIndexMethod:
    """Method 1.0 exactly as migration 0002 writes it (live-server tests flush the migrated row)."""
    method, _ = SafetyIndexMethod.objects.get_or_create(
        version="1.0", defaults={"name": "Tryghedsindeks", "parameters": _MIGRATION.PARAMETERS,
                                 "valid_from": date(2010, 1, 1)})
    return method


def district(code: str) -> Area:
    return Area.objects.get(municipality__code="0101", level=AreaLevel.DISTRICT, code=code)


class SafetyIndexInputFactory(factory.django.DjangoModelFactory):
    """Inputs of a Copenhagen district (code 1 unless ``area`` is given) for 2010."""

    class Meta:
        model = SafetyIndexInput

    area = factory.LazyFunction(lambda: district("1"))
    year = 2010
    respondents = 200
    victimised_pct = Decimal("12.00")
    perceived_crime_score = Decimal("40.00")
    safe_day_pct = Decimal("95.00")
    safe_evening_pct = Decimal("70.00")
    police_reports = 1500
    population = 10000
