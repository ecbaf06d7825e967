"""Effect goal 2 as a registered measure (``indicators.measures``)."""
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.measures import GoalMeasurement, GoalStatus
from sikkerby import databasis

from . import selectors

AT_RISK_MARGIN = Decimal("10")
# What coordinators read on the goal-rules page (registered with the measure in apps.py).
TITLE = gettext_lazy("Two-year follow-up of completed exit cases")
RULE = gettext_lazy(
    "The share of completed exit cases (closed as self-reliant, aged 18–25 when referred) whose follow-up two "
    "years after closure shows no conviction for serious or person-dangerous crime, against the goal's target "
    "(60 % for Copenhagen). Only cases with a recorded follow-up count. With fewer than 5 such cases the share "
    "is not shown and the goal is not measurable yet. Otherwise: met when the share is at or above the target "
    "and the deadline has passed; on track when it is at or above the target before the deadline; at risk when "
    "it is less than 10 percentage points below it; off track below that.")


def exit_no_conviction_2y(goal, *, as_of: date | None = None) -> GoalMeasurement:
    """Share of completed exit cases (closed as self-reliant, aged 18–25 at referral) whose 2-year
    follow-up shows no conviction for serious or person-dangerous crime, against the goal's target
    (60 % for Copenhagen). Only cases with a recorded follow-up count. Fewer than the small-count
    threshold (5) of such cases: not measurable yet (the share is suppressed). Otherwise: met when the
    share is at or above the target and the goal's deadline has passed; on track when at or above the
    target before the deadline; at risk when less than 10 percentage points below it; off track below that.
    """
    figures = selectors.goal2_figures(municipality_id=goal.programme.municipality_id, as_of=as_of)
    series = [(str(year), f.share) for year, f in
              selectors.goal2_by_closure_year(municipality_id=goal.programme.municipality_id, as_of=as_of)]
    share = figures.share
    basis = databasis.basis(demo=figures.fictional)
    if share is None:
        return GoalMeasurement(status=GoalStatus.NOT_MEASURABLE, value=None, n=None if figures.n else 0,
                               as_of=as_of, series=series, data_basis=basis,
                               explanation=_("Fewer than 5 completed cases have a 2-year follow-up."))
    target = goal.target_value if goal.target_value is not None else Decimal("60")
    today = as_of or date.today()
    if share >= target:
        status = GoalStatus.MET if goal.deadline and today >= goal.deadline else GoalStatus.ON_TRACK
    elif share >= target - AT_RISK_MARGIN:
        status = GoalStatus.AT_RISK
    else:
        status = GoalStatus.OFF_TRACK
    return GoalMeasurement(
        status=status, value=share, n=figures.n, as_of=as_of, series=series, data_basis=basis,
        # The count of convicted/not convicted is not shown: it may be below the small-count threshold.
        explanation=_("Based on %(n)s completed cases with a 2-year follow-up.") % {"n": figures.n})
