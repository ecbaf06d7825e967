"""Effect goal 2 as a registered measure (``indicators.measures``)."""
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.measures import GoalMeasurement, GoalStatus
from sikkerby import databasis

from . import selectors

AT_RISK_MARGIN = Decimal("10")
# What coordinators read on the goal-rules page (registered with the measure in apps.py).
TITLE = gettext_lazy("Two-year follow-up of completed exit cases")
RULE = gettext_lazy(
    "The share of completed exit cases (closed as self-reliant within the goal's period, aged 18–25 when "
    "referred) whose follow-up two years after closure shows no conviction for serious or person-dangerous "
    "crime, against the goal's target (60 % for Copenhagen). Only cases with a recorded follow-up count. With "
    "fewer than 5 such cases the share is not shown and the goal is not measurable yet. Otherwise: on track when "
    "the share is at or above the target; at risk when it is less than 10 percentage points below it; off track "
    "below that. Two years after the deadline, when the last cases closed in the period have been followed up, "
    "the status is final: met when the share is at or above the target, not met otherwise.")


def exit_no_conviction_2y(goal, *, as_of: date | None = None) -> GoalMeasurement:
    """Share of completed exit cases (closed as self-reliant within the goal's target period, aged 18–25 at
    referral) whose 2-year follow-up shows no conviction for serious or person-dangerous crime, against the
    goal's target (60 % for Copenhagen). Only cases with a recorded follow-up count; cases closed before the
    period's start or after its end (the deadline) do not. Fewer than the small-count threshold (5) of such
    cases: not measurable yet (the share is suppressed). Otherwise: on track when the share is at or above the
    target; at risk when less than 10 percentage points below it; off track below that. The result is final
    (``final_after``) two years after the deadline, when the cases closed last in the period have had their
    follow-up; ``indicators.measures.settle`` then makes it met or not met.
    """
    start, end = goal.target_period()
    municipality_id = goal.programme.municipality_id
    by_year = selectors.goal2_by_closure_year(municipality_id=municipality_id, as_of=as_of,
                                              closed_between=(start, end))
    figures = selectors.goal2_total(by_year)
    series = [(str(year), f.share) for year, f in by_year]
    share = figures.share
    basis = databasis.basis(demo=figures.fictional)
    final_after = _two_years_after(end)
    if share is None:
        return GoalMeasurement(status=GoalStatus.NOT_MEASURABLE, value=None, n=None if figures.n else 0,
                               as_of=as_of, series=series, data_basis=basis, period=(start, end),
                               final_after=final_after,
                               explanation=_("Fewer than 5 completed cases closed in %(start)d–%(end)d have a "
                                             "2-year follow-up.") % {"start": start.year, "end": end.year})
    target = goal.target_value if goal.target_value is not None else Decimal("60")
    if share >= target:
        status = GoalStatus.ON_TRACK
    elif share >= target - AT_RISK_MARGIN:
        status = GoalStatus.AT_RISK
    else:
        status = GoalStatus.OFF_TRACK
    explanation = _("Based on %(n)s completed cases closed in %(start)d–%(end)d with a 2-year follow-up.") % {
        "n": figures.n, "start": start.year, "end": end.year}
    if (as_of or timezone.localdate()) <= final_after:
        explanation += " " + _("The result is final when the cases closed by %(end)s have been followed up "
                               "(after %(final)s).") % {"end": end.strftime("%d.%m.%Y"),
                                                       "final": final_after.strftime("%d.%m.%Y")}
    return GoalMeasurement(
        status=status, value=share, n=figures.n, as_of=as_of, series=series, data_basis=basis,
        reached=share >= target, target=target, target_label=_("at least %(target)s %%") % {"target": number_format(target.normalize(), use_l10n=True)},
        period=(start, end), final_after=final_after,
        # The count of convicted/not convicted is not shown: it may be below the small-count threshold.
        explanation=explanation)


def _two_years_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 2)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 2, day=28)
