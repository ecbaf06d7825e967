"""Reads of the crimestats app, always scoped to the user's municipality.

``key_figure_reports_visible_to`` / ``police_imports_visible_to`` are the one
scoping rule for each model; pages, downloads, the API and tasks start from
them. ``report_figures`` computes every table of the ØU report with a fixed
number of queries (14), whatever the number of rows.
"""
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from areas.models import Area, AreaLevel
from initiatives.models import Municipality
from sikkerby import databasis, privacy, tenancy
from tryghedsindeks.selectors import safety_results_for_report

from .catalogue import (
    AGE_GROUPS,
    COMPARISON_MUNICIPALITIES,
    STRAF11_LABELS,
    STRAF11_OTHER,
    STRAF11_SOURCE,
    STRAF11_TOTAL,
    dst_area_code,
)
from .models import (
    EventKind,
    ImportStatus,
    KeyFigureReport,
    MunicipalityPopulation,
    PoliceCharge,
    PoliceEvent,
    PoliceImport,
    Straf11Figure,
    UneasyAreasAddendum,
)
from .periods import Period, quarter_end, quarter_start
from .sections import GRIDS

TOP_N = 25


def _scoped(qs: QuerySet, user) -> QuerySet:
    return tenancy.scoped(qs, user)


def key_figure_reports_visible_to(user) -> QuerySet[KeyFigureReport]:
    """Reports of the user's municipality (without the large PDF/Excel columns)."""
    return _scoped(KeyFigureReport.objects.select_related("municipality").defer("pdf", "xlsx", "data"), user)


def police_imports_visible_to(user) -> QuerySet[PoliceImport]:
    return _scoped(PoliceImport.objects.select_related("municipality", "created_by"), user)


def addenda_visible_to(user) -> QuerySet[UneasyAreasAddendum]:
    return _scoped(UneasyAreasAddendum.objects.all(), user)


# --- the report's figures -------------------------------------------------------
def _pct(cur, prev):
    if cur is None or prev is None or prev == 0:
        return None
    return round((cur - prev) * 100 / prev, 1)


def _count(value) -> int | None:
    """A count as an int, or None when there is no figure (a missing figure is not a zero)."""
    return None if value is None else int(value)


def _rows(items, *, suppress: bool = False) -> list[dict]:
    """Rows {label, current, previous, change, pct}; with ``suppress`` small counts become None.

    A count given as None has no figure (STRAF11 without last year's
    quarter): it stays None and its change is not computed. When exactly one
    cell of a column is suppressed, the next smallest is suppressed too, so a
    total cannot give the hidden one away.
    """
    rows = [{"label": str(label), "current": _count(cur), "previous": _count(prev)} for label, cur, prev in items]
    if suppress:
        for col in ("current", "previous"):
            hidden = [r for r in rows if privacy.is_suppressed(r[col])]
            if len(hidden) == 1:
                others = sorted((r for r in rows if r[col] and r not in hidden), key=lambda r: r[col])
                if others:
                    others[0][f"{col}_secondary"] = True
            for r in rows:
                if privacy.is_suppressed(r[col]) or r.pop(f"{col}_secondary", False):
                    r[col] = None
    for r in rows:
        r["change"] = None if r["current"] is None or r["previous"] is None else r["current"] - r["previous"]
        r["pct"] = _pct(r["current"], r["previous"])
    return rows


def _total(rows: list[dict], items) -> dict:
    cur = sum(int(c) for _l, c, _p in items)
    prev = sum(int(p) for _l, _c, p in items)
    return {"label": _("Total"), "current": cur, "previous": prev, "change": cur - prev, "pct": _pct(cur, prev)}


def _counts(qs, field: str, period: Period, *, order_by_current: bool = False, limit: int | None = None):
    cur = Q(date__range=(period.start, period.end))
    prev_p = period.previous
    prev = Q(date__range=(prev_p.start, prev_p.end))
    out = (qs.filter(cur | prev).values(field)
           .annotate(cur=Count("id", filter=cur), prev=Count("id", filter=prev)).order_by())
    if order_by_current:
        out = out.order_by("-cur", field)
    if limit:
        out = out[:limit]
    return [(r[field] if r[field] not in (None, "") else _("Unknown"), r["cur"], r["prev"]) for r in out]


