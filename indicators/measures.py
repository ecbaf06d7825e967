"""How an effect goal's current value and status are computed: one registered measure per kind of goal.

An effect goal names its measure in data (``EffectGoal.measure``, set in the
programme YAML), and the app that owns the data registers the function that
computes it, in its ``AppConfig.ready()``::

    from indicators.measures import GoalMeasurement, GoalStatus, register

    @register("exit_no_conviction_2y", title=_("…"), rule=_("…"))
    def exit_goal(goal, *, as_of=None) -> GoalMeasurement: ...

So Copenhagen's goal 2 is computed by the exit programme, goal 3 by the
Tryghedsindeks, and a second municipality's goals can point at the same
measures (or none: "not measurable yet") without code changes. Each measure
registers, beside the function, a short title and its status rule in plain words
for coordinators (translated, no markup, no internal names: the goal-rules page
shows them); its docstring stays the developers' account of how it computes.

Every measure works within the goal's target period (``EffectGoal.target_period()``:
its start to the deadline) and says, beside its running status, whether the target
is reached on the data it measured (``GoalMeasurement.reached``). One rule, in
``measure_goal`` (``settle``), then applies to every measure: once the deadline
has passed (as of the date measured), the status is final — *met* when the target
is reached, *not met* otherwise — never on track, at risk or off track. A measure
whose data arrive after the deadline (goal 2's two-year follow-up) says from when
its result is final (``GoalMeasurement.final_after``).
"""
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GoalStatus(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")
    MET = "met", _("met")
    NOT_MET = "not_met", _("not met")
    NOT_MEASURABLE = "not_measurable", _("not measurable yet")


@dataclass(frozen=True)
class GoalMeasurement:
    """The current state of one effect goal, with what it rests on."""

    status: str
    value: Decimal | None = None
    n: int | None = None  # how many cases/areas/rows the value rests on
    as_of: date | None = None
    explanation: str = ""
    series: list[tuple[str, Decimal | None]] = field(default_factory=list)
    unit: str = ""  # the value's own unit where it is not the goal's (e.g. a count for a goal worded as a share)
    data_basis: str = "real"  # real, demo or synthetic: what the value rests on (sikkerby.databasis)
    # Whether the target is reached on the data measured (None: the measure cannot say); decides the final status.
    reached: bool | None = None
    # The target in the value's own unit (goal 1: 98 % of the baseline year's count), for the chart and table.
    target: Decimal | None = None
    target_label: str = ""  # the target as a coordinator reads it, e.g. "2 % below 2010 (882 charges)"
    baseline: tuple[str, Decimal] | None = None  # the baseline (period, value) the data hold
    period: tuple[date, date] | None = None  # the target period the value was computed within
    final_after: date | None = None  # the result is final after this date (default: the goal's deadline)
    final: bool = False  # set by measure_goal: the deadline has passed and the status is met or not met

    def unit_for(self, goal) -> str:
        """The unit to print beside the value."""
        return str(self.unit) if self.unit else goal.unit

    @property
    def status_label(self) -> str:
        """The status in the active language."""
        return str(GoalStatus(self.status).label)


Measure = Callable[..., GoalMeasurement]
_REGISTRY: dict[str, Measure] = {}


@dataclass(frozen=True)
class MeasureRule:
    """What a coordinator reads about a measure: what it is computed from, and how its status is decided."""

    title: str
    rule: str


def register(name: str, *, title, rule) -> Callable[[Measure], Measure]:
    """Register ``func`` as the measure called ``name`` (one function per name).

    ``title`` and ``rule`` are lazily translated plain sentences for the goal-rules page.
    """

    def wrap(func: Measure) -> Measure:
        if name in _REGISTRY and _REGISTRY[name] is not func:
            raise ValueError(f"measure {name!r} is registered twice")
        func.measure_title, func.measure_rule = title, rule
        _REGISTRY[name] = func
        return func

    return wrap


def measure_goal(goal, *, as_of: date | None = None) -> GoalMeasurement:
    """Compute a goal's measurement; a goal without a registered measure is not measurable yet.

    The measure's result then goes through ``settle``: after the deadline its status is final.
    """
    func = _REGISTRY.get(getattr(goal, "measure", "") or "")
    if func is None:
        return GoalMeasurement(status=GoalStatus.NOT_MEASURABLE,
                               explanation=str(_("No data source is connected to this goal yet.")))
    return settle(goal, func(goal, as_of=as_of), as_of=as_of)


def settle(goal, m: GoalMeasurement, *, as_of: date | None = None) -> GoalMeasurement:
    """The one deadline rule for every measure: once the goal's deadline (or the measure's ``final_after``)
    has passed as of ``as_of`` (default today), a measurable goal is *met* when its target is reached on the
    data measured (``m.reached``; a measure that does not say counts as reached only when it said *met*), and
    *not met* otherwise. Before then the measure's own status stands (on track, at risk, off track or met).
    """
    if m.period is None:
        m = replace(m, period=_target_period(goal))
    if m.status == GoalStatus.NOT_MEASURABLE:
        return m
    final_after = m.final_after or getattr(goal, "deadline", None)
    today = as_of or timezone.localdate()
    if final_after is None or today <= final_after:
        return m
    reached = m.reached if m.reached is not None else m.status == GoalStatus.MET
    return replace(m, status=GoalStatus.MET if reached else GoalStatus.NOT_MET, reached=reached, final=True)


def _target_period(goal) -> tuple[date, date] | None:
    period = getattr(goal, "target_period", None)
    try:
        return period() if period else None
    except (AttributeError, ObjectDoesNotExist):  # a goal without a programme (unsaved test doubles)
        return None


def measure_rules() -> dict[str, MeasureRule | None]:
    """Each registered measure's title and status rule in the active language (None: none was written)."""
    out: dict[str, MeasureRule | None] = {}
    for name, func in sorted(_REGISTRY.items()):
        title, rule = getattr(func, "measure_title", None), getattr(func, "measure_rule", None)
        out[name] = MeasureRule(title=str(title), rule=str(rule)) if title and rule else None
    return out
