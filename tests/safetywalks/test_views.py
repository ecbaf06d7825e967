"""The pages: who sees what, plan → finding → action → done through the forms, the report and its CSV."""
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from safetywalks import services
from safetywalks.models import Action, Finding, SafetyWalk

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_coordinator_plans_records_assigns_and_closes_through_the_pages(alb_coordinator, alb_area, alb_orgs):
    c = _client(alb_coordinator)
    assert c.get(reverse("safetywalks:walk_create")).status_code == 200
    response = c.post(reverse("safetywalks:walk_create"), {
        "area": alb_area.pk, "housing_area": "Galgebakken", "date": "2025-10-08", "leader": "housing_association",
        "organisations": [o.pk for o in alb_orgs], "route_text": "55.662, 12.365\n55,6625; 12,3660", "notes": ""})
    walk = SafetyWalk.objects.get(housing_area="Galgebakken")
    assert response.status_code == 302 and walk.route_points == [(55.662, 12.365), (55.6625, 12.366)]

    response = c.post(reverse("safetywalks:finding_create", args=[walk.pk]), {
        "kind": "unsafe", "category": "vegetation", "latitude": "55.6621", "longitude": "12.3655",
        "description": "Høje buske", "proposed_action": "Beskær buskene"})
    assert response.status_code == 302
    finding = Finding.objects.get(walk=walk)
    page = c.get(reverse("safetywalks:action_create", args=[finding.pk]))
    assert "Beskær buskene" in page.content.decode()  # the proposal is the action's first draft
    c.post(reverse("safetywalks:action_create", args=[finding.pk]), {
        "description": "Beskær buskene", "responsible": alb_orgs[1].pk, "deadline": "2025-12-01"})
    action = Action.objects.get(finding=finding)
    c.post(reverse("safetywalks:action_status", args=[action.pk]), {"status": "done", "done_on": "2025-11-20"})
    action.refresh_from_db()
    assert (action.status, action.done_on, action.closed_by) == ("done", date(2025, 11, 20), alb_coordinator)
    detail = c.get(reverse("safetywalks:walk_detail", args=[walk.pk])).content.decode()
    assert "Høje buske" in detail and "walk-marker unsafe" in detail


def test_a_form_with_errors_keeps_the_input(alb_coordinator, alb_area):
    response = _client(alb_coordinator).post(reverse("safetywalks:walk_create"), {
        "area": alb_area.pk, "housing_area": "Galgebakken", "date": "", "leader": "police",
        "route_text": "55.662, 12.365\nnonsense"})
    body = response.content.decode()
    assert response.status_code == 400 and 'id="error-summary"' in body
    assert "Galgebakken" in body and "nonsense" in body


@pytest.mark.parametrize("fixture,status", [("alb_ssp", 200), ("alb_reporter", 200)])
def test_other_roles_of_the_municipality_read(request, alb_walk, fixture, status):
    assert _client(request.getfixturevalue(fixture)).get(
        reverse("safetywalks:walk_detail", args=[alb_walk.pk])).status_code == status


def test_reading_roles_cannot_write(alb_ssp, alb_walk):
    c = _client(alb_ssp)
    assert c.get(reverse("safetywalks:walk_create")).status_code == 403
    assert c.post(reverse("safetywalks:finding_create", args=[alb_walk.pk]), {}).status_code == 403
    assert c.post(reverse("safetywalks:organisation_list"), {"name": "X", "kind": "police"}).status_code == 403


def test_a_user_without_a_role_and_another_municipality_see_nothing(alb_walk, coordinator, albertslund):
    from tests.factories import UserFactory
    nobody = UserFactory(municipality=albertslund.municipality)
    assert _client(nobody).get(reverse("safetywalks:walk_list")).status_code == 403
    assert _client(coordinator).get(reverse("safetywalks:walk_detail", args=[alb_walk.pk])).status_code == 404
    assert "Hyldespjældet" not in _client(coordinator).get(reverse("safetywalks:walk_list")).content.decode()


def test_open_actions_per_area_and_organisation_say_overdue_in_words(alb_finding, alb_orgs, alb_coordinator):
    services.action_create(user=alb_coordinator, finding=alb_finding, description="Nye lamper",
                           responsible=alb_orgs[1], deadline=date(2020, 1, 1))
    body = _client(alb_coordinator).get(reverse("safetywalks:action_list")).content.decode()
    assert "Overskredet" in body or "Overdue" in body
    assert "Vej og Park" in body and "Hyldespjældet" in body


def test_the_report_prints_and_the_csv_has_every_finding(alb_finding, alb_orgs, alb_coordinator):
    services.action_create(user=alb_coordinator, finding=alb_finding, description="=HYPERLINK(1)",
                           responsible=alb_orgs[1], deadline=date(2025, 12, 1))
    c = _client(alb_coordinator)
    report = c.get(reverse("safetywalks:walk_report", args=[alb_finding.walk_id]))
    assert report.status_code == 200 and "Mørk sti" in report.content.decode()
    csv = c.get(reverse("safetywalks:walk_csv", args=[alb_finding.walk_id]))
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv") and "Mørk sti" in text
    assert "'=HYPERLINK(1)" in text  # never run as a formula


def test_the_walk_page_does_not_query_per_finding(alb_walk, alb_orgs, alb_coordinator, django_assert_max_num_queries):
    for i in range(8):
        f = services.finding_create(user=alb_coordinator, walk=alb_walk, kind="unsafe", category="litter",
                                    latitude="55.66", longitude="12.35", description=f"Affald {i}")
        services.action_create(user=alb_coordinator, finding=f, description="Ryd op", responsible=alb_orgs[0],
                               deadline=date(2025, 12, 1))
    c = _client(alb_coordinator)
    c.get(reverse("safetywalks:walk_detail", args=[alb_walk.pk]))
    with django_assert_max_num_queries(16):
        assert c.get(reverse("safetywalks:walk_detail", args=[alb_walk.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert c.get(reverse("safetywalks:action_list")).status_code == 200


def test_the_photo_is_served_only_inside_the_municipality(alb_walk, alb_coordinator, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_services import _jpeg
    finding = services.finding_create(user=alb_coordinator, walk=alb_walk, kind="unsafe", category="other",
                                      latitude="55.66", longitude="12.35", description="x",
                                      photo=SimpleUploadedFile("a.jpg", _jpeg(), content_type="image/jpeg"))
    url = reverse("safetywalks:finding_photo", args=[finding.pk])
    ok = _client(alb_coordinator).get(url)
    assert ok.status_code == 200 and ok["Content-Type"] == "image/jpeg"
    assert _client(coordinator).get(url).status_code == 404


def test_the_menu_links_safety_walks_for_roles_that_read_them(alb_coordinator):
    body = _client(alb_coordinator).get(reverse("safetywalks:walk_list")).content.decode()
    assert reverse("safetywalks:walk_list") in body