def _table(items, *, suppress=False, sort=True, present=True) -> dict:
    """A table's rows and total; with ``present`` false (no police data for the period) no rows and no total.

    ``no_data`` then tells every output to say so instead of showing a table of zeros.
    """
    if not present:
        return {"rows": [], "total": None, "no_data": True}
    if sort:
        items = sorted(items, key=lambda t: (-t[1], str(t[0])))
    rows = _rows(items, suppress=suppress)
    total = _total(rows, items)
    if suppress and (privacy.is_suppressed(total["current"]) or privacy.is_suppressed(total["previous"])):
        total = _rows([(total["label"], total["current"], total["previous"])], suppress=True)[0]
    return {"rows": rows, "total": total}


def _straf11(municipality, period: Period) -> dict:
    """The municipality by offence (complete quarters, year on year), and it with the large ones per 1,000 residents."""
    own = dst_area_code(municipality)
    quarters = period.complete_quarters()
    if not quarters:
        return {"quarters": [], "by_offence": None, "comparison": [], "source": STRAF11_SOURCE, "area_code": own}
    year = quarters[-1][0]
    qs_cur = [q for y, q in quarters if y == year]
    compared = list(dict.fromkeys([*COMPARISON_MUNICIPALITIES, own]))
    figures = (Straf11Figure.objects.filter(area_code=own, year__in=[year, year - 1],
                                            quarter__in=qs_cur)
               .values("offence_code", "year").annotate(n=Sum("reported_crimes")).order_by())
    by = {(f["offence_code"], f["year"]): f["n"] for f in figures}
    items = []
    # a figure STRAF11 does not have (2015 before the 2016 series) stays None: shown as "–", no change computed
    if (STRAF11_TOTAL, year) in by:
        codes = [c for c in STRAF11_LABELS if c not in (STRAF11_TOTAL, STRAF11_OTHER)]
        items = [(STRAF11_LABELS[c], by.get((c, year)), by.get((c, year - 1))) for c in codes]
        items.append((STRAF11_LABELS[STRAF11_TOTAL], by[(STRAF11_TOTAL, year)], by.get((STRAF11_TOTAL, year - 1))))
    comp = (Straf11Figure.objects.filter(area_code__in=compared, offence_code=STRAF11_TOTAL,
                                         year=year, quarter__in=qs_cur)
            .values("area_code", "area_name").annotate(n=Sum("reported_crimes")).order_by())
    pops = dict(MunicipalityPopulation.objects.filter(area_code__in=compared, year=year)
                .values_list("area_code", "population"))
    comparison = sorted(
        ({"area_code": c["area_code"], "label": c["area_name"], "own": c["area_code"] == own,
          "reported": c["n"], "population": pops.get(c["area_code"]),
          "per_1000": round(c["n"] * 1000 / pops[c["area_code"]], 1) if pops.get(c["area_code"]) else None}
         for c in comp), key=lambda r: -(r["per_1000"] or 0))
    return {"quarters": [f"{y} K{q}" for y, q in quarters if y == year],
            "by_offence": {"rows": _rows(items), "year": year,
                           # STRAF11 has no figure for last year's quarters (the series starts in 2016)
                           "previous_missing": (STRAF11_TOTAL, year - 1) not in by} if items else None,
            "comparison": comparison, "source": STRAF11_SOURCE, "area_code": own}


def _tryghedsindeks(municipality, year: int) -> list[dict]:
    """The municipality's published safety-index results of the year (district level; empty when none).

    The score is a ``Decimal`` with two places in the database; the report's
    figures are stored as JSON, so it becomes a float rounded to the same two
    places (exact for display, a number in the workbook) — a ``Decimal`` here
    made every report of a published year fail validation.
    """
    keys = ("area_name", "area_code", "level", "category", "category_label", "uncertain")
    return [{**{k: r[k] for k in keys}, "score": None if r["score"] is None else round(float(r["score"]), 2),
             "data_basis": databasis.basis(demo=r["contains_demo_data"])}
            for r in safety_results_for_report(year=year, municipality=municipality)]


def _grid(cells: list[dict], key: str, threshold: int) -> dict:
    """One grid map: the cells with a count of ``key``, each flagged when above ``threshold``."""
    return {
        "key": key,
        "threshold": threshold,
        "cells": [{"x": c["grid_x"], "y": c["grid_y"], "count": privacy.suppress(c[key]),
                   # a suppressed cell is never flagged: the colour would tell what the number hides
                   "above": c[key] > threshold and not privacy.is_suppressed(c[key])}
                  for c in cells if c[key]],
    }


