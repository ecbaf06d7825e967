"""Writes of the Tryghedsindeks: importing inputs, computing, publishing and verifying runs.

The formula itself is in ``method.py`` (pure, no database); this module
gathers the inputs an area level needs (rolling roder up to any level that
contains them), freezes them in the run's snapshot and stores the results.
"""
import hashlib
import io
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area, AreaLevel
from operations import uploads
from operations.jobs import job_enqueue

from . import method as m
from .models import (
    ComputationStatus,
    RunStatus,
    SafetyIndexComputation,
    SafetyIndexImport,
    SafetyIndexInput,
    SafetyIndexMethod,
    SafetyIndexResult,
    SafetyIndexRun,
)

IMPORT_COLUMNS = ["area_level", "area_code", "year", "respondents", "victimised_pct", "perceived_crime_score",
                  "safe_day_pct", "safe_evening_pct", "police_reports", "population"]
PCT_COLUMNS = ["victimised_pct", "perceived_crime_score", "safe_day_pct", "safe_evening_pct"]
MAX_IMPORT_ROWS = 20000
TWO_PLACES = Decimal("0.01")


class InputFileError(ValueError):
    """An input file that was not imported; ``errors`` names every bad row by its line number."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# --- import -----------------------------------------------------------------
def _read_table(content: bytes, filename: str) -> pd.DataFrame:
    """Read a CSV (comma or semicolon, UTF-8) or Excel file as strings; raise InputFileError if unreadable."""
    name = filename.lower()
    try:
        if name.endswith((".xlsx", ".xlsm")):
            uploads.check_workbook(content, max_rows=MAX_IMPORT_ROWS)  # before parsing: zip bomb, huge sheet
            df = pd.read_excel(io.BytesIO(content), dtype=str, keep_default_na=False, nrows=MAX_IMPORT_ROWS + 1)
        elif name.endswith(".csv"):
            text = content.decode("utf-8-sig")
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python")
        else:
            raise InputFileError([_("The file must be a CSV (.csv) or Excel (.xlsx) file.")])
    except UnicodeDecodeError as exc:
        raise InputFileError([_("The CSV file is not UTF-8 encoded.")]) from exc
    except uploads.UploadRefused as exc:
        raise InputFileError(exc.messages) from exc
    except InputFileError:
        raise
    except Exception as exc:  # pandas/openpyxl raise many types for a broken file
        raise InputFileError([_("The file could not be read: %(error)s") % {"error": exc}]) from exc
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df


def _int(value: str, *, minimum: int) -> int:
    n = int(value.strip())
    if n < minimum:
        raise ValueError
    return n


def _pct(value: str) -> Decimal:
    d = Decimal(value.strip().replace(",", "."))
    if not d.is_finite() or d < 0 or d > 100 or d != d.quantize(TWO_PLACES):
        raise InvalidOperation
    return d


def _frozen_input_ids(municipality, years: set[int]) -> set[int]:
    """Ids of inputs some published run of these years was computed from (they may not change)."""
    ids: set[int] = set()
    for snapshot in SafetyIndexRun.objects.filter(
        municipality=municipality, year__in=years, status=RunStatus.PUBLISHED
    ).values_list("inputs_snapshot", flat=True):
        for entry in snapshot:
            ids.update(entry.get("input_ids", []))
    return ids


@transaction.atomic
def safety_inputs_import(*, municipality, content: bytes, filename: str, user=None,
                         is_demo: bool = False, source: str = "") -> SafetyIndexImport:
    """Import survey and police inputs from a CSV or Excel file: every row, or none.

    Columns: ``IMPORT_COLUMNS``. Each row is one area (any level, by code) and
    year; a row for an area and year already loaded replaces it, unless those
    inputs are part of a published run (they are frozen). Every problem is
    collected and raised at once as ``InputFileError`` naming the line.
    """
    df = _read_table(content, filename)
    missing = [c for c in IMPORT_COLUMNS if c not in df.columns]
    if missing:
        raise InputFileError([_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}])
    if df.empty:
        raise InputFileError([_("The file has no rows.")])
    if len(df) > MAX_IMPORT_ROWS:
        raise InputFileError([_("The file has more than %(n)s rows.") % {"n": MAX_IMPORT_ROWS}])
    too_long = uploads.check_cells(([str(v) for v in rec] for rec in df.itertuples(index=False)), line_offset=2)
    if too_long:
        raise InputFileError([_("Line %(line)s: %(problem)s") % {"line": line, "problem": problem}
                              for line, problem in too_long])
    areas = {(a.level, a.code): a for a in Area.objects.filter(municipality=municipality)}
    errors: list[str] = []
    rows: list[tuple[Area, dict, int]] = []
    seen: dict[tuple[int, int], int] = {}
    for i, rec in enumerate(df.to_dict("records")):
        line = i + 2  # line 1 is the header
        row_errors = []
        level, code = str(rec["area_level"]).strip(), str(rec["area_code"]).strip()
        area = areas.get((level, code))
        if level not in AreaLevel.values:
            row_errors.append(_("unknown area level “%(level)s”") % {"level": level})
        elif area is None:
            row_errors.append(_("no area with level %(level)s and code “%(code)s”") % {"level": level, "code": code})
        values: dict = {}
        for col, minimum in (("year", 2000), ("respondents", 1), ("police_reports", 0), ("population", 1)):
            try:
                values[col] = _int(str(rec[col]), minimum=minimum)
            except ValueError:
                row_errors.append(_("%(column)s must be a whole number of at least %(min)s")
                                  % {"column": col, "min": minimum})
        if "year" in values and values["year"] > 2100:
            row_errors.append(_("year must be at most 2100"))
        for col in PCT_COLUMNS:
            try:
                values[col] = _pct(str(rec[col]))
            except (InvalidOperation, ValueError):
                row_errors.append(_("%(column)s must be a number from 0 to 100 with at most two decimals")
                                  % {"column": col})
        if area is not None and "year" in values:
            key = (area.pk, values["year"])
            if key in seen:
                row_errors.append(_("the same area and year as line %(line)s") % {"line": seen[key]})
            seen.setdefault(key, line)
        if row_errors:
            errors.append(_("Line %(line)s: %(errors)s.") % {"line": line, "errors": "; ".join(row_errors)})
        else:
            rows.append((area, values, line))
    if not errors:
        existing = {(i.area_id, i.year): i for i in SafetyIndexInput.objects.filter(
            area__municipality=municipality, year__in={v["year"] for _a, v, _l in rows})}
        frozen = _frozen_input_ids(municipality, {v["year"] for _a, v, _l in rows})
        for area, values, line in rows:
            old = existing.get((area.pk, values["year"]))
            if old is not None and old.pk in frozen:
                errors.append(_("Line %(line)s: the inputs of %(area)s for %(year)s are part of a published "
                                "result and cannot be changed.") % {"line": line, "area": area.name,
                                                                    "year": values["year"]})
    if errors:
        raise InputFileError(errors)

    batch = SafetyIndexImport.objects.create(
        municipality=municipality, filename=filename[:255], sha256=hashlib.sha256(content).hexdigest(),
        rows=len(rows), imported_by=user)
    for area, values, _line in rows:
        obj = existing.get((area.pk, values["year"])) or SafetyIndexInput(area=area, year=values["year"])
        for field, value in values.items():
            setattr(obj, field, value)
        obj.is_demo, obj.source, obj.imported = is_demo, source or filename[:300], batch
        obj.full_clean()
        obj.save()
    return batch


# --- computing ----------------------------------------------------------------
def _entry(area: Area, inputs: list[SafetyIndexInput]) -> dict:
    """One snapshot entry: an area's inputs, direct (one input) or rolled up from roder."""
    respondents = sum(i.respondents for i in inputs)
    entry = {
        "area_id": area.pk, "area_code": area.code, "area_level": area.level,
        "input_ids": sorted(i.pk for i in inputs),
        "rolled_up": not (len(inputs) == 1 and inputs[0].area_id == area.pk),
        "respondents": respondents,
        "police_reports": sum(i.police_reports for i in inputs),
        "population": sum(i.population for i in inputs),
        "is_demo": any(i.is_demo for i in inputs),
    }
    for col in PCT_COLUMNS:
        # Respondent-weighted mean of the shares, rounded half-up to two decimals.
        total = sum((getattr(i, col) * i.respondents for i in inputs), Decimal(0))
        entry[col] = str((total / respondents).quantize(TWO_PLACES, rounding=ROUND_HALF_UP))
    return entry


