"""End to end in headless Chromium: a coordinator produces the ØU key-figure report and downloads it."""
from datetime import date

import pytest

from accounts import roles
from crimestats.services import straf11_load
from tests.a11y import assert_accessible
from tests.crimestats.factories import CrimeTypeFactory, charge, event, rode


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_produces_and_downloads_a_report(copenhagen, user_of_role, login, live_server, tmp_path,
                                                     settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KEY_FIGURES_GRID_THRESHOLD = 3
    straf11_load()
    m = copenhagen.municipality
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12", person_dangerous=True)
    indbrud = CrimeTypeFactory(code="INDBRUD-BEB", label="Indbrud i beboelse", straf11_code="1320")
    for i, code in enumerate(["1", "2", "3", "40", "41", "120", "200", "250", "300", "350"]):
        area = rode(code)
        for k in range(i + 1):
            event(m, on=date(2025, 7, 1 + k), crime_type=vold if k % 2 else indbrud, area=area,
                  location=f"{area.name}", grid=(700 + i % 4, 6150 + i // 4))
            event(m, on=date(2024, 7, 2 + k), crime_type=vold, area=area, location=f"{area.name}",
                  grid=(700 + i % 4, 6150 + i // 4))
        charge(m, on=date(2025, 8, 1), crime_type=vold, age=14 + i, area=area)
    user = user_of_role(roles.COORDINATOR)

    page = login(user)
    page.get_by_role("link", name="Kriminalitetsnøgletal").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Kriminalitetsnøgletal til Økonomiudvalget"
    assert_accessible(page)

    page.get_by_label("Periode").select_option("quarter")
    page.get_by_label("År", exact=True).fill("2025")
    page.get_by_label("Kvartal").select_option("3")
    page.get_by_role("button", name="Dan rapport").click()
    page.wait_for_load_state("networkidle")
    page.locator("#chart-reports_by_type[data-rendered=true]").wait_for(timeout=20000)
    page.locator("#chart-grid-reports[data-rendered=true]").wait_for(timeout=20000)
    page.locator("#chart-grid-events[data-rendered=true]").wait_for(timeout=20000)
    assert "2025 K3" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("#table-reports_by_type tbody tr").count() == 2
    assert page.locator("#table-grid-reports tbody tr").count() >= 1
    # the cases-and-incidents map keeps annex 7's threshold of 500: no cell is red in this small data set
    assert page.locator("#table-grid-events tbody tr").inner_text().startswith("Ingen celle")
    assert_accessible(page)
    page.screenshot(path="test-results/key-figures-report.png", full_page=True)

    with page.expect_download() as info:
        page.locator("#download-pdf").click()
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename == "noegletal-20250701-20250930-v1.pdf"
    with page.expect_download() as info:
        page.locator("#download-xlsx").click()
    assert info.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="Kriminalitetsnøgletal", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-table tbody tr").count() == 1

    page.get_by_role("link", name="Importér politiudtræk").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.screenshot(path="test-results/key-figures-imports.png", full_page=True)