def _data_basis(municipality, period: Period) -> tuple[bool, dict, dict, bool]:
    """Whether any imported extract is synthetic, the dates the imported police rows span, whether there are
    police rows in the report's two periods, and whether the municipality has bydele (one query).

    ``coverage`` has, for ``events`` and ``charges``, the first and last date
    imported and ``complete``: whether those dates reach from the start of
    last year's period to the end of this one. A report produced before the
    police extract of its quarter arrived counts the missing days as zero;
    the page, PDF and workbook say so instead of showing a fall in crime.

    ``present`` has, for ``events`` and ``charges``, whether any police row
    falls in this period or last year's: without one the tables of that
    extract say "no police data for this period" instead of showing zeros.
    """
    def first_last(model):
        rows = model.objects.filter(municipality=OuterRef("pk")).values("date")
        return Subquery(rows.order_by("date")[:1]), Subquery(rows.order_by("-date")[:1])

    def any_in_periods(model):
        return Exists(model.objects.filter(municipality=OuterRef("pk"),
                                           date__range=(period.previous.start, period.end)))

    ev_first, ev_last = first_last(PoliceEvent)
    ch_first, ch_last = first_last(PoliceCharge)
    row = (Municipality.objects.filter(pk=municipality.pk)
           .annotate(ev_first=ev_first, ev_last=ev_last, ch_first=ch_first, ch_last=ch_last,
                     ev_present=any_in_periods(PoliceEvent), ch_present=any_in_periods(PoliceCharge),
                     has_bydele=Exists(Area.objects.filter(municipality=OuterRef("pk"), level=AreaLevel.BYDEL)),
                     synthetic=Exists(PoliceImport.objects.filter(municipality=OuterRef("pk"), synthetic=True,
                                                                  status=ImportStatus.DONE)))
           .values("ev_first", "ev_last", "ch_first", "ch_last", "ev_present", "ch_present", "has_bydele",
                   "synthetic").get())
    coverage = {}
    for key, first, last in (("events", row["ev_first"], row["ev_last"]), ("charges", row["ch_first"], row["ch_last"])):
        coverage[key] = {"first": first.isoformat() if first else None, "last": last.isoformat() if last else None,
                         "complete": bool(first and last and first <= period.previous.start and last >= period.end)}
    present = {"events": row["ev_present"], "charges": row["ch_present"]}
    return row["synthetic"], coverage, present, row["has_bydele"]


def _ssp_single_cases(municipality, period: Period, addendum) -> int | None:
    """The quarter's "single cases handled in SSP": the figure a coordinator typed in the addendum if any
    (a manual override), else the count of concerns the SSP single-case meetings handled in the quarter
    (``sspcases``; counts, never names). The caller suppresses small counts."""
    if addendum is not None and addendum.ssp_single_cases is not None:
        return addendum.ssp_single_cases
    from sspcases.selectors import concerns_handled_count

    return concerns_handled_count(municipality_id=municipality.pk, start=quarter_start(period.end),
                                  end=quarter_end(period.end)) or None


