"""The one deadline rule every registered measure goes through (``indicators.measures.settle``)."""
from datetime import date
from decimal import Decimal

import pytest

from indicators import measures
from indicators.measures import GoalMeasurement, GoalStatus, measure_goal

pytestmark = pytest.mark.django_db


def _register(monkeypatch, goal, **result):
    def measure(goal, *, as_of=None):
        return GoalMeasurement(**result)

    monkeypatch.setitem(measures._REGISTRY, "test_measure", measure)
    goal.measure = "test_measure"
    return goal


@pytest.fixture
def goal(copenhagen):
    return copenhagen.effect_goals.get(number=3)  # baseline 2010, deadline 2015-12-31


@pytest.mark.parametrize("running, reached, final_status", [
    (GoalStatus.ON_TRACK, None, GoalStatus.NOT_MET),
    (GoalStatus.AT_RISK, None, GoalStatus.NOT_MET),
    (GoalStatus.OFF_TRACK, None, GoalStatus.NOT_MET),
    (GoalStatus.MET, None, GoalStatus.MET),
    (GoalStatus.ON_TRACK, True, GoalStatus.MET),
    (GoalStatus.MET, False, GoalStatus.NOT_MET),
])
def test_after_the_deadline_the_status_is_met_or_not_met(monkeypatch, goal, running, reached, final_status):
    _register(monkeypatch, goal, status=running, reached=reached, value=Decimal(1))
    before = measure_goal(goal, as_of=date(2015, 12, 31))  # the deadline day itself
    assert (before.status, before.final) == (running, False)
    after = measure_goal(goal, as_of=date(2016, 1, 1))
    assert (after.status, after.final) == (final_status, True)
    assert measure_goal(goal).status == final_status  # as of today


def test_not_measurable_stays_not_measurable_after_the_deadline(monkeypatch, goal):
    _register(monkeypatch, goal, status=GoalStatus.NOT_MEASURABLE)
    m = measure_goal(goal, as_of=date(2020, 1, 1))
    assert (m.status, m.final) == (GoalStatus.NOT_MEASURABLE, False)


def test_a_measure_may_become_final_later_than_the_deadline(monkeypatch, goal):
    _register(monkeypatch, goal, status=GoalStatus.AT_RISK, reached=False, final_after=date(2017, 12, 31))
    assert measure_goal(goal, as_of=date(2016, 6, 1)).status == GoalStatus.AT_RISK
    assert measure_goal(goal, as_of=date(2018, 1, 1)).status == GoalStatus.NOT_MET


def test_the_goal_period_comes_from_data(monkeypatch, goal):
    _register(monkeypatch, goal, status=GoalStatus.ON_TRACK)
    assert measure_goal(goal, as_of=date(2012, 1, 1)).period == (date(2010, 1, 1), date(2015, 12, 31))
    goal.period_start, goal.deadline = date(2011, 7, 1), date(2030, 12, 31)
    m = measure_goal(goal)
    assert m.period == (date(2011, 7, 1), date(2030, 12, 31)) and m.status == GoalStatus.ON_TRACK


def test_not_met_is_nået_in_danish():
    from django.utils import translation

    with translation.override("da"):
        assert (str(GoalStatus.NOT_MET.label), str(GoalStatus.MET.label)) == ("ikke nået", "nået")
