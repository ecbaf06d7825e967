"""End to end in headless Chromium: the coordinator's dashboard shows reporting completeness (issue #18, part 4),
the reporting calendar page its details and reminders, and a calendar is changed through its form (axe on each)."""
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from indicators import services
from indicators.demo import indicator_demo_values_create
from indicators.models import ReportingCalendar
from tests.a11y import assert_accessible


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_shows_reporting_completeness(copenhagen, user_of_role, login, live_server):
    indicator_demo_values_create(programme=copenhagen)  # the demo's calendars: some late, one overdue
    services.reporting_reminders_send(on=timezone.localdate(), municipality=copenhagen.municipality_id)
    page = login(user_of_role(roles.COORDINATOR))
    page.goto(f"{live_server.url}{reverse('initiatives:dashboard')}")
    card = page.locator("#reporting-completeness")
    card.wait_for()
    assert card.get_by_role("heading", name="Indberetning af indikatorer").is_visible()
    assert "Fuldstændighed" in page.locator("#reporting-summary").inner_text()
    assert page.locator("#dashboard-reporting-table tbody tr").count() >= 2
    assert int(page.locator("#dashboard-reporting-table tfoot td").last.inner_text()) >= 1  # something overdue
    assert_accessible(page)
    page.screenshot(path="test-results/reporting-dashboard.png", full_page=True)

    card.get_by_role("link", name="Indberetningskalender og detaljer").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#reporting-indicator-table tbody tr").count() == ReportingCalendar.objects.filter(
        indicator__programme=copenhagen).count()
    assert page.locator("#reporting-indicator-table .text-bg-warning").count() >= 1  # reported late
    assert page.locator("#reporting-indicator-table .text-bg-success").count() >= 1  # on time
    assert page.locator("#reminder-table tbody tr").count() >= 1
    assert_accessible(page)
    page.screenshot(path="test-results/reporting-page.png", full_page=True)

    page.locator("#reporting-indicator-table tbody tr").first.get_by_role("link", name="Ret kalender").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Første forventede periode").fill("2024-Q5")
    page.get_by_label("Frist i dage efter periodens udløb").fill("60")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Første forventede periode").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Frist i dage efter periodens udløb").input_value() == "60"
    assert_accessible(page)
    page.get_by_label("Første forventede periode").fill("2024")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state("networkidle")
    assert "er gemt" in page.content()
    assert ReportingCalendar.objects.filter(due_days=60).count() == 1
