"""Scoping and counts; the key-figure report's SSP line comes from the meetings unless a figure was typed in."""
from datetime import date

import pytest

from accounts import roles
from crimestats.models import UneasyAreasAddendum
from crimestats.periods import quarter_period
from crimestats.selectors import report_figures
from sspcases import selectors, services
from tests.exitprogram.factories import make_user

from .factories import make_concern, make_series

pytestmark = pytest.mark.django_db


def test_scoping_is_the_ssp_role_in_the_own_municipality(user_of_role, ssp, series, concern):
    assert list(selectors.concerns_visible_to(ssp)) == [concern]
    for role in (roles.COORDINATOR, roles.EXIT_EXPERT, roles.MENTOR, roles.API_CLIENT):
        user = user_of_role(role)
        assert not selectors.concerns_visible_to(user).exists()
        assert not selectors.meetings_visible_to(user).exists()
        assert not selectors.series_visible_to(user).exists()


def test_quarter_bounds():
    assert selectors.quarter_bounds(2025, 1) == (date(2025, 1, 1), date(2025, 3, 31))
    assert selectors.quarter_bounds(2025, 4) == (date(2025, 10, 1), date(2025, 12, 31))


def _quarter_with_handled(ssp, n, start=date(2025, 1, 2)):
    series = make_series(actor=ssp, start=start)
    meetings = list(series.meetings.order_by("number")[:2])
    for _ in range(n):
        c = make_concern(actor=ssp, series=series, registered_on=start)
        # handled at two meetings in the quarter: still one single case
        services.item_record(actor=ssp, meeting=meetings[0], concern=c, action="monitor", owner="ssp")
        services.item_record(actor=ssp, meeting=meetings[1], concern=c, action="youth_talk", owner="ssp")
    return series


def _period_q1_2025():
    return quarter_period(2025, 1)


def test_the_report_counts_the_concerns_handled_in_the_quarter(muni, ssp):
    _quarter_with_handled(ssp, 6)
    assert selectors.concerns_handled_count(municipality_id=muni.pk, start=date(2025, 1, 1),
                                            end=date(2025, 3, 31)) == 6
    data = report_figures(municipality=muni, period=_period_q1_2025())
    assert data["addendum"]["ssp_single_cases"] == 6 and data["addendum"]["present"] is True


def test_the_report_suppresses_a_small_count(muni, ssp):
    _quarter_with_handled(ssp, 2)
    assert report_figures(municipality=muni, period=_period_q1_2025())["addendum"]["ssp_single_cases"] is None


def test_a_typed_in_figure_overrides_the_count(muni, ssp):
    _quarter_with_handled(ssp, 6)
    UneasyAreasAddendum.objects.create(municipality=muni, year=2025, quarter=1, ssp_single_cases=41)
    assert report_figures(municipality=muni, period=_period_q1_2025())["addendum"]["ssp_single_cases"] == 41
    UneasyAreasAddendum.objects.filter(municipality=muni).update(ssp_single_cases=None)
    assert report_figures(municipality=muni, period=_period_q1_2025())["addendum"]["ssp_single_cases"] == 6


def test_statistics_rows_per_quarter(muni, ssp):
    _quarter_with_handled(ssp, 5)
    row = [r for r in selectors.statistics_rows(municipality_id=muni.pk) if (r["year"], r["quarter"]) == (2025, 1)][0]
    assert (row["concerns_registered"], row["concerns_handled"], row["meetings_held"]) == (5, 5, 2)
    assert row["registered_by_police"] == 5 and row["data_basis"] == "real"


def test_another_ssp_user_sees_the_same_concerns(muni, ssp, series, concern):
    other = make_user(muni, roles.SSP_CONSULTANT, "SOF")
    assert list(selectors.concerns_visible_to(other)) == [concern]
