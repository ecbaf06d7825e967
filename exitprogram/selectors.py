"""Reads for the exit programme.

``cases_visible_to`` is the one scoping rule for exit cases: every page, the
access-log export and every task that touches a case's personal data starts
from it. Aggregates (``goal2_figures``, ``statistics``) read the non-personal
columns only and apply ``sikkerby.privacy.suppress`` to every cell.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from accounts import roles as r
from sikkerby import databasis, tenancy
from sikkerby.privacy import suppress

from .models import (
    AccessLog,
    ClosureReason,
    EntryChannel,
    ExitCase,
    Note,
    Phase,
    PhaseTransition,
    PlanItem,
    PoolExpense,
    Track,
)


def cases_visible_to(user) -> QuerySet[ExitCase]:
    """The cases whose personal data this user may see: the ones they are assigned to, in their municipality."""
    qs = tenancy.visible_to(ExitCase, user)
    if not user.is_authenticated:
        return qs.none()
    held = set(r.roles_of(user))
    cond = Q(mentor=user)
    if r.SSP_CONSULTANT in held:
        cond |= Q(ssp_consultant=user)
    if r.EXIT_EXPERT in held:
        cond |= Q(exit_expert=user)
    # Superusers are no exception here: a case is read only by the people assigned to it.
    return qs.filter(cond, municipality_id=user.municipality_id)


def case_list(*, user, filters=None) -> QuerySet[ExitCase]:
    """The user's cases with what the list page needs, in a fixed number of queries.

    The three workers are prefetched (one query each for the page's rows), not joined: joined, PostgreSQL
    joins every one of the user's cases to three user rows before it sorts them and cuts the page, so the
    page's cost grew with the user's cases; prefetched, the sort runs on the case table alone.
    """
    return cases_visible_to(user).prefetch_related("ssp_consultant", "exit_expert", "mentor") \
        .order_by("-referral_date", "reference")


def followups_due(*, user, as_of: date | None = None) -> QuerySet[ExitCase]:
    """Closed cases of this user whose 2-year follow-up is due and not yet recorded."""
    as_of = as_of or date.today()
    return case_list(user=user).filter(phase=Phase.CLOSED, followup_due__lte=as_of, followup_done_on__isnull=True,
                                       anonymised_at__isnull=True)


def case_detail(*, user, uuid) -> ExitCase:
    """One case with its timeline; raises ExitCase.DoesNotExist when the user may not see it."""
    return (
        cases_visible_to(user)
        .select_related("ssp_consultant", "exit_expert", "mentor", "mentor_anchor", "municipality")
        .prefetch_related(
            Prefetch("transitions", queryset=PhaseTransition.objects.select_related("by")),
            "meetings",
            Prefetch("plan_items", queryset=PlanItem.objects.select_related("responsible")),
            Prefetch("notes", queryset=Note.objects.select_related("author")),
            Prefetch("pool_expenses", queryset=PoolExpense.objects.select_related("administration", "approved_by")),
        )
        .get(uuid=uuid)
    )


def cases_due_for_reminder(*, as_of: date) -> QuerySet[ExitCase]:
    """All cases (any consultant) whose follow-up is due and not yet reminded: the task's input, ids only."""
    return ExitCase.objects.filter(phase=Phase.CLOSED, followup_due__lte=as_of, followup_done_on__isnull=True,
                                   followup_reminded_on__isnull=True, anonymised_at__isnull=True)


def cases_due_for_anonymisation(*, as_of: date, grace_days: int,
                                unrecorded_grace_days: int | None = None) -> QuerySet[ExitCase]:
    """Cases that still hold personal data and whose retention has run out.

    Either the follow-up was recorded at least ``grace_days`` ago, or the case is
    closed, its 2-year follow-up fell due and was never recorded, and
    ``unrecorded_grace_days`` have passed since it fell due (a skipped follow-up
    cannot keep a CPR number forever).
    """
    done = Q(followup_done_on__isnull=False, followup_done_on__lte=as_of - timedelta(days=grace_days))
    if unrecorded_grace_days is not None:
        done |= Q(phase=Phase.CLOSED, followup_done_on__isnull=True, followup_due__isnull=False,
                  followup_due__lte=as_of - timedelta(days=unrecorded_grace_days))
    return ExitCase.objects.filter(done, anonymised_at__isnull=True)


def access_log_due_for_deletion(*, now, keep_days: int) -> QuerySet[AccessLog]:
    """Access-log rows past their retention: ``keep_days`` after their case (or SSP concern) was anonymised.

    Rows about no case (a data-subject access request) are kept ``keep_days`` after they were written.
    """
    cutoff = now - timedelta(days=keep_days)
    gone = ExitCase.objects.filter(anonymised_at__lte=cutoff).values("uuid")
    # The SSP single cases write their concerns' reads to this log too (sspcases, by the concern's uuid).
    from sspcases.models import Concern
    gone_concerns = Concern.objects.filter(anonymised_at__lte=cutoff).values("uuid")
    return AccessLog.objects.filter(Q(case_uuid__in=gone) | Q(case_uuid__in=gone_concerns)
                                    | Q(case_uuid__isnull=True, at__lte=cutoff))


def access_log_for_subject(*, subject_hash: str, municipality_id: int | None) -> QuerySet[AccessLog]:
    """The access-log rows about one person written in one municipality, oldest first.

    Rows from before the log recorded the municipality count for the municipality of the user who wrote them.
    """
    if municipality_id is None:
        return AccessLog.objects.none()
    here = Q(municipality_id=municipality_id) | Q(municipality__isnull=True, user__municipality_id=municipality_id)
    return (AccessLog.objects.filter(here, subject_hash=subject_hash).select_related("user", "municipality")
            .order_by("at", "pk"))


# --- aggregates --------------------------------------------------------------
@dataclass(frozen=True)
class Goal2Figures:
    """Effect goal 2 for one municipality: completed 18–25 cases with a follow-up, and how many were not convicted."""

    n: int
    not_convicted: int
    fictional: bool = False  # whether any of the cases is a fictional demo case

    @property
    def share(self) -> Decimal | None:
        if self.n == 0 or suppress(self.n) is None:
            return None
        return (Decimal(self.not_convicted) * 100 / Decimal(self.n)).quantize(Decimal("0.1"))


def _goal2_base(*, municipality_id: int, as_of: date | None,
                closed_between: tuple[date, date] | None = None) -> QuerySet[ExitCase]:
    qs = ExitCase.objects.filter(
        municipality_id=municipality_id, phase=Phase.CLOSED, closure_reason=ClosureReason.SELF_RELIANT,
        age_at_referral__gte=18, age_at_referral__lte=25, convicted_within_2y__isnull=False,
        followup_done_on__isnull=False,
    )
    if as_of:
        qs = qs.filter(followup_done_on__lte=as_of)
    if closed_between:  # the goal's period: only cases closed within it count
        qs = qs.filter(closed_on__gte=closed_between[0], closed_on__lte=closed_between[1])
    return qs


def goal2_figures(*, municipality_id: int, as_of: date | None = None,
                  closed_between: tuple[date, date] | None = None) -> Goal2Figures:
    """Effect goal 2's share over the completed cases with a follow-up (``closed_between``: closed in that period)."""
    agg = _goal2_base(municipality_id=municipality_id, as_of=as_of, closed_between=closed_between).aggregate(
        n=Count("id"), ok=Count("id", filter=Q(convicted_within_2y=False)),
        fictional=Count("id", filter=Q(is_fictional=True)))
    return Goal2Figures(n=agg["n"], not_convicted=agg["ok"], fictional=bool(agg["fictional"]))


def goal2_by_closure_year(*, municipality_id: int, as_of: date | None = None,
                          closed_between: tuple[date, date] | None = None) -> list[tuple[int, Goal2Figures]]:
    rows = (_goal2_base(municipality_id=municipality_id, as_of=as_of, closed_between=closed_between)
            .annotate(y=ExtractYear("closed_on")).values("y")
            .annotate(n=Count("id"), ok=Count("id", filter=Q(convicted_within_2y=False)),
                      fictional=Count("id", filter=Q(is_fictional=True))).order_by("y"))
    return [(row["y"], Goal2Figures(n=row["n"], not_convicted=row["ok"], fictional=bool(row["fictional"])))
            for row in rows]


def goal2_total(by_year: list[tuple[int, Goal2Figures]]) -> Goal2Figures:
    """``goal2_figures`` from the rows of ``goal2_by_closure_year`` (every counted case has one closure year):
    the effect-goal measure reads both from one query."""
    return Goal2Figures(n=sum(f.n for _y, f in by_year), not_convicted=sum(f.not_convicted for _y, f in by_year),
                        fictional=any(f.fictional for _y, f in by_year))


def statistics(*, municipality_id: int, as_of: date | None = None) -> dict:
    """Aggregated exit-programme figures (no personal data), every count suppressed below the threshold.

    Three aggregate queries whatever the number of cases.
    """
    base = ExitCase.objects.filter(municipality_id=municipality_id)
    by_year = (
        base.annotate(y=ExtractYear("referral_date")).values("y").annotate(
            cases=Count("id"),
            gang=Count("id", filter=Q(track=Track.GANG)),
            general=Count("id", filter=Q(track=Track.GENERAL)),
            open=Count("id", filter=~Q(phase=Phase.CLOSED)),
            closed=Count("id", filter=Q(phase=Phase.CLOSED)),
            completed=Count("id", filter=Q(phase=Phase.CLOSED, closure_reason=ClosureReason.SELF_RELIANT)),
            followed_up=Count("id", filter=Q(followup_done_on__isnull=False)),
            fictional=Count("id", filter=Q(is_fictional=True)),
        ).order_by("y")
    )
    keys = ["cases", "gang", "general", "open", "closed", "completed", "followed_up"]
    # every row says whether it rests on fictional demo cases (sikkerby.databasis)
    years = [{"year": row["y"], **{k: suppress(row[k]) for k in keys},
              "data_basis": databasis.basis(demo=bool(row["fictional"]))} for row in by_year]
    channels = [
        {"channel": row["entry_channel"], "label": EntryChannel(row["entry_channel"]).label,
         "cases": suppress(row["n"]), "data_basis": databasis.basis(demo=bool(row["fictional"]))}
        for row in base.values("entry_channel").annotate(n=Count("id"), fictional=Count(
            "id", filter=Q(is_fictional=True))).order_by("-n", "entry_channel")
    ]
    pool_rows = (
        PoolExpense.objects.filter(case__municipality_id=municipality_id)
        .annotate(y=ExtractYear("spent_on")).values("y", "administration__code", "price_level_year")
        .annotate(amount=Sum("amount_tdkk"), cases=Count("case", distinct=True), purchases=Count("id"),
                  fictional=Count("id", filter=Q(case__is_fictional=True)))
        .order_by("y", "administration__code")
    )
    pool = []
    for row in pool_rows:
        cases = suppress(row["cases"])
        # An amount over fewer than the threshold of cases could point to a person: suppressed with its count.
        pool.append({"year": row["y"], "administration": row["administration__code"],
                     "price_level_year": row["price_level_year"], "cases": cases,
                     "amount_tdkk": row["amount"] if cases is not None else None,
                     "data_basis": databasis.basis(demo=bool(row["fictional"]))})
    return {"years": years, "channels": channels, "pool": pool,
            "data_basis": databasis.combine(*(r["data_basis"] for r in years)),
            "goal2": goal2_figures(municipality_id=municipality_id, as_of=as_of),
            "goal2_by_year": goal2_by_closure_year(municipality_id=municipality_id, as_of=as_of)}
