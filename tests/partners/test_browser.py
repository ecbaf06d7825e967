"""End to end in headless Chromium: a Copenhagen coordinator opens the month's partner pack and downloads it
as PDF and as Excel; every page passes axe."""
import io

import pypdf
import pytest
from openpyxl import load_workbook

from accounts import roles
from tests.a11y import assert_accessible


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_produces_the_monthly_partner_pack(copenhagen, user_of_role, login, live_server, history,
                                                       police, buf_initiative, sof_initiative):
    coordinator = user_of_role(roles.COORDINATOR)
    page = login(coordinator)
    page.get_by_role("link", name="Partnere", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Måned", exact=True).fill("2025-06")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_load_state("networkidle")
    assert "Månedlig partnerrapport: juni 2025" in page.locator("h1").inner_text()
    # status as a word and a symbol, not colour alone; the 12-month row; what changed status
    row = page.locator("#pack-status tbody tr", has_text=buf_initiative.name)
    assert "▲ fremgang" in row.locator("td").nth(2).inner_text()
    assert row.locator("td.cell").count() == 12
    assert buf_initiative.name in page.locator("#pack-changes").inner_text()
    assert "Københavns Politi" in row.inner_text()
    assert_accessible(page)
    page.screenshot(path="test-results/partners-pack.png", full_page=True)

    with page.expect_download() as xlsx_download:
        page.locator("#pack-xlsx").click()
    wb = load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read()))
    cells = [c.value for r in wb[wb.sheetnames[0]].iter_rows() for c in r]
    assert "Månedlig partnerrapport 06.2025" in cells and buf_initiative.name in cells
    assert "▲ fremgang" in cells and "▼ tilbagegang" in cells

    page.locator("#pack-pdf").click()
    page.wait_for_load_state("networkidle")
    page.locator("#pack-pdf-download").wait_for(timeout=60000)
    assert_accessible(page)
    with page.expect_download() as pdf_download:
        page.locator("#pack-pdf-download").click()
    assert pdf_download.value.suggested_filename == "partnerrapport-2025-06.pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf_download.value.path()).pages)
    assert "Månedlig partnerrapport: juni 2025" in text and "Ændret status siden sidste måned" in text
    assert sof_initiative.name[:15] in text and "tilbagegang" in text

    # the completeness view and an entry form are accessible too
    page.goto(f"{live_server.url}/partners/progress/?month=2025-06")
    assert "2 af" in page.locator("#completeness-total").inner_text()
    assert_accessible(page)
    page.goto(f"{live_server.url}/partners/progress/{buf_initiative.pk}/?month=2025-07")
    page.get_by_label("fremgang").check()
    page.get_by_label("Hvad skete der i måneden").fill("Flere unge i klubben")
    page.get_by_role("button", name="Gem indberetningen").click()
    page.wait_for_load_state("networkidle")
    assert "Fremdriftsindberetningen for 07.2025 er gemt." in page.content()
    assert_accessible(page)
