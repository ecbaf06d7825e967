"""Where each effect goal stands: its measurement through ``indicators.measures``, safely.

A measure belongs to another app; if it fails, the goal is shown as not
measurable with the reason, and the page still renders for every other goal.
"""
import logging
from decimal import Decimal

from django.utils.translation import gettext as _

from initiatives.models import EffectGoal, TargetKind

from .measures import GoalMeasurement, GoalStatus, measure_goal

logger = logging.getLogger(__name__)


def effect_goal_measure(goal: EffectGoal) -> GoalMeasurement:
    """``measure_goal`` for one goal; an error in a measure becomes "not measurable yet", logged without data."""
    try:
        return measure_goal(goal)
    except Exception:
        logger.exception("measure %s failed for effect goal %s", goal.measure, goal.pk)
        return GoalMeasurement(status=GoalStatus.NOT_MEASURABLE,
                               explanation=_("The measure could not be computed; the error has been logged."))


def goal_target_line(goal: EffectGoal, m: GoalMeasurement) -> Decimal | None:
    """The target in the unit of the measured value, for the chart's target line, the table and the CSV.

    The measure's own ``target`` (goal 1: 98 % of the baseline year's count); else the goal's ``target_value``
    when it is a level in the goal's own unit; else none (a percentage change is never drawn beside counts).
    """
    if m.target is not None:
        return m.target
    if m.unit or goal.target_kind != TargetKind.LEVEL:
        return None
    return goal.target_value


def effect_goal_list(*, programme) -> list[EffectGoal]:
    return list(programme.effect_goals.select_related("responsible").order_by("number"))


def effect_goal_overview(*, programme) -> list[dict]:
    """Each goal of a programme with its measurement: ``[{"goal", "m"}]``."""
    return [{"goal": goal, "m": effect_goal_measure(goal)} for goal in effect_goal_list(programme=programme)]
