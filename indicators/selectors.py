"""Reads of indicator data, always scoped to what the user may see.

``indicators_visible_to`` and ``indicator_values_visible_to`` are the one
scoping rule for indicator data: every page, API view, CSV export and task
starts from them. A user sees the indicators of their municipality's
programmes; of the values, everyone who may read indicators sees the approved
revisions, coordinators also see what is waiting for approval, and a
reporter also sees the drafts of their own administration's indicators.
"""
import operator
from collections import defaultdict
from datetime import date
from functools import reduce

from django.db.models import F, Min, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from accounts.models import User
from accounts.roles import ADMIN_REPORTER, COORDINATOR, is_admin_reporter, is_api_client, is_coordinator
from areas.models import Area, AreaLevel
from initiatives.selectors import programmes_visible_to
from sikkerby import databasis, privacy, tenancy

from .models import (
    Indicator,
    IndicatorValue,
    ReminderLevel,
    ReportingCalendar,
    ReportingReminder,
    ValueStatus,
    ValueUpload,
    period_label,
)


def indicators_visible_to(user) -> QuerySet[Indicator]:
    if not user.is_authenticated:
        return Indicator.objects.none()
    if not (user.is_superuser or is_coordinator(user) or is_admin_reporter(user) or is_api_client(user)):
        return Indicator.objects.none()
    return Indicator.objects.filter(programme__in=programmes_visible_to(user))


def indicator_values_visible_to(user) -> QuerySet[IndicatorValue]:
    # any_of, not in: a page ordered by the value index stays an index walk on PostgreSQL (sikkerby/lookups.py)
    qs = IndicatorValue.objects.filter(indicator__any_of=indicators_visible_to(user).values("id"))
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


# Periods of each indicator the overview charts: the latest ones. The indicator's own page has its whole series,
# so the overview's cost does not grow with the years of history a municipality loads.
OVERVIEW_PERIODS = 20


