"""A missing figure is not a zero: STRAF11 without last year, a municipality without police data or bydele."""
import io
from datetime import date

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from accounts import roles
from crimestats import selectors
from crimestats.exports import coverage_warnings, report_context
from crimestats.periods import quarter_period
from crimestats.services import report_request
from tests.factories import UserFactory

from .factories import CrimeTypeFactory, event, rode

pytestmark = pytest.mark.django_db


@pytest.fixture
def albertslund(copenhagen):
    from initiatives.models import Municipality
    return Municipality.objects.get_or_create(code="0165", defaults={"name": "Albertslund Kommune"})[0]


def _produce(municipality, period, capture):
    with capture(execute=True):
        report = report_request(municipality=municipality, period=period)
    report.refresh_from_db()
    return report


def test_straf11_without_last_years_figure_has_no_previous_and_no_change(municipality, straf11):
    """STRAF11 starts in 2016: a 2016 report has no 2015 to compare with (it used to say 0 and +102,763)."""
    f = selectors.report_figures(municipality=municipality, period=quarter_period(2016, 4))
    by_offence = f["straf11"]["by_offence"]
    total = by_offence["rows"][-1]
    assert total["current"] > 0
    assert (total["previous"], total["change"], total["pct"]) == (None, None, None)
    assert all(r["previous"] is None and r["change"] is None for r in by_offence["rows"])
    assert by_offence["previous_missing"] is True
    with translation.override("en"):
        assert report_context(f)["straf11_table"]["missing_note"] == (
            "No figure for 2015 in Statistics Denmark's STRAF11: last year's column is empty (–) and the change is "
            "not computed.")
    # a year with last year's figures compares as before
    later = selectors.report_figures(municipality=municipality, period=quarter_period(2017, 4))["straf11"]
    assert later["by_offence"]["previous_missing"] is False
    assert later["by_offence"]["rows"][-1]["change"] is not None


def test_the_2016_report_shows_a_dash_and_the_note_on_the_page_pdf_and_workbook(
        client, coordinator, municipality, straf11, django_capture_on_commit_callbacks):
    report = _produce(municipality, quarter_period(2016, 4), django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    html = client.get(reverse("crimestats:report_detail", args=[report.pk])).content.decode()
    table = html[html.index('id="table-straf11"'):]
    table = table[:table.index("</table>")]
    assert "None" not in table and "ingen tal" in table  # the empty cell says so to screen readers
    assert 'id="straf11-missing-note"' in html and "Ingen tal for 2015 i Danmarks Statistiks STRAF11" in html

    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(bytes(report.pdf))).pages)
    assert "Ingen tal for 2015 i Danmarks Statistiks STRAF11" in text.replace("\n", " ")

    wb = openpyxl.load_workbook(io.BytesIO(bytes(report.xlsx)), read_only=True)
    rows = list(wb["STRAF11"].iter_rows(values_only=True))
    assert any(str(r[0]).startswith("Ingen tal for 2015 i Danmarks Statistiks STRAF11") for r in rows)
    total = next(r for r in rows if r[0] == "Alle overtrædelser")
    assert total[1] > 0 and total[2:] == (None, None, None)  # no 0 for 2015, no change


def test_a_municipality_without_police_data_says_so_instead_of_tables_of_zeros(albertslund, straf11):
    f = selectors.report_figures(municipality=albertslund, period=quarter_period(2025, 4))
    assert f["police_data"] == {"events": False, "charges": False}
    for key, table in f["tables"].items():
        assert table == {"rows": [], "total": None, "no_data": True}, key
    assert f["straf11"]["by_offence"]["rows"][-1]["current"] > 0  # STRAF11 still has the municipality's figures
    with translation.override("en"):
        assert coverage_warnings(f) == ["No police data on cases and incidents and on charges have been imported: "
                                        "the report has no police figures on them for this period."]


def test_police_data_outside_the_period_is_no_police_data_for_the_period(municipality, straf11):
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12")
    event(municipality, on=date(2020, 3, 1), crime_type=vold, area=rode("1"))
    f = selectors.report_figures(municipality=municipality, period=quarter_period(2025, 4))
    assert f["police_data"] == {"events": False, "charges": False}
    assert f["tables"]["reports_by_type"]["no_data"] is True
    with translation.override("en"):
        assert coverage_warnings(f)[0] == (
            "There are no police data on cases and incidents for this period: the extracts imported cover "
            "March 1, 2020 – March 1, 2020. Import the extract of the period and produce the report again.")
    # with a row in last year's period the tables are counted (and the gap is warned about as before)
    event(municipality, on=date(2024, 11, 1), crime_type=vold, area=rode("1"))
    f = selectors.report_figures(municipality=municipality, period=quarter_period(2025, 4))
    assert f["police_data"]["events"] is True and "no_data" not in f["tables"]["reports_by_type"]
    assert f["tables"]["reports_by_type"]["total"]["previous"] == 1


def test_headings_name_the_area_level_the_municipality_has(municipality, albertslund, straf11):
    with translation.override("en"):
        cph = report_context(selectors.report_figures(municipality=municipality, period=quarter_period(2025, 4)))
        alb = report_context(selectors.report_figures(municipality=albertslund, period=quarter_period(2025, 4)))
        stored_before = {k: v for k, v in selectors.report_figures(
            municipality=albertslund, period=quarter_period(2025, 4)).items() if k != "area_level"}
        old = report_context(stored_before)  # a report stored before the level was recorded: bydel, as it said
        titles = {t["key"]: str(t["title"]) for t in cph["tables"]}
        assert titles["reports_by_area"] == "2. Reports by area (bydel)" and cph["has_bydele"]
        titles = {t["key"]: str(t["title"]) for t in alb["tables"]}
        assert titles["reports_by_area"] == "2. Reports by area"
        assert titles["events_by_area"] == "4. Cases and incidents by area"
        assert not alb["has_bydele"]
        assert old["has_bydele"]


def test_the_albertslund_page_pdf_and_workbook_show_no_police_data_and_no_bydele(
        client, albertslund, straf11, django_capture_on_commit_callbacks):
    report = _produce(albertslund, quarter_period(2025, 4), django_capture_on_commit_callbacks)
    user = UserFactory(municipality=albertslund, role=roles.COORDINATOR, is_staff=True)
    client.force_login(user)
    html = client.get(reverse("crimestats:report_detail", args=[report.pk])).content.decode()
    assert html.count("Ingen politidata for denne periode.") == 7
    assert 'id="table-reports_by_type"' not in html and 'id="chart-reports_by_type"' not in html
    assert 'id="coverage-warning"' in html
    assert "bydel" not in html.lower()  # Albertslund has none

    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(bytes(report.pdf))).pages)
    assert "Ingen politidata for denne periode." in text.replace("\n", " ") and "bydel" not in text.lower()

    wb = openpyxl.load_workbook(io.BytesIO(bytes(report.xlsx)), read_only=True)
    first = list(wb.worksheets[0].iter_rows(values_only=True))
    assert any(r[0] == "Ingen politidata for denne periode." for r in first)
    assert not any(r[0] == "I alt" for r in first)  # no total of zeros
    assert "bydel" not in str(list(wb.worksheets[1].iter_rows(values_only=True))[0][0]).lower()
