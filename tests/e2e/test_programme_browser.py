"""End to end in Debian's headless Chromium: a coordinator logs in, filters, sees the chart."""
import pytest

from accounts import roles
from tests.a11y import assert_accessible


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_filters_initiatives_and_sees_the_chart(copenhagen, user_of_role, login, live_server):
    user = user_of_role(roles.COORDINATOR)
    page = login(user)
    assert page.url.endswith("/programme/")
    page.locator("#budget-chart[data-rendered=true]").wait_for(timeout=15000)
    assert page.locator("#budget-chart .main-svg").count() >= 1
    assert page.locator("#initiative-count").inner_text().endswith("indsatser passer.")
    assert_accessible(page)

    page.get_by_label("Forvaltning", exact=True).select_option(label="SOF")
    page.get_by_label("Status", exact=True).select_option("existing")
    page.get_by_role("button", name="Anvend filtre").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#initiative-count").inner_text().startswith("21 ")
    assert page.locator("#budget-summary tbody tr").count() == 1
    assert "103.805" in page.locator("#budget-summary tfoot").inner_text()
    page.locator("#budget-chart[data-rendered=true]").wait_for(timeout=15000)
    bars = page.locator("#budget-chart .bars path")
    assert bars.count() >= 1
    page.screenshot(path="test-results/dashboard-sof.png", full_page=True)

    # Keyboard: the skip link is the first stop and moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").find("skip-link") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
