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
    r = EvaluationRound.objects.get()
    assert r.is_demo and r.title.startswith("DEMO")
    assert r.evaluations.count() == 85
    statuses = set(r.evaluations.values_list("status", flat=True))
    assert {EvaluationStatus.ACCEPTED, EvaluationStatus.RETURNED, EvaluationStatus.SUBMITTED,
            EvaluationStatus.DRAFT, EvaluationStatus.NOT_STARTED} <= statuses
    assert ClosureReport.objects.filter(is_demo=True).count() == 2


def test_refused_without_demo_settings(copenhagen, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_evaluations_demo")