def safety_inputs_gather(*, municipality, year: int, level: str) -> list[dict]:
    """The inputs of every area of ``level`` (and the city as a whole) for a year, as snapshot entries.

    An area uses its own input when one is loaded, otherwise the roll-up of
    the inputs of the roder it contains. The city uses its own input, else the
    roll-up of all roder, else (when the level divides the whole city) the sum
    of the level's entries. Areas without any input are left out.
    """
    level_areas = list(Area.objects.filter(municipality=municipality, level=level).order_by("code"))
    inputs = list(SafetyIndexInput.objects.filter(area__municipality=municipality, year=year)
                  .select_related("area"))
    direct = {i.area_id: i for i in inputs}
    roder = [i for i in inputs if i.area.level == AreaLevel.RODE]
    members: dict[int, list[SafetyIndexInput]] = {}
    if roder:
        through = Area.containers.through.objects.filter(from_area_id__in=[i.area_id for i in roder])
        by_area = {i.area_id: i for i in roder}
        for rode_id, container_id in through.values_list("from_area_id", "to_area_id"):
            members.setdefault(container_id, []).append(by_area[rode_id])
    entries, used = [], []
    for area in level_areas:
        if area.pk in direct:
            chosen = [direct[area.pk]]
        else:
            chosen = members.get(area.pk, [])
        if chosen:
            entries.append(_entry(area, chosen))
            used.extend(chosen)
    if level != AreaLevel.CITY:
        city = Area.objects.filter(municipality=municipality, level=AreaLevel.CITY).first()
        if city is not None:
            if city.pk in direct:
                entries.append(_entry(city, [direct[city.pk]]))
            elif city.pk in members:
                entries.append(_entry(city, members[city.pk]))
            elif used and level != AreaLevel.DEPRIVED_AREA:
                unique = list({i.pk: i for i in used}.values())
                entries.append(_entry(city, unique))
    return entries


