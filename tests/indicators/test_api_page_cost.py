"""A page of an API list costs the same however big the table is (issue #17): no COUNT(*) of the whole result
on every page, ordering by an index, and no wide column the answer does not show."""
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.utils.encoders import JSONEncoder

from indicators.models import Indicator

from .factories import IndicatorValueFactory, city

URL = "/api/v1/indicator-values/"


@pytest.fixture
def api(coordinator):
    client = APIClient()
    client.force_authenticate(coordinator)
    return client


@pytest.fixture
def values(copenhagen):
    ind = Indicator.objects.get(programme=copenhagen, number=1)
    return [IndicatorValueFactory(indicator=ind, area=city(copenhagen), period_start=date(2000 + i, 1, 1))
            for i in range(12)]


def _value_queries(queries):
    return [q["sql"] for q in queries.captured_queries if "indicators_indicatorvalue" in q["sql"]]


@pytest.mark.django_db
def test_a_page_is_one_query_without_a_count_or_the_area_boundary(api, values):
    with CaptureQueriesContext(connection) as queries:
        page = api.get(URL, {"limit": 5}).json()
    assert len(page["results"]) == 5 and page["next"] and page["count"] is None
    [sql] = _value_queries(queries)
    assert "COUNT(" not in sql.upper()
    assert "LIMIT 6" in sql  # the page and one row more, which says whether there is a next page
    assert '"areas_area"."geometry"' not in sql and '"supersedes' not in sql.split("FROM")[1].split("WHERE")[0]
    # Ordered by the unique index's columns, all of the value table.
    order = sql.split("ORDER BY")[1]
    assert "areas_area" not in order and "indicators_indicator\"" not in order


@pytest.mark.django_db
def test_the_count_is_given_on_the_last_page_for_free_and_on_request(api, values):
    with CaptureQueriesContext(connection) as queries:
        last = api.get(URL, {"limit": 5, "offset": 10}).json()
    assert last["count"] == 12 and last["next"] is None and len(_value_queries(queries)) == 1
    with CaptureQueriesContext(connection) as queries:
        counted = api.get(URL, {"limit": 5, "count": "true"}).json()
    assert counted["count"] == 12 and any("COUNT(" in q.upper() for q in _value_queries(queries))


@pytest.mark.django_db
def test_a_page_takes_the_same_queries_at_ten_times_the_rows(api, copenhagen, values, django_assert_max_num_queries):
    api.get(URL, {"limit": 5})
    with django_assert_max_num_queries(10) as small:
        api.get(URL, {"limit": 5})
    ind = Indicator.objects.get(programme=copenhagen, number=2)
    for i in range(108):
        IndicatorValueFactory(indicator=ind, area=city(copenhagen), period_start=date(1900 + i, 1, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        api.get(URL, {"limit": 5})


@pytest.mark.django_db
def test_nonsense_count_is_a_400(api):
    response = api.get(URL, {"count": "sometimes"})
    assert response.status_code == 400 and "count" in response.json()


# --- A list is read as values() rows (sikkerby.api_serializers.ValuesRepresentation): the same answer ---------

def _mixed_values(copenhagen, coordinator):
    """Every kind of row: approved, superseded and its revision, submitted, the coordinator's own draft, a
    suppressed small count of persons, a quarter and a month, demo, and timestamps that are null."""
    from django.utils import timezone

    from areas.models import Area
    from indicators.models import ValueStatus

    young = Indicator.objects.get(programme=copenhagen, number=4)  # counts persons
    assert young.counts_persons
    reports = Indicator.objects.get(programme=copenhagen, number=9)
    area, bydel = city(copenhagen), Area.objects.filter(municipality=copenhagen.municipality, level="bydel").first()
    old = IndicatorValueFactory(indicator=reports, area=area, value=Decimal("12.3456"),
                                superseded_at=timezone.now(), submitted_at=timezone.now())
    IndicatorValueFactory(indicator=reports, area=area, revision=2, supersedes=old, value=Decimal("13"))
    IndicatorValueFactory(indicator=reports, area=bydel, period_type="quarter", period_start=date(2011, 4, 1),
                          is_demo=True, note="demo række")
    IndicatorValueFactory(indicator=reports, area=bydel, period_type="month", period_start=date(2011, 3, 1),
                          status=ValueStatus.SUBMITTED, approved_at=None, submitted_at=timezone.now())
    IndicatorValueFactory(indicator=reports, area=area, period_start=date(2012, 1, 1), status=ValueStatus.DRAFT,
                          approved_at=None, entered_by=coordinator)
    IndicatorValueFactory(indicator=young, area=bydel, value=Decimal(3))  # suppressed: below 5 persons
    IndicatorValueFactory(indicator=young, area=area, value=Decimal(40))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "api_client_user"])
