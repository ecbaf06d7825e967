"""End to end in headless Chromium: a reporter submits an evaluation, the coordinator returns it with a comment."""
from datetime import date

import pytest

from accounts import roles
from evaluations import services
from evaluations.models import Evaluation, EvaluationStatus
from tests.a11y import assert_accessible

from .factories import ClosureReportFactory


def _logout(page):
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reporter_submits_and_coordinator_returns_with_comment(copenhagen, user_of_role, login, live_server):
    coordinator = user_of_role(roles.COORDINATOR)
    reporter = user_of_role(roles.ADMIN_REPORTER)
    page = login(coordinator)
    page.goto(f"{live_server.url}/evaluations/rounds/new/")
    assert_accessible(page)
    page.get_by_label("Evalueret år").fill("2010")
    page.get_by_label("Frist").fill("2011-03-01")
    page.get_by_label("Titel").fill("Selvevaluering 2010")
    page.get_by_role("button", name="Åbn runden").click()
    page.wait_for_load_state("networkidle")
    assert "85 evalueringer er oprettet" in page.content()
    _logout(page)

    login(reporter)
    page.goto(f"{live_server.url}/evaluations/")
    assert page.locator("#my-evaluations tbody tr").count() == 41
    assert_accessible(page)
    page.screenshot(path="test-results/evaluations-index-reporter.png")
    page.locator("#my-evaluations tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    evaluation = Evaluation.objects.get(pk=int(page.url.rstrip("/").split("/")[-2]))
    page.get_by_label("Formål").fill("Færre unge i kriminalitet gennem mentorer")
    page.get_by_label("Budget (1.000 kr.)").fill("1.2 mio")
    # the autosave status line reports the saved draft
    page.locator("#autosave-status").filter(has_text="gemt automatisk").wait_for(timeout=15000)
    page.get_by_role("button", name="Indsend til koordinatoren").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#error-summary").is_visible()
    assert page.get_by_label("Formål").input_value() == "Færre unge i kriminalitet gennem mentorer"
    assert page.get_by_label("Budget (1.000 kr.)").input_value() == "1.2 mio"
    assert page.get_by_label("Budget (1.000 kr.)").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.screenshot(path="test-results/evaluation-form-errors.png", full_page=True)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.purpose.startswith("Færre unge")

    answers = {"period_start": "2010-01-01", "period_end": "2010-12-31", "target_group": "Unge 14-17 år",
               "area_text": "Nørrebro", "benefit": "120 unge kom i skole", "reached_count": "120",
               "effects": "Færre sigtelser", "challenges": "Rekruttering", "anchoring": "Driften",
               "methods": "Mentorordning, virker", "budget_tdkk": "1250.5", "spent_tdkk": "1190",
               "price_level_year": "2010"}
    for name, value in answers.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_crime_score").select_option("4")
    page.locator("#id_crime_indicator").fill("Antal sigtelser blandt deltagerne")
    page.get_by_role("button", name="Indsend til koordinatoren").click()
    page.wait_for_load_state("networkidle")
    assert "Evalueringen er indsendt til koordinatoren." in page.content()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.version == 1
    _logout(page)

    login(coordinator)
    page.goto(f"{live_server.url}/evaluations/rounds/{evaluation.round_id}/")
    assert "1 (2 %)" in page.locator("#completion-administration").inner_text()
    assert_accessible(page)
    page.screenshot(path="test-results/evaluation-round.png", full_page=True)
    page.get_by_role("link", name=evaluation.initiative.name).click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.screenshot(path="test-results/evaluation-review.png", full_page=True)
    page.get_by_label("Kommentar til forvaltningen").fill("Angiv effekterne med tal for 2009 og 2010.")
    page.get_by_role("button", name="Send retur med kommentar").click()
    page.wait_for_load_state("networkidle")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.RETURNED
    assert evaluation.events.filter(kind="returned", comment__startswith="Angiv effekterne").exists()
    _logout(page)

    login(reporter)
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/edit/")
    assert "Angiv effekterne med tal" in page.locator("#return-comment").inner_text()
    assert page.get_by_label("Formål").input_value().startswith("Færre unge")
    page.screenshot(path="test-results/evaluation-returned.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_closure_and_prioritisation_pages_are_accessible(copenhagen, user_of_role, login, live_server):
    coordinator = user_of_role(roles.COORDINATOR)
    reporter = user_of_role(roles.ADMIN_REPORTER)
    ClosureReportFactory(administration=reporter.administration, reported_by=reporter, closed_from=date(2011, 6, 1))
    prio = services.prioritisation_round_open(programme=copenhagen, title="Prioritering 2010", budget_year=2010,
                                              deadline=date(2010, 5, 4), user=coordinator)
    page = login(reporter)
    page.goto(f"{live_server.url}/evaluations/closures/new/")
    assert_accessible(page)
    page.get_by_label("Institution eller serviceydelse").fill("Klub Mjølner")
    page.get_by_label("Lukket fra").fill("2012-02-10")
    page.get_by_label("Stedet beskrevet").fill("Mjølnerparken")
    page.get_by_label("Berørte ydelser").fill("Aftenåbning")
    page.get_by_label("Årsag (uroen eller krisen)").fill("Skyderier i området")
    page.get_by_label("Iværksatte tiltag").fill("Ekstra gadeplansmedarbejdere")
    page.get_by_role("button", name="Indberet lukningen").click()
    page.wait_for_load_state("networkidle")
    assert "Klub Mjølner" in page.locator("#closure-table").inner_text()
    page.goto(f"{live_server.url}/evaluations/prioritisation/{prio.pk}/mine/")
    assert_accessible(page)
    page.screenshot(path="test-results/prioritisation-form.png", full_page=True)
    _logout(page)
    login(coordinator)
    page.goto(f"{live_server.url}/evaluations/closures/")
    assert page.locator("#goal-status-badge").inner_text() == "ikke nået"  # the deadline (2013) has passed
    assert "2 nedlukninger indberettet" in page.locator("#goal-status").inner_text()
    assert page.locator("#closures-per-year tbody tr").count() == 2
    assert_accessible(page)
    page.screenshot(path="test-results/closures.png", full_page=True)
