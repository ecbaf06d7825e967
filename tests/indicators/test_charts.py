"""The effect-goal chart: series, target line, baseline and target period from the goal's data."""
from datetime import date
from decimal import Decimal

from django.utils import translation

from indicators.charts import time_series_chart


def test_goal_chart_draws_target_line_baseline_and_target_period():
    points = [("2009", Decimal(12)), ("2010", Decimal(10)), ("2011", Decimal(11)), ("2013", Decimal(9)),
              ("2015", Decimal(4))]
    with translation.override("en"):
        fig = time_series_chart(points, title="Effect goal 1", unit="charges", direction="falling",
                                target=Decimal("9.8"), target_label="Target: 2 % fall from 2010",
                                baseline=("2010", Decimal(10)), period=(date(2010, 1, 1), date(2013, 12, 31)))
    traces = {t["name"]: t for t in fig["data"]}
    assert list(traces) == ["Value", "Target: 2 % fall from 2010", "Baseline 2010"]
    target = traces["Target: 2 % fall from 2010"]
    assert target["y"] == [9.8, 9.8] and target["x"] == ["2010", "2013"]  # over the target period's years only
    assert traces["Baseline 2010"]["x"] == ["2010"] and traces["Baseline 2010"]["y"] == [10.0]
    assert "target period 2010–2013" in fig["layout"]["title"]["text"]
    (shade,) = fig["layout"]["shapes"]  # 2010 (index 1) to 2013 (index 3), shaded
    assert (shade["x0"], shade["x1"]) == (0.5, 3.5)


def test_chart_without_a_goal_period_is_unchanged():
    fig = time_series_chart([("2010", Decimal(1)), ("2011", Decimal(2))], title="Indicator 1", unit="",
                            direction="rising", target=Decimal(3))
    assert [t["y"] for t in fig["data"]][1] == [3.0, 3.0]
    assert not fig["layout"].get("shapes")
