"""Reads for evaluations, prioritisations and closure reports, always scoped to the user.

The scoping rules, one per model, used by every page, export and task:

- ``evaluations_visible_to``: coordinators see every evaluation of their
  municipality's programmes; administration reporters only their own
  administration's; everyone else none.
- ``closures_visible_to``: coordinators the municipality's closure reports,
  reporters their own administration's.
- ``monitoring_reports_visible_to`` and ``prioritisations_visible_to``: as evaluations.
"""
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from initiatives.models import Administration, BudgetLine, Initiative, InitiativeStatus
from initiatives.selectors import programmes_visible_to
from sikkerby import tenancy

from .models import (
    ANSWER_FIELDS,
    DIMENSIONS,
    ClosureReport,
    Evaluation,
    EvaluationEvent,
    EvaluationReminder,
    EvaluationRound,
    EvaluationStatus,
    MonitoringReport,
    Prioritisation,
    PrioritisationEntry,
    PrioritisationRound,
    ReminderKind,
)

__all__ = ["programmes_visible_to"]

ANSWER_FIELD_SET = frozenset(ANSWER_FIELDS)
DIMENSION_CODES = tuple(code for code, _label in DIMENSIONS)
DONE = (EvaluationStatus.SUBMITTED, EvaluationStatus.ACCEPTED)
OVERDUE_EVERY_DAYS = 7
OVERDUE_REMINDERS_MAX = 8  # weekly overdue notices stop after eight weeks


def reminder_days_before() -> tuple[int, ...]:
    """Days before the deadline on which reporters are reminded (setting ``EVALUATION_REMINDER_DAYS``)."""
    return tuple(getattr(settings, "EVALUATION_REMINDER_DAYS", (14, 3)))


def _is_coordinator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or roles.is_coordinator(user))


def _is_reporter(user) -> bool:
    return user.is_authenticated and roles.is_admin_reporter(user) and user.administration_id is not None


# --- rounds and evaluations -------------------------------------------------
def rounds_visible_to(user) -> QuerySet[EvaluationRound]:
    if not (_is_coordinator(user) or _is_reporter(user)):
        return EvaluationRound.objects.none()
    return EvaluationRound.objects.filter(programme__in=programmes_visible_to(user)).select_related("programme")


def evaluations_visible_to(user) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.filter(round__programme__in=programmes_visible_to(user))
    if _is_coordinator(user):
        return qs
    if _is_reporter(user):
        return qs.filter(administration_id=user.administration_id)
    return Evaluation.objects.none()


def initiatives_for_round(*, programme, year: int) -> QuerySet[Initiative]:
    """The initiatives that run in ``year``: the existing ones, and new ones once they have a budget."""
    funded = BudgetLine.objects.filter(initiative__programme=programme, year__lte=year).values("initiative_id")
    return (Initiative.objects.filter(programme=programme)
            .filter(Q(status=InitiativeStatus.EXISTING) | Q(pk__in=funded))
            .order_by("administration__code", "name"))


def latest_evaluations_before(*, programme, year: int, initiative_ids) -> dict[int, Evaluation]:
    """Each initiative's most recent started evaluation in an earlier round (one query)."""
    out: dict[int, Evaluation] = {}
    for ev in (Evaluation.objects.filter(round__programme=programme, round__year__lt=year,
                                         initiative_id__in=initiative_ids)
               .exclude(status=EvaluationStatus.NOT_STARTED).order_by("initiative_id", "-round__year")):
        out.setdefault(ev.initiative_id, ev)
    return out


def evaluation_list(*, user, evaluation_round: EvaluationRound) -> QuerySet[Evaluation]:
    """A round's evaluations the user may see, with what the list needs, in a fixed number of queries."""
    return (evaluations_visible_to(user).filter(round=evaluation_round)
            .select_related("initiative", "administration", "updated_by")
            .order_by("administration__code", "initiative__name"))


def evaluation_detail(*, user, pk: int) -> Evaluation:
    return (evaluations_visible_to(user)
            .select_related("round__programme__municipality", "initiative", "administration", "prefilled_from__round")
            .get(pk=pk))


