"""Reads of the Tryghedsindeks, always scoped to the user's municipality.

``safety_runs_visible_to`` is the one scoping rule: a user sees the runs (and
their results and inputs) of their own municipality; superusers see all.
Pages, API, the report hook and the effect-goal measure all start from it.
Where several method versions are published for the same year and level,
pages show the newest version ("current"); the API can ask for any.
"""
from django.db.models import QuerySet

from areas.models import Area, AreaLevel
from sikkerby import tenancy

from .models import (
    CATEGORY_RANK,
    RunStatus,
    SafetyCategory,
    SafetyIndexComputation,
    SafetyIndexInput,
    SafetyIndexResult,
    SafetyIndexRun,
)


def safety_runs_visible_to(user) -> QuerySet[SafetyIndexRun]:
    return tenancy.scoped(SafetyIndexRun.objects.select_related("method", "municipality"), user)


def safety_computations_visible_to(user) -> QuerySet[SafetyIndexComputation]:
    return tenancy.visible_to(SafetyIndexComputation, user)


def safety_results_visible_to(user) -> QuerySet[SafetyIndexResult]:
    # any_of: a page ordered by the (run, area) index is an index walk on PostgreSQL (sikkerby/lookups.py)
    return SafetyIndexResult.objects.filter(run__any_of=safety_runs_visible_to(user).values("id"))


def safety_inputs_visible_to(user) -> QuerySet[SafetyIndexInput]:
    return tenancy.scoped(SafetyIndexInput.objects.select_related("area"), user)


def published_demo_data(*, user) -> bool:
    """Whether any published run the user sees rests on DEMO inputs (pages then say so)."""
    return safety_runs_visible_to(user).filter(status=RunStatus.PUBLISHED, contains_demo_data=True).exists()


def _newest_first(runs) -> list[SafetyIndexRun]:
    return sorted(runs, key=lambda r: (r.method.valid_from, r.method.version), reverse=True)


def current_runs(*, runs: QuerySet[SafetyIndexRun], level: str) -> dict[int, SafetyIndexRun]:
    """Per year, the published run of ``level`` with the newest method version."""
    out: dict[int, SafetyIndexRun] = {}
    for run in _newest_first(runs.filter(level=level, status=RunStatus.PUBLISHED)):
        out.setdefault(run.year, run)
    return dict(sorted(out.items()))


def published_years(*, user, level: str = AreaLevel.DISTRICT) -> list[int]:
    return list(current_runs(runs=safety_runs_visible_to(user), level=level))


def run_results(*, run: SafetyIndexRun) -> QuerySet[SafetyIndexResult]:
    """A run's results with their areas (without their boundaries: maps take the cached display shapes,
    ``areas.selectors.area_display_shapes``), areas of the run's level first, then the city."""
    return run.results.select_related("area").defer("area__geometry").order_by("-area__level", "area__code")


def area_trend(*, user, area: Area) -> list[SafetyIndexResult]:
    """The area's result in each published year (current method version), oldest first."""
    runs = current_runs(runs=safety_runs_visible_to(user), level=area.level)
    if area.level == AreaLevel.CITY:
        runs = current_runs(runs=safety_runs_visible_to(user), level=AreaLevel.DISTRICT)
    by_run = {r.run_id: r for r in SafetyIndexResult.objects.filter(
        area=area, run__in=[r.pk for r in runs.values()]).select_related("run__method")}
    return [by_run[r.pk] for r in runs.values() if r.pk in by_run]


