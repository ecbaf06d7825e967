"""End to end in headless Chromium: the dashboard, an indicator page, and a reporter's upload."""
from datetime import date
from decimal import Decimal

import pytest

from accounts import roles
from indicators import measures
from indicators.demo import indicator_demo_values_create
from indicators.measures import GoalMeasurement, GoalStatus
from indicators.models import Indicator, IndicatorValue
from tests.a11y import assert_accessible


@pytest.fixture
def exit_measure(monkeypatch):
    def measure(goal, *, as_of=None):
        """Met when at least the target share of closed cases has no conviction two years on."""
        return GoalMeasurement(status=GoalStatus.ON_TRACK, reached=True, value=Decimal("64"), n=48,
                               as_of=date(2013, 6, 30),
                               explanation="48 forløb afsluttet for mindst 2 år siden (testmåling).",
                               series=[("2011", Decimal("58")), ("2012", Decimal("61")), ("2013", Decimal("64"))])

    monkeypatch.setitem(measures._REGISTRY, "exit_no_conviction_2y", measure)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_sees_goals_and_indicators(copenhagen, user_of_role, login, live_server, exit_measure):
    indicator_demo_values_create(programme=copenhagen)
    page = login(user_of_role(roles.COORDINATOR))
    page.get_by_role("link", name="Effektmål og indikatorer").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#goal-chart-2[data-rendered=true]").wait_for(timeout=15000)
    page.locator("#ind-chart-13[data-rendered=true]").wait_for(timeout=15000)
    assert page.locator("#goal-summary tbody tr").count() == 4
    assert page.locator("#goal-summary .goal-status-not_measurable").count() == 3
    # 64 % against the 60 % target, and the deadline (2013) has passed: final, "nået".
    assert page.locator("#goal-summary .goal-status-met").inner_text() == "nået"
    assert page.locator("#goal-chart-2 .scatterlayer .trace").count() == 2  # values and the target line
    assert page.locator(".indicator-chart .main-svg").count() >= 14
    assert_accessible(page)
    page.screenshot(path="test-results/indicators-dashboard.png", full_page=True)

    page.get_by_role("link", name="5. At fraværsprocenten i folkeskolen er dalende i udsatte boligområder").click()
    page.wait_for_load_state("networkidle")
    page.locator("#area-chart[data-rendered=true]").wait_for(timeout=15000)
    assert page.locator("#area-table tbody tr").count() == 10  # the ten bydele
    assert_accessible(page)
    page.screenshot(path="test-results/indicators-detail.png", full_page=True)

    client = user_of_role(roles.API_CLIENT)
    page.goto(f"{live_server.url}/indicators/api-tokens/")
    page.get_by_label("API-klient").select_option(label=client.username)
    page.get_by_role("button", name="Udsted token").click()
    page.wait_for_load_state("networkidle")
    assert len(page.locator("#token-value").input_value()) == 64
    assert page.locator("#token-table tbody tr").count() == 1
    assert_accessible(page)
    page.screenshot(path="test-results/indicators-api-tokens.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reporter_uploads_a_file_with_an_error_then_a_good_one(copenhagen, user_of_role, login, live_server,
                                                                tmp_path):
    page = login(user_of_role(roles.ADMIN_REPORTER))
    page.goto(f"{live_server.url}/indicators/upload/")
    bad = tmp_path / "fravaer.csv"
    bad.write_text("indicator;area_level;area_code;period;value;source\n5;city;0101;2011;7,5;BUF\n"
                   "1;city;0101;2011;3;BUF\n", encoding="utf-8")
    page.get_by_label("CSV- eller Excel-fil").set_input_files(str(bad))
    page.get_by_role("button", name="Kontrollér filen").click()
    page.wait_for_load_state("networkidle")
    assert "Linje 3" in page.locator("#upload-errors").inner_text()
    assert IndicatorValue.objects.count() == 0
    assert_accessible(page)
    page.screenshot(path="test-results/indicators-upload-errors.png", full_page=True)

    good = tmp_path / "fravaer2.csv"
    good.write_text("indicator;area_level;area_code;period;value;source\n5;city;0101;2011;7,5;BUF\n"
                    "5;city;0101;2012;7,2;BUF\n", encoding="utf-8")
    page.get_by_label("CSV- eller Excel-fil").set_input_files(str(good))
    page.get_by_role("button", name="Kontrollér filen").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#preview-table tbody tr").count() == 2
    assert_accessible(page)
    page.screenshot(path="test-results/indicators-upload-preview.png", full_page=True)
    page.get_by_role("button", name="Gem alle rækker som kladder").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#own-table tbody tr").count() == 2
    page.get_by_role("button", name="Indsend alle kladder til godkendelse").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.screenshot(path="test-results/indicators-review.png", full_page=True)
    ind5 = Indicator.objects.get(programme=copenhagen, number=5)
    assert set(IndicatorValue.objects.filter(indicator=ind5).values_list("status", flat=True)) == {"submitted"}
