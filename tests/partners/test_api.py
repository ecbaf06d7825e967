"""The partners API: scoped, paginated, filtered, 400 on nonsense, no contact persons."""
import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(coordinator):
    client = APIClient()
    client.force_authenticate(coordinator)
    return client


def test_partners_list_with_initiatives_and_no_contacts(api, police, buf_initiative):
    body = api.get("/api/v1/partners/").json()
    assert body["results"][0]["name"] == "Københavns Politi"
    assert body["results"][0]["initiatives"][0]["initiative"] == buf_initiative.pk
    assert body["results"][0]["initiatives"][0]["amount_tdkk"] == "250.500"
    assert "contacts" not in body["results"][0] and "Fiktiv" not in str(body)
    assert api.get("/api/v1/partners/", {"sector": "fire"}).json()["results"] == []


def test_progress_entries_filter_by_month_and_status(api, history):
    body = api.get("/api/v1/progress-entries/", {"month": "2025-06", "status": "progress"}).json()
    assert [r["status"] for r in body["results"]] == ["progress"]
    assert len(api.get("/api/v1/progress-entries/", {"month_from": "2025-01"}).json()["results"]) == 12
    assert api.get("/api/v1/progress-entries/", {"limit": 5}).json()["next"]


@pytest.mark.parametrize("query", [{"month": "2025-13"}, {"year": "99999"}, {"status": "great"},
                                   {"initiative": "abc"}, {"limit": "0"}])
def test_nonsense_is_a_400(api, query):
    response = api.get("/api/v1/progress-entries/", query)
    assert response.status_code == 400, response.content


def test_another_municipality_sees_none(police, history, albertslund_coordinator):
    client = APIClient()
    client.force_authenticate(albertslund_coordinator)
    assert client.get("/api/v1/partners/").json()["results"] == []
    assert client.get("/api/v1/progress-entries/").json()["results"] == []
    assert client.get(f"/api/v1/partners/{police.pk}/").status_code == 404


def test_other_roles_get_403(user_of_role):
    from accounts import roles
    client = APIClient()
    client.force_authenticate(user_of_role(roles.SSP_CONSULTANT))
    assert client.get("/api/v1/partners/").status_code == 403
