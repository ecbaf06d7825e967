"""Effect goal 1's measure within the goal's target period (baseline year 2010 to the deadline, 2013)."""
from datetime import date
from decimal import Decimal

import pytest

from indicators.measures import GoalStatus, measure_goal

from .factories import CrimeTypeFactory, charge, rode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _charges(municipality, per_year: dict[int, int]):
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12", person_dangerous=True)
    area = rode(deprived=True)
    for year, n in per_year.items():
        for _ in range(n):
            charge(municipality, on=date(year, 3, 1), crime_type=vold, age=20, area=area)


def _goal1(copenhagen):
    return copenhagen.effect_goals.get(number=1)


def test_goal1_with_only_2024_2025_charges_is_not_measurable(municipality, copenhagen):
    # A fall from 2024 to 2025 says nothing about a 2 % fall from 2010 towards 2013.
    _charges(municipality, {2024: 12, 2025: 6})
    m = measure_goal(_goal1(copenhagen))
    assert m.status == GoalStatus.NOT_MEASURABLE
    assert "2024–2025" in m.explanation and "2010" in m.explanation
    assert m.value is None and m.target is None and m.series == []


def test_goal1_compares_the_deadline_year_with_the_baseline_year(municipality, copenhagen):
    # 2015 lies after the deadline (2013) and must not count, though it would show a large fall.
    _charges(municipality, {2010: 10, 2012: 9, 2013: 10, 2015: 2})
    goal = _goal1(copenhagen)

    before = measure_goal(goal, as_of=date(2012, 12, 31))  # the latest year in the period so far: 2012
    assert (before.status, before.value, before.final) == (GoalStatus.MET, Decimal(9), False)

    m = measure_goal(goal)  # today: the deadline has passed, 2013 against 2010
    assert (m.status, m.value, m.reached, m.final) == (GoalStatus.NOT_MET, Decimal(10), False, True)
    assert [p for p, _v in m.series] == ["2010", "2011", "2012", "2013"]
    assert m.baseline == ("2010", Decimal(10))
    assert m.period == (date(2010, 1, 1), date(2013, 12, 31))
    # The 2 % target is a fall from the baseline year's count, shown as a percentage and drawn in charges.
    assert m.target == Decimal("9.8")
    assert "2 % fall from 2010" in m.target_label and "9.8" in m.target_label


def test_goal1_met_when_the_deadline_year_is_two_per_cent_below_the_baseline(municipality, copenhagen):
    _charges(municipality, {2010: 50, 2013: 49})
    m = measure_goal(_goal1(copenhagen), as_of=date(2014, 1, 15))
    assert (m.status, m.final, m.target) == (GoalStatus.MET, True, Decimal("49.0"))


def test_goal1_without_a_year_after_the_baseline_in_the_period_is_not_measurable(municipality, copenhagen):
    _charges(municipality, {2010: 10})
    m = measure_goal(_goal1(copenhagen), as_of=date(2010, 12, 31))
    assert m.status == GoalStatus.NOT_MEASURABLE and "2010" in m.explanation
