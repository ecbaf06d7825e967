"""A page of an API list costs the same however big the table is (issue #17): no COUNT(*) of the whole result
on every page, ordering by an index, and no wide column the answer does not show."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

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
