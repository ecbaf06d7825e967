"""The API does what its schema and docs say: filters, paging limits, CSV of whole lists, error bodies.

Every list endpoint of every app is taken from the generated schema, so an endpoint added later is covered.
"""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts import roles
from indicators.models import Indicator, ValueStatus
from tests.evaluations.factories import ClosureReportFactory

from .factories import IndicatorValueFactory, city
from .test_api import values  # noqa: F401 — the shared fixture of values


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _list_paths(schema) -> list[str]:
    return sorted(path for path, ops in schema["paths"].items()
                  if "get" in ops and "{" not in path and any(p["name"] == "limit" for p in ops["get"].get("parameters", [])))


def _component(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _has_csv(schema, path) -> bool:
    return any(p["name"] == "format" and "csv" in p["schema"].get("enum", [])
               for p in schema["paths"][path]["get"].get("parameters", []))


@pytest.fixture
def api(coordinator):
    client = APIClient()
    client.force_authenticate(coordinator)
    return client


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


# --- period filters: what the schema says --------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("params, expected", [
    ({"period_from": "2011-01-01"}, 9),
    ({"period_from": "2011-02-15"}, 5),  # periods starting on or after it: the four 2012 values and 2011-Q2
    ({"period_to": "2010-12-31"}, 5),
    ({"period_from": "2011-01-01", "period_to": "2011-12-31"}, 5),
    ({"period_from": "2011-Q2", "period_to": "2011-04-01"}, 1),
])
def test_period_filters_take_an_iso_date_as_the_schema_says(api, values, params, expected):  # noqa: F811
    response = api.get("/api/v1/indicator-values/", params)
    assert response.status_code == 200 and response.json()["count"] == expected, (params, response.json())


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["2011-02-30", "2011-13", "11.03.2011", "yesterday"])
def test_a_bad_period_or_date_is_a_400_naming_the_filter(api, bad):
    response = api.get("/api/v1/indicator-values/", {"period_from": bad})
    assert response.status_code == 400 and list(response.json()) == ["period_from"]


def test_the_schema_describes_the_period_filters_as_what_they_take(schema):
    params = {p["name"]: p for p in schema["paths"]["/api/v1/indicator-values/"]["get"]["parameters"]}
    for name in ("period_from", "period_to"):
        assert params[name]["schema"]["type"] == "string" and "format" not in params[name]["schema"]
        assert "2011-Q2" in params[name]["description"] and "2011-03-15" in params[name]["description"]


# --- paging: a maximum, and a 400 with the reason for nonsense -------------------------------------------------
@pytest.mark.django_db
def test_every_list_documents_its_page_size_and_its_maximum(schema):
    paths = _list_paths(schema)
    assert len(paths) >= 13  # programme, areas, indicators, values, evaluations, closures, key figures, safety index
    for path in paths:
        params = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}
        assert params["limit"]["minimum"] == 1 and params["limit"]["maximum"] == 10000, path
        assert params["offset"]["minimum"] == 0, path


@pytest.mark.django_db
@pytest.mark.parametrize("params, name", [
    ({"limit": "-1"}, "limit"), ({"limit": "0"}, "limit"), ({"limit": "ten"}, "limit"), ({"limit": "1.5"}, "limit"),
    ({"limit": "10001"}, "limit"), ({"limit": "99999999999999999999999"}, "limit"), ({"offset": "-1"}, "offset"),
    ({"offset": "x"}, "offset"), ({"offset": "99999999999999999999999"}, "offset"),
    ({"page_size": "5"}, "page_size"), ({"page": "2"}, "page"),
])
def test_every_list_answers_400_with_the_reason_to_paging_nonsense(api, schema, params, name):
    for path in _list_paths(schema):
        for fmt in ("json", "csv") if _has_csv(schema, path) else ("json",):
            response = api.get(path, {**params, "format": fmt})
            assert response.status_code == 400, (path, fmt, params, response.status_code)
            if fmt == "json":
                assert list(response.json()) == [name] and response.json()[name][0], (path, response.json())


@pytest.mark.django_db
def test_an_offset_past_the_last_row_is_an_empty_page(api, schema):
    for path in _list_paths(schema):
        for fmt in ("json", "csv") if _has_csv(schema, path) else ("json",):
            response = api.get(path, {"offset": 2**31 - 1, "limit": "10000", "format": fmt})
            assert response.status_code == 200, (path, fmt)
            if fmt == "json":
                assert response.json()["results"] == [], path
            else:
                assert len(b"".join(response.streaming_content).decode().splitlines()) == 1  # the header


@pytest.mark.django_db
def test_limit_is_the_page_size_up_to_the_maximum(api, copenhagen):
    page = api.get("/api/v1/budget-lines/", {"limit": 7}).json()
    assert len(page["results"]) == 7 and "limit=7" in page["next"] and "offset=7" in page["next"]
    assert page["count"] is None  # not the last page, and not asked for
    counted = api.get("/api/v1/budget-lines/", {"limit": 7, "count": "true"}).json()["count"]
    assert len(api.get("/api/v1/budget-lines/", {"limit": 10000}).json()["results"]) == counted


