"""Reads for the programme, always scoped to what the user may see.

``programmes_visible_to`` is the one scoping rule for programme data: a user
sees the programmes of their own municipality (superusers see all), by the
project's one isolation rule (``sikkerby.tenancy.scoped``). Every page, API
view and export of programme data starts from it.
"""
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from sikkerby import tenancy

from .models import Administration, BudgetLine, EffectGoal, FocusArea, Initiative, Programme


def programmes_visible_to(user) -> QuerySet[Programme]:
    return tenancy.scoped(Programme.objects.select_related("municipality"), user)


def programme_current(*, user, slug: str | None = None) -> Programme | None:
    """The programme a page shows: the one asked for, else the newest one the user may see."""
    qs = programmes_visible_to(user)
    if slug:
        return qs.filter(slug=slug).first()
    return qs.order_by("-start_year", "slug").first()


def initiatives_visible_to(user) -> QuerySet[Initiative]:
    return Initiative.objects.filter(programme__in=programmes_visible_to(user))


def initiative_list(*, user, programme: Programme) -> QuerySet[Initiative]:
    """Initiatives of a programme with what list pages need, in a fixed number of queries."""
    return (
        initiatives_visible_to(user)
        .filter(programme=programme)
        .select_related("administration")
        .prefetch_related(
            Prefetch("focus_areas", queryset=FocusArea.objects.only("id", "number", "title")),
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("year", "kind")),
        )
        .order_by("administration__code", "name")
    )


def initiative_detail(*, user, pk: int) -> Initiative:
    return (
        initiatives_visible_to(user)
        .select_related("administration", "programme__municipality")
        .prefetch_related("focus_areas", "effect_goals", "budget_lines", "areas")
        .get(pk=pk)
    )


def focus_area_list(*, programme: Programme) -> QuerySet[FocusArea]:
    return programme.focus_areas.prefetch_related("effect_goals").order_by("number")


def budget_summary(*, initiatives: QuerySet[Initiative]) -> dict:
    """Count and budget per administration, one column per (year, kind).

    Two aggregate queries whatever the number of initiatives. Returns
    ``{"columns": [(year, kind), …], "rows": [{"code", "count", "amounts": {col: Decimal}}],
    "total": {"count", "amounts"}}``.
    """
    counts = dict(
        initiatives.order_by().values_list("administration__code").annotate(n=Count("id", distinct=True))
    )
    sums = (
        BudgetLine.objects.filter(initiative__in=initiatives.order_by().values("id"))
        .values_list("initiative__administration__code", "year", "kind")
        .annotate(total=Sum("amount_tdkk"))
        .order_by()
    )
    amounts: dict[str, dict] = defaultdict(dict)
    columns = set()
    for code, year, kind, total in sums:
        amounts[code][(year, kind)] = total
        columns.add((year, kind))
    cols = sorted(columns, key=lambda c: (c[0], c[1] != "construction"))
    rows = [{"code": code, "count": counts[code], "amounts": [amounts[code].get(c) for c in cols]}
            for code in sorted(counts)]
    total = {
        "count": sum(counts.values()),
        "amounts": [sum((amounts[code].get(c) or Decimal(0) for code in counts), Decimal(0)) for c in cols],
    }
    return {"columns": cols, "rows": rows, "total": total}


def budget_by_administration_and_focus_area(*, initiatives: QuerySet[Initiative], year: int) -> list[dict]:
    """One year's budget (operations + construction) per administration and focus area.

    An initiative under several focus areas is split evenly across them, so the
    bars add up to the administrations' real totals. One query.
    """
    rows = (
        BudgetLine.objects.filter(initiative__in=initiatives.order_by().values("id"), year=year)
        .values_list("initiative_id", "initiative__administration__code", "amount_tdkk")
        .order_by()
    )
    fa_of = defaultdict(list)
    for ini_id, number, title in Initiative.focus_areas.through.objects.filter(
        initiative__in=initiatives.order_by().values("id")
    ).values_list("initiative_id", "focusarea__number", "focusarea__title"):
        fa_of[ini_id].append(f"{number}. {title}")
    out: dict[tuple, Decimal] = defaultdict(Decimal)
    for ini_id, code, amount in rows:
        fas = fa_of.get(ini_id) or [str(_("Not assigned to a focus area"))]
        for fa in fas:
            out[(code, fa)] += amount / len(fas)
    return [{"administration": k[0], "focus_area": k[1], "amount": v} for k, v in sorted(out.items())]


