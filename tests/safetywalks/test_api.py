"""The read-only API: walks, findings and actions of one's own municipality, filtered and paginated."""
from datetime import date

import pytest
from django.test import Client

from safetywalks import services

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def action(alb_finding, alb_orgs, alb_coordinator):
    return services.action_create(user=alb_coordinator, finding=alb_finding, description="Nye lamper",
                                  responsible=alb_orgs[1], deadline=date(2025, 12, 1))


def test_lists_and_details(action, alb_ssp):
    c = _client(alb_ssp)
    walks = c.get("/api/v1/safety-walks/walks/").json()
    assert [w["housing_area"] for w in walks["results"]] == ["Hyldespjældet"]
    assert walks["results"][0]["route"]["type"] == "LineString"
    assert c.get(f"/api/v1/safety-walks/walks/{action.finding.walk_id}/").status_code == 200
    findings = c.get("/api/v1/safety-walks/findings/").json()["results"]
    assert findings[0]["category"] == "lighting" and findings[0]["photo_url"] is None
    actions = c.get("/api/v1/safety-walks/actions/").json()["results"]
    assert actions[0]["responsible_name"] == "Vej og Park" and actions[0]["status"] == "open"
    assert c.get("/api/v1/safety-walks/actions/?format=csv").status_code == 200


def test_filters_by_area_status_and_organisation(action, alb_ssp, alb_area, alb_orgs):
    c = _client(alb_ssp)
    base = "/api/v1/safety-walks/actions/"
    assert len(c.get(f"{base}?status=open").json()["results"]) == 1
    assert len(c.get(f"{base}?status=done").json()["results"]) == 0
    assert len(c.get(f"{base}?organisation={alb_orgs[1].pk}").json()["results"]) == 1
    assert len(c.get(f"{base}?organisation={alb_orgs[0].pk}").json()["results"]) == 0
    assert len(c.get(f"{base}?area={alb_area.pk}").json()["results"]) == 1
    assert len(c.get(f"/api/v1/safety-walks/walks/?area={alb_area.pk}").json()["results"]) == 1


def test_bad_input_is_a_400_with_the_reason(action, alb_ssp, copenhagen):
    c = _client(alb_ssp)
    response = c.get("/api/v1/safety-walks/actions/?status=nonsense")
    assert response.status_code == 400 and "status" in response.json()
    from areas.models import Area
    cph_area = Area.objects.filter(municipality=copenhagen.municipality).first()
    assert c.get(f"/api/v1/safety-walks/actions/?area={cph_area.pk}").status_code == 400
    assert c.get("/api/v1/safety-walks/walks/?limit=0").status_code == 400


def test_another_municipality_sees_nothing_and_nobody_writes(action, coordinator, alb_coordinator):
    c = _client(coordinator)
    assert c.get("/api/v1/safety-walks/actions/").json()["results"] == []
    assert c.get(f"/api/v1/safety-walks/actions/{action.pk}/").status_code == 404
    assert _client(alb_coordinator).post("/api/v1/safety-walks/walks/", {}).status_code in (403, 405)