def event_history(*, evaluation: Evaluation) -> list[EvaluationEvent]:
    """The evaluation's submissions, returns and acceptances (not every draft save), oldest first.

    Each submission carries ``version_answers``: the answers of that version as
    (label, value) pairs, so every submitted version can be read again.
    """
    labels = {name: Evaluation._meta.get_field(name) for name in ANSWER_FIELDS}
    events = list(EvaluationEvent.objects.filter(evaluation=evaluation).exclude(kind="saved")
                  .select_related("actor").order_by("at", "id"))
    for event in events:
        event.version_answers = [
            (_answer_label(labels[name]), value) for name, value in (event.snapshot or {}).items()
            if name in labels and value not in (None, "")]
    return events


def latest_return(*, evaluation: Evaluation) -> EvaluationEvent | None:
    """The coordinator's latest return of the evaluation (its comment is what the reporter must act on)."""
    return (EvaluationEvent.objects.filter(evaluation=evaluation, kind="returned").select_related("actor")
            .order_by("-at", "-id").first())


def answer_rows(*, evaluation: Evaluation) -> list[dict]:
    """The answers (without the dimension scores) as rows for the read-only page: name, label, value."""
    rows = []
    for name in ANSWER_FIELDS:
        if name.endswith("_score") or name.endswith("_indicator"):
            continue
        field = Evaluation._meta.get_field(name)
        rows.append({"name": name, "label": _answer_label(field), "value": getattr(evaluation, name),
                     "is_amount": name in ("budget_tdkk", "spent_tdkk")})
    return rows


def _answer_label(field) -> str:
    if field.name.endswith("_indicator"):
        return f"{field.help_text}: {field.verbose_name}"
    return str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:]


def completion_by_administration(*, evaluations: QuerySet[Evaluation]) -> list[dict]:
    """Per administration: how many evaluations in each status, and the share done (submitted or accepted)."""
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for code, status, n in (evaluations.order_by().values_list("administration__code", "status")
                            .annotate(n=Count("id"))):
        counts[code][status] += n
    return [_completion_row(code, by_status) for code, by_status in sorted(counts.items())]


def completion_by_focus_area(*, evaluations: QuerySet[Evaluation]) -> list[dict]:
    """Per focus area (an initiative under several counts in each): the same figures as per administration."""
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    order: dict[str, int] = {}
    rows = (evaluations.order_by()
            .values_list("initiative__focus_areas__number", "initiative__focus_areas__title", "status")
            .annotate(n=Count("id")))
    for number, title, status, n in rows:
        label = f"{number}. {title}" if number is not None else str(_("Not assigned to a focus area"))
        order[label] = number if number is not None else 999
        counts[label][status] += n
    return [_completion_row(label, by_status) for label, by_status in sorted(counts.items(), key=lambda i: order[i[0]])]


def _completion_row(label: str, by_status: dict) -> dict:
    total = sum(by_status.values())
    done = sum(by_status.get(s, 0) for s in DONE)
    return {"label": label, "total": total, "done": done, "percent": round(100 * done / total) if total else 0,
            "statuses": [by_status.get(s, 0) for s in EvaluationStatus.values]}