def test_every_list_row_is_what_the_serializer_gives_for_the_object(request, copenhagen, coordinator, role):
    from indicators.api.serializers import IndicatorValueSerializer
    from indicators.models import IndicatorValue

    _mixed_values(copenhagen, coordinator)
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(role))
    rows = client.get(URL, {"limit": 100}).json()["results"]
    assert len(rows) == (7 if role == "coordinator" else 5)  # the API client sees approved revisions only
    assert any(r["suppressed"] and r["value"] is None for r in rows)
    assert {r["period"] for r in rows} >= {"2010", "2011-Q2"}
    for row in rows:
        expected = IndicatorValueSerializer(IndicatorValue.objects.select_related("indicator", "area")
                                            .get(pk=row["id"])).data
        assert row == client.get(f"{URL}{row['id']}/").json() == json.loads(json.dumps(expected, cls=JSONEncoder))


@pytest.mark.django_db
def test_the_csv_export_reads_the_same_rows(copenhagen, coordinator):
    import csv
    import io

    _mixed_values(copenhagen, coordinator)
    client = APIClient()
    client.force_authenticate(coordinator)
    listed = client.get(URL, {"limit": 100}).json()["results"]
    body = b"".join(client.get(URL, {"format": "csv"}).streaming_content).decode("utf-8")
    exported = list(csv.DictReader(io.StringIO(body)))
    assert [int(r["id"]) for r in exported] == [r["id"] for r in listed]
    suppressed = next(r for r in exported if r["suppressed"] == "True")
    assert suppressed["value"] == ""  # a suppressed count is not in the file either


@pytest.mark.django_db
def test_the_scope_is_an_array_condition_on_postgresql(api, values):
    """``indicator__any_of`` (sikkerby/lookups.py): on PostgreSQL ``= ANY(ARRAY(SELECT …))``, which a B-tree
    walks in order (an ``IN (SELECT …)`` is planned as a join and sorted every row of the first indicator);
    elsewhere the plain ``IN``. Both give the same rows."""
    with CaptureQueriesContext(connection) as queries:
        rows = api.get(URL, {"limit": 50}).json()["results"]
    [sql] = _value_queries(queries)
    if connection.vendor == "postgresql":
        assert '"indicators_indicatorvalue"."indicator_id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"indicators_indicatorvalue"."indicator_id" IN (SELECT' in sql
    assert sorted(r["id"] for r in rows) == sorted(v.pk for v in values)


def test_a_values_serializer_refuses_a_source_that_is_not_a_column():
    from django.core.exceptions import ImproperlyConfigured
    from rest_framework import serializers

    from indicators.models import IndicatorValue
    from sikkerby.api_serializers import ValuesRepresentation

    class Unplanned(ValuesRepresentation, serializers.ModelSerializer):
        period = serializers.CharField()  # a property of the model, and not in values_computed

        class Meta:
            model = IndicatorValue
            fields = ["id", "period"]

    with pytest.raises(ImproperlyConfigured, match="period"):
        Unplanned().values_columns()
