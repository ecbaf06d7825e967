"""Reads: the report hook, effect goal 3 and the one scoping rule."""
from datetime import date
from decimal import Decimal

import pytest

from accounts import roles
from indicators.measures import GoalStatus, measure_goal, measure_rules
from initiatives.models import EffectGoal
from tests.factories import ProgrammeFactory, UserFactory
from tryghedsindeks.models import SafetyIndexMethod
from tryghedsindeks.selectors import (
    safety_results_for_report,
    safety_results_visible_to,
    safety_runs_visible_to,
)
from tryghedsindeks.services import safety_index_compute, safety_index_publish

from .factories import SafetyIndexInputFactory, district, method_v1

# Inputs that land in a chosen category under method 1.0 (markant: 36.33, ordinær: 70.67).
MARKANT = {"victimised_pct": Decimal("20"), "perceived_crime_score": Decimal("60"), "safe_day_pct": Decimal("85"),
           "safe_evening_pct": Decimal("60"), "police_reports": 2000, "population": 10000}
ORDINARY = {"victimised_pct": Decimal("8"), "perceived_crime_score": Decimal("30"), "safe_day_pct": Decimal("95"),
            "safe_evening_pct": Decimal("80"), "police_reports": 1000, "population": 10000}


def _publish(cph, year, per_code: dict, method=None):
    for code, values in per_code.items():
        SafetyIndexInputFactory(area=district(code), year=year, **values)
    run = safety_index_compute(municipality=cph, year=year, level="district", method=method or method_v1())
    return safety_index_publish(run=run)


@pytest.fixture
def cph(copenhagen):
    return copenhagen.municipality


@pytest.fixture
def goal3(copenhagen):
    return EffectGoal.objects.get(programme=copenhagen, number=3)


def test_report_hook_returns_newest_published_method(cph):
    assert safety_results_for_report(year=2010) == []
    _publish(cph, 2010, {"1": MARKANT, "2": ORDINARY})
    rows = safety_results_for_report(year=2010)
    assert [r["area_code"] for r in rows] == ["1", "2"]
    assert rows[0] == {"area_name": district("1").name, "area_code": "1", "level": "district",
                       "category": "markant", "category_label": rows[0]["category_label"],
                       "score": rows[0]["score"], "uncertain": False, "contains_demo_data": False}
    assert isinstance(rows[0]["score"], Decimal) and "markant" in rows[0]["category_label"]
    v2 = SafetyIndexMethod.objects.create(version="2.0", name="T", parameters=method_v1().parameters,
                                          valid_from=date(2016, 1, 1))
    run2 = safety_index_compute(municipality=cph, year=2010, level="district", method=v2)
    assert safety_results_for_report(year=2010)[0]["score"] == rows[0]["score"]  # drafts do not count
    safety_index_publish(run=run2)
    assert len(safety_results_for_report(year=2010)) == 2
    assert safety_results_for_report(year=2011) == []


def test_goal3_measure_is_registered_with_its_rule():
    assert "markant" in measure_rules()["safety_index_markant_to_ordinary"].rule


def test_goal3_not_measurable_without_baseline(goal3):
    assert measure_goal(goal3).status == GoalStatus.NOT_MEASURABLE


def test_goal3_at_risk_then_on_track_then_met(cph, goal3):
    _publish(cph, 2010, {"1": MARKANT, "2": MARKANT, "3": ORDINARY})
    m = measure_goal(goal3, as_of=date(2011, 6, 1))
    assert (m.status, m.value, m.n) == (GoalStatus.AT_RISK, Decimal(0), 2)
    # 0.25*73.33 + 0.20*60 + 0.10*66.67 + 0.20*50 + 0.25*50 = 59.50 -> intensiveret
    intensified = {"victimised_pct": Decimal("8"), "perceived_crime_score": Decimal("40"),
                   "safe_day_pct": Decimal("90"), "safe_evening_pct": Decimal("70"), "police_reports": 1500,
                   "population": 10000}
    _publish(cph, 2012, {"1": intensified, "2": ORDINARY, "3": ORDINARY})
    m = measure_goal(goal3, as_of=date(2013, 1, 1))
    assert (m.status, m.value) == (GoalStatus.ON_TRACK, Decimal(1))
    _publish(cph, 2014, {"1": ORDINARY, "2": ORDINARY, "3": MARKANT})  # district 3 was not markant in 2010
    m = measure_goal(goal3, as_of=date(2015, 1, 1))
    assert (m.status, m.value, m.n) == (GoalStatus.MET, Decimal(2), 2)
    assert [label for label, _ in m.series] == ["2010", "2012", "2014"]


def test_goal3_after_the_deadline_is_not_met_never_off_track(cph, goal3):
    _publish(cph, 2010, {"1": MARKANT})
    _publish(cph, 2015, {"1": MARKANT})
    assert measure_goal(goal3, as_of=date(2015, 12, 31)).status == GoalStatus.OFF_TRACK  # the deadline day
    m = measure_goal(goal3, as_of=date(2016, 3, 1))
    assert (m.status, m.value, m.n, m.final) == (GoalStatus.NOT_MET, Decimal(0), 1, True)
    assert measure_goal(goal3).status == GoalStatus.NOT_MET  # as of today


def test_goal3_after_the_deadline_is_met_when_reached_by_the_deadline_year(cph, goal3):
    _publish(cph, 2010, {"1": MARKANT, "2": MARKANT})
    _publish(cph, 2014, {"1": ORDINARY, "2": ORDINARY})
    m = measure_goal(goal3)
    assert (m.status, m.final, m.target) == (GoalStatus.MET, True, Decimal(2))
    assert m.period == (date(2010, 1, 1), date(2015, 12, 31)) and m.baseline == ("2010", Decimal(0))


def test_goal3_years_after_the_deadline_do_not_count(cph, goal3):
    _publish(cph, 2010, {"1": MARKANT})
    _publish(cph, 2017, {"1": ORDINARY})  # reached, but two years late
    m = measure_goal(goal3)
    assert (m.status, m.value) == (GoalStatus.NOT_MET, Decimal(0))


def test_scoping_other_municipality_sees_nothing(cph):
    _publish(cph, 2010, {"1": MARKANT})
    outsider = UserFactory(municipality=ProgrammeFactory().municipality, role=roles.COORDINATOR)
    assert not safety_runs_visible_to(outsider).exists()
    assert not safety_results_visible_to(outsider).exists()
    insider = UserFactory(municipality=cph, role=roles.API_CLIENT)
    assert safety_results_visible_to(insider).count() == 2  # district 1 and the city
    assert not safety_runs_visible_to(None).exists()
