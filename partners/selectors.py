"""Reads of partners and monthly progress entries, always scoped to the user.

The scoping rules, one per model, used by every page, export, API view and task:

- ``partners_visible_to`` / ``involvements_visible_to``: coordinators, administration reporters and API
  clients see their municipality's partners and what they run or fund; everyone else nothing.
- ``contacts_visible_to``: the partners' contact persons, coordinators only.
- ``progress_entries_visible_to``: every entry of the municipality's initiatives, for the same roles as
  partners (programme data; nobody is named in an entry).

``partner_pack`` assembles the monthly partner-meeting pack (page, PDF and Excel) in a fixed number of
queries, whatever the number of initiatives.
"""
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts import roles
from indicators.models import PeriodType, period_label
from indicators.selectors import headline_area
from initiatives.models import BudgetLine, Direction, Initiative, InitiativeStatus
from initiatives.selectors import programmes_visible_to
from sikkerby import databasis, privacy, tenancy

from .models import (
    STATUS_SYMBOLS,
    Partner,
    PartnerContact,
    PartnerInitiative,
    ProgressEntry,
    ProgressStatus,
    month_start,
)

TREND_MONTHS = 12


def _reads_partners(user) -> bool:
    return user.is_authenticated and (user.is_superuser or roles.is_coordinator(user)
                                      or roles.is_admin_reporter(user) or roles.is_api_client(user))


def partners_visible_to(user) -> QuerySet[Partner]:
    if not _reads_partners(user):
        return Partner.objects.none()
    return tenancy.scoped(Partner.objects.all(), user)


def involvements_visible_to(user) -> QuerySet[PartnerInitiative]:
    if not _reads_partners(user):
        return PartnerInitiative.objects.none()
    return tenancy.scoped(PartnerInitiative.objects.all(), user)


def contacts_visible_to(user) -> QuerySet[PartnerContact]:
    if not (user.is_authenticated and (user.is_superuser or roles.is_coordinator(user))):
        return PartnerContact.objects.none()
    return tenancy.scoped(PartnerContact.objects.all(), user)


def progress_entries_visible_to(user) -> QuerySet[ProgressEntry]:
    if not _reads_partners(user):
        return ProgressEntry.objects.none()
    return tenancy.scoped(ProgressEntry.objects.all(), user)


# --- months -----------------------------------------------------------------------
def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def parse_month(text: str | None) -> date | None:
    """``2025-06`` → 2025-06-01; None for anything else (the views answer 400 or fall back)."""
    try:
        year, month = (text or "").strip().split("-")
        if len(year) != 4 or not 1990 <= int(year) <= 2100:
            return None
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def default_month(*, programme, today: date) -> date:
    """The month a pack opens on: the latest month with an entry, else last month."""
    latest = (ProgressEntry.objects.filter(initiative__programme=programme).order_by("-month")
              .values_list("month", flat=True).first())
    return latest or add_months(month_start(today), -1)


# --- lists ------------------------------------------------------------------------
def programme_of(user):
    """The user's current programme (the newest of their municipality), or None."""
    return programmes_visible_to(user).order_by("-start_year").first()


def partner_list(*, user) -> QuerySet[Partner]:
    return (partners_visible_to(user).annotate(
        initiative_count=Count("involvements__initiative", distinct=True)).order_by("sector", "name"))


def partner_detail(*, user, pk: int) -> Partner:
    return partners_visible_to(user).select_related("municipality").get(pk=pk)


def partner_involvements(*, user, partner: Partner) -> QuerySet[PartnerInitiative]:
    return (involvements_visible_to(user).filter(partner=partner)
            .select_related("initiative__administration").order_by("-year", "initiative__name"))


def initiatives_for_month(*, programme, month: date) -> QuerySet[Initiative]:
    """The initiatives expected to report in ``month``: the existing ones, and new ones once they have a budget."""
    funded = BudgetLine.objects.filter(initiative__programme=programme, year__lte=month.year).values("initiative_id")
    return (Initiative.objects.filter(programme=programme)
            .filter(Q(status=InitiativeStatus.EXISTING) | Q(pk__in=funded))
            .select_related("administration", "programme").order_by("administration__code", "name"))


def entry_list(*, user) -> QuerySet[ProgressEntry]:
    return (progress_entries_visible_to(user)
            .select_related("initiative__administration", "initiative__programme", "updated_by")
            .order_by("-month", "initiative__name"))


def entry_detail(*, user, pk: int) -> ProgressEntry:
    return progress_entries_visible_to(user).select_related(
        "initiative__administration", "initiative__programme").get(pk=pk)


