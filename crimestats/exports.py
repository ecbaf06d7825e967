"""The stored report as a PDF (WeasyPrint, charts as inline SVG) and as an Excel workbook (openpyxl)."""
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook

from areas.models import AreaLevel
from areas.selectors import area_outlines
from sikkerby import databasis
from sikkerby.spreadsheets import date_text, write_table

from . import svg
from .sections import GRIDS, SHEET_NAMES, SUPPRESSED_TABLES, TABLES, area_level_of, table_title

# the page shows a map's list of cells above its threshold folded behind its count when it is longer than this
GRID_LIST_FOLD_AFTER = 25


def grid_maps(data: dict) -> list[dict]:
    """The report's grid maps with their titles, each cell list ordered, and the cells above the threshold.

    ``folded`` tells the page to fold a long list of those cells behind its count.

    Reports produced before there were two maps stored one ``grid`` (of reports); they read as that one map.
    """
    stored = data.get("grids") or ([{"key": "reports", **data["grid"]}] if data.get("grid") else [])
    titles = {key: (title, what) for key, title, what, _setting in GRIDS}
    maps = []
    for g in stored:
        title, what = titles[g["key"]]
        above = sorted((c for c in g["cells"] if c["above"]), key=lambda c: -(c["count"] or 0))
        maps.append({"key": g["key"], "title": title, "what": what, "threshold": g["threshold"],
                     "cells": g["cells"], "above": above, "folded": len(above) > GRID_LIST_FOLD_AFTER})
    return maps


def coverage_warnings(data: dict) -> list[str]:
    """A sentence for the police data that do not span the report's two periods (none for older reports).

    A table counts a day the extract does not reach as zero, so a report made
    before the quarter's extract arrived would show a fall in crime; every
    output says so instead (``report_figures`` stores the dates).
    """
    coverage, period = data.get("coverage") or {}, data["period"]
    present = data.get("police_data") or {}
    what = {"events": _("cases and incidents"), "charges": _("charges")}
    spans: dict[tuple, list[str]] = {}  # extracts with the same dates share one sentence
    for key in ("events", "charges"):
        c = coverage.get(key)
        if c and not c["complete"]:
            # reports stored before presence was recorded: the tables were counted
            absent = c["first"] is not None and present.get(key, True) is False
            spans.setdefault((c["first"], c["last"], absent), []).append(str(what[key]))
    out = []
    for (first, last, absent), names in spans.items():
        both = names[0] if len(names) == 1 else _("%(a)s and on %(b)s") % {"a": names[0], "b": names[1]}
        if not first:
            out.append(_("No police data on %(what)s have been imported: the report has no police figures on them "
                         "for this period.") % {"what": both})
        elif absent:
            out.append(_("There are no police data on %(what)s for this period: the extracts imported cover "
                         "%(first)s – %(last)s. Import the extract of the period and produce the report again.")
                       % {"what": both, "first": date_text(first), "last": date_text(last)})
        else:
            out.append(_("The police data on %(what)s cover %(first)s – %(last)s, but this report needs "
                         "%(start)s – %(end)s: days outside those dates count as zero. Import the missing extract and "
                         "produce the report again.")
                       % {"what": both, "first": date_text(first), "last": date_text(last),
                          "start": date_text(period["previous_start"]), "end": date_text(period["end"])})
    return out


def straf11_missing_note(data: dict) -> str:
    """The note under a STRAF11 table whose comparison year Statistics Denmark has no figure for ("" when it has)."""
    by_offence = data["straf11"]["by_offence"]
    if not by_offence or not by_offence.get("previous_missing"):
        return ""
    return _("No figure for %(year)d in Statistics Denmark's STRAF11: last year's column is empty (–) and the "
             "change is not computed.") % {"year": by_offence["year"] - 1}


def report_context(data: dict) -> dict:
    """Template context shared by the page and the PDF: the sections with their rows."""
    tables = []
    level = area_level_of(data)
    for key, title in TABLES:
        table = data["tables"][key]
        tables.append({"key": key, "title": table_title(key, title, level), "rows": table["rows"],
                       "total": table["total"], "suppressed": key in SUPPRESSED_TABLES,
                       "none_means": "suppressed", "missing_note": "",
                       "no_data": table.get("no_data", False)})
    by_offence = data["straf11"]["by_offence"]
    # in STRAF11 an empty cell is a figure Statistics Denmark does not have, never a suppressed one
    straf11_table = {"key": "straf11", "rows": by_offence["rows"][:-1], "total": by_offence["rows"][-1],
                     "suppressed": False, "none_means": "missing",
                     "missing_note": straf11_missing_note(data)} if by_offence else None
    # reports stored before the data basis was recorded only know whether the police data were synthetic
    basis = data.get("data_basis") or databasis.basis(synthetic=bool(data.get("synthetic")))
    return {"data": data, "tables": tables, "straf11_table": straf11_table, "grids": grid_maps(data),
            "coverage_warnings": coverage_warnings(data), "data_basis": basis,
            "has_bydele": area_level_of(data) is not None,
            "data_basis_label": databasis.label(basis)}


def draw_grid_maps(grids: list[dict], *, municipality_id: int, suppressed_below: int | None = None) -> None:
    """Give each grid map its SVG (``svg``), drawn over the municipality's bydele — for the page and the PDF.

    The outlines are today's boundaries (simplified and cached by
    ``areas.selectors.area_outlines``); the stored cells are the report's.
    """
    outlines = area_outlines(municipality_id=municipality_id, level=AreaLevel.BYDEL)
    for g in grids:
        g["svg"] = svg.grid_map(g["cells"], title=str(g["title"]), threshold=g["threshold"], outlines=outlines,
                                suppressed_below=suppressed_below)


