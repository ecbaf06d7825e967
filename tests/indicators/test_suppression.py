"""Small counts of persons are suppressed in every published output of indicator values (``sikkerby.privacy``).

One rule: an approved value of an indicator that counts persons, below ``SMALL_COUNT_THRESHOLD``, is hidden on
the pages ("<5"), in the charts (a gap), in the CSV export (empty, ``suppressed`` true) and in the API
(``value`` null, ``suppressed`` true). Open revisions stay raw to the people who enter and approve them.
"""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from areas.models import Area
from indicators import selectors
from indicators.models import Indicator, ValueStatus

from .factories import IndicatorValueFactory, city

pytestmark = pytest.mark.django_db


@pytest.fixture
def young(copenhagen):
    """Indicator 4, young people in the clubs (BUF): a count of persons."""
    return Indicator.objects.get(programme=copenhagen, number=4)


@pytest.fixture
def rode(copenhagen):
    return Area.objects.filter(municipality=copenhagen.municipality, level="rode").order_by("code").first()


@pytest.fixture
def values(copenhagen, young, rode):
    """2010: 40 in the city, 3 in one rode; 2011: 4 in the city; 2012: 0 in the city (zero reveals no one)."""
    IndicatorValueFactory(indicator=young, area=city(copenhagen), period_start=date(2010, 1, 1), value=Decimal(40))
    IndicatorValueFactory(indicator=young, area=rode, period_start=date(2010, 1, 1), value=Decimal(3))
    IndicatorValueFactory(indicator=young, area=city(copenhagen), period_start=date(2011, 1, 1), value=Decimal(4))
    IndicatorValueFactory(indicator=young, area=city(copenhagen), period_start=date(2012, 1, 1), value=Decimal(0))
    return young


def test_the_programme_marks_the_indicators_that_count_persons(copenhagen):
    marked = set(Indicator.objects.filter(programme=copenhagen, counts_persons=True).values_list("number", flat=True))
    assert marked == {1, 2, 4, 11, 12, 13}  # not 8 (deprived areas) nor 9 (reports and charges), nor shares


def test_the_series_suppresses_small_counts_at_every_level(coordinator, values, rode):
    rows = {(r["period"], r["area_level"]): (r["value"], r["suppressed"])
            for r in selectors.indicator_series(user=coordinator, indicator=values)}
    assert rows == {("2010", "city"): (Decimal(40), False), ("2010", "rode"): (None, True),
                    ("2011", "city"): (None, True), ("2012", "city"): (Decimal(0), False)}
    overview = next(i for i in selectors.indicator_overview(user=coordinator, programme=values.programme)
                    if i["indicator"] == values)
    assert [(p["value"], p["suppressed"]) for p in overview["series"]] == [
        (Decimal(40), False), (None, True), (Decimal(0), False)]
    assert overview["latest"] == Decimal(0)


def test_the_threshold_comes_from_the_settings(coordinator, values, settings):
    settings.SMALL_COUNT_THRESHOLD = 3
    rows = {(r["period"], r["area_level"]): r["value"] for r in selectors.indicator_series(user=coordinator,
                                                                                          indicator=values)}
    assert rows[("2010", "rode")] == Decimal(3) and rows[("2011", "city")] == Decimal(4)


def test_an_indicator_that_does_not_count_persons_shows_small_values(coordinator, copenhagen):
    reports = Indicator.objects.get(programme=copenhagen, number=9)
    IndicatorValueFactory(indicator=reports, area=city(copenhagen), value=Decimal(3))
    [row] = selectors.indicator_series(user=coordinator, indicator=reports)
    assert (row["value"], row["suppressed"]) == (Decimal(3), False)