def _result_fields(scored: dict) -> dict:
    c = scored["components"]
    return {
        "police_rate": scored["police_rate"], "victimisation_score": c["victimisation"],
        "perceived_crime_subscore": c["perceived_crime"], "safe_day_score": c["safe_day"],
        "safe_evening_score": c["safe_evening"], "police_score": c["police"], "score": scored["score"],
        "category": scored["category"], "uncertain": scored["uncertain"],
        "uncertainty_reasons": scored["uncertainty_reasons"],
    }


def safety_index_compute_problems(*, municipality, year: int, level: str, method: SafetyIndexMethod) -> list[str]:
    """Why a computation would be refused (empty when it can run); the page checks this before queueing."""
    if level not in AreaLevel.values:
        return [_("Unknown area level.")]
    problems = m.validate_parameters(method.parameters)
    if SafetyIndexRun.objects.filter(municipality=municipality, year=year, level=level, method=method,
                                     status=RunStatus.PUBLISHED).exists():
        problems.append(_("%(year)s is already published with method %(version)s at this level; "
                          "a published year is never recomputed.") % {"year": year, "version": method.version})
    inputs = SafetyIndexInput.objects.filter(area__municipality=municipality, year=year)
    if not inputs.filter(area__level__in=[level, AreaLevel.RODE]).exists():
        problems.append(_("There are no inputs for %(year)s at this area level.") % {"year": year})
    return problems


