"""End to end in headless Chromium: SSP consultants run two single-case meetings with the police, and a concern the
police brought to the first is carried to the second with its history, where it is closed. Every page with axe.

The police do not sign in (no role of the system fits them): the officers present are recorded on the meeting.
"""
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from exitprogram.models import AccessLog
from sspcases.models import AgendaItem, Concern, MeetingStatus
from tests.a11y import assert_accessible
from tests.exitprogram.factories import make_user

OWNER = re.compile(r"^\s*Ansvarlig\s*\*?\s*$")  # crispy marks a required field with an asterisk


def _logout(page):
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ssp_and_police_carry_a_concern_from_one_meeting_to_the_next(copenhagen, login, live_server):
    muni = copenhagen.municipality
    sara = make_user(muni, roles.SSP_CONSULTANT, "BIF", first_name="Sara", last_name="SSP")
    sune = make_user(muni, roles.SSP_CONSULTANT, "BUF", first_name="Sune", last_name="SSP")
    today = timezone.localdate()
    first_day = today - timedelta(days=14)

    # Sara sets up the series: every 14 days, the first meeting two weeks ago, the second today.
    page = login(sara)
    page.get_by_role("link", name="SSP-enkeltsager").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Ny mødeserie").click()
    page.get_by_label("Navn").fill("SSP og politi")
    page.get_by_label("Første møde").fill(first_day.isoformat())
    page.get_by_label("Politienhed").fill("Københavns Politi, Station City")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    assert page.locator("#calendar tbody tr").count() > 10
    assert_accessible(page)

    # A concern the police brought: a 15-year-old, no CPR number known yet.
    page.get_by_role("link", name="SSP-enkeltsager").first.click()
    page.get_by_role("link", name="Registrér en bekymring").click()
    page.get_by_label("Registreret af").select_option("police")
    page.get_by_label("Registreret den").fill((first_day - timedelta(days=3)).isoformat())
    page.get_by_label("Fornavn").fill("Fiktiv")
    page.get_by_label("Efternavn").fill("Browserung")
    page.get_by_label("Bekymringen").fill("Set med en kniv ved stationen.")
    page.get_by_role("button", name="Gem").click()
    assert "Angiv alderen eller CPR-nummeret." in page.content()
    assert page.get_by_label("Efternavn").input_value() == "Browserung"  # input kept
    assert_accessible(page)
    page.get_by_label("Alder", exact=True).fill("15")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state("networkidle")
    concern = Concern.objects.get()
    assert page.url.endswith(f"/ssp/concerns/{concern.uuid}/") and "Browserung" not in page.url
    assert_accessible(page)

    # Meeting 1, two weeks ago: SSP and the police; a talk with the parents, the concern stays open.
    page.get_by_role("link", name="SSP-enkeltsager").first.click()
    page.get_by_role("link", name="SSP og politi").click()
    page.get_by_role("link", name="Møde 1", exact=True).click()
    page.get_by_label("Sara SSP").check()
    page.get_by_label("Sune SSP").check()
    page.get_by_label("Deltagere fra politiet").fill("Politiassistent Fiktiv Betjent, Station City")
    page.get_by_role("button", name="Gem deltagere").click()
    assert page.locator("#meeting-status").inner_text() == "afholdt"
    card = page.locator(f"#concern-{concern.reference}")
    card.get_by_label("Beslutning").fill("Forældresamtale hos SSP med mor og far.")
    card.get_by_label("Handling").select_option("parent_talk")
    card.get_by_label(OWNER).select_option("ssp")
    card.get_by_label("Den ansvarliges navn").fill("Sara SSP")
    card.get_by_label("Frist").fill((first_day + timedelta(days=7)).isoformat())
    assert_accessible(page)
    card.get_by_role("button", name="Gem beslutning").click()
    page.wait_for_load_state("networkidle")
    assert "Beslutningen om" in page.content()
    assert_accessible(page)
    _logout(page)

    # Meeting 2, today, with Sune: the concern is on the agenda, carried over, with the first meeting's decision.
    page = login(sune)
    page.get_by_role("link", name="SSP-enkeltsager").first.click()
    page.get_by_role("link", name=today.strftime("%d.%m.%Y")).or_(
        page.locator("#series-table tbody a").nth(1)).first.click()
    assert page.locator("h1").inner_text().startswith("Møde 2")
    card = page.locator(f"#concern-{concern.reference}")
    assert card.locator(".carried").inner_text() == "overført"
    assert "Forældresamtale hos SSP med mor og far." in card.locator("table.history").inner_text()
    assert_accessible(page)
    page.get_by_label("Sune SSP").check()
    page.get_by_label("Deltagere fra politiet").fill("Politiassistent Fiktiv Betjent, Station City")
    page.get_by_role("button", name="Gem deltagere").click()
    card = page.locator(f"#concern-{concern.reference}")
    card.get_by_label("Beslutning").fill("Samtalen er holdt; den unge er i klub. Lukkes.")
    card.get_by_label("Handling").select_option("youth_talk")
    card.get_by_label(OWNER).select_option("police")
    card.get_by_label("Luk bekymringen").check()
    card.get_by_label("Udfald (ved lukning)").select_option("resolved")
    card.get_by_role("button", name="Gem beslutning").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)

    concern.refresh_from_db()
    items = list(AgendaItem.objects.filter(concern=concern).order_by("meeting__number"))
    assert [i.meeting.number for i in items] == [1, 2] and concern.status == "closed"
    assert all(i.meeting.status == MeetingStatus.HELD for i in items)
    assert items[0].meeting.police_participants.startswith("Politiassistent")
    # every page that showed the concern wrote an access-log row, by each of the two consultants
    readers = set(AccessLog.objects.filter(case_uuid=concern.uuid, action="view").values_list("username", flat=True))
    assert readers == {sara.username, sune.username}

    # the next meeting's agenda no longer has it
    page.get_by_role("link", name="Næste møde").click()
    assert page.locator(f"#concern-{concern.reference}").count() == 0
    assert_accessible(page)

    # the police cannot come: the meeting is cancelled with the reason, by keyboard, and planned again
    if page.get_by_role("button", name="Aflys mødet").count():
        page.get_by_label("Begrundelse for aflysning").fill("Politiet er til en større indsats")
        page.get_by_label("Begrundelse for aflysning").press("Enter")  # submits its form, as a keyboard user does
        expect(page.locator("#cancelled")).to_contain_text("Politiet er til en større indsats")
        assert page.locator("#meeting-status").inner_text() == "aflyst"
        assert_accessible(page)
        page.screenshot(path="test-results/ssp-meeting-cancelled.png", full_page=True)
        page.get_by_role("button", name="Planlæg mødet igen").click()
        expect(page.locator("#meeting-status")).to_have_text("planlagt")
        assert page.locator("#cancelled").count() == 0
