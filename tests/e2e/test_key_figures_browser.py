"""End to end in headless Chromium: a coordinator produces the ØU key-figure report and downloads it."""
from datetime import date

import pytest

from accounts import roles
from crimestats.services import straf11_load
from tests.a11y import assert_accessible
from tests.crimestats.factories import CrimeTypeFactory, charge, csv_file, event, point_in, rode


def _produce_quarter_report(page, year: int, quarter: int) -> None:
    """On the report list: ask for a quarter's report and wait until its charts and both grid maps are drawn."""
    # the request form: the filter form below it has its own year field (each label names its own field)
    form = page.get_by_role("region", name="Dan en rapport")
    form.get_by_label("Periode").select_option("quarter")
    form.get_by_label("År", exact=True).fill(str(year))
    form.get_by_label("Kvartal").select_option(str(quarter))
    page.get_by_role("button", name="Dan rapport").click()
    page.wait_for_load_state("networkidle")
    page.locator("#chart-reports_by_type[data-rendered=true]").wait_for(timeout=20000)
    for grid in ("grid-reports", "grid-events"):  # drawn by the server as SVG over the district outlines
        page.locator(f"#chart-{grid} svg[role=img]").wait_for(timeout=20000)


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

    _produce_quarter_report(page, 2025, 3)
    assert "2025 K3" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("#table-reports_by_type tbody tr").count() == 2
    assert page.locator("#table-grid-reports tbody tr").count() >= 1
    # the cases-and-incidents map keeps annex 7's threshold of 500: no cell is red in this small data set
    assert page.locator("#table-grid-events tbody tr").inner_text().startswith("Ingen celle")
    assert page.locator("#chart-grid-reports svg path.district").count() == 10
    assert page.locator("#chart-grid-reports svg text.district-name", has_text="Nørrebro").count() == 2  # + halo
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_imports_an_extract_sees_every_bad_row_then_reports_on_it(copenhagen, user_of_role, login,
                                                                               live_server, tmp_path, settings):
    """The whole path a coordinator takes: upload, read what is wrong, correct, upload again, report."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMALL_COUNT_THRESHOLD = 1
    straf11_load()
    a = rode("1")
    x, y = point_in(a)
    good = [["P1", "report", "2025-07-03", "VOLD-SIMPEL", "Simpel vold", "Nørrebrogade", x, y],
            ["P2", "report", "2025-08-04", "VOLD-SIMPEL", "Simpel vold", "Nørrebrogade", x, y],
            ["P3", "incident", "2025-08-05", "H-URO", "Uro og husspektakel", "Nørrebrogade", x, y]]
    bad = [*good[:2], ["P3", "report", "2025-02-30", "VOLD-SIMPEL", "Simpel vold", "", "", ""],
           ["P4", "complaint", "2025-08-05", "H-URO", "Uro", "", "", ""]]

    def upload(rows, name):
        path = tmp_path / name
        path.write_bytes(csv_file(rows).read())
        page.get_by_label("Slags udtræk").select_option("events")
        page.get_by_label("CSV-fil (UTF-8)").set_input_files(path)
        page.get_by_role("button", name="Importér", exact=True).click()
        page.wait_for_load_state("networkidle")

    page = login(user_of_role(roles.COORDINATOR))
    page.goto(f"{live_server.url}/key-figures/imports/")
    upload(bad, "udtraek-med-fejl.csv")
    assert page.locator("#import-result").get_attribute("role") == "alert"
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 2
    assert errors.nth(0).inner_text().startswith("4") and "2025-02-30" in errors.nth(0).inner_text()
    assert errors.nth(1).inner_text().startswith("5")
    assert_accessible(page)
    page.screenshot(path="test-results/key-figures-import-errors.png", full_page=True)

    page.get_by_role("link", name="Upload den rettede fil").click()
    page.wait_for_load_state("networkidle")
    upload(good, "udtraek.csv")
    assert "3 rækker læst, 3 tilføjet, 0 fandtes i forvejen" in page.locator("#import-result").inner_text()

    page.get_by_role("link", name="Kriminalitetsnøgletal", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    _produce_quarter_report(page, 2025, 3)
    # table 1: the two violence reports; table 4: the incident counts among cases and incidents
    assert page.locator("#table-reports_by_type tfoot td").first.inner_text() == "2"
    assert page.locator("#table-events_by_area tfoot td").first.inner_text() == "3"