@transaction.atomic
def safety_index_compute(*, municipality, year: int, level: str, method: SafetyIndexMethod,
                         user=None) -> SafetyIndexRun:
    """Compute the index for a year at an area level with one method version, as a draft run.

    Replaces an earlier draft for the same year, level and method; refuses
    when that combination is already published (a published year is never
    recomputed in place — compute it with a new method version instead).
    """
    problems = safety_index_compute_problems(municipality=municipality, year=year, level=level, method=method)
    if problems:
        raise ValidationError(problems)
    snapshot = safety_inputs_gather(municipality=municipality, year=year, level=level)
    if not [e for e in snapshot if e["area_level"] == level]:
        raise ValidationError(_("There are no inputs for %(year)s at this area level.") % {"year": year})
    SafetyIndexRun.objects.filter(municipality=municipality, year=year, level=level, method=method,
                                  status=RunStatus.DRAFT).delete()
    run = SafetyIndexRun(
        municipality=municipality, method=method, year=year, level=level, inputs_snapshot=snapshot,
        inputs_sha256=m.fingerprint(snapshot, method.parameters),
        contains_demo_data=any(e["is_demo"] for e in snapshot), computed_by=user)
    run.full_clean()
    run.save()
    SafetyIndexResult.objects.bulk_create([
        SafetyIndexResult(run=run, area_id=e["area_id"], respondents=e["respondents"],
                          **_result_fields(m.score_area(e, method.parameters)))
        for e in snapshot
    ])
    return run


@transaction.atomic
def safety_index_computation_request(*, municipality, year: int, level: str, method: SafetyIndexMethod,
                                     user=None) -> SafetyIndexComputation:
    """Queue a computation (a background job) after checking it can run.

    Raises ValidationError with every problem when it would be refused, and
    ``operations.jobs.BrokerUnavailable`` — storing nothing — when the
    background service does not answer.
    """
    problems = safety_index_compute_problems(municipality=municipality, year=year, level=level, method=method)
    if problems:
        raise ValidationError(problems)
    job = SafetyIndexComputation(municipality=municipality, year=year, level=level, method=method,
                                 requested_by=user)
    job.full_clean()
    job.save()
    job_enqueue(job)
    return job


def safety_index_computation_run(*, computation_id: int) -> SafetyIndexComputation:
    """Do a queued computation: the draft run, or the reason it was refused, recorded on the job."""
    job = SafetyIndexComputation.objects.select_related("municipality", "method", "requested_by").get(
        pk=computation_id)
    try:
        run = safety_index_compute(municipality=job.municipality, year=job.year, level=job.level,
                                   method=job.method, user=job.requested_by)
    except ValidationError as exc:  # refused: nothing would change by retrying
        job.status, job.error, job.error_params = ComputationStatus.FAILED, " ".join(exc.messages), {}
    else:
        job.status, job.run, job.error = ComputationStatus.DONE, run, ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "run", "error", "error_params", "finished_at"])
    return job


@transaction.atomic
def safety_index_publish(*, run: SafetyIndexRun, user=None) -> SafetyIndexRun:
    """Publish a draft run: from now on it is what pages, API, reports and effect goal 3 show."""
    run = SafetyIndexRun.objects.select_for_update().get(pk=run.pk)
    if run.status == RunStatus.PUBLISHED:
        raise ValidationError(_("This run is already published."))
    if safety_index_verify(run=run):
        raise ValidationError(_("The run does not reproduce from its inputs; compute it again."))
    run.status, run.published_by, run.published_at = RunStatus.PUBLISHED, user, timezone.now()
    run.full_clean()
    run.save(update_fields=["status", "published_by", "published_at"])
    return run


def safety_index_verify(*, run: SafetyIndexRun) -> list[str]:
    """Recompute a run from its own snapshot and method; return every difference (empty = identical).

    Checks the fingerprint of snapshot + parameters and each stored result
    field against a fresh computation. Writes nothing.
    """
    problems = []
    if m.fingerprint(run.inputs_snapshot, run.method.parameters) != run.inputs_sha256:
        problems.append("fingerprint of inputs and parameters differs")
    stored = {r.area_id: r for r in run.results.all()}
    for entry in run.inputs_snapshot:
        result = stored.pop(entry["area_id"], None)
        if result is None:
            problems.append(f"area {entry['area_code']}: no stored result")
            continue
        for field, value in _result_fields(m.score_area(entry, run.method.parameters)).items():
            if getattr(result, field) != value:
                problems.append(f"area {entry['area_code']}: {field} {getattr(result, field)!r} != {value!r}")
    problems += [f"area id {pk}: result without input" for pk in stored]
    return problems
