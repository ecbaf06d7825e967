"""Effect goal 4's measure: no institution or service closes during unrest or crisis."""
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.measures import GoalMeasurement, GoalStatus, register
from sikkerby import databasis

from .selectors import closures_in_period


def goal_period(goal) -> tuple[date, date]:
    """The goal period: from the programme's first year to the goal's deadline (else the programme's last year)."""
    programme = goal.programme
    return date(programme.start_year, 1, 1), goal.deadline or date(programme.end_year, 12, 31)


@register("institution_closures", title=gettext_lazy("Closures reported by the administrations"), rule=gettext_lazy(
    "Counts the closures of municipal institutions and services during unrest or crisis that the "
    "administrations have reported, starting between the programme's first year and the goal's deadline. Met "
    "as long as there is none; off track as soon as one is reported."))
def institution_closures(goal, *, as_of: date | None = None) -> GoalMeasurement:
    """Met while no closure report has a closure starting in the goal period (the programme's first year to
    the goal's deadline) up to the date measured; off track as soon as there is one. The value is the number of
    closures reported, by any administration of the programme's municipality."""
    as_of = as_of or timezone.localdate()
    start, end = goal_period(goal)
    closures = closures_in_period(municipality_id=goal.programme.municipality_id, start=start, end=min(end, as_of))
    by_year = dict.fromkeys(range(start.year, min(end, as_of).year + 1), 0)
    for closed_from in closures.values_list("closed_from", flat=True):
        by_year[closed_from.year] = by_year.get(closed_from.year, 0) + 1
    count = sum(by_year.values())
    series = [(str(y), n) for y, n in sorted(by_year.items())]
    basis = databasis.basis(demo=closures.filter(is_demo=True).exists())
    if count == 0:
        return GoalMeasurement(status=GoalStatus.MET, value=0, n=0, as_of=as_of, series=series, data_basis=basis,
                               explanation=_("No institution or service has closed because of unrest since %(start)s.")
                               % {"start": start.strftime("%d.%m.%Y")})
    return GoalMeasurement(status=GoalStatus.OFF_TRACK, value=count, n=count, as_of=as_of, series=series,
                           unit=_("closures"), data_basis=basis,
                           explanation=_("%(count)s closures reported since %(start)s.")
                           % {"count": count, "start": start.strftime("%d.%m.%Y")})
