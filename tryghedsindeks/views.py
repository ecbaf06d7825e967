"""Tryghedsindeks pages: the map, an area's trend, two years compared, effect goal 3, the method, managing runs."""
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area, AreaLevel
from indicators.measures import GoalStatus, measure_goal
from initiatives.models import EffectGoal
from operations.jobs import BrokerUnavailable, job_check
from operations.views import job_restart_with_message
from sikkerby.privacy import is_suppressed

from . import selectors
from .charts import category_map_cached, trend_chart
from .filters import SafetyIndexResultFilterSet
from .forms import ComputeForm, InputImportForm
from .method import COMPONENT_INPUT, COMPONENTS
from .models import SafetyCategory, SafetyIndexMethod
from .services import (
    IMPORT_COLUMNS,
    InputFileError,
    safety_index_computation_request,
    safety_index_publish,
    safety_index_verify,
    safety_inputs_import,
)

GOAL3_MEASURE = "safety_index_markant_to_ordinary"
MAP_LEVELS = [AreaLevel.DISTRICT, AreaLevel.BYDEL, AreaLevel.LOCAL_COMMITTEE, AreaLevel.DEPRIVED_AREA,
              AreaLevel.KVARTER, AreaLevel.RODE]


def _code_key(area) -> tuple:
    return (area.level == AreaLevel.CITY, int(area.code) if area.code.isdigit() else 0, area.code)


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _level(request) -> str:
    level = request.GET.get("level") or AreaLevel.DISTRICT
    return level if level in AreaLevel.values else AreaLevel.DISTRICT


def component_labels() -> dict:
    return {"victimisation": _("Victimisation"), "perceived_crime": _("Perceived crime in the neighbourhood"),
            "safe_day": _("Feel safe in daytime"), "safe_evening": _("Feel safe in the evening"),
            "police": _("Police reports per 1,000 residents")}


def _category_bands(method) -> list[dict]:
    """Score ranges of the five categories under a method, most need first."""
    labels = dict(SafetyCategory.choices)
    bounds = dict(method.parameters["thresholds"])
    order = ["markant", "intensiveret", "ordinaer", "reduceret", "minimal"]
    bands = []
    for i, code in enumerate(order):
        lower = bounds.get(code)
        upper = bounds.get(order[i + 1]) if i + 1 < len(order) else None
        bands.append({"code": code, "label": labels[code], "lower": lower, "upper": upper})
    return bands


@login_required
@permission_required("tryghedsindeks.view_index", raise_exception=True)
def index_map(request):
    """The map of one published year at one area level, with a table alternative."""
    level = _level(request)
    runs = selectors.current_runs(runs=selectors.safety_runs_visible_to(request.user), level=level)
    years = list(runs)
    year = _int(request.GET.get("year"), years[-1] if years else None)
    run = runs.get(year)
    results, city, rows = [], None, []
    if run is not None:
        filterset = SafetyIndexResultFilterSet(
            {"category": request.GET.get("category", "")}, queryset=selectors.run_results(run=run))
        results = sorted(filterset.qs, key=lambda r: _code_key(r.area))
        city = next((r for r in results if r.area.level == AreaLevel.CITY), None)
        rows = [r for r in results if r.area.level == level]
    else:
        filterset = SafetyIndexResultFilterSet({}, queryset=selectors.safety_results_visible_to(request.user).none())
    return render(request, "tryghedsindeks/index_map.html", {
        "level": level, "levels": [(v, lbl) for v, lbl in AreaLevel.choices if v in MAP_LEVELS],
        "level_label": dict(AreaLevel.choices)[level], "years": years, "year": year, "run": run,
        "rows": rows, "city": city,
        "map_json": category_map_cached(rows, municipality_id=run.municipality_id, level=level) if rows else None,
        "category": request.GET.get("category", ""), "categories": SafetyCategory.choices,
        "filterset": filterset, "bands": _category_bands(run.method) if run else [],
        "uncertain_count": sum(1 for r in rows if r.uncertain),
    })


