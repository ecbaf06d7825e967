"""Effect goal 3 as a registered measure (see indicators.measures)."""
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.measures import GoalMeasurement, GoalStatus, register
from sikkerby import databasis

from .models import SafetyIndexRun
from .selectors import goal3_progress


@register("safety_index_markant_to_ordinary", title=gettext_lazy(
    "Tryghedsindeks: the districts marked “markant” in the baseline year"), rule=gettext_lazy(
    "The districts marked “markant” in the published Tryghedsindeks of the goal's baseline year must reach "
    "“ordinær” or better by the deadline year; the same method version is followed every year, and years after "
    "the deadline year do not count. The value is how many of them are now ordinær, reduceret or minimal. Met "
    "when all of them are; off track when the deadline year is published and some are not; on track when none of "
    "them is still markant; at risk otherwise; after the deadline: met or not met. Not measurable yet without a "
    "published Tryghedsindeks for the baseline year, or when no district was markant in it."))
def safety_index_markant_to_ordinary(goal, *, as_of: date | None = None) -> GoalMeasurement:
    """Areas (districts) marked "markant" in the Tryghedsindeks of the goal's baseline year must reach
    "ordinær" or better by the deadline year. Uses the newest method version published for the
    baseline year and follows the same version every year. Value = number of those areas whose latest
    category is ordinær, reduceret or minimal; n = number of baseline-markant areas.
    Only years within the goal's target period count (the baseline year to the deadline year).
    Status: met when all of them have reached ordinær; off track when the deadline year is published
    and some have not; on track when every one has left "markant"; at risk otherwise; not measurable
    without a published baseline year or with no markant area in it. ``reached`` (all of them) decides
    met / not met once the deadline has passed (``indicators.measures.settle``)."""
    start, end = goal.target_period()
    baseline_year = goal.baseline_year or start.year
    target_year = end.year
    runs = SafetyIndexRun.objects.filter(municipality_id=goal.programme.municipality_id)
    progress = goal3_progress(runs=runs, baseline_year=baseline_year, target_year=target_year)
    if progress["method"] is None or not progress["n"]:
        return GoalMeasurement(status=GoalStatus.NOT_MEASURABLE, explanation=_(
            "No published Tryghedsindeks for the baseline year, or no area marked markant in it."))
    n, reached, latest = progress["n"], progress["reached"], progress["latest_year"]
    if reached == n:
        status = GoalStatus.MET
    elif latest >= target_year:
        status = GoalStatus.OFF_TRACK
    elif all(r["latest"].category != "markant" for r in progress["rows"]):
        status = GoalStatus.ON_TRACK
    else:
        status = GoalStatus.AT_RISK
    series = [(str(y), sum(1 for r in progress["rows"] if r["path"].get(y) and r["path"][y].category_rank >= 3))
              for y in progress["years"]]
    return GoalMeasurement(
        status=status, value=Decimal(reached), n=n, as_of=date(latest, 12, 31),
        unit=_("areas at ordinær or better"), reached=reached == n, target=Decimal(n),
        target_label=_("all %(n)s at ordinær or better by %(year)s") % {"n": n, "year": target_year},
        baseline=(str(baseline_year), Decimal(0)), period=(start, end),
        explanation=_("%(reached)s of %(n)s areas marked markant in %(year)s are at ordinær or better in "
                      "%(latest)s (method %(version)s).") % {
            "reached": reached, "n": n, "year": baseline_year, "latest": latest,
            "version": progress["method"].version},
        series=[(label, Decimal(v)) for label, v in series],
        data_basis=databasis.basis(demo=progress["contains_demo_data"]))