def completeness(*, user, programme, month: date) -> dict:
    """Which initiatives have an entry for ``month`` and which do not, per administration (three queries)."""
    initiatives = list(initiatives_for_month(programme=programme, month=month))
    entries = {e.initiative_id: e for e in progress_entries_visible_to(user).filter(
        initiative__programme=programme, month=month)}
    by_admin: dict[str, dict] = {}
    missing = []
    for ini in initiatives:
        row = by_admin.setdefault(ini.administration.code, {"administration": ini.administration, "total": 0,
                                                            "done": 0})
        row["total"] += 1
        entry = entries.get(ini.pk)
        if entry is not None:
            row["done"] += 1
        else:
            missing.append(ini)
    for row in by_admin.values():
        row["pct"] = round(100 * row["done"] / row["total"]) if row["total"] else 0
    total, done = len(initiatives), len(initiatives) - len(missing)
    return {"month": month, "administrations": list(by_admin.values()), "missing": missing,
            "total": total, "done": done, "pct": round(100 * done / total) if total else 0}


# --- indicators beside an entry and in the pack ------------------------------------
def _published_city_values(*, user, programme, indicator_ids=None, until: date):
    """Published city-level values up to ``until`` (oldest first), one query."""
    from indicators.selectors import published_values

    city = headline_area(programme=programme)
    if city is None:
        return []
    qs = published_values(user=user).filter(indicator__programme=programme, area=city, period_start__lte=until)
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=indicator_ids)
    return list(qs.order_by("indicator_id", "period_start").values_list(
        "indicator_id", "period_type", "period_start", "value", "is_demo"))


def _finest_latest(rows):
    """Of one indicator's rows (oldest first), the latest two of the finest period type reported."""
    finest = {PeriodType.MONTH: 0, PeriodType.QUARTER: 1, PeriodType.YEAR: 2}
    if not rows:
        return None, None
    kind = min((r[1] for r in rows), key=lambda k: finest.get(k, 3))
    same = [r for r in rows if r[1] == kind]
    return same[-1], (same[-2] if len(same) > 1 else None)


def _assessment(direction: str, change) -> str:
    if change is None:
        return "none"
    if change == 0 or direction == Direction.NONE:
        return "unchanged" if change == 0 else "none"
    better = change < 0 if direction == Direction.FALLING else change > 0
    return "better" if better else "worse"


def indicator_movements(*, user, programme, month: date, indicators=None) -> list[dict]:
    """Each indicator's latest published figure known by the end of ``month`` and its movement.

    ``new_this_month`` says whether that figure is newer than the one known at the end of the month before
    (a yearly figure moves once a year, a monthly one every month). Figures of indicators that count persons
    go through the small-count rule. Two queries.
    """
    from indicators.selectors import indicators_visible_to

    if indicators is None:
        indicators = list(indicators_visible_to(user).filter(programme=programme).order_by("number"))
    until = month_end(month)
    rows = defaultdict(list)
    for r in _published_city_values(user=user, programme=programme, indicator_ids=[i.pk for i in indicators],
                                    until=until):
        rows[r[0]].append(r)
    out = []
    for ind in indicators:
        latest, previous = _finest_latest(rows[ind.pk])
        before, _prev = _finest_latest([r for r in rows[ind.pk] if r[2] < month])
        item = {"indicator": ind, "period": None, "value": None, "previous_period": None, "previous_value": None,
                "change": None, "assessment": "none", "new_this_month": False, "suppressed": False,
                "data_basis": databasis.DataBasis.REAL}
        if latest is not None:
            value = privacy.suppress_if(latest[3], applies=ind.counts_persons)
            item.update(period=period_label(latest[1], latest[2]), value=value,
                        suppressed=value is None, data_basis=databasis.basis(demo=latest[4]),
                        new_this_month=before is None or before[2] != latest[2] or before[1] != latest[1])
            if previous is not None:
                prev = privacy.suppress_if(previous[3], applies=ind.counts_persons)
                item.update(previous_period=period_label(previous[1], previous[2]), previous_value=prev)
                if value is not None and prev is not None:
                    item["change"] = value - prev
            item["assessment"] = _assessment(ind.direction, item["change"])
        out.append(item)
    return out


def initiative_indicators(*, user, initiative: Initiative, month: date) -> list[dict]:
    """The indicators of the initiative's focus areas with their figures as of ``month`` (read-only context)."""
    from indicators.selectors import indicators_visible_to

    indicators = list(indicators_visible_to(user).filter(focus_area__in=initiative.focus_areas.all())
                      .distinct().order_by("number"))
    return indicator_movements(user=user, programme=initiative.programme, month=month, indicators=indicators)


def key_figure_report_for(*, user, month: date):
    """The latest finished key-figure report whose period ended by the end of ``month`` (the quarterly
    assessment beside the monthly pack), or None; only for users who may open key-figure reports."""
    from crimestats.models import ReportStatus
    from crimestats.selectors import key_figure_reports_visible_to

    if not user.has_perm("crimestats.view_key_figures") or user.municipality is None \
            or not user.municipality.uses("key_figures"):
        return None
    return (key_figure_reports_visible_to(user).filter(status=ReportStatus.DONE, period_end__lte=month_end(month))
            .order_by("-period_end", "-version").first())


