"""End to end in headless Chromium: an Albertslund coordinator plans a safety walk (route clicked on the map),
records a finding (placed by a click), assigns an action and closes it; axe checks every page."""
import re

import pytest

from safetywalks.models import Action, ActionStatus, Finding, SafetyWalk
from tests.a11y import assert_accessible


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_albertslund_coordinator_plans_a_walk_records_a_finding_and_closes_its_action(
        albertslund, alb_coordinator, alb_orgs, login, live_server):
    page = login(alb_coordinator)
    page.get_by_role("link", name="Tryghedsvandringer").first.click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.get_by_role("link", name="Planlæg en tryghedsvandring").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.get_by_label("Boligområde").fill("Hyldespjældet")
    page.get_by_label("Dato").fill("2025-09-17")
    page.get_by_label("Ledes af").select_option("police")
    page.get_by_label("Københavns Vestegns Politi").check()
    svg = page.locator("svg[data-walkmap]")
    box = svg.bounding_box()
    for fx, fy in ((0.45, 0.5), (0.5, 0.52), (0.55, 0.5)):
        svg.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
    assert len(page.get_by_label("Rute", exact=True).input_value().strip().splitlines()) == 3
    page.get_by_role("button", name="Planlæg vandringen").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#error-summary").count() == 0, page.locator("#error-summary").inner_text()
    assert "Tryghedsvandringen er planlagt." in page.content()
    walk = SafetyWalk.objects.get(housing_area="Hyldespjældet")
    assert len(walk.route_points) == 3 and walk.municipality.code == "0165"
    assert_accessible(page)

    page.get_by_role("link", name="Registrér et fund").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.get_by_label("Tryg eller utryg").select_option("unsafe")
    page.get_by_label("Kategori").select_option("lighting")
    svg = page.locator("svg[data-walkmap]")
    box = svg.bounding_box()
    svg.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.5})
    assert re.match(r"^55\.\d+$", page.get_by_label("Breddegrad").input_value())
    page.get_by_label("Beskrivelse").fill("Stien er mørk; to lamper er gået ud.")
    page.get_by_label("Foreslået handling").fill("Udskift lamperne")
    page.get_by_role("button", name="Registrér fundet").click()
    page.wait_for_load_state("networkidle")
    assert "Fundet er registreret." in page.content()
    finding = Finding.objects.get(walk=walk)
    assert 55.6 < float(finding.latitude) < 55.72
    assert_accessible(page)

    page.get_by_role("link", name="Tildel en handling").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Handling").input_value() == "Udskift lamperne"
    page.get_by_label("Ansvarlig organisation").select_option(label="Vej og Park")
    page.get_by_label("Frist").fill("2025-11-01")
    assert_accessible(page)
    page.get_by_role("button", name="Tildel handlingen").click()
    page.wait_for_load_state("networkidle")
    assert "Handlingen er tildelt." in page.content()

    page.get_by_role("link", name="Udskift lamperne").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.get_by_label("Ny status").select_option("done")
    page.get_by_label("Udført den").fill("2025-10-20")
    page.get_by_role("button", name="Skift status").click()
    page.wait_for_load_state("networkidle")
    action = Action.objects.get(finding=finding)
    assert action.status == ActionStatus.DONE and action.closed_by == alb_coordinator
    assert "Udført" in page.locator("#action-status").inner_text()
    assert_accessible(page)

    page.goto(f"{live_server.url}/safety-walks/actions/")
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.goto(f"{live_server.url}/safety-walks/{walk.pk}/report/")
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.screenshot(path="test-results/safetywalk-report.png", full_page=True)