def _explanation(result, entry: dict | None, method) -> list[dict]:
    """How an area's score was reached: each component's input, anchors, score, weight and contribution."""
    labels = component_labels()
    params = method.parameters
    suppressed = is_suppressed(result.respondents)
    component_value = {
        "victimisation": result.victimisation_score, "perceived_crime": result.perceived_crime_subscore,
        "safe_day": result.safe_day_score, "safe_evening": result.safe_evening_score,
        "police": result.police_score,
    }
    rows = []
    for name in COMPONENTS:
        field = COMPONENT_INPUT[name]
        if field == "police_rate":
            value = result.police_rate
        elif entry is None or suppressed:
            value = None
        else:
            value = Decimal(entry[field])
        weight = Decimal(params["weights"][name])
        rows.append({"label": labels[name], "value": value, "best": params["anchors"][name][0],
                     "worst": params["anchors"][name][1], "score": component_value[name], "weight": weight,
                     "contribution": weight * component_value[name]})
    return rows


@login_required
@permission_required("tryghedsindeks.view_index", raise_exception=True)
def area_detail(request, pk: int):
    """One area's score and category year by year, and how the chosen year's category was reached."""
    area = get_object_or_404(Area.objects.select_related("parent"), pk=pk,
                             **({} if request.user.is_superuser else {"municipality_id": request.user.municipality_id}))
    trend = selectors.area_trend(user=request.user, area=area)
    chosen = None
    year = _int(request.GET.get("year"))
    if trend:
        chosen = next((r for r in trend if r.run.year == year), trend[-1])
    entry = None
    if chosen is not None:
        entry = next((e for e in chosen.run.inputs_snapshot if e["area_id"] == area.pk), None)
    method = chosen.run.method if chosen else None
    return render(request, "tryghedsindeks/area_detail.html", {
        "area": area, "trend": trend, "chosen": chosen, "entry": entry, "method": method,
        "chart_json": trend_chart(trend, method.parameters["thresholds"]) if trend else None,
        "explanation": _explanation(chosen, entry, method) if chosen else [],
        "bands": _category_bands(method) if method else [],
        "suppressed": chosen is not None and is_suppressed(chosen.respondents),
        "demo": any(r.run.contains_demo_data for r in trend),
    })


@login_required
@permission_required("tryghedsindeks.view_index", raise_exception=True)
def compare(request):
    """Two published years side by side: each area's category and score, and the change."""
    level = _level(request)
    years = selectors.published_years(user=request.user, level=level)
    year_a = _int(request.GET.get("a"), years[0] if years else None)
    year_b = _int(request.GET.get("b"), years[-1] if years else None)
    rows = selectors.compare_years(user=request.user, level=level, year_a=year_a, year_b=year_b) if years else []
    return render(request, "tryghedsindeks/compare.html", {
        "level": level, "levels": [(v, lbl) for v, lbl in AreaLevel.choices if v in MAP_LEVELS],
        "years": years, "year_a": year_a, "year_b": year_b, "rows": rows,
        "demo": selectors.published_demo_data(user=request.user),
        "improved": sum(1 for r in rows if r["change"] and r["change"] > 0),
        "worsened": sum(1 for r in rows if r["change"] and r["change"] < 0),
    })


@login_required
@permission_required("tryghedsindeks.view_index", raise_exception=True)
def goal(request):
    """Effect goal 3: the areas marked markant in the baseline year, their path, and whether the goal is met."""
    goal = (EffectGoal.objects.filter(measure=GOAL3_MEASURE, programme__municipality_id=request.user.municipality_id)
            .select_related("programme").order_by("-programme__start_year").first())
    if goal:  # the goal's own baseline year and target period (as its measure uses them)
        start, end = goal.target_period()
        baseline_year, target_year = goal.baseline_year or start.year, end.year
    else:
        baseline_year, target_year = 2010, 2015
    progress = selectors.goal3_progress(runs=selectors.safety_runs_visible_to(request.user),
                                        baseline_year=baseline_year, target_year=target_year)
    measurement = measure_goal(goal) if goal else None
    return render(request, "tryghedsindeks/goal.html", {
        "goal": goal, "measurement": measurement, "progress": progress,
        "demo": selectors.published_demo_data(user=request.user),
        "status_label": GoalStatus(measurement.status).label if measurement else "",
        "baseline_year": baseline_year, "target_year": target_year,
    })


