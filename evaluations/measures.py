"""Effect goal 4's measure: no institution or service closes during unrest or crisis."""
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.measures import GoalMeasurement, GoalStatus, register
from sikkerby import databasis

from .selectors import closures_in_period


@register("institution_closures", title=gettext_lazy("Closures reported by the administrations"), rule=gettext_lazy(
    "Counts the closures of municipal institutions and services during unrest or crisis that the "
    "administrations have reported, starting within the goal's period (for Copenhagen 2010–2013). Met as long as "
    "there is none; off track as soon as one is reported; after the deadline: met or not met."))
def institution_closures(goal, *, as_of: date | None = None) -> GoalMeasurement:
    """Met while no closure report has a closure starting in the goal's target period
    (``EffectGoal.target_period()``) up to the date measured; off track as soon as there is one (``settle`` makes
    it final: met / not met once the deadline has passed). The value is the number of closures reported, by any
    administration of the programme's municipality."""
    as_of = as_of or timezone.localdate()
    start, end = goal.target_period()
    closures = closures_in_period(municipality_id=goal.programme.municipality_id, start=start, end=min(end, as_of))
    by_year = dict.fromkeys(range(start.year, min(end, as_of).year + 1), 0)
    for closed_from in closures.values_list("closed_from", flat=True):
        by_year[closed_from.year] = by_year.get(closed_from.year, 0) + 1
    count = sum(by_year.values())
    series = [(str(y), n) for y, n in sorted(by_year.items())]
    basis = databasis.basis(demo=closures.filter(is_demo=True).exists())
    common = {"as_of": as_of, "series": series, "data_basis": basis, "reached": count == 0,
              "target": Decimal(0), "target_label": _("no closures in %(start)d–%(end)d") % {
                  "start": start.year, "end": end.year}, "period": (start, end)}
    dates = {"start": start.strftime("%d.%m.%Y"), "end": min(end, as_of).strftime("%d.%m.%Y")}
    if count == 0:
        return GoalMeasurement(status=GoalStatus.MET, value=0, n=0, **common,
                               explanation=_("No institution or service closed because of unrest between %(start)s "
                                             "and %(end)s.") % dates)
    return GoalMeasurement(status=GoalStatus.OFF_TRACK, value=count, n=count, unit=_("closures"), **common,
                           explanation=_("%(count)s closures reported between %(start)s and %(end)s.")
                           % {"count": count, **dates})
