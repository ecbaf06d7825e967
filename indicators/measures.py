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
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class GoalStatus(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")
    MET = "met", _("met")
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
    """Compute a goal's measurement; a goal without a registered measure is not measurable yet."""
    func = _REGISTRY.get(getattr(goal, "measure", "") or "")
    if func is None:
        return GoalMeasurement(status=GoalStatus.NOT_MEASURABLE,
                               explanation=str(_("No data source is connected to this goal yet.")))
    return func(goal, as_of=as_of)


def measure_rules() -> dict[str, MeasureRule | None]:
    """Each registered measure's title and status rule in the active language (None: none was written)."""
    out: dict[str, MeasureRule | None] = {}
    for name, func in sorted(_REGISTRY.items()):
        title, rule = getattr(func, "measure_title", None), getattr(func, "measure_rule", None)
        out[name] = MeasureRule(title=str(title), rule=str(rule)) if title and rule else None
    return out