@login_required
@permission_required("tryghedsindeks.view_index", raise_exception=True)
def method_page(request):
    """Every method version with its inputs, anchors, weights, thresholds and uncertainty rules."""
    labels = component_labels()
    methods = []
    for method in SafetyIndexMethod.objects.order_by("-valid_from", "-version"):
        p = method.parameters
        methods.append({
            "method": method, "bands": _category_bands(method),
            "components": [{"label": labels[n], "best": p["anchors"][n][0], "worst": p["anchors"][n][1],
                            "weight": p["weights"][n]} for n in COMPONENTS],
            "min_respondents": p["min_respondents"], "min_population": p["min_population"],
            "quantum": p["quantum"],
        })
    return render(request, "tryghedsindeks/method.html", {"methods": methods})


@login_required
@permission_required("tryghedsindeks.manage_index", raise_exception=True)
def manage(request):
    """Coordinators: import inputs, compute a year (queued as a task), publish and verify runs."""
    import_form = InputImportForm()
    compute_form = ComputeForm()
    import_errors: list[str] = []
    unavailable = False
    if request.method == "POST" and request.POST.get("action") == "import":
        import_form = InputImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            f = import_form.cleaned_data["file"]
            try:
                batch = safety_inputs_import(municipality=request.user.municipality, content=f.read(),
                                             filename=f.name, user=request.user)
            except InputFileError as exc:
                import_errors = exc.errors
            else:
                messages.success(request, _("Imported %(n)s rows from %(file)s.") % {"n": batch.rows,
                                                                                     "file": batch.filename})
                return redirect("tryghedsindeks:manage")
    elif request.method == "POST" and request.POST.get("action") == "compute":
        compute_form = ComputeForm(request.POST)
        if compute_form.is_valid():
            d = compute_form.cleaned_data
            try:
                safety_index_computation_request(municipality=request.user.municipality, year=d["year"],
                                                 level=d["level"], method=d["method"], user=request.user)
            except ValidationError as exc:
                for problem in exc.messages:
                    compute_form.add_error(None, problem)
            except BrokerUnavailable as exc:
                compute_form.add_error(None, str(exc))
                unavailable = True
            else:
                messages.success(request, _("The computation of %(year)s has been started; the draft appears in "
                                            "the list below when it is done.") % {"year": d["year"]})
                return redirect("tryghedsindeks:manage")
    computations = [job_check(c) for c in selectors.safety_computations_visible_to(request.user)
                    .select_related("method", "run")[:10]]
    runs = selectors.safety_runs_visible_to(request.user).select_related("computed_by", "published_by")
    inputs = (selectors.safety_inputs_visible_to(request.user).order_by().values_list("year", "area__level")
              .distinct())
    coverage: dict = {}
    for y, lvl in inputs:
        coverage.setdefault(y, set()).add(lvl)
    return render(request, "tryghedsindeks/manage.html", {
        "import_form": import_form, "compute_form": compute_form, "import_errors": import_errors,
        "runs": runs[:100], "columns": IMPORT_COLUMNS, "computations": computations,
        "coverage": [(y, sorted(dict(AreaLevel.choices)[lv] for lv in lvls)) for y, lvls in sorted(coverage.items())],
    }, status=503 if unavailable else 400 if import_errors or compute_form.errors or import_form.errors else 200)


@require_POST
@login_required
@permission_required("tryghedsindeks.manage_index", raise_exception=True)
def computation_restart(request, pk: int):
    """Start a failed computation again."""
    job_restart_with_message(request, get_object_or_404(selectors.safety_computations_visible_to(request.user),
                                                         pk=pk))
    return redirect("tryghedsindeks:manage")


def _run_for(request, pk):
    run = selectors.safety_runs_visible_to(request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


@require_POST
@login_required
@permission_required("tryghedsindeks.manage_index", raise_exception=True)
def run_publish(request, pk: int):
    run = _run_for(request, pk)
    try:
        safety_index_publish(run=run, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(year)s is published.") % {"year": run.year})
    return redirect("tryghedsindeks:manage")


@require_POST
@login_required
@permission_required("tryghedsindeks.manage_index", raise_exception=True)
def run_verify(request, pk: int):
    run = _run_for(request, pk)
    problems = safety_index_verify(run=run)
    if problems:
        messages.error(request, _("The run does not reproduce: %(n)s differences.") % {"n": len(problems)})
    else:
        messages.success(request, _("Recomputed %(year)s from its stored inputs: identical to the stored result "
                                    "(fingerprint %(hash)s).") % {"year": run.year, "hash": run.inputs_sha256[:12]})
    return redirect("tryghedsindeks:manage")

