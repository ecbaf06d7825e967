"""The demo loader: labelled, idempotent, and refused where demo data is not allowed."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.services import demo_users_create
from evaluations.models import ClosureReport, EvaluationRound, EvaluationStatus

pytestmark = pytest.mark.django_db


def test_demo_round_is_labelled_and_idempotent(copenhagen):
    demo_users_create(municipality_code="0101")
    call_command("load_evaluations_demo")
    call_command("load_evaluations_demo")
    # the programme's first year and the demo timeline's recent years (docs/demo.md)
    assert sorted(EvaluationRound.objects.values_list("year", flat=True)) == [2010, 2024, 2025]
    assert all(r.is_demo and r.title.startswith("DEMO") for r in EvaluationRound.objects.all())
    r = EvaluationRound.objects.get(year=2010)
    assert r.is_demo and r.title.startswith("DEMO")
    assert r.evaluations.count() == 85
    statuses = set(r.evaluations.values_list("status", flat=True))
    assert {EvaluationStatus.ACCEPTED, EvaluationStatus.RETURNED, EvaluationStatus.SUBMITTED,
            EvaluationStatus.DRAFT, EvaluationStatus.NOT_STARTED} <= statuses
    closures = ClosureReport.objects.filter(is_demo=True)
    assert sorted(c.closed_from.year for c in closures) == [2010, 2011, 2024, 2025]


def test_refused_without_demo_settings(copenhagen, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_evaluations_demo")
