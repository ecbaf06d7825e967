"""The indicators page charts each indicator's latest periods; the indicator's own page has its whole series.

The overview's cost must not grow with the years of history a municipality loads (issue #17: the indicator
list within 1.5 × from demo size to ten times the data).
"""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import selectors
from indicators.models import Indicator

from .factories import IndicatorValueFactory, city

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_series(copenhagen):
    """Indicator 9 (reports and charges, not a count of persons) at city level, every year 2001–2025."""
    indicator = Indicator.objects.get(programme=copenhagen, number=9)
    for year in range(2001, 2026):
        IndicatorValueFactory(indicator=indicator, area=city(copenhagen), period_start=date(year, 1, 1),
                              value=Decimal(year - 2000))
    return indicator


def test_the_overview_has_the_latest_periods_and_the_series_every_period(coordinator, long_series):
    assert selectors.OVERVIEW_PERIODS == 20
    overview = next(i for i in selectors.indicator_overview(user=coordinator, programme=long_series.programme)
                    if i["indicator"] == long_series)
    assert [p["period"] for p in overview["series"]] == [str(y) for y in range(2006, 2026)]  # oldest first
    assert overview["latest"] == Decimal(25)
    whole = [r["period"] for r in selectors.indicator_series(user=coordinator, indicator=long_series)
             if r["area_level"] == "city"]
    assert whole == [str(y) for y in range(2001, 2026)]


def test_the_page_says_how_many_periods_it_shows_and_links_the_whole_series(client, coordinator, long_series):
    client.force_login(coordinator)
    response = client.get(reverse("indicators:dashboard"))
    assert response.status_code == 200
    item = next(i for i in response.context["indicators"] if i["indicator"] == long_series)
    assert [period for period, _value in item["points"]][0] == "2006" and len(item["points"]) == 20
    text = response.content.decode()
    assert "de seneste 20 perioder" in text and "hele serien" in text
    assert reverse("indicators:indicator_detail", args=[long_series.pk]) in text
    detail = client.get(reverse("indicators:indicator_detail", args=[long_series.pk])).content.decode()
    assert "2001" in detail and "2025" in detail
