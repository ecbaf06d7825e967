"""The monthly partner-meeting pack as a PDF (WeasyPrint) and as an Excel workbook (openpyxl).

Both are made from the same ``selectors.partner_pack`` dictionary as the page, so the three agree.
The workbook takes well under a second and is made in the request; laying out the PDF takes WeasyPrint
several seconds at demo size (110 initiatives), so it is a background job (``models.PartnerPackPdf``);
the page and the workbook are re-read from the entries each time, which keeps them current.
"""
import io

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from sikkerby import databasis
from sikkerby.spreadsheets import write_table

# Fill colours of the status cells in the workbook; the cell also holds the symbol and the word.
FILLS = {"progress": "C6EFCE", "unchanged": "FFEB9C", "regress": "FFC7CE"}


def _status_text(cell) -> str:
    return f"{cell['symbol']} {cell['label']}" if cell["label"] else "–"


def pack_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("partners/pack_pdf.html", {
        "pack": data, "data_basis_label": databasis.label(data["data_basis"]),
        "key_figure_url": reverse("crimestats:report_detail", args=[data["key_figure_report"].pk])
        if data["key_figure_report"] else ""})
    return HTML(string=html).write_pdf()


def pack_xlsx(data: dict) -> bytes:
    """One workbook: the status of every initiative with its 12-month trend, what changed status, the indicators."""
    wb = Workbook()
    wb.remove(wb.active)
    month = data["month"]
    notes = [_("%(programme)s · month %(month)s") % {"programme": data["programme"], "month": f"{month:%m.%Y}"},
             _("Status: ▲ progress, ● unchanged, ▼ regress, – no entry.")]
    if data["data_basis"] != databasis.DataBasis.REAL:
        notes.append(databasis.label(data["data_basis"]))
    report = data["key_figure_report"]
    notes.append(_("Quarterly assessment: key-figure report %(label)s (version %(version)s)")
                 % {"label": report.label, "version": report.version} if report
                 else _("Quarterly assessment: no key-figure report for the period yet."))
    months = [f"{m:%m.%Y}" for m in data["months"]]
    header = [_("Initiative"), _("Administration"), _("Partners"), _("Status"), _("Narrative"), _("Risks"),
              _("Next steps"), *months]
    rows = []
    for r in data["rows"]:
        e = r["entry"]
        rows.append([r["initiative"].name, r["initiative"].administration.code,
                     ", ".join(p.name for p in r["partners"]), _status_text(r["status"]),
                     e.narrative if e else "", e.risks if e else "", e.next_steps if e else "",
                     *[c["symbol"] for c in r["trend"]]])
    ws = write_table(wb, name=str(_("Status")), title=str(_("Monthly partner report %(month)s") % {
        "month": f"{month:%m.%Y}"}), notes=[str(n) for n in notes], header=[str(h) for h in header], rows=rows)
    _colour_statuses(ws, data, first_trend_col=8, status_col=4, header_row=len(notes) + 2)

    write_table(wb, name=str(_("Changed status")), title=str(_("Changed status since last month")),
                notes=[str(notes[0])],
                header=[str(_("Initiative")), str(_("Administration")), str(_("Last month")), str(_("This month"))],
                rows=[[r["initiative"].name, r["initiative"].administration.code, _status_text(r["previous"]),
                       _status_text(r["status"])] for r in data["changes"]])
    write_table(wb, name=str(_("Indicators")), title=str(_("Indicator movements")), notes=[str(notes[0])],
                header=[str(_("Indicator")), str(_("Desired direction")), str(_("Period")), str(_("Value")),
                        str(_("Previous period")), str(_("Previous value")), str(_("Change")),
                        str(_("Assessment")), str(_("New this month"))],
                rows=[[str(i["indicator"]), i["indicator"].get_direction_display(), i["period"] or "",
                       i["value"], i["previous_period"] or "", i["previous_value"], i["change"],
                       str(ASSESSMENTS.get(i["assessment"], "")), _("yes") if i["new_this_month"] else _("no")]
                      for i in data["indicators"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _colour_statuses(ws, data, *, first_trend_col, status_col, header_row):
    for offset, r in enumerate(data["rows"]):
        row = header_row + 1 + offset
        cells = [(status_col, r["status"])] + [(first_trend_col + i, c) for i, c in enumerate(r["trend"])]
        for col, c in cells:
            if c["status"] in FILLS:
                ws.cell(row=row, column=col).fill = PatternFill("solid", fgColor=FILLS[c["status"]])
    for col in range(first_trend_col, first_trend_col + len(data["months"])):
        ws.cell(row=header_row, column=col).font = Font(bold=True)


class _Assessments(dict):
    def get(self, key, default=None):
        labels = {"better": _("better"), "worse": _("worse"), "unchanged": _("unchanged"), "none": ""}
        return labels.get(key, default)


ASSESSMENTS = _Assessments()