def evaluation_reminder_recipients(*, on: date) -> list[dict]:
    """Who gets a reminder on ``on``: reporters of administrations with unfinished evaluations.

    A round reminds on the configured days before its deadline, on the day
    after it and then every ``OVERDUE_EVERY_DAYS`` days while anything is
    overdue (at most ``OVERDUE_REMINDERS_MAX`` times). Only active reporters of that administration with an e-mail
    address, in the programme's municipality, not already reminded that day.
    A fixed number of queries per round.
    """
    out = []
    window_start = on - timedelta(days=OVERDUE_EVERY_DAYS * OVERDUE_REMINDERS_MAX)
    for evaluation_round in EvaluationRound.objects.select_related("programme").filter(deadline__gte=window_start):
        days_left = (evaluation_round.deadline - on).days
        if days_left in reminder_days_before():
            kind = ReminderKind.BEFORE
        elif days_left < 0 and (-days_left) % OVERDUE_EVERY_DAYS == 1:
            kind = ReminderKind.OVERDUE
        else:
            continue
        names: dict[int, list[str]] = defaultdict(list)
        for admin_id, name in (evaluation_round.evaluations.exclude(status__in=DONE)
                               .order_by("initiative__name").values_list("administration_id", "initiative__name")):
            names[admin_id].append(name)
        outstanding = {admin_id: len(items) for admin_id, items in names.items()}
        if not outstanding:
            continue
        already = set(EvaluationReminder.objects.filter(round=evaluation_round, sent_on=on)
                      .values_list("recipient_id", flat=True))
        users = (User.objects.filter(is_active=True, groups__name=roles.ADMIN_REPORTER,
                                     municipality_id=evaluation_round.programme.municipality_id,
                                     administration_id__in=outstanding)
                 .exclude(email="").exclude(pk__in=already).select_related("administration")
                 .order_by("administration__code", "username").distinct())
        for user in users:
            out.append({"round": evaluation_round, "user": user, "kind": kind,
                        "administration": user.administration, "outstanding": outstanding[user.administration_id],
                        "initiatives": names[user.administration_id]})
    return out


def reminders_unreachable(*, evaluations: QuerySet[Evaluation], evaluation_round: EvaluationRound) -> list[str]:
    """Codes of administrations with unfinished evaluations among ``evaluations`` whose reminders reach nobody.

    The same recipients as ``evaluation_reminder_recipients``: active reporters of the administration, in the
    programme's municipality, with an e-mail address. Two queries.
    """
    open_admins = set(evaluations.exclude(status__in=DONE).order_by().values_list("administration_id", flat=True)
                      .distinct())
    reachable = set(User.objects.filter(is_active=True, groups__name=roles.ADMIN_REPORTER,
                                        municipality_id=evaluation_round.programme.municipality_id,
                                        administration_id__in=open_admins).exclude(email="")
                    .values_list("administration_id", flat=True))
    return list(Administration.objects.filter(pk__in=open_admins - reachable).order_by("code")
                .values_list("code", flat=True))


# --- monitoring reports ------------------------------------------------------
def monitoring_reports_visible_to(user) -> QuerySet[MonitoringReport]:
    qs = MonitoringReport.objects.filter(initiative__programme__in=programmes_visible_to(user))
    if _is_coordinator(user):
        return qs
    if _is_reporter(user):
        return qs.filter(administration_id=user.administration_id)
    return MonitoringReport.objects.none()


def monitoring_report_list(*, user) -> QuerySet[MonitoringReport]:
    return monitoring_reports_visible_to(user).select_related("initiative", "administration", "created_by")


def initiatives_reportable_by(user) -> QuerySet[Initiative]:
    """The initiatives a reporter may file monitoring reports and rankings for: their administration's."""
    if not _is_reporter(user):
        return Initiative.objects.none()
    return Initiative.objects.filter(programme__in=programmes_visible_to(user),
                                     administration_id=user.administration_id).order_by("name")


# --- prioritisation -----------------------------------------------------------
def prioritisation_rounds_visible_to(user) -> QuerySet[PrioritisationRound]:
    if not (_is_coordinator(user) or _is_reporter(user)):
        return PrioritisationRound.objects.none()
    return PrioritisationRound.objects.filter(programme__in=programmes_visible_to(user)).select_related("programme")


def prioritisations_visible_to(user) -> QuerySet[Prioritisation]:
    qs = Prioritisation.objects.filter(round__programme__in=programmes_visible_to(user))
    if _is_coordinator(user):
        return qs
    if _is_reporter(user):
        return qs.filter(administration_id=user.administration_id)
    return Prioritisation.objects.none()


