"""The read-only statistics API: aggregates only, small counts suppressed, constant query count."""
from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts import roles
from exitprogram import services
from initiatives.models import Administration

from .factories import complete_case, make_case

pytestmark = pytest.mark.django_db
URL = "/api/v1/exit/statistics/"


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_statistics_content_and_suppression(user_of_role, consultant, expert, mentor):
    for i in range(5):
        complete_case(make_case(consultant=consultant, born=date(1990, 6, i + 1)), consultant=consultant,
                      mentor=mentor, convicted=i == 0)
    gang = make_case(consultant=consultant, track="gang", exit_expert=expert, entry_channel="prison",
                     born=date(1991, 1, 1))
    sof = Administration.objects.get(municipality=gang.municipality, code="SOF")
    services.pool_expense_create(actor=expert, case=gang, spent_on=date(2011, 5, 1), category="safety",
                                 description="Alarm", amount_tdkk="12.000", administration=sof, approved_by=expert)
    data = _client(user_of_role(roles.API_CLIENT)).get(URL).json()
    assert data["suppression_threshold"] == 5
    assert data["goal2"] == {"measure": "exit_no_conviction_2y", "target_percent": "60.0", "value_percent": "80.0",
                             "cases": 5, "status": "met", "data_basis": "real"}
    assert data["by_referral_year"] == [{"year": 2011, "cases": 6, "gang": None, "general": 5, "open": None,
                                         "closed": 5, "completed": 5, "followed_up": 5, "data_basis": "real"}]
    assert {"channel": "prison", "cases": None, "data_basis": "real"} in data["by_entry_channel"]
    assert data["pool_by_administration"] == [{"year": 2011, "administration": "SOF", "price_level_year": 2011,
                                               "cases": None, "amount_tdkk": None, "data_basis": "real"}]
    assert data["data_basis"] == "real"
    body = str(data)
    assert "Testperson" not in body and gang.reference not in body and "Alarm" not in body


def test_statistics_query_count_does_not_grow(user_of_role, consultant, mentor, django_assert_max_num_queries):
    client = _client(user_of_role(roles.COORDINATOR))
    complete_case(make_case(consultant=consultant, born=date(1990, 7, 1)), consultant=consultant, mentor=mentor)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for i in range(2, 8):
        complete_case(make_case(consultant=consultant, born=date(1990, 7, i), referral=date(2012, 3, 1)),
                      consultant=consultant, mentor=mentor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200


def test_statistics_in_the_openapi_schema(user_of_role):
    response = _client(user_of_role(roles.COORDINATOR)).get("/api/v1/schema/", {"format": "json"})
    assert "/api/v1/exit/statistics/" in response.json()["paths"]


def test_write_methods_are_refused(user_of_role):
    client = _client(user_of_role(roles.COORDINATOR))
    assert client.post(URL, {}).status_code == 405
    assert client.delete(URL).status_code == 405
