"""The API gives counts per quarter only, paginated, for coordinators and API clients of the municipality."""
import pytest
from django.urls import reverse

from accounts import roles
from sspcases import services

from .factories import make_concern

pytestmark = pytest.mark.django_db
URL = "/api/v1/ssp/quarters/"


def _handled(ssp, series, n):
    first = series.meetings.order_by("number").first()
    for _ in range(n):
        c = make_concern(actor=ssp, series=series, registered_on=series.start_date)
        services.item_record(actor=ssp, meeting=first, concern=c, action="monitor", owner="ssp")
    return first


def test_counts_without_names_and_suppressed(client, user_of_role, ssp, series):
    first = _handled(ssp, series, 3)
    client.force_login(user_of_role(roles.API_CLIENT))
    body = client.get(URL).json()
    row = body["results"][0]
    assert set(body) == {"count", "next", "previous", "results"}
    assert (row["year"], row["quarter"]) == (first.held_on.year, (first.held_on.month - 1) // 3 + 1)
    assert row["concerns_handled"] is None and row["concerns_registered"] is None  # 3 < 5
    assert row["meetings_held"] >= 1
    assert "Fiktiv" not in str(body) and "Testung" not in str(body)
    _handled(ssp, series, 3)
    row = client.get(URL).json()["results"][0]
    assert row["concerns_handled"] == 6 and row["registered_under_18"] == 6


@pytest.mark.parametrize("role", [roles.SSP_CONSULTANT, roles.EXIT_EXPERT, roles.MENTOR, roles.ADMIN_REPORTER])
def test_other_roles_are_refused(client, user_of_role, role):
    client.force_login(user_of_role(role))
    assert client.get(URL).status_code == 403


def test_bad_paging_is_a_400_with_a_reason(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL + "?limit=0")
    assert response.status_code == 400 and "limit" in response.json()
    assert client.get(URL + "?limit=1").status_code == 200


def test_the_api_is_in_the_schema(client, coordinator):
    client.force_login(coordinator)
    assert "/api/v1/ssp/quarters/" in client.get(reverse("api:schema")).content.decode()