def initiative_budgets(*, initiative_ids, year: int) -> dict[int, dict]:
    """Each initiative's budget for a year (operations + construction, 1,000 DKK) with its price levels."""
    rows = (BudgetLine.objects.filter(initiative_id__in=initiative_ids, year=year).order_by()
            .values("initiative_id").annotate(amount=Sum("amount_tdkk"), pl_min=Min("price_level_year"),
                                              pl_max=Max("price_level_year")))
    return {r["initiative_id"]: r for r in rows}


def prioritisation_missing(*, prioritisation_round: PrioritisationRound, submitted_codes) -> list[str]:
    """Codes of the administrations with initiatives in the round's year that have not ranked them yet."""
    codes = set(initiatives_for_round(programme=prioritisation_round.programme, year=prioritisation_round.budget_year)
                .order_by().values_list("administration__code", flat=True).distinct())
    return sorted(codes - set(submitted_codes))


def prioritisation_overview(*, user, prioritisation_round: PrioritisationRound) -> list[dict]:
    """All administrations' rankings side by side, each entry with the initiative's budget. Three queries."""
    prioritisations = list(
        prioritisations_visible_to(user).filter(round=prioritisation_round).select_related("administration", "submitted_by")
        .prefetch_related(Prefetch("entries", queryset=PrioritisationEntry.objects.select_related("initiative"))))
    budgets = initiative_budgets(
        initiative_ids=[e.initiative_id for p in prioritisations for e in p.entries.all()],
        year=prioritisation_round.budget_year)
    out = []
    for p in sorted(prioritisations, key=lambda p: p.administration.code):
        entries = [{"entry": e, "budget": budgets.get(e.initiative_id)} for e in p.entries.all()]
        out.append({"prioritisation": p,
                    "most": [e for e in entries if e["entry"].ranking == "most"],
                    "least": [e for e in entries if e["entry"].ranking == "least"]})
    return out


# --- closures -----------------------------------------------------------------
def closures_visible_to(user) -> QuerySet[ClosureReport]:
    qs = tenancy.visible_to(ClosureReport, user)
    if not user.is_authenticated or user.is_superuser:
        return qs
    if roles.is_coordinator(user):
        return qs
    if _is_reporter(user):
        return qs.filter(administration_id=user.administration_id)
    return ClosureReport.objects.none()


def administrations_for_closures(user) -> QuerySet[Administration]:
    """The administrations a user may report closures for: the same scope as ``closures_visible_to``.

    Coordinators report for every administration of their municipality; a reporter for their own only.
    """
    if not user.is_authenticated:
        return Administration.objects.none()
    qs = Administration.objects.filter(municipality_id=user.municipality_id).order_by("code")
    if roles.is_coordinator(user):
        return qs
    if _is_reporter(user):
        return qs.filter(pk=user.administration_id)
    return Administration.objects.none()


def closure_list(*, user) -> QuerySet[ClosureReport]:
    return closures_visible_to(user).select_related("administration", "area", "reported_by")


def closures_in_period(*, municipality_id: int, start: date, end: date) -> QuerySet[ClosureReport]:
    """Closures of a municipality that began within [start, end] (used by effect goal 4)."""
    return ClosureReport.objects.filter(administration__municipality_id=municipality_id,
                                        closed_from__gte=start, closed_from__lte=end)


def closures_per_year_and_area(*, closures: QuerySet[ClosureReport]) -> dict:
    """Counts of closures per year (columns) and area (rows); one query.

    Closures count institutions, not people, so no small-count suppression applies.
    """
    rows = (closures.order_by().annotate(y=ExtractYear("closed_from"))
            .values_list("y", "area__name", "area_text").annotate(n=Count("id")))
    table: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    years = set()
    for year, area_name, area_text, n in rows:
        table[area_name or area_text or "–"][year] += n
        years.add(year)
    cols = sorted(years)
    return {"years": cols,
            "rows": [{"area": area, "counts": [counts.get(y, 0) for y in cols], "total": sum(counts.values())}
                     for area, counts in sorted(table.items())],
            "totals": [sum(table[a].get(y, 0) for a in table) for y in cols],
            "total": sum(sum(counts.values()) for counts in table.values())}
