"""Where each effect goal stands: its measurement through ``indicators.measures``, safely.

A measure belongs to another app; if it fails, the goal is shown as not
measurable with the reason, and the page still renders for every other goal.
"""
import logging

from django.utils.translation import gettext as _

from initiatives.models import EffectGoal

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


def effect_goal_list(*, programme) -> list[EffectGoal]:
    return list(programme.effect_goals.select_related("responsible").order_by("number"))


def effect_goal_overview(*, programme) -> list[dict]:
    """Each goal of a programme with its measurement: ``[{"goal", "m"}]``."""
    return [{"goal": goal, "m": effect_goal_measure(goal)} for goal in effect_goal_list(programme=programme)]
