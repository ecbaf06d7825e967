"""Cells and sheets of every CSV and Excel file the project writes: one place for formula injection and layout.

**Formula injection.** Free text that starts with ``= + - @`` (or a tab or
carriage return) is run as a formula by Excel and LibreOffice — in a CSV, and
in a workbook cell that is stored as a formula (openpyxl stores any string
starting with ``=`` as one). ``is_formula_like`` is the one rule:

* a CSV has no cell types, so ``csv_cell`` prefixes such text with an
  apostrophe (the OWASP advice);
* a workbook has them: ``append_row`` stores such text as a text cell (never a
  formula) with Excel's *quote prefix* set, so the reader sees exactly what
  was entered, and editing the cell does not turn it into a formula either.

A plain number written as text (``-5.5``) is left alone, and real numbers stay
numbers. Every workbook row goes through ``append_row``; ``write_table`` adds
the layout that makes a sheet read well: the full title in A1, notes, a bold
frozen header row, an autofilter over the rows, and column widths fitted to
the content (bounded). ``sheet_name`` makes sheet names that are unique, at
most 31 characters and never cut inside a word.
"""
import math
import re
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone, translation
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")
SHEET_NAME_MAX = 31  # Excel's limit; longer names are cut by openpyxl's readers or refused by Excel
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH = 8, 60  # column widths in characters


def is_formula_like(value) -> bool:
    """True for text a spreadsheet program would run as a formula (a plain number such as ``-5.5`` is not)."""
    return isinstance(value, str) and value[:1] in FORMULA_STARTS and not NUMBER.match(value)


def csv_cell(value):
    """A CSV field that spreadsheet programs will not run: formula-like text gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


def _value(value):
    """A value openpyxl can store as it should appear: local wall-clock time, no control characters."""
    if isinstance(value, datetime):
        # openpyxl refuses aware datetimes; dropping the zone of a UTC value would shift the time
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)  # openpyxl raises on them: the export would fail
    return value


def date_format_code() -> str:
    """Excel's number format for a date in the active language: Danish day.month.year, else ISO."""
    return "dd.mm.yyyy" if (translation.get_language() or "").startswith("da") else "yyyy-mm-dd"


def date_text(value) -> str:
    """A date (or ISO date string) written out in the active language: "1. oktober 2025" in Danish."""
    return formats.date_format(date.fromisoformat(value) if isinstance(value, str) else value, "DATE_FORMAT")


def append_row(ws, values) -> list:
    """Append a row of values; text is never stored as a formula (see the module docstring)."""
    ws.append([_value(v) for v in values])
    cells = list(ws[ws.max_row])
    for cell in cells:
        if cell.data_type == "f" or is_formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
        elif isinstance(cell.value, datetime):
            cell.number_format = date_format_code() + " hh:mm"
        elif isinstance(cell.value, date):
            cell.number_format = date_format_code()
    return cells


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut between words (inside a word only when one word is longer)."""
    if len(text) <= limit:
        return text
    head = text[:limit + 1]
    return (head.rsplit(" ", 1)[0] if " " in head else text[:limit]).rstrip(" ,.;–-")


def sheet_name(title: str, taken) -> str:
    """A sheet name for ``title``: no characters Excel forbids, at most 31, cut between words, unique in ``taken``."""
    base = _cut(" ".join(SHEET_NAME_FORBIDDEN.sub("-", str(title)).split()).strip("'") or "-", SHEET_NAME_MAX)
    taken = {t.casefold() for t in taken}  # Excel compares sheet names without case
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = _cut(base, SHEET_NAME_MAX - len(suffix)) + suffix
        n += 1
    return name


def _number_format(value) -> str | None:
    """Thousands separators (shown as the reader's locale has them: 10.023 in Danish), one or three decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return "#,##0" if isinstance(value, int) else "#,##0.0" if isinstance(value, float) else "#,##0.000"


def write_table(wb, *, name: str, title: str, notes=(), header, rows, footer=(), wrap_after: int = MAX_WIDTH,
                number_formats: dict[int, str] | None = None):
    """A sheet: ``title`` in A1, the notes under it, then a table with a frozen header row and an autofilter.

    ``footer`` rows (a total) follow the table outside the autofilter, so
    sorting never moves them. Columns are as wide as their header and values
    (between ``MIN_WIDTH`` and ``MAX_WIDTH`` characters); longer text wraps.
    The title and the notes are left out of the widths: they run across the
    empty cells to their right. Numbers get thousands separators unless
    ``number_formats`` gives a column (0-based) its own format (e.g. ``"0"``
    for grid coordinates). Printed, a sheet is one page wide, landscape when
    it is wide, with the header row repeated on every page.
    """
    ws = wb.create_sheet(title=sheet_name(name, wb.sheetnames))
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    for note in notes:
        append_row(ws, [note])
    header_row = ws.max_row + 1
    for cell in append_row(ws, header):
        cell.font = Font(bold=True)
    for row in rows:
        append_row(ws, row)
    last_data_row = ws.max_row
    for row in footer:
        for cell in append_row(ws, row):
            cell.font = Font(bold=True)
    columns = len(header)
    for row in ws.iter_rows(min_row=header_row + 1):
        for c in row:
            fmt = (number_formats or {}).get(c.column - 1) or _number_format(c.value)
            if fmt and _number_format(c.value):
                c.number_format = fmt
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{max(last_data_row, header_row)}"
    for i in range(1, columns + 1):
        cells = [ws.cell(row=r, column=i) for r in range(header_row, ws.max_row + 1)]
        longest = max((max(len(line) for line in str(c.value).splitlines() or [""]) for c in cells
                       if c.value is not None), default=0)
        # + room for the autofilter's button
        ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 3, MIN_WIDTH), MAX_WIDTH)
        width = ws.column_dimensions[get_column_letter(i)].width
        for c in cells:
            if isinstance(c.value, str) and (len(c.value) > wrap_after or "\n" in c.value):
                c.alignment = Alignment(wrap_text=True, vertical="top")
                # readers do not all grow a row for wrapped text: give it the height of its lines
                lines = sum(max(1, math.ceil(len(line) / (width - 2))) for line in c.value.splitlines())
                height = ws.row_dimensions[c.row].height or 15
                ws.row_dimensions[c.row].height = min(max(height, 15 * lines), 409)  # Excel's largest row
    if sum(ws.column_dimensions[get_column_letter(i)].width for i in range(1, columns + 1)) > 90:
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    return ws
