"""Effect goal 2 on a known set of cases."""
from datetime import date
from decimal import Decimal

import pytest

from exitprogram.models import ClosureReason
from indicators.measures import GoalStatus, measure_goal, measure_rules

from .factories import complete_case, make_case

pytestmark = pytest.mark.django_db


def _goal2(copenhagen):
    return copenhagen.effect_goals.get(measure="exit_no_conviction_2y")


def _completed(consultant, mentor, n, *, convicted, born_year=1990, closed_on=None, **kw):
    for _ in range(n):
        case = make_case(consultant=consultant, born=date(born_year, 1, 15), **kw)
        complete_case(case, consultant=consultant, mentor=mentor, convicted=convicted, closed_on=closed_on,
                      reason=kw.pop("reason", ClosureReason.SELF_RELIANT))


def test_measure_is_registered_with_its_rule():
    from django.utils import translation

    with translation.override("en"):
        rule = measure_rules()["exit_no_conviction_2y"]
        assert "60 %" in rule.rule and "not measurable" in rule.rule and rule.title
    assert "kan endnu ikke måles" in measure_rules()["exit_no_conviction_2y"].rule  # Danish first


def test_goal2_on_a_known_set(copenhagen, consultant, mentor):
    _completed(consultant, mentor, 7, convicted=False)
    _completed(consultant, mentor, 3, convicted=True)
    # Not counted: dropped out; outside 18–25 at referral; closed without follow-up yet.
    dropped = make_case(consultant=consultant)
    complete_case(dropped, consultant=consultant, mentor=mentor, reason=ClosureReason.DROPPED_OUT)
    older = make_case(consultant=consultant, born=date(1980, 1, 1), age_override_reason="Særlig bandesag")
    complete_case(older, consultant=consultant, mentor=mentor)
    make_case(consultant=consultant)

    m = measure_goal(_goal2(copenhagen), as_of=date(2014, 6, 1))
    assert (m.value, m.n) == (Decimal("70.0"), 10)
    # At or above 60 %, but cases closed up to the deadline (2013-12-31) are followed up until the end of 2015.
    assert m.status == GoalStatus.ON_TRACK and not m.final and "31.12.2015" in m.explanation
    assert m.series == [("2012", Decimal("70.0"))]
    m = measure_goal(_goal2(copenhagen), as_of=date(2016, 1, 1))
    assert (m.status, m.final, m.target) == (GoalStatus.MET, True, Decimal(60))


def test_goal2_counts_only_cases_closed_within_the_goal_period(copenhagen, consultant, mentor):
    _completed(consultant, mentor, 5, convicted=False)  # closed 1 February 2012: in 2010–2013
    # Closed before the period's start and after its end (the deadline): not part of goal 2.
    _completed(consultant, mentor, 5, convicted=True, referral=date(2008, 3, 1), closed_on=date(2009, 6, 1))
    _completed(consultant, mentor, 5, convicted=True, referral=date(2013, 6, 1), closed_on=date(2014, 3, 1))
    m = measure_goal(_goal2(copenhagen), as_of=date(2017, 1, 1))
    assert (m.value, m.n, m.status) == (Decimal("100.0"), 5, GoalStatus.MET)
    assert m.series == [("2012", Decimal("100.0"))]
    assert m.period == (date(2010, 1, 1), date(2013, 12, 31))


def test_goal2_below_the_target_after_the_follow_ups_is_not_met(copenhagen, consultant, mentor):
    _completed(consultant, mentor, 11, convicted=False)
    _completed(consultant, mentor, 9, convicted=True)  # 55 %
    m = measure_goal(_goal2(copenhagen), as_of=date(2016, 1, 1))
    assert (m.status, m.final) == (GoalStatus.NOT_MET, True)


def test_goal2_status_bands(copenhagen, consultant, mentor):
    _completed(consultant, mentor, 11, convicted=False)
    _completed(consultant, mentor, 9, convicted=True)  # 55 %: less than 10 points below 60
    assert measure_goal(_goal2(copenhagen), as_of=date(2014, 6, 1)).status == GoalStatus.AT_RISK
    _completed(consultant, mentor, 10, convicted=True)  # 11/30 = 36.7 %
    m = measure_goal(_goal2(copenhagen), as_of=date(2014, 6, 1))
    assert (m.value, m.status) == (Decimal("36.7"), GoalStatus.OFF_TRACK)


def test_goal2_is_suppressed_below_five_cases(copenhagen, consultant, mentor):
    _completed(consultant, mentor, 4, convicted=False)
    m = measure_goal(_goal2(copenhagen))
    assert m.status == GoalStatus.NOT_MEASURABLE and m.value is None and m.n is None


def test_goal2_counts_only_followups_recorded_by_the_date(copenhagen, consultant, mentor):
    _completed(consultant, mentor, 5, convicted=False)
    assert measure_goal(_goal2(copenhagen), as_of=date(2014, 1, 31)).value is None
    assert measure_goal(_goal2(copenhagen), as_of=date(2014, 2, 1)).value == Decimal("100.0")


def test_goal2_over_several_closure_years_is_the_same_from_its_one_query(copenhagen, consultant, mentor,
                                                                         django_assert_num_queries):
    """The measure sums its per-year rows (one query) into the figures ``goal2_figures`` counts directly."""
    from exitprogram import selectors

    _completed(consultant, mentor, 4, convicted=False, referral=date(2010, 3, 1), closed_on=date(2011, 5, 1))
    _completed(consultant, mentor, 3, convicted=True, referral=date(2011, 3, 1), closed_on=date(2012, 5, 1))
    _completed(consultant, mentor, 5, convicted=False, referral=date(2012, 3, 1), closed_on=date(2013, 5, 1))
    goal = _goal2(copenhagen)
    start, end = goal.target_period()
    direct = selectors.goal2_figures(municipality_id=copenhagen.municipality_id, as_of=date(2017, 1, 1),
                                     closed_between=(start, end))
    with django_assert_num_queries(1):
        by_year = selectors.goal2_by_closure_year(municipality_id=copenhagen.municipality_id,
                                                  as_of=date(2017, 1, 1), closed_between=(start, end))
    assert selectors.goal2_total(by_year) == direct
    assert (direct.n, direct.not_convicted) == (12, 9)
    m = measure_goal(goal, as_of=date(2017, 1, 1))
    assert (m.value, m.n) == (Decimal("75.0"), 12)
    assert [year for year, _share in m.series] == ["2011", "2012", "2013"]
