"""Programme pages: the coordinator dashboard and the initiative detail page."""
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .charts import budget_chart
from .filters import InitiativeFilterSet
from .models import Initiative

# Initiatives per page of the dashboard; a page is grouped by focus area like the whole list was.
PAGE_SIZE = 50


@login_required
@permission_required("initiatives.view_programme", raise_exception=True)
def dashboard(request):
    programme = selectors.programme_current(user=request.user, slug=request.GET.get("programme"))
    if programme is None:
        raise Http404("No programme")
    filterset = InitiativeFilterSet(request.GET or None, queryset=selectors.initiative_list(
        user=request.user, programme=programme), programme=programme)
    initiatives = filterset.qs
    years = selectors.budget_years(programme=programme)
    try:
        year = int(request.GET.get("year") or (years[0] if years else programme.start_year))
    except ValueError:
        year = programme.start_year
    focus_areas = list(selectors.focus_area_list(programme=programme))
    # One page of initiatives, not all of them: the page's cost does not grow with the programme (the
    # budget summary and chart are grouped in the database over every matching initiative).
    page = Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    by_focus = {fa.pk: [] for fa in focus_areas}
    unassigned = []
    for ini in rows:
        fas = list(ini.focus_areas.all())
        for fa in fas:
            by_focus.setdefault(fa.pk, []).append(ini)
        if not fas:
            unassigned.append(ini)
    sections = [(fa, by_focus.get(fa.pk, [])) for fa in focus_areas]
    # A programme whose source gives no amounts (Albertslund's strategy) has no chart: the page says so.
    chart_rows = selectors.budget_by_administration_and_focus_area(initiatives=initiatives, year=year) \
        if years else []
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "initiatives/programme_dashboard.html", {
        "programme": programme,
        "programmes": selectors.programmes_visible_to(request.user),
        "filterset": filterset,
        "initiative_count": page.paginator.count,
        "page": page,
        "query": query.urlencode(),
        "sections": sections,
        "unassigned": unassigned,
        "summary": selectors.budget_summary(initiatives=initiatives),
        "goals": selectors.effect_goal_overview(programme=programme),
        "chart_json": budget_chart(chart_rows, year=year) if years else None,
        "chart_rows": chart_rows,
        "year": year,
        "years": years,
    })


@login_required
@permission_required("initiatives.view_programme", raise_exception=True)
def initiative_detail(request, pk: int):
    try:
        initiative = selectors.initiative_detail(user=request.user, pk=pk)
    except Initiative.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "initiatives/initiative_detail.html", {"initiative": initiative})


@login_required
@permission_required("initiatives.view_programme", raise_exception=True)
def reconciliation(request):
    """The source's printed totals against the totals of the budget lines, with differences shown."""
    programme = selectors.programme_current(user=request.user, slug=request.GET.get("programme"))
    if programme is None:
        raise Http404("No programme")
    return render(request, "initiatives/programme_reconciliation.html", {
        "programme": programme, "rows": selectors.published_totals_check(programme=programme)})
