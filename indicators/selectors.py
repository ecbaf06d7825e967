"""Reads of indicator data, always scoped to what the user may see.

``indicators_visible_to`` and ``indicator_values_visible_to`` are the one
scoping rule for indicator data: every page, API view, CSV export and task
starts from them. A user sees the indicators of their municipality's
programmes; of the values, everyone who may read indicators sees the approved
revisions, coordinators also see what is waiting for approval, and a
reporter also sees the drafts of their own administration's indicators.
"""
from collections import defaultdict

from django.db.models import Q, QuerySet

from accounts.roles import is_admin_reporter, is_api_client, is_coordinator
from areas.models import Area, AreaLevel
from initiatives.selectors import programmes_visible_to
from sikkerby import databasis, privacy

from .models import Indicator, IndicatorValue, ValueStatus, ValueUpload, period_label


def indicators_visible_to(user) -> QuerySet[Indicator]:
    if not user.is_authenticated:
        return Indicator.objects.none()
    if not (user.is_superuser or is_coordinator(user) or is_admin_reporter(user) or is_api_client(user)):
        return Indicator.objects.none()
    return Indicator.objects.filter(programme__in=programmes_visible_to(user))


def indicator_values_visible_to(user) -> QuerySet[IndicatorValue]:
    qs = IndicatorValue.objects.filter(indicator__in=indicators_visible_to(user))
    if user.is_superuser or is_coordinator(user):
        return qs.filter(~Q(status=ValueStatus.DRAFT) | Q(entered_by=user))
    if is_admin_reporter(user) and user.administration_id:
        # A subquery, not a join through the co-responsible table: the join would repeat rows and need a
        # DISTINCT, which sorts every visible value before a page can be cut.
        own = Indicator.objects.filter(Q(responsible_id=user.administration_id)
                                       | Q(co_responsible=user.administration_id)).values("id")
        return qs.filter(Q(status=ValueStatus.APPROVED) | Q(indicator__in=own))
    return qs.filter(status=ValueStatus.APPROVED)


def indicator_list(*, user, programme) -> QuerySet[Indicator]:
    return (indicators_visible_to(user).filter(programme=programme)
            .select_related("focus_area", "responsible").prefetch_related("co_responsible").order_by("number"))


def indicator_detail(*, user, pk: int) -> Indicator:
    return (indicators_visible_to(user).select_related("focus_area", "responsible", "programme__municipality")
            .prefetch_related("co_responsible").get(pk=pk))


def value_list(*, user) -> QuerySet[IndicatorValue]:
    """Values with what lists need, in a fixed number of queries."""
    return (indicator_values_visible_to(user)
            .select_related("indicator__responsible", "area", "entered_by", "approved_by", "supersedes")
            .order_by("indicator__number", "area__level", "area__code", "period_type", "period_start", "revision"))


def published_values(*, user) -> QuerySet[IndicatorValue]:
    """The published figure per indicator, area and period: approved and not revised since."""
    return indicator_values_visible_to(user).filter(status=ValueStatus.APPROVED, superseded_at__isnull=True)


def values_awaiting_approval(*, user, programme) -> QuerySet[IndicatorValue]:
    return (value_list(user=user).filter(indicator__programme=programme, status=ValueStatus.SUBMITTED))


def own_open_values(*, user, programme) -> QuerySet[IndicatorValue]:
    """A reporter's administration's drafts and submitted values."""
    return value_list(user=user).filter(indicator__programme=programme, status__in=[
        ValueStatus.DRAFT, ValueStatus.SUBMITTED]).filter(
        Q(indicator__responsible_id=user.administration_id) | Q(indicator__co_responsible=user.administration_id))


def indicator_series(*, user, indicator: Indicator, area_level: str | None = None) -> list[dict]:
    """Published values of one indicator as rows for charts, tables and CSV, in one query.

    Each row: ``{"period", "period_type", "period_start", "area", "area_code", "area_level", "value",
    "suppressed", "revised", "data_basis"}``; ``revised`` is True when the published figure is a correction of
    an earlier one; ``data_basis`` says whether it is a demo value (``sikkerby.databasis``). For an indicator
    that counts persons a value below the small-count threshold is None with ``suppressed`` True
    (``sikkerby.privacy``), at every area level.
    """
    qs = published_values(user=user).filter(indicator=indicator)
    if area_level:
        qs = qs.filter(area__level=area_level)
    rows = qs.order_by("period_type", "period_start", "area__level", "area__code").values_list(
        "period_type", "period_start", "area__name", "area__code", "area__level", "value", "revision", "is_demo")
    labels = dict(AreaLevel.choices)
    return [{"period": period_label(pt, start), "period_type": pt, "period_start": start, "area": name,
             "area_code": code, "area_level": level, "area_level_label": labels.get(level, level),
             **_shown(value, indicator), "revised": revision > 1, "data_basis": databasis.basis(demo=is_demo)}
            for pt, start, name, code, level, value, revision, is_demo in rows]


def _shown(value, indicator: Indicator) -> dict:
    """``value`` and ``suppressed`` of a published value: the small-count rule for indicators counting persons."""
    shown = privacy.suppress_if(value, applies=indicator.counts_persons)
    return {"value": shown, "suppressed": shown is None and value is not None}


def headline_area(*, programme) -> Area | None:
    """The area a programme's headline series are about: the municipality as a whole."""
    return Area.objects.filter(municipality_id=programme.municipality_id, level="city").first()


def indicator_overview(*, user, programme) -> list[dict]:
    """Every indicator of a programme with its city-level yearly series (two queries in all).

    Values of indicators that count persons go through the small-count rule (``suppressed``).
    """
    indicators = list(indicator_list(user=user, programme=programme))
    city = headline_area(programme=programme)
    series: dict[int, list] = defaultdict(list)
    by_id = {ind.pk: ind for ind in indicators}
    if city is not None:
        rows = (published_values(user=user).filter(indicator__programme=programme, area=city)
                .order_by("period_type", "period_start").values_list(
                    "indicator_id", "period_type", "period_start", "value", "revision", "is_demo"))
        for ind_id, pt, start, value, revision, is_demo in rows:
            if ind_id not in by_id:
                continue
            series[ind_id].append({"period": period_label(pt, start), **_shown(value, by_id[ind_id]),
                                   "revised": revision > 1, "data_basis": databasis.basis(demo=is_demo)})
    return [{"indicator": ind, "series": series.get(ind.pk, []),
             "latest": (series.get(ind.pk) or [{}])[-1].get("value"),
             "data_basis": databasis.combine(*(r["data_basis"] for r in series.get(ind.pk, [])))}
            for ind in indicators]


def latest_by_area(rows: list[dict]) -> tuple[str | None, list[dict]]:
    """The breakdown by area for the newest period present in ``rows`` (below the city level)."""
    below = [r for r in rows if r["area_level"] != "city"]
    if not below:
        return None, []
    latest = max((r["period_type"] == "year", r["period_start"]) for r in below)
    pick = [r for r in below if (r["period_type"] == "year", r["period_start"]) == latest]
    return pick[0]["period"], sorted(pick, key=lambda r: (r["area_level"], r["area"]))


def upload_for(*, user, pk: int) -> ValueUpload:
    """An upload is visible to the person who made it only."""
    return ValueUpload.objects.select_related("programme").get(pk=pk, uploaded_by=user)
