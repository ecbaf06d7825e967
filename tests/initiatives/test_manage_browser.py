"""In headless Chromium: a coordinator keeps the programme and the users with the keyboard; axe finds nothing."""
import pytest

from accounts import roles
from initiatives.models import Initiative
from tests.a11y import assert_accessible


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_manages_programme_and_users_by_keyboard(copenhagen, user_of_role, login, live_server):
    coordinator = user_of_role(roles.COORDINATOR)
    reporter = user_of_role(roles.ADMIN_REPORTER)
    page = login(coordinator)

    # From the main navigation to the manage pages with the keyboard only
    link = page.get_by_role("link", name="Administrer programmet")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith("Administrer programmet")
    assert_accessible(page)

    initiative = Initiative.objects.filter(programme=copenhagen).order_by("pk").first()
    page.get_by_role("link", name=initiative.name, exact=True).first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    source = page.get_by_label("Finansieringskilde")
    source.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Kickstart")
    # Wait for the answer to the submission (a redirect and the page it leads to), not merely for the
    # current page to be idle: under load the old page was read before the form had even been sent.
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form
    assert "Indsatsen er gemt." in page.locator("main").inner_text(), page.locator("main").inner_text()[:3000]
    assert "Kickstart" in page.locator("#history").inner_text()
    assert_accessible(page)

    page.goto(f"{live_server.url}/programme/manage/budget/?programme={copenhagen.slug}")
    assert page.locator("#budget-table tbody tr").count() > 10
    assert_accessible(page)

    page.goto(f"{live_server.url}/programme/manage/effect-goals/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Effektmål 1").first.click()
    assert_accessible(page)

    # The users page and a user's page
    page.get_by_role("link", name="Brugere").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert reporter.username in page.locator("#users").inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=reporter.username).click()
    assert_accessible(page)

    # The invitation form with an error: announced, input kept, still accessible
    page.goto(f"{live_server.url}/users/invite/")
    page.get_by_label("Brugernavn").fill(reporter.username)
    page.get_by_label("Fornavn").fill("Bente")
    page.get_by_label("E-mail").fill("bente@example.org")
    page.get_by_label("Rolle").select_option(roles.ADMIN_REPORTER)
    with page.expect_navigation():
        page.get_by_role("button", name="Inviter").press("Enter")
    assert page.locator("#error-summary").is_visible()
    assert page.get_by_label("Fornavn").input_value() == "Bente"
    assert_accessible(page)