def report_pdf(*, report, data: dict) -> bytes:
    """A PDF of every section, fit to hand to politicians (A4, tables and charts)."""
    from weasyprint import HTML

    ctx = report_context(data)
    cur, prev = _("This period"), _("Same period last year")
    for t in ctx["tables"]:
        t["svg"] = svg.bar_chart(t["rows"], title=str(t["title"]), current_label=cur, previous_label=prev)
    draw_grid_maps(ctx["grids"], municipality_id=report.municipality_id,
                   suppressed_below=data.get("suppression_threshold"))
    ctx["report"] = report
    html = render_to_string("crimestats/report_pdf.html", ctx)
    return HTML(string=html).write_pdf()


def report_xlsx(*, report, data: dict) -> bytes:
    """An Excel workbook with every table of the report on its own sheet (suppressed cells are empty).

    Each sheet has a short unique name, the section's full title in A1, the
    report's notes (municipality, Danish dates, version, synthetic or
    incomplete data) and one table with a frozen header row and an
    autofilter; the total row is below the filtered rows. Every cell goes
    through ``sikkerby.spreadsheets``, so free text (locations, crime types
    and SSP's assessment come from outside) is never a formula.
    """
    wb = Workbook()
    wb.remove(wb.active)
    period = data["period"]
    head = [str(_("Label")), str(_("This period")), str(_("Same period last year")), str(_("Difference")),
            str(_("Difference (%)"))]
    base_notes = [_("%(municipality)s · %(label)s (%(start)s – %(end)s) against %(previous_start)s – "
                    "%(previous_end)s · version %(version)s")
                  % {"municipality": data["municipality"], "label": period["label"],
                     "start": date_text(period["start"]), "end": date_text(period["end"]),
                     "previous_start": date_text(period["previous_start"]),
                     "previous_end": date_text(period["previous_end"]), "version": report.version}]
    if data.get("synthetic"):
        base_notes.append(str(_("SYNTHETIC DEMONSTRATION DATA — not police figures.")))
    base_notes += [f"{_('Incomplete data.')} {w}" for w in coverage_warnings(data)]

    def figures(r):
        return [r["label"], r["current"], r["previous"], r["change"], r["pct"]]

    level = area_level_of(data)
    for key, title in TABLES:
        table = data["tables"][key]
        notes = list(base_notes)
        if table.get("no_data"):
            notes.append(str(_("No police data for this period.")))
        elif key in SUPPRESSED_TABLES:
            notes.append(str(_("Counts below %(n)d are suppressed (empty cells).") % {"n": data["suppression_threshold"]}))
        t = table["total"]
        write_table(wb, name=str(SHEET_NAMES[key]), title=str(table_title(key, title, level)), notes=notes,
                    header=head, rows=[figures(r) for r in table["rows"]],
                    footer=[[str(t["label"]), *figures(t)[1:]]] if t else ())
    for g in grid_maps(data):
        write_table(wb, name=str(SHEET_NAMES[f"grid-{g['key']}"]), title=str(g["title"]),
                    notes=[str(_("Count of %(what)s per 1×1 km cell in the period; red above %(n)d."))
                           % {"what": g["what"], "n": g["threshold"]}, *base_notes],
                    header=[str(_("Grid column (km east)")), str(_("Grid row (km north)")), str(_("Count")),
                            str(_("Above threshold"))],
                    rows=[[c["x"], c["y"], c["count"], c["above"]] for c in g["cells"]],
                    number_formats={0: "0", 1: "0"})  # grid ids, not quantities
    s = data["straf11"]
    if s["by_offence"]:
        write_table(wb, name=str(SHEET_NAMES["straf11"]),
                    title=str(_("%(municipality)s, reported crimes by offence, quarters %(q)s"))
                    % {"municipality": data["municipality"], "q": ", ".join(s["quarters"])},
                    notes=[s["source"], *filter(None, [straf11_missing_note(data)])], header=head,
                    rows=[figures(r) for r in s["by_offence"]["rows"][:-1]],
                    footer=[figures(r) for r in s["by_offence"]["rows"][-1:]])
    write_table(wb, name=str(SHEET_NAMES["comparison"]),
                title=str(_("Against the large municipalities: reported crimes per 1,000 residents")),
                notes=[s["source"]],
                header=[str(_("Municipality")), str(_("Reported crimes")), str(_("Population")),
                        str(_("Per 1,000 residents"))],
                rows=[[r["label"], r["reported"], r["population"], r["per_1000"]] for r in s["comparison"]])
    a = data["addendum"]
    rows = [[str(_("Interrogations of 12–17-year-olds")), a["interrogations_12_17"]],
            [str(_("Single cases handled in SSP")), a["ssp_single_cases"]],
            [str(_("SSP's description and assessment")), a["ssp_assessment"]]]
    for r in a["safety_index"] or []:
        rows.append([f"{_('Safety index')}: {r['area_name']}", r.get("category_label") or r.get("category"),
                     r.get("score")])
    write_table(wb, name=str(SHEET_NAMES["uneasy"]), title=str(_("Uneasy areas")), notes=base_notes,
                header=[str(_("Figure")), str(_("Value")), str(_("Score"))], rows=rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