def compare_years(*, user, level: str, year_a: int, year_b: int) -> list[dict]:
    """Each area's result in two years (current method of each year) and whether its category moved."""
    runs = current_runs(runs=safety_runs_visible_to(user), level=level)
    ids = [runs[y].pk for y in (year_a, year_b) if y in runs]
    results = SafetyIndexResult.objects.filter(run__in=ids).select_related("area", "run")
    by_area: dict[int, dict] = {}
    for r in results:
        row = by_area.setdefault(r.area_id, {"area": r.area, "a": None, "b": None})
        row["a" if r.run.year == year_a else "b"] = r
    rows = []
    for row in by_area.values():
        a, b = row["a"], row["b"]
        row["change"] = None if not (a and b) else CATEGORY_RANK[b.category] - CATEGORY_RANK[a.category]
        row["steps"] = abs(row["change"] or 0)
        row["score_change"] = None if not (a and b) else b.score - a.score
        rows.append(row)
    return sorted(rows, key=lambda r: (r["area"].level == AreaLevel.CITY, r["area"].code.zfill(6)))


def goal3_progress(*, runs: QuerySet[SafetyIndexRun], baseline_year: int, target_year: int,
                   level: str = AreaLevel.DISTRICT) -> dict:
    """Effect goal 3: the areas that were *markant* in the baseline year and their path year by year.

    The baseline uses the newest method version published for the baseline
    year; the path follows the same method version, so categories are
    comparable. Returns ``{"method", "years", "rows": [{"area", "path": {year: result},
    "latest", "reached"}], "reached", "n", "contains_demo_data"}``. ``runs`` is already scoped (``safety_runs_visible_to``
    on pages, the goal's municipality in the measure).
    """
    runs = runs.filter(level=level, status=RunStatus.PUBLISHED)
    baseline = next(iter(_newest_first(runs.filter(year=baseline_year))), None)
    if baseline is None:
        return {"method": None, "years": [], "rows": [], "reached": 0, "n": 0, "latest_year": None,
                "contains_demo_data": False}
    same_method = {r.year: r for r in runs.filter(method=baseline.method, year__gte=baseline_year,
                                                  year__lte=target_year)}
    years = sorted(same_method)
    markant_ids = list(baseline.results.filter(category=SafetyCategory.MARKANT, area__level=level)
                       .values_list("area_id", flat=True))
    results = SafetyIndexResult.objects.filter(
        run__in=[r.pk for r in same_method.values()], area_id__in=markant_ids).select_related("area", "run")
    rows: dict[int, dict] = {}
    for r in results:
        rows.setdefault(r.area_id, {"area": r.area, "path": {}})["path"][r.run.year] = r
    ordinary = CATEGORY_RANK[SafetyCategory.ORDINAER]
    out = []
    for row in sorted(rows.values(), key=lambda x: x["area"].code.zfill(6)):
        latest_year = max(row["path"])
        row["latest"] = row["path"][latest_year]
        row["reached"] = CATEGORY_RANK[row["latest"].category] >= ordinary
        row["cells"] = [row["path"].get(y) for y in years]
        out.append(row)
    return {"method": baseline.method, "years": years, "rows": out, "n": len(out),
            "reached": sum(1 for r in out if r["reached"]), "latest_year": years[-1] if years else None,
            "contains_demo_data": any(r.contains_demo_data for r in same_method.values())}


def safety_results_for_report(*, year: int, municipality=None) -> list[dict]:
    """District results of a year for the crime key-figures report (newest published method version).

    Dicts with area_name, area_code, level, category, category_label, score
    (Decimal), uncertain and contains_demo_data (the run's); an empty list when the year is not published.
    ``municipality`` narrows to one municipality (the report's own).
    """
    runs = SafetyIndexRun.objects.select_related("method").filter(
        year=year, level=AreaLevel.DISTRICT, status=RunStatus.PUBLISHED)
    if municipality is not None:
        runs = runs.filter(municipality=municipality)
    newest = _newest_first(runs)
    if not newest:
        return []
    labels = dict(SafetyCategory.choices)
    return [
        {"area_name": r.area.name, "area_code": r.area.code, "level": r.area.level, "category": r.category,
         "category_label": str(labels[r.category]), "score": r.score, "uncertain": r.uncertain,
         "contains_demo_data": newest[0].contains_demo_data}
        for r in newest[0].results.filter(area__level=AreaLevel.DISTRICT).select_related("area")
        .order_by("area__code")
    ]