# --- CSV: every row, streamed ----------------------------------------------------------------------------------
@pytest.fixture
def many_values(copenhagen):
    area = city(copenhagen)
    for ind in Indicator.objects.filter(programme=copenhagen, formula="")[:5]:
        for month in range(1, 61):
            IndicatorValueFactory(indicator=ind, area=area, period_type="month",
                                  period_start=date(2008 + (month - 1) // 12, (month - 1) % 12 + 1, 1),
                                  value=Decimal(month))
    return 300


@pytest.mark.django_db
def test_csv_of_a_list_streams_every_row_not_the_first_page(api, many_values):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/indicator-values/", {"format": "csv"})
        assert response.status_code == 200 and response.streaming
        assert response["Content-Type"].startswith("text/csv")
        # Nothing of the rows is read before the body is: it is written while it is sent.
        assert not [q for q in queries.captured_queries if "indicators_indicatorvalue" in q["sql"]]
        rows = _csv(response)
        assert len([q for q in queries.captured_queries if "indicators_indicatorvalue" in q["sql"]]) == 1
    assert len(rows) == many_values == api.get("/api/v1/indicator-values/", {"count": "true"}).json()["count"]
    assert rows[0]["period"] == "2008-01" and rows[-1]["period"] == "2012-12"
    filtered = _csv(api.get("/api/v1/indicator-values/", {"format": "csv", "period_from": "2012-01"}))
    assert len(filtered) == 5 * 12
    page = _csv(api.get("/api/v1/indicator-values/", {"format": "csv", "limit": 10, "offset": 295}))
    assert len(page) == 5  # a page only when one is asked for


@pytest.mark.django_db
def test_csv_streams_in_chunks_with_a_constant_number_of_queries_per_chunk(api, many_values, monkeypatch,
                                                                           django_assert_max_num_queries):
    from indicators.api import common

    monkeypatch.setattr(common, "CSV_CHUNK_SIZE", 64)
    rows = _csv(api.get("/api/v1/initiatives/", {"format": "csv"}))  # prefetches per chunk of initiatives
    json_rows = api.get("/api/v1/initiatives/", {"limit": 10000}).json()["results"]
    assert [r["key"] for r in rows] == [r["key"] for r in json_rows] and len(rows) > 64
    assert len(_csv(api.get("/api/v1/indicator-values/", {"format": "csv"}))) == many_values


@pytest.mark.django_db
def test_csv_of_every_list_has_no_empty_nested_columns_and_matches_the_json(api, schema, values):  # noqa: F811
    ClosureReportFactory(administration=api.handler._force_user.administration)
    paths = [path for path in _list_paths(schema) if _has_csv(schema, path)]
    assert len(paths) >= 9
    for path in paths:
        response = api.get(path, {"format": "csv", "limit": 10000})
        rows = _csv(response)
        results = api.get(path, {"limit": 10000}).json()["results"]
        assert len(rows) == len(results), path
        page = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        item = _component(schema, page)["properties"]["results"]["items"]["$ref"]
        for name, prop in _component(schema, item)["properties"].items():
            nested = prop.get("type") == "array" and "$ref" in prop.get("items", {})
            assert not (nested and rows and name in rows[0]), (path, name, "a list of objects in one cell")
        if not results:
            continue
        header = list(rows[0])
        for column in header:
            key = column.split(".")[0]
            assert key in results[0], (path, column)
            json_values = [r[key] for r in results]
            if any(v not in (None, "", [], {}) for v in json_values):
                assert any(r[column] for r in rows), (path, column, "empty in CSV but not in JSON")
        left_out = [k for k in results[0] if not any(c.split(".")[0] == k for c in header)]
        for key in left_out:  # only lists of objects (budget lines, a goal's series) or free JSON are left out
            assert all(isinstance(r[key], list | dict) for r in results), (path, key)


@pytest.mark.django_db
def test_initiatives_csv_has_no_empty_budget_lines_column(api, copenhagen):
    rows = _csv(api.get("/api/v1/initiatives/", {"format": "csv"}))
    assert len(rows) == 85 + copenhagen.initiatives.exclude(status="existing").count()
    assert "budget_lines" not in rows[0] and rows[0]["focus_areas"]
    lines = _csv(api.get("/api/v1/budget-lines/", {"format": "csv", "initiative": rows[0]["id"]}))
    assert lines and all(line["initiative"] == rows[0]["id"] and line["amount_tdkk"] for line in lines)
    detail = api.get(f"/api/v1/initiatives/{rows[0]['id']}/", {"format": "csv"}).content.decode().splitlines()
    assert detail[0] == ",".join(rows[0]) and len(detail) == 2  # one object: the same columns as the list


# --- error bodies and nullable fields as the schema says -------------------------------------------------------
@pytest.mark.django_db
def test_a_refused_transition_says_why_in_one_detail_string(copenhagen, reporter):
    value = IndicatorValueFactory(indicator=Indicator.objects.get(programme=copenhagen, number=5),
                                  area=city(copenhagen), status=ValueStatus.APPROVED)
    client = APIClient()
    client.force_authenticate(reporter)
    response = client.post(f"/api/v1/indicator-values/{value.pk}/submit/")
    assert response.status_code == 400 and isinstance(response.json()["detail"], str) and response.json()["detail"]


@pytest.mark.django_db
def test_a_closure_without_a_registered_area_has_a_null_area_name_as_the_schema_allows(api, coordinator, schema):
    ClosureReportFactory(administration=coordinator.administration, area=None, area_text="Mjølnerparken")
    row = api.get("/api/v1/evaluations/closures/").json()["results"][0]
    assert row["area_name"] is None and row["area_text"] == "Mjølnerparken"
    assert schema["components"]["schemas"]["ClosureReport"]["properties"]["area_name"].get("nullable") is True


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.COORDINATOR])
def test_no_list_answers_500_to_a_huge_number_anywhere(api, schema, role):
    for path in _list_paths(schema):
        params = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}
        for name, spec in params.items():
            if spec.get("type") in ("integer", "number"):
                response = api.get(path, {name: "99999999999999999999999"})
                assert response.status_code in (200, 400), (path, name, response.status_code)