def test_the_pages_write_a_suppressed_value_as_below_the_threshold(client, coordinator, values):
    client.force_login(coordinator)
    html = client.get(reverse("indicators:indicator_detail", args=[values.pk])).content.decode()
    series = html[html.index('id="series-table"'):html.index("</table>", html.index('id="series-table"'))]
    assert series.count("&lt;5") == 1 and "fewer than 5, suppressed" not in series  # Danish page
    assert "færre end 5, skjult" in series
    by_area = html[html.index('id="area-table"'):html.index("</table>", html.index('id="area-table"'))]
    assert "&lt;5" in by_area and ">3<" not in by_area
    history = html[html.index('id="history-table"'):]
    assert ">3<" not in history and ">4<" not in history and history.count("&lt;5") == 2
    assert 'id="suppression-note"' in html
    # the chart leaves a gap: the suppressed point has no y
    response = client.get(reverse("indicators:indicator_detail", args=[values.pk]))
    assert _ys(response.context["chart"]) == [40.0, None, 0.0]

    dashboard = client.get(reverse("indicators:dashboard") + f"?programme={values.programme.slug}").content.decode()
    table = dashboard[dashboard.index(f'id="ind-table-{values.number}"'):]
    table = table[:table.index("</table>")]
    assert "&lt;5" in table and ">4<" not in table


def _ys(figure) -> list:
    """The first trace's y values of a plotly figure as JSON (plotly may pack them as typed arrays)."""
    import base64
    import math

    import numpy as np

    y = figure["data"][0]["y"]
    if isinstance(y, dict):
        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in y]


def test_the_csv_export_leaves_a_suppressed_value_empty(client, coordinator, values):
    client.force_login(coordinator)
    body = client.get(reverse("indicators:indicator_csv", args=[values.pk])).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    rode_row = next(r for r in rows if r["area_level"] == "rode")
    assert (rode_row["value"], rode_row["suppressed"]) == ("", "true")
    city_2010 = next(r for r in rows if r["area_level"] == "city" and r["period"] == "2010")
    assert (city_2010["value"], city_2010["suppressed"]) == ("40.0000", "false")


def test_the_api_gives_null_and_suppressed_for_approved_small_counts(api_client_user, values):
    api = APIClient()
    api.force_authenticate(api_client_user)
    data = api.get("/api/v1/indicator-values/", {"indicator": values.number, "limit": 50}).json()["results"]
    got = {(v["period"], v["area_level"]): (v["value"], v["suppressed"]) for v in data}
    assert got == {("2010", "city"): ("40.0000", False), ("2010", "rode"): (None, True),
                   ("2011", "city"): (None, True), ("2012", "city"): ("0.0000", False)}
    csv_body = b"".join(api.get("/api/v1/indicator-values/", {"indicator": values.number, "format": "csv"})
                        .streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(csv_body)))
    assert {(r["period"], r["area_level"], r["value"], r["suppressed"]) for r in rows} >= {
        ("2010", "rode", "", "True"), ("2010", "city", "40.0000", "False")}
    assert api.get(f"/api/v1/indicators/{values.pk}/").json()["counts_persons"] is True


def test_reporters_and_coordinators_see_open_values_as_entered(reporter, coordinator, copenhagen, young, rode):
    """A draft or submitted value is data entry, seen only by its administration and the approvers: raw."""
    draft = IndicatorValueFactory(indicator=young, area=rode, value=Decimal(2), status=ValueStatus.DRAFT,
                                  approved_at=None, entered_by=reporter)
    submitted = IndicatorValueFactory(indicator=young, area=rode, period_start=date(2011, 1, 1), value=Decimal(3),
                                      status=ValueStatus.SUBMITTED, approved_at=None, entered_by=reporter)
    api = APIClient()
    api.force_authenticate(reporter)
    assert api.get(f"/api/v1/indicator-values/{draft.pk}/").json()[
        "value"] == "2.0000"
    api.force_authenticate(coordinator)
    body = api.get(f"/api/v1/indicator-values/{submitted.pk}/").json()
    assert (body["value"], body["suppressed"]) == ("3.0000", False)
    # once approved it is published, and suppressed for everyone, the approver too
    approved = api.post(f"/api/v1/indicator-values/{submitted.pk}/approve/").json()
    assert (approved["value"], approved["suppressed"]) == (None, True)