def report_figures(*, municipality, period: Period) -> dict:
    """Every figure of the ØU key-figure report for ``period`` against the same period last year.

    JSON-ready: only str, int, float, bool, None, lists and dicts (no
    ``Decimal`` or dates), because ``KeyFigureReport.data`` stores it as is.
    """
    events = PoliceEvent.objects.filter(municipality=municipality)
    reports = events.filter(kind=EventKind.REPORT)
    charges = PoliceCharge.objects.filter(municipality=municipality)
    prev = period.previous

    by_group = _counts(reports, "crime_type__straf11_code", period)
    by_group = [(STRAF11_LABELS.get(c, c) if c != _("Unknown") else _("Other offences"), n, p)
                for c, n, p in by_group]
    merged: dict[str, list[int]] = {}
    for label, n, p in by_group:
        merged.setdefault(str(label), [0, 0])
        merged[str(label)][0] += n
        merged[str(label)][1] += p

    age = charges.filter(age__lte=25).aggregate(**{
        f"{key}_{which}": Count("id", filter=Q(age__range=(lo, hi), date__range=(p.start, p.end)))
        for key, lo, hi in AGE_GROUPS for which, p in (("cur", period), ("prev", prev))})
    age_items = [(f"{lo}–{hi}", age[f"{key}_cur"], age[f"{key}_prev"]) for key, lo, hi in AGE_GROUPS]

    # both grid maps in one query: reports, and all cases and incidents, per cell in the period
    grid = list(events.filter(date__range=(period.start, period.end), grid_x__isnull=False)
                .values("grid_x", "grid_y")
                .annotate(reports=Count("id", filter=Q(kind=EventKind.REPORT)), events=Count("id")).order_by())
    addendum = (UneasyAreasAddendum.objects.filter(municipality=municipality, year=period.end.year,
                                                   quarter=(period.end.month - 1) // 3 + 1).first())
    ssp_single_cases = _ssp_single_cases(municipality, period, addendum)
    synthetic, coverage, present, has_bydele = _data_basis(municipality, period)
    ev, ch = present["events"], present["charges"]
    safety_index = _tryghedsindeks(municipality, period.end.year)
    return {
        "municipality": municipality.name,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label,
                   "previous_start": prev.start.isoformat(), "previous_end": prev.end.isoformat()},
        "synthetic": synthetic,
        # what the report's figures rest on, for the label on every page (STRAF11 is real and never labelled)
        "data_basis": databasis.combine(databasis.basis(synthetic=synthetic),
                                        *(r["data_basis"] for r in safety_index)),
        "coverage": coverage,
        # whether the municipality's police extracts have any row in the two periods (False: no police data)
        "police_data": present,
        # the area level the "by area" tables group by, for their headings: None when the municipality has no
        # bydele (Albertslund) and the tables say "area"
        "area_level": AreaLevel.BYDEL.value if has_bydele else None,
        "suppression_threshold": privacy.threshold(),
        "tables": {
            "reports_by_type": _table([(k, v[0], v[1]) for k, v in merged.items()], present=ev),
            "reports_by_area": _table(_counts(reports, "bydel__name", period), present=ev),
            "top_locations": _table(_counts(events.exclude(location=""), "location", period,
                                            order_by_current=True, limit=TOP_N), present=ev),
            "events_by_area": _table(_counts(events, "bydel__name", period), present=ev),
            "top_crime_types": _table(_counts(reports, "crime_type__label", period, order_by_current=True,
                                              limit=TOP_N), present=ev),
            "charges_by_age": _table(age_items, suppress=True, sort=False, present=ch),
            "charges_u18_by_type": _table(_counts(charges.filter(age__lt=18), "crime_type__label", period),
                                          suppress=True, present=ch),
        },
        "grids": [_grid(grid, key, getattr(settings, setting)) for key, _title, _what, setting in GRIDS],
        "straf11": _straf11(municipality, period),
        "addendum": {
            "interrogations_12_17": privacy.suppress(addendum.interrogations_12_17) if addendum else None,
            "ssp_single_cases": privacy.suppress(ssp_single_cases),
            "ssp_assessment": addendum.ssp_assessment if addendum else "",
            "present": addendum is not None or bool(ssp_single_cases),
            "safety_index": safety_index,
        },
    }


def person_dangerous_charges_14_25_deprived(*, municipality, years: list[int]) -> dict[int, int]:
    """Charges of 14–25-year-olds for person-dangerous crime in the deprived urban areas, per year (one query)."""
    rows = (PoliceCharge.objects.filter(municipality=municipality, age__range=(14, 25), deprived_area__isnull=False,
                                        crime_type__person_dangerous=True, date__year__in=years)
            .values_list("date__year").annotate(n=Count("id")).order_by())
    got = dict(rows)
    return {y: got.get(y, 0) for y in years}


def synthetic_police_data(*, municipality) -> bool:
    """Whether any police extract imported for the municipality is synthetic (its figures then say so)."""
    return PoliceImport.objects.filter(municipality=municipality, synthetic=True, status=ImportStatus.DONE).exists()


def charge_years(*, municipality) -> list[int]:
    dates = PoliceCharge.objects.filter(municipality=municipality).order_by()
    first = dates.order_by("date").values_list("date", flat=True).first()
    last = dates.order_by("-date").values_list("date", flat=True).first()
    return list(range(first.year, last.year + 1)) if first and last else []
