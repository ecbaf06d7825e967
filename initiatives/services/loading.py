"""Writes for the programme: loading a municipality's programme from its YAML file.

The YAML schema is documented in ``fixtures/programmes/README.md``. Loading is
idempotent (keys and numbers identify rows) and atomic: a file loads whole or
not at all, and every problem found is reported at once.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import Indicator

from ..models import (
    Administration,
    BudgetLine,
    EffectGoal,
    FocusArea,
    Initiative,
    Municipality,
    Programme,
    PublishedTotal,
    all_modules,
)


class ProgrammeFileError(ValueError):
    """A programme file that cannot be loaded; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class LoadResult:
    programme: Programme
    counts: dict[str, int] = field(default_factory=dict)


def _decimal(value, where: str, errors: list[str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        errors.append(f"{where}: '{value}' is not a number")
        return None


def _date(value, where: str, errors: list[str]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.append(f"{where}: '{value}' is not an ISO date")
        return None


def _saved(obj, errors: list[str], where: str):
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.extend(f"{where}: {k}: {'; '.join(v)}" for k, v in exc.message_dict.items())
        return obj
    obj.save()
    return obj


def programme_load_file(*, path: Path) -> LoadResult:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return programme_load(data=data)


@transaction.atomic
def programme_load(*, data: dict) -> LoadResult:
    """Create or update one programme with everything under it from parsed YAML.

    Raises ``ProgrammeFileError`` listing every problem; nothing is written then.
    """
    errors: list[str] = []
    m = data["municipality"]
    municipality = Municipality.objects.filter(code=str(m["code"])).first() or Municipality(code=str(m["code"]))
    municipality.name = m["name"]
    # The modules the municipality runs are data; a file that names none keeps every module on.
    municipality.modules = list(m["modules"]) if m.get("modules") is not None else all_modules()
    try:
        municipality.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise ProgrammeFileError([f"municipality: {k}: {'; '.join(v)}" for k, v in exc.message_dict.items()]) \
            from exc
    municipality.save()

    admins: dict[str, Administration] = {}
    for a in data.get("administrations", []):
        admins[a["code"]], _ = Administration.objects.update_or_create(
            municipality=municipality, code=a["code"], defaults={"name": a["name"]})

    def admin(code, where):
        if code not in admins:
            errors.append(f"{where}: administration '{code}' is not declared")
        return admins.get(code)

    p = data["programme"]
    programme, _ = Programme.objects.update_or_create(
        slug=p["slug"],
        defaults={"municipality": municipality, "name": p["name"], "vision": p.get("vision", ""),
                  "description": p.get("description", ""), "start_year": p["start_year"],
                  "end_year": p["end_year"], "source": p.get("source", "")},
    )

    goals: dict[int, EffectGoal] = {}
    for g in data.get("effect_goals", []):
        where = f"effect goal {g['number']}"
        goal = EffectGoal.objects.filter(programme=programme, number=g["number"]).first() or EffectGoal(
            programme=programme, number=g["number"])
        goal.text = g["text"]
        goal.responsible = admin(g["responsible"], where)
        goal.direction = g.get("direction") or "none"
        goal.unit = g.get("unit") or ""
        goal.baseline_year = g.get("baseline_year")
        goal.baseline_value = _decimal(g.get("baseline_value"), where, errors)
        goal.target_value = _decimal(g.get("target_value"), where, errors)
        goal.target_text = g.get("target_text") or ""
        goal.deadline = _date(g.get("deadline"), where, errors)
        goal.period_start = _date(g.get("period_start"), where, errors)
        goal.target_kind = g.get("target_kind") or "level"
        goal.data_source = g.get("data_source") or ""
        goal.measure = g.get("measure") or ""
        if goal.responsible:
            goals[g["number"]] = _saved(goal, errors, where)

    def goal_list(numbers, where):
        missing = [n for n in numbers or [] if n not in goals]
        if missing:
            errors.append(f"{where}: unknown effect goal(s) {missing}")
        return [goals[n] for n in numbers or [] if n in goals]

    focus: dict[int, FocusArea] = {}
    for f in data.get("focus_areas", []):
        where = f"focus area {f['number']}"
        fa, _ = FocusArea.objects.update_or_create(
            programme=programme, number=f["number"],
            defaults={"title": f["title"], "vision": f.get("vision") or "",
                      "hypothesis": f.get("hypothesis") or "", "target_group": f.get("target_group") or ""})
        fa.effect_goals.set(goal_list(f.get("effect_goals"), where))
        focus[f["number"]] = fa

    def focus_list(numbers, where):
        missing = [n for n in numbers or [] if n not in focus]
        if missing:
            errors.append(f"{where}: unknown focus area(s) {missing}")
        return [focus[n] for n in numbers or [] if n in focus]

    for i in data.get("indicators", []):
        where = f"indicator {i['number']}"
        responsible = [admin(c, where) for c in i["responsible"]]
        fas = focus_list([i["focus_area"]], where)
        if not fas or not all(responsible):
            continue
        ind = Indicator.objects.filter(programme=programme, number=i["number"]).first() or Indicator(
            programme=programme, number=i["number"])
        ind.focus_area, ind.text, ind.responsible = fas[0], i["text"], responsible[0]
        ind.direction, ind.unit = i["direction"], i.get("unit") or ""
        ind.counts_persons = bool(i.get("counts_persons"))
        _saved(ind, errors, where)
        if ind.pk:
            ind.co_responsible.set(responsible[1:])

    keys_seen = set()
    n_lines = 0
    for it in data.get("initiatives", []):
        where = f"initiative '{it.get('key')}'"
        if it["key"] in keys_seen:
            errors.append(f"{where}: duplicate key")
            continue
        keys_seen.add(it["key"])
        administration = admin(it["administration"], where)
        if administration is None:
            continue
        ini = Initiative.objects.filter(programme=programme, key=it["key"]).first() or Initiative(
            programme=programme, key=it["key"])
        ini.name, ini.administration = it["name"], administration
        ini.status = it.get("status") or "existing"
        ini.funding_status = it.get("funding_status") or "unclear"
        ini.funding_source = it.get("funding_source") or ""
        ini.description = it.get("description") or ""
        ini.target_age_min, ini.target_age_max = it.get("target_age_min"), it.get("target_age_max")
        ini.area_text = it.get("area") or ""
        ini.source = it.get("source") or ""
        _saved(ini, errors, where)
        if not ini.pk:
            continue
        ini.focus_areas.set(focus_list(it.get("focus_areas"), where))
        ini.effect_goals.set(goal_list(it.get("effect_goals"), where))
        ini.budget_lines.all().delete()
        for b in it.get("budget") or []:
            line = BudgetLine(initiative=ini, year=b["year"], kind=b.get("kind") or "operations",
                              amount_tdkk=_decimal(b["amount"], where, errors),
                              price_level_year=b.get("price_level_year") or b["year"], note=b.get("note") or "")
            _saved(line, errors, f"{where} budget {b['year']} {line.kind}")
            n_lines += 1
    stale = Initiative.objects.filter(programme=programme).exclude(key__in=keys_seen)
    stale.delete()

    programme.published_totals.all().delete()
    for t in data.get("published_totals") or []:
        where = f"published total '{t.get('label')}'"
        fa = focus_list([t["focus_area"]], where)[0] if t.get("focus_area") else None
        total = PublishedTotal(
            programme=programme, source=t["source"], label=t["label"], year=t["year"], kind=t.get("kind") or "",
            status=t.get("status") or "", administration=admin(t["administration"], where) if t.get(
                "administration") else None, focus_area=fa, count=t.get("count"),
            amount_tdkk=_decimal(t["amount"], where, errors), note=t.get("note") or "")
        _saved(total, errors, where)

    if errors:
        raise ProgrammeFileError(errors)
    return LoadResult(programme=programme, counts={
        "administrations": len(admins), "focus_areas": len(focus), "effect_goals": len(goals),
        "indicators": len(data.get("indicators", [])), "initiatives": len(keys_seen), "budget_lines": n_lines})
