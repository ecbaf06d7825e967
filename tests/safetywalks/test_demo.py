"""The demo loader: labelled walks in Albertslund's housing areas and Copenhagen, in the recent years, idempotent."""
import pytest
from django.core.management import call_command

from safetywalks.models import Action, ActionStatus, SafetyWalk
from sikkerby.demo import RECENT_YEARS

pytestmark = pytest.mark.django_db


def test_the_demo_loads_labelled_walks_for_both_municipalities_and_again_adds_nothing(albertslund):
    call_command("load_demo_safety_walks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    walks = SafetyWalk.objects.all()
    assert walks.filter(municipality__code="0165").count() == 3
    assert walks.filter(municipality__code="0101").count() >= 1
    assert not walks.filter(is_demo=False).exists()
    assert {w.date.year for w in walks} == set(RECENT_YEARS)
    statuses = set(Action.objects.values_list("status", flat=True))
    assert statuses == {ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE}
    before = (SafetyWalk.objects.count(), Action.objects.count())
    call_command("load_demo_safety_walks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (SafetyWalk.objects.count(), Action.objects.count()) == before


def test_the_demo_refuses_without_permission(albertslund, settings):
    from django.core.management.base import CommandError
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo_safety_walks")