def budget_years(*, programme: Programme) -> list[int]:
    return list(
        BudgetLine.objects.filter(initiative__programme=programme)
        .order_by("year").values_list("year", flat=True).distinct()
    )


def published_totals_check(*, programme: Programme) -> list[dict]:
    """Each total the source prints beside the same total computed from the budget lines.

    One aggregate query for all totals (conditional aggregation). Returns rows
    ``{"total": PublishedTotal, "count": int, "amount": Decimal, "count_ok": bool, "difference": Decimal}``.
    """
    totals = list(programme.published_totals.select_related("administration", "focus_area"))
    aggregates = {}
    for t in totals:
        cond = Q(year=t.year)
        if t.kind:
            cond &= Q(kind=t.kind)
        if t.status:
            cond &= Q(initiative__status=t.status)
        if t.administration_id:
            cond &= Q(initiative__administration_id=t.administration_id)
        if t.focus_area_id:
            cond &= Q(initiative__in=Initiative.objects.filter(focus_areas=t.focus_area_id).values("id"))
        aggregates[f"a{t.pk}"] = Sum("amount_tdkk", filter=cond, default=Decimal(0))
        aggregates[f"n{t.pk}"] = Count("initiative", filter=cond, distinct=True)
    got = BudgetLine.objects.filter(initiative__programme=programme).aggregate(**aggregates) if totals else {}
    rows = []
    for t in totals:
        amount, count = got[f"a{t.pk}"], got[f"n{t.pk}"]
        rows.append({"total": t, "amount": amount, "count": count,
                     "count_ok": t.count is None or t.count == count, "difference": amount - t.amount_tdkk})
    return rows


def effect_goal_overview(*, programme: Programme) -> list[tuple]:
    """Each effect goal with its current measurement (computed by the measure its app registered)."""
    from indicators.measures import measure_goal

    goals = programme.effect_goals.select_related("responsible").order_by("number")
    overview = []
    for goal in goals:
        m = measure_goal(goal)
        overview.append((goal, m, m.unit_for(goal)))
    return overview


# --- the coordinators' manage pages -------------------------------------------------
def focus_areas_visible_to(user) -> QuerySet[FocusArea]:
    return FocusArea.objects.filter(programme__in=programmes_visible_to(user))


def effect_goals_visible_to(user) -> QuerySet[EffectGoal]:
    return EffectGoal.objects.filter(programme__in=programmes_visible_to(user))


def indicator_definitions_visible_to(user):
    """Indicators of the user's programmes, for the manage pages (the indicators app has its own reader rule)."""
    from indicators.models import Indicator

    return Indicator.objects.filter(programme__in=programmes_visible_to(user))


def budget_lines_visible_to(user) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(initiative__in=initiatives_visible_to(user))


def administrations_of(programme: Programme) -> QuerySet[Administration]:
    """The administrations a programme's rows may name: those of its own municipality."""
    return Administration.objects.filter(municipality_id=programme.municipality_id).order_by("code")


def budget_line_list(*, user, programme: Programme, year: int | None = None) -> QuerySet[BudgetLine]:
    """Every budget line of a programme with its initiative and administration (one query)."""
    qs = (budget_lines_visible_to(user).filter(initiative__programme=programme)
          .select_related("initiative__administration")
          .order_by("initiative__administration__code", "initiative__name", "year", "kind"))
    return qs.filter(year=year) if year else qs


def history_of(obj, *, include_budget_lines: bool = False) -> list[dict]:
    """The audit history of a programme row (``operations.history``); an initiative's includes its budget lines.

    Budget-line entries are found by the initiative id each one stores, so deleted lines stay in the history.
    """
    from auditlog.models import LogEntry

    from operations.history import history_rows

    entries = LogEntry.objects.get_for_object(obj)
    if include_budget_lines:
        entries = entries | LogEntry.objects.filter(
            content_type__app_label="initiatives", content_type__model="budgetline",
            additional_data__initiative_id=obj.pk)
    return history_rows(entries)
