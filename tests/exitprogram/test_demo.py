"""The demo command makes clearly fictional cases that give effect goal 2 a value."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.services import demo_users_create
from exitprogram.models import ExitCase, Track
from indicators.measures import measure_goal

pytestmark = pytest.mark.django_db


def test_demo_cases(copenhagen):
    demo_users_create()
    call_command("load_demo_exit_cases")
    cases = ExitCase.objects.all()
    # referred 2010–2015 and 2021–2025, the demo timeline (docs/demo.md)
    assert cases.count() == 1100 and not cases.filter(is_fictional=False).exists()
    assert sorted({d.year for d in cases.values_list("referral_date", flat=True)}) == [
        *range(2010, 2016), *range(2021, 2026)]
    assert cases.filter(track=Track.GANG).count() == 550
    assert all(c.first_name == "Fiktiv" for c in cases[:20])
    m = measure_goal(copenhagen.effect_goals.get(measure="exit_no_conviction_2y"))
    assert m.n and m.n > 100 and 50 < m.value < 90
    call_command("load_demo_exit_cases")  # replaces, does not duplicate
    assert ExitCase.objects.count() == 1100


def test_demo_cases_refused_without_demo_settings(copenhagen, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo_exit_cases")
