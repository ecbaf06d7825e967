"""The safety-index pages in Debian's headless Chromium: the map draws every district with its category."""
import pytest
from django.core.management import call_command

from accounts import roles
from areas.models import Area
from tests.a11y import assert_accessible

from .factories import method_v1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_sees_every_district_on_the_map(copenhagen, user_of_role, login, live_server):
    method_v1()
    call_command("load_demo_safety_index")
    page = login(user_of_role(roles.COORDINATOR))
    page.goto(f"{live_server.url}/safety-index/?year=2010")
    page.locator("#safety-map[data-rendered=true]").wait_for(timeout=30000)
    # Every district is a location in the map's traces, and the map drew a filled shape per district.
    locations = page.evaluate(
        "document.getElementById('safety-map').data.reduce((n, t) => n + t.locations.length, 0)")
    assert locations == 35
    assert page.locator("#safety-map canvas").count() >= 1
    legend = page.locator("#safety-map .legend .traces")
    assert legend.count() == 5
    rows = page.locator("#results-table tbody tr")
    assert rows.count() == 35
    for i in range(35):
        assert rows.nth(i).get_attribute("data-category") in {"markant", "intensiveret", "ordinaer", "reduceret",
                                                               "minimal"}
    assert "DEMO" in page.locator("#demo-notice").inner_text() or "Demonstration" in page.locator(
        "#demo-notice").inner_text() or "Demonstrations" in page.locator("#demo-notice").inner_text()
    page.wait_for_timeout(1500)  # let the map finish painting before the screenshot
    page.screenshot(path="test-results/safety-index-map.png", full_page=True)
    assert_accessible(page)

    # The year selector changes the map.
    page.get_by_label("År", exact=True).select_option("2015")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_load_state("networkidle")
    assert "2015" in page.locator("h1").inner_text()
    page.locator("#safety-map[data-rendered=true]").wait_for(timeout=30000)

    area = Area.objects.get(level="district", code="1")
    page.goto(f"{live_server.url}/safety-index/areas/{area.pk}/")
    page.locator("#trend-chart[data-rendered=true]").wait_for(timeout=30000)
    assert page.locator("#trend-table tbody tr").count() == 8  # the demo's years (docs/demo.md)
    page.screenshot(path="test-results/safety-index-area.png", full_page=True)
    assert_accessible(page)

    page.goto(f"{live_server.url}/safety-index/effect-goal-3/")
    assert page.locator("#goal-table tbody tr").count() == 5
    page.screenshot(path="test-results/safety-index-goal.png", full_page=True)
    assert_accessible(page)

    for path in ("/safety-index/compare/", "/safety-index/method/", "/safety-index/manage/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.screenshot(path="test-results/safety-index-manage.png", full_page=True)