# --- the pack ------------------------------------------------------------------------
def status_cell(status: str | None, month: date) -> dict:
    return {"month": month, "status": status or "", "symbol": STATUS_SYMBOLS.get(status, "–"),
            "label": ProgressStatus(status).label if status else None}


def partner_pack(*, user, programme, month: date) -> dict:
    """The monthly partner-meeting pack: every initiative's status, its last 12 months, what changed status,
    the indicator movements and the latest quarterly key-figure report. A fixed number of queries."""
    months = [add_months(month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    initiatives = list(initiatives_for_month(programme=programme, month=month).prefetch_related(
        Prefetch("partner_involvements",
                 queryset=involvements_visible_to(user).filter(year=month.year).select_related("partner")
                 .order_by("partner__name"), to_attr="year_partners")))
    statuses: dict[int, dict[date, str]] = defaultdict(dict)
    entries: dict[int, ProgressEntry] = {}
    visible = progress_entries_visible_to(user).filter(initiative__programme=programme)
    for ini_id, m, status in visible.filter(month__gte=add_months(month, -TREND_MONTHS),
                                            month__lte=month).values_list("initiative_id", "month", "status"):
        statuses[ini_id][m] = status
    for entry in visible.filter(month=month):
        entries[entry.initiative_id] = entry
    rows, changes = [], []
    counts = {s: 0 for s in ProgressStatus.values}
    for ini in initiatives:
        own = statuses.get(ini.pk, {})
        current, previous = own.get(month), own.get(add_months(month, -1))
        if current:
            counts[current] += 1
        row = {"initiative": ini, "entry": entries.get(ini.pk), "status": status_cell(current, month),
               "previous": status_cell(previous, add_months(month, -1)),
               "trend": [status_cell(own.get(m), m) for m in months],
               "partners": [inv.partner for inv in ini.year_partners],
               "changed": bool(current and previous and current != previous)}
        rows.append(row)
        if row["changed"]:
            changes.append(row)
    missing = sum(1 for r in rows if not r["status"]["status"])
    return {"month": month, "months": months, "programme": programme, "rows": rows, "changes": changes,
            "counts": [(status_cell(s, month), counts[s]) for s in ProgressStatus.values], "missing": missing,
            "indicators": indicator_movements(user=user, programme=programme, month=month),
            "key_figure_report": key_figure_report_for(user=user, month=month),
            "data_basis": databasis.combine(*(databasis.basis(demo=e.is_demo) for e in entries.values()))
            if entries else databasis.DataBasis.REAL}


def progress_reminder_recipients(*, on: date, days: tuple[int, ...]) -> list[dict]:
    """Who gets a reminder on ``on``: active reporters (with an e-mail) of administrations whose initiatives have
    no entry for the current month, on the configured ``days`` of the month, not already reminded that day."""
    from accounts.models import User

    from .models import ProgressReminder

    if on.day not in days:
        return []
    month = month_start(on)
    out = []
    for programme in programmes_visible_to_all():
        names: dict[int, list[str]] = defaultdict(list)
        have = ProgressEntry.objects.filter(initiative__programme=programme, month=month).values("initiative_id")
        for admin_id, name in (initiatives_for_month(programme=programme, month=month).exclude(pk__in=have)
                               .values_list("administration_id", "name")):
            names[admin_id].append(name)
        if not names:
            continue
        already = set(ProgressReminder.objects.filter(month=month, sent_on=on).values_list("recipient_id", flat=True))
        users = (User.objects.filter(is_active=True, groups__name=roles.ADMIN_REPORTER,
                                     municipality_id=programme.municipality_id, administration_id__in=names)
                 .exclude(email="").exclude(pk__in=already).select_related("administration", "municipality"))
        for user in users:
            out.append({"user": user, "programme": programme, "month": month,
                        "initiatives": names[user.administration_id],
                        "outstanding": len(names[user.administration_id])})
    return out


def programmes_visible_to_all():
    """Each municipality's newest programme (for tasks, which run without a user)."""
    from initiatives.models import Programme

    newest = {}
    for p in Programme.objects.select_related("municipality").order_by("municipality_id", "-start_year"):
        newest.setdefault(p.municipality_id, p)
    return list(newest.values())



def pack_pdfs_visible_to(user) -> QuerySet:
    """The pack PDFs of the user's municipality (without the PDF itself), for those who may read the pack."""
    from .models import PartnerPackPdf

    if not (user.is_authenticated and (user.is_superuser or roles.is_coordinator(user)
                                       or roles.is_admin_reporter(user))):
        return PartnerPackPdf.objects.none()
    return tenancy.scoped(PartnerPackPdf.objects.defer("pdf"), user)
