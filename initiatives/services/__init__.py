"""Writes for the programme: loading a programme file (``loading``) and the coordinators' edits (``editing``)."""
from .editing import (
    budget_line_create,
    budget_line_delete,
    budget_line_update,
    effect_goal_create,
    effect_goal_update,
    focus_area_create,
    focus_area_update,
    indicator_create,
    indicator_update,
    initiative_create,
    initiative_update,
)
from .loading import LoadResult, ProgrammeFileError, programme_load, programme_load_file

__all__ = [
    "LoadResult", "ProgrammeFileError", "budget_line_create", "budget_line_delete", "budget_line_update",
    "effect_goal_create", "effect_goal_update", "focus_area_create", "focus_area_update", "indicator_create", "indicator_update", "initiative_create",
    "initiative_update", "programme_load", "programme_load_file",
]
