"""Writes for the coordinators' manage pages: focus areas, effect goals, indicators, initiatives, budget lines.

Every write is one transaction that validates the row (``full_clean``) and
keeps references inside the programme: an initiative's administration belongs
to the programme's municipality, its focus areas and effect goals to the same
programme. Edits carry the version the form was opened on; ``version_bump``
refuses a stale one (``StaleWrite``), so two coordinators saving at once never
overwrite each other silently.

The audit trail is django-auditlog's: the models are registered in
``InitiativesConfig.ready`` and its middleware records who made each change, so
every change here is stored with its before and after values.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import Indicator
from operations.locking import version_bump

from ..models import BudgetLine, EffectGoal, FocusArea, Initiative, Programme

INITIATIVE_FIELDS = {"key", "name", "administration", "status", "funding_status", "funding_source", "description",
                     "target_age_min", "target_age_max", "area_text", "source"}
INITIATIVE_M2M = {"focus_areas", "effect_goals"}
BUDGET_LINE_FIELDS = {"year", "kind", "amount_tdkk", "price_level_year", "note"}
FOCUS_AREA_FIELDS = {"number", "title", "vision", "hypothesis", "target_group"}
FOCUS_AREA_M2M = {"effect_goals"}
EFFECT_GOAL_FIELDS = {"number", "text", "responsible", "direction", "unit", "baseline_year", "baseline_value",
                      "target_value", "target_text", "deadline", "data_source"}


def _split(fields: dict, allowed: set, m2m: set = frozenset()) -> tuple[dict, dict]:
    unknown = set(fields) - allowed - m2m
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    return ({k: v for k, v in fields.items() if k in allowed}, {k: v for k, v in fields.items() if k in m2m})


def _check_scope(programme: Programme, plain: dict, m2m: dict) -> None:
    """References must stay inside the programme (and its municipality): the forms offer no others."""
    errors = {}
    for name in ("administration", "responsible"):
        admin = plain.get(name)
        if admin is not None and admin.municipality_id != programme.municipality_id:
            errors[name] = _("Choose an administration of the programme's municipality.")
    for name, objs in m2m.items():
        if any(o.programme_id != programme.pk for o in objs):
            errors[name] = _("Choose from the programme's own focus areas and effect goals.")
    if errors:
        raise ValidationError(errors)


def _write(obj, plain: dict, m2m: dict, *, expected_version=None, unique_check=None):
    for name, value in plain.items():
        setattr(obj, name, value)
    if unique_check is not None:
        unique_check(obj)
    obj.full_clean(exclude=["version"])
    if expected_version is not None:
        version_bump(type(obj), obj, expected_version)
    obj.save()
    for name, objs in m2m.items():
        getattr(obj, name).set(objs)
    return obj


def _unique(model, fields: tuple[str, ...], message):
    """A readable error for a unique constraint, on the first field (``full_clean`` would name the constraint)."""
    def check(obj):
        lookup = {f: getattr(obj, f) for f in fields}
        if model.objects.filter(**lookup).exclude(pk=obj.pk).exists():
            raise ValidationError({fields[-1]: message})
    return check


# --- initiatives -------------------------------------------------------------------
@transaction.atomic
def initiative_create(*, programme: Programme, **fields) -> Initiative:
    plain, m2m = _split(fields, INITIATIVE_FIELDS, INITIATIVE_M2M)
    _check_scope(programme, plain, m2m)
    return _write(Initiative(programme=programme), plain, m2m, unique_check=_unique(
        Initiative, ("programme", "key"), _("Another initiative of the programme has this key.")))


@transaction.atomic
def initiative_update(*, initiative: Initiative, expected_version, **fields) -> Initiative:
    plain, m2m = _split(fields, INITIATIVE_FIELDS, INITIATIVE_M2M)
    _check_scope(initiative.programme, plain, m2m)
    return _write(initiative, plain, m2m, expected_version=expected_version, unique_check=_unique(
        Initiative, ("programme", "key"), _("Another initiative of the programme has this key.")))


# --- budget lines ------------------------------------------------------------------
_BUDGET_UNIQUE = ("initiative", "year", "kind")


def _budget_unique():
    return _unique(BudgetLine, _BUDGET_UNIQUE, _("The initiative already has a line for this year and kind."))


@transaction.atomic
def budget_line_create(*, initiative: Initiative, **fields) -> BudgetLine:
    plain, _m2m = _split(fields, BUDGET_LINE_FIELDS)
    return _write(BudgetLine(initiative=initiative), plain, {}, unique_check=_budget_unique())


@transaction.atomic
def budget_line_update(*, line: BudgetLine, expected_version, **fields) -> BudgetLine:
    plain, _m2m = _split(fields, BUDGET_LINE_FIELDS)
    return _write(line, plain, {}, expected_version=expected_version, unique_check=_budget_unique())


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, expected_version) -> None:
    """Delete a line (audited with its last values, found again in the initiative's history)."""
    version_bump(BudgetLine, line, expected_version)
    line.delete()


# --- focus areas and effect goals ----------------------------------------------------
@transaction.atomic
def focus_area_create(*, programme: Programme, **fields) -> FocusArea:
    plain, m2m = _split(fields, FOCUS_AREA_FIELDS, FOCUS_AREA_M2M)
    _check_scope(programme, plain, m2m)
    return _write(FocusArea(programme=programme), plain, m2m, unique_check=_unique(
        FocusArea, ("programme", "number"), _("Another focus area of the programme has this number.")))


@transaction.atomic
def focus_area_update(*, focus_area: FocusArea, expected_version, **fields) -> FocusArea:
    plain, m2m = _split(fields, FOCUS_AREA_FIELDS, FOCUS_AREA_M2M)
    _check_scope(focus_area.programme, plain, m2m)
    return _write(focus_area, plain, m2m, expected_version=expected_version, unique_check=_unique(
        FocusArea, ("programme", "number"), _("Another focus area of the programme has this number.")))


@transaction.atomic
def effect_goal_create(*, programme: Programme, **fields) -> EffectGoal:
    plain, _m2m = _split(fields, EFFECT_GOAL_FIELDS)
    _check_scope(programme, plain, {})
    return _write(EffectGoal(programme=programme), plain, {}, unique_check=_unique(
        EffectGoal, ("programme", "number"), _("Another effect goal of the programme has this number.")))


@transaction.atomic
def effect_goal_update(*, effect_goal: EffectGoal, expected_version, **fields) -> EffectGoal:
    plain, _m2m = _split(fields, EFFECT_GOAL_FIELDS)
    _check_scope(effect_goal.programme, plain, {})
    return _write(effect_goal, plain, {}, expected_version=expected_version, unique_check=_unique(
        EffectGoal, ("programme", "number"), _("Another effect goal of the programme has this number.")))


# --- indicators (their definitions; values are entered in the indicators app) ----------
INDICATOR_FIELDS = {"number", "focus_area", "text", "responsible", "direction", "unit", "target_value",
                    "target_year"}
INDICATOR_M2M = {"co_responsible"}


def _check_indicator_scope(programme: Programme, plain: dict, m2m: dict) -> None:
    errors = {}
    if plain.get("focus_area") is not None and plain["focus_area"].programme_id != programme.pk:
        errors["focus_area"] = _("Choose from the programme's own focus areas and effect goals.")
    admins = [plain.get("responsible"), *m2m.get("co_responsible", [])]
    if any(a is not None and a.municipality_id != programme.municipality_id for a in admins):
        errors["responsible"] = _("Choose an administration of the programme's municipality.")
    if errors:
        raise ValidationError(errors)


def _indicator_formula(indicator: Indicator, formula: str | None) -> None:
    """A formula change goes through the indicators app: checked, and the values recomputed."""
    from indicators.services import indicator_set_formula

    if formula is not None and formula.strip() != indicator.formula:
        indicator_set_formula(indicator=indicator, formula=formula)


@transaction.atomic
def indicator_create(*, programme: Programme, formula: str = "", **fields) -> Indicator:
    plain, m2m = _split(fields, INDICATOR_FIELDS, INDICATOR_M2M)
    _check_indicator_scope(programme, plain, m2m)
    indicator = _write(Indicator(programme=programme), plain, m2m, unique_check=_unique(
        Indicator, ("programme", "number"), _("Another indicator of the programme has this number.")))
    _indicator_formula(indicator, formula)
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, expected_version, formula: str | None = None, **fields) -> Indicator:
    plain, m2m = _split(fields, INDICATOR_FIELDS, INDICATOR_M2M)
    _check_indicator_scope(indicator.programme, plain, m2m)
    # A model form has already put the new formula on the instance: only indicator_set_formula may store it.
    indicator.formula = Indicator.objects.values_list("formula", flat=True).get(pk=indicator.pk)
    _write(indicator, plain, m2m, expected_version=expected_version, unique_check=_unique(
        Indicator, ("programme", "number"), _("Another indicator of the programme has this number.")))
    _indicator_formula(indicator, formula)
    return indicator
