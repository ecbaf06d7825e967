"""Factories and helpers for the evaluations tests."""
from datetime import date

import factory

from evaluations import models as m
from tests.factories import UserFactory


class EvaluationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.EvaluationRound

    year = 2010
    deadline = date(2011, 3, 1)
    opened_by = factory.SubFactory(UserFactory)


class ClosureReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ClosureReport

    institution = factory.Sequence(lambda n: f"Fritidsklub {n}")
    area_text = "Nørrebro"
    closed_from = date(2011, 6, 1)
    services_affected = "Aftenåbning"
    reason = "Uro i området"
    actions_taken = "Dialog med politiet"
    reported_by = factory.SubFactory(UserFactory)


COMPLETE_ANSWERS = {
    "purpose": "Færre unge i kriminalitet",
    "period_start": "2010-01-01",
    "period_end": "2010-12-31",
    "target_group": "Unge 14-17 år",
    "area_text": "Nørrebro",
    "benefit": "Deltagerne kom i skole",
    "reached_count": "120",
    "effects": "Færre sigtelser",
    "challenges": "Rekruttering",
    "anchoring": "Fortsætter i driften",
    "methods": "Mentorordning, fungerede godt",
    "budget_tdkk": "1250,5",
    "spent_tdkk": "1190",
    "price_level_year": "2010",
    "crime_score": "4",
    "crime_indicator": "Antal sigtelser blandt deltagere",
}