def indicator_overview(*, user, programme) -> list[dict]:
    """Every indicator of a programme with the latest ``OVERVIEW_PERIODS`` of its city-level series (two queries).

    Values of indicators that count persons go through the small-count rule (``suppressed``).
    """
    indicators = list(indicator_list(user=user, programme=programme))
    city = headline_area(programme=programme)
    series: dict[int, list] = defaultdict(list)
    by_id = {ind.pk: ind for ind in indicators}
    if city is not None:
        latest_first = Window(RowNumber(), partition_by=[F("indicator_id"), F("period_type")],
                              order_by=F("period_start").desc())
        rows = (published_values(user=user).filter(indicator__programme=programme, area=city)
                .annotate(nth=latest_first).filter(nth__lte=OVERVIEW_PERIODS)
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


# --- the reporting calendar (issue #18, part 4) -----------------------------------------------------------------
def reporting_calendars_visible_to(user) -> QuerySet[ReportingCalendar]:
    """The calendars of the indicators the user may read (their municipality's; every reading role).

    The completeness figures built on them say whether and when a period was handed in, never the value,
    so every role that reads indicators sees the same figures (``reporting_status``).
    """
    qs = tenancy.scoped(ReportingCalendar.objects.all(), user)
    if not (user.is_superuser or is_coordinator(user) or is_admin_reporter(user) or is_api_client(user)):
        return qs.none()
    return qs.filter(indicator__in=indicators_visible_to(user))


def reporting_reminders_visible_to(user) -> QuerySet[ReportingReminder]:
    """Coordinators see every reminder of their municipality; a reporter those about their administration."""
    qs = tenancy.scoped(ReportingReminder.objects.all(), user)
    if user.is_superuser or is_coordinator(user):
        return qs
    if is_admin_reporter(user) and user.administration_id:
        return qs.filter(administration_id=user.administration_id)
    return qs.none()


def reporting_calendar_list(*, user, programme=None) -> QuerySet[ReportingCalendar]:
    qs = reporting_calendars_visible_to(user).select_related("indicator__responsible", "indicator__programme")
    if programme is not None:
        qs = qs.filter(indicator__programme=programme)
    return qs.order_by("indicator__programme_id", "indicator__number")


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def reporting_status(*, calendars, today: date) -> list[dict]:
    """Each calendar's expected periods with when each was first reported; one query for any number of calendars.

    A row per calendar: ``calendar``, ``indicator``, ``administration``, ``expected``, ``reported``,
    ``on_time``, ``completeness`` and ``on_time_rate`` (percent of expected, None when nothing is due yet),
    ``overdue`` (periods past due without a value) and ``periods``: per expected period ``{"period",
    "start", "due", "reported_at", "on_time", "overdue", "escalated"}``. A period is reported when any area's
    value of it is submitted or approved; its time is the earliest ``first_reported_at`` of those.
    """
    calendars = list(calendars)
    if not calendars:
        return []
    due_periods = {cal.pk: cal.expected_periods(today) for cal in calendars}
    # Only the periods a calendar expects are read (index ``indicator_value_period``): values before its first
    # period or not yet due cost nothing, however long the indicator's history is.
    wanted = [Q(indicator_id=cal.indicator_id, period_type=cal.period_type,
                period_start__gte=due_periods[cal.pk][0], period_start__lte=due_periods[cal.pk][-1])
              for cal in calendars if due_periods[cal.pk]]
    first = {}
    rows = (IndicatorValue.objects.filter(reduce(operator.or_, wanted, Q(pk__in=[])),
                                          status__in=[ValueStatus.SUBMITTED, ValueStatus.APPROVED])
            .values("indicator_id", "period_type", "period_start")
            .annotate(at=Min(Coalesce("first_reported_at", "submitted_at", "approved_at"))))
    for row in rows:
        first[(row["indicator_id"], row["period_type"], row["period_start"])] = row["at"]
    out = []
    for cal in calendars:
        periods = []
        for start in due_periods[cal.pk]:
            due = cal.due_date(start)
            at = first.get((cal.indicator_id, cal.period_type, start))
            reported_on = timezone.localdate(at) if at is not None else None
            periods.append({"period": period_label(cal.period_type, start), "start": start, "due": due,
                            "reported_at": at, "on_time": reported_on is not None and reported_on <= due,
                            "overdue": at is None and today > due,
                            "escalated": at is None and today > cal.escalation_date(start)})
        expected = len(periods)
        reported = sum(1 for p in periods if p["reported_at"] is not None)
        on_time = sum(1 for p in periods if p["on_time"])
        out.append({"calendar": cal, "indicator": cal.indicator, "administration": cal.indicator.responsible,
                    "period_type": cal.period_type, "expected": expected, "reported": reported, "on_time": on_time,
                    "completeness": _percent(reported, expected), "on_time_rate": _percent(on_time, expected),
                    "overdue": [p for p in periods if p["overdue"]], "periods": periods})
    return out


def reporting_by_administration(rows: list[dict]) -> list[dict]:
    """``reporting_status`` rows summed per owner administration (by code)."""
    sums: dict[int, dict] = {}
    for row in rows:
        admin = row["administration"]
        item = sums.setdefault(admin.pk, {"administration": admin, "indicators": 0, "expected": 0, "reported": 0,
                                          "on_time": 0, "overdue": 0})
        item["indicators"] += 1
        item["expected"] += row["expected"]
        item["reported"] += row["reported"]
        item["on_time"] += row["on_time"]
        item["overdue"] += len(row["overdue"])
    out = sorted(sums.values(), key=lambda i: i["administration"].code)
    for item in out:
        item["completeness"] = _percent(item["reported"], item["expected"])
        item["on_time_rate"] = _percent(item["on_time"], item["expected"])
    return out


def reporting_totals(rows: list[dict]) -> dict:
    expected = sum(r["expected"] for r in rows)
    reported = sum(r["reported"] for r in rows)
    on_time = sum(r["on_time"] for r in rows)
    return {"indicators": len(rows), "expected": expected, "reported": reported, "on_time": on_time,
            "overdue": sum(len(r["overdue"]) for r in rows),
            "completeness": _percent(reported, expected), "on_time_rate": _percent(on_time, expected)}


def reporting_reminders_due(*, on: date, municipality: int | None = None) -> list[dict]:
    """Reminders to send on ``on``: one per overdue (indicator, period, level) not already sent. Every municipality.

    Owner level: the day after the due date, to the owner administration's active reporters with an e-mail
    address in the indicator's municipality. Escalated: after ``escalate_after_days`` more, to the
    municipality's active coordinators with an e-mail address. A fixed number of queries however many
    calendars there are.
    """
    calendars = ReportingCalendar.objects.select_related("indicator__responsible", "indicator__programme") \
        .filter(indicator__formula="")
    if municipality is not None:
        calendars = tenancy.for_municipality(calendars, municipality)
    calendars = list(calendars)
    status = reporting_status(calendars=calendars, today=on)
    sent = set(ReportingReminder.objects.filter(indicator_id__in=[c.indicator_id for c in calendars])
               .values_list("indicator_id", "period_type", "period_start", "level"))
    due = []
    for row in status:
        cal = row["calendar"]
        for p in row["overdue"]:
            if p["due"] < cal.reminders_from:
                continue  # backlog: overdue before the calendar was set up (the page shows it; no e-mail)
            levels = [ReminderLevel.OWNER] + ([ReminderLevel.ESCALATED] if p["escalated"] else [])
            for level in levels:
                if (cal.indicator_id, cal.period_type, p["start"], level) not in sent:
                    due.append({"calendar": cal, "indicator": cal.indicator, "period": p, "level": level,
                                "municipality_id": cal.indicator.programme.municipality_id,
                                "administration": cal.indicator.responsible})
    if not due:
        return []
    municipalities = {d["municipality_id"] for d in due}
    users = (User.objects.filter(is_active=True, municipality_id__in=municipalities,
                                 groups__name__in=[ADMIN_REPORTER, COORDINATOR])
             .exclude(email="").annotate(role=F("groups__name")).order_by("username"))
    reporters: dict[tuple, list] = defaultdict(list)
    coordinators: dict[int, list] = defaultdict(list)
    for user in users:
        if user.role == ADMIN_REPORTER and user.administration_id:
            reporters[(user.municipality_id, user.administration_id)].append(user)
        elif user.role == COORDINATOR:
            coordinators[user.municipality_id].append(user)
    for item in due:
        item["recipients"] = (reporters.get((item["municipality_id"], item["administration"].pk), [])
                              if item["level"] == ReminderLevel.OWNER else coordinators.get(item["municipality_id"], []))
    return due


def indicators_without_calendar(*, user, programme) -> list[Indicator]:
    """Entered indicators of the programme with no reporting calendar yet (so nobody is held to a date)."""
    return list(indicators_visible_to(user).filter(programme=programme, formula="", reporting_calendar__isnull=True)
                .select_related("responsible").order_by("number"))
