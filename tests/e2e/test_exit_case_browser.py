"""End to end in headless Chromium: an SSP+ consultant takes one exit case from referral to the
2-year follow-up, and the coordinator sees effect goal 2 move. Every page is checked with axe."""
from datetime import date

import pytest

from accounts import roles
from exitprogram.models import ExitCase, Phase
from tests.a11y import assert_accessible
from tests.exitprogram.factories import complete_case, make_case, make_user


def _shot(page, name):
    page.screenshot(path=f"test-results/exit-{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_consultant_takes_a_case_through_all_four_phases(copenhagen, user_of_role, login, live_server):
    muni = copenhagen.municipality
    consultant = make_user(muni, roles.SSP_CONSULTANT, "BIF", first_name="Sara", last_name="SSP")
    mentor = make_user(muni, roles.MENTOR, "SOF", first_name="Mona", last_name="Mentor")
    # Four completed cases already followed up: effect goal 2 is still suppressed (fewer than 5).
    for day in range(1, 5):
        complete_case(make_case(consultant=consultant, born=date(1990, 4, day)), consultant=consultant,
                      mentor=mentor)
    coordinator = user_of_role(roles.COORDINATOR)

    page = login(coordinator)
    page.goto(f"{live_server.url}/exit/statistics/")
    assert page.locator("#goal2-value").inner_text() == "kan endnu ikke måles"
    page.get_by_role("button", name="Log ud").click()

    page = login(consultant)
    assert page.url.endswith("/exit/")
    assert page.locator("#case-count").inner_text() == "4 sager."
    assert_accessible(page)
    page.get_by_role("link", name="Registrér en henvisning").click()
    # Phase 1: a first attempt with a bad CPR number keeps everything typed.
    page.get_by_label("Fornavn").fill("Fiktiv")
    page.get_by_label("Efternavn").fill("Browsersen")
    page.get_by_label("CPR-nummer").fill("311399-1234")
    page.get_by_label("Henvisningsdato").fill("2012-01-10")
    page.get_by_label("Indgang").select_option("police")
    page.get_by_label("Kriminalitetsniveau").select_option("person_dangerous")
    page.get_by_label("Almindelig alvorlig kriminalitet (SSP+ konsulentens spor)").check()
    page.get_by_label("Baselinedato (første kontakt)").fill("2012-01-15")
    for label, text in [("Økonomi", "Gæld"), ("Bolig", "Sofasurfer"), ("Uddannelse", "Ingen"),
                        ("Beskæftigelse", "Ledig"), ("Sociale relationer", "Kriminelt netværk"),
                        ("Kriminalitet", "Vold")]:
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Registrér").click()
    assert "ikke en gyldig dato" in page.content()
    assert page.get_by_label("Efternavn").input_value() == "Browsersen"
    assert page.get_by_label("Bolig", exact=True).input_value() == "Sofasurfer"
    _shot(page, "create-error")
    assert_accessible(page)
    page.get_by_label("CPR-nummer").fill("170590-1234")
    page.get_by_role("button", name="Registrér").click()
    page.wait_for_load_state("networkidle")
    case = ExitCase.objects.get(referral_date=date(2012, 1, 10))
    assert page.url.endswith(f"/exit/cases/{case.uuid}/")
    assert "1705901234" not in page.url and "170590-XXXX" in page.content()
    assert_accessible(page)

    # Phase 2: coordination — meeting, plan item, mentor.
    page.get_by_label("Flyt til fase").select_option("coordination")
    page.get_by_role("button", name="Skift fase").click()
    assert page.locator("#case-phase").inner_text() == "2 Koordination"
    page.get_by_role("link", name="Registrér behovsafdækningsmøde").click()
    page.get_by_label("Dato").fill("2012-02-01")
    page.get_by_label("Deltagere").fill("SSP+, SOF 18+, den unge")
    page.get_by_label("Bolig").fill("Søger ungebolig")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("link", name="Tilføj handleplanspunkt").click()
    page.get_by_label("Mål").fill("Starte på uddannelse")
    page.get_by_label("Livsområde").select_option("education")
    page.get_by_label("Ansvarlig forvaltning").select_option(label="BUF")
    page.get_by_label("Frist").fill("2012-08-01")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("link", name="Redigér oplysninger, visitation og baseline").click()
    page.get_by_label("Mentor", exact=True).select_option(label="Mona Mentor (SOF)")
    page.get_by_label("Mentor forankret i").select_option(label="SOF")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    page.get_by_label("Flyt til fase").select_option("inclusion")
    page.get_by_role("button", name="Skift fase").click()
    assert page.locator("#case-phase").inner_text() == "3 Inklusion"

    # Phase 3: inclusion — a follow-up note, then a relapse step back and forward again.
    page.get_by_role("link", name="Skriv et notat").click()
    page.get_by_label("Dato").fill("2012-05-01")
    page.get_by_label("Bemærkning").fill("Er startet på VUC.")
    page.get_by_role("button", name="Gem").click()
    page.get_by_label("Flyt til fase").select_option("coordination")
    page.get_by_role("button", name="Skift fase").click()
    assert "Et skridt tilbage kræver en begrundelse." in page.content()
    page.goto(f"{live_server.url}/exit/cases/{case.uuid}/")
    page.get_by_label("Flyt til fase").select_option("coordination")
    page.get_by_label("Begrundelse").fill("Tilbagefald")
    page.get_by_role("button", name="Skift fase").click()
    page.get_by_label("Flyt til fase").select_option("inclusion")
    page.get_by_role("button", name="Skift fase").click()
    assert page.locator("#case-phase").inner_text() == "3 Inklusion"

    # Phase 4: closure and evaluation.
    page.get_by_role("link", name="Afslut og evaluér").click()
    page.get_by_label("Afsluttet den").fill("2013-06-01")
    page.get_by_label("Årsag til afslutning").select_option("self_reliant")
    page.get_by_label("Evaluering i forhold til baseline").fill("Egen bolig, i uddannelse, ingen ny sigtelse.")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    assert page.locator("#case-phase").inner_text() == "4 Afslutning"

    # The 2-year follow-up.
    page.get_by_role("link", name="Registrér 2-års-opfølgning").click()
    page.get_by_label("Opfølgningsdato").fill("2015-06-01")
    page.get_by_label("Nej").check()
    page.get_by_label("Uddannelses-/beskæftigelsesstatus").select_option("education")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    assert "ikke dømt" in page.locator("#followup-result").inner_text()
    assert page.locator("#timeline li").count() == 8  # 6 phase changes, the meeting, the note
    _shot(page, "case-detail")
    assert_accessible(page)
    case.refresh_from_db()
    assert case.phase == Phase.CLOSED and case.convicted_within_2y is False
    assert [t.to_phase for t in case.transitions.order_by("pk")] == [
        "identification", "coordination", "inclusion", "coordination", "inclusion", "closed"]
    page.get_by_role("button", name="Log ud").click()

    # The coordinator sees effect goal 2 move: five completed cases, all without conviction (the new case is
    # closed in 2013, within the goal's period 2010–2013; a case closed after it would not count).
    page = login(coordinator)
    page.goto(f"{live_server.url}/exit/statistics/")
    assert page.locator("#goal2-value").inner_text() == "100,0 %"
    assert page.locator("#goal2-n").inner_text() == "5"
    assert "Browsersen" not in page.content()
    _shot(page, "statistics")
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_data_lists_and_statistics(copenhagen, login, live_server):
    from accounts.models import User
    from accounts.services import demo_users_create
    from exitprogram.demo import demo_cases_create

    demo_users_create()
    demo_cases_create(per_year=40)
    page = login(User.objects.get(username="demo-ssp"), password="demo-sikkerby-2010")
    assert page.locator("#case-count").inner_text() == "440 sager."  # 40 a year, 2010–2015 and 2021–2025
    assert page.locator("#case-table tbody tr").count() == 50  # paginated
    _shot(page, "case-list")
    assert_accessible(page)
    page.get_by_role("link", name="Forfaldne opfølgninger").click()
    assert page.locator("#case-table tbody tr").count() == min(50, int(page.locator("#due-count").inner_text())) > 0
    page.goto(f"{live_server.url}/exit/statistics/")
    assert page.locator("#year-table tbody tr").count() == 11
    assert page.locator("#goal2-value").inner_text().endswith("%")
    _shot(page, "statistics-demo")
    assert_accessible(page)
