"""Writes of indicator data: entering, submitting, approving and revising values; uploads; formulas.

Every function is keyword-only, validates with ``full_clean`` inside one
transaction and checks the caller's permission itself, so the form, the
upload and the API go through the same rules.
"""
import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from areas.models import Area, AreaLevel
from operations import uploads
from operations.locking import StaleWrite
from operations.locking import expected as expected_version_of

from . import formula as formula_lang
from .models import (
    Indicator,
    IndicatorValue,
    ReminderLevel,
    ReportingCalendar,
    ReportingReminder,
    UploadStatus,
    ValueStatus,
    ValueUpload,
    parse_period,
)

MAX_UPLOAD_ROWS = 20000
UPLOAD_KIND = "indicator_values"  # settings.UPLOAD_MAX_BYTES
UPLOAD_COLUMNS = ["indicator", "area_level", "area_code", "period", "value", "source", "note"]


# --- single values ----------------------------------------------------------
def _open_revision(*, indicator, area, period_type, period_start) -> IndicatorValue | None:
    return (IndicatorValue.objects.select_for_update()
            .filter(indicator=indicator, area=area, period_type=period_type, period_start=period_start)
            .exclude(status=ValueStatus.APPROVED).first())


def _published(*, indicator, area, period_type, period_start) -> IndicatorValue | None:
    return (IndicatorValue.objects.select_for_update()
            .filter(indicator=indicator, area=area, period_type=period_type, period_start=period_start,
                    status=ValueStatus.APPROVED, superseded_at__isnull=True).first())


def _check_can_enter(user, indicator: Indicator, area: Area) -> None:
    if not user.has_perm("indicators.enter_value_for", indicator):
        raise PermissionDenied(_("Your administration does not report indicator %(number)s.")
                               % {"number": indicator.number})
    if area.municipality_id != indicator.programme.municipality_id:
        raise ValidationError({"area": _("The area is not in the programme's municipality.")})


ANY_VERSION = object()  # uploads (previewed first) and the API replace the open draft as before


class ValueConflict(StaleWrite):
    """Another draft of the same indicator, area and period was saved after this form was opened."""


@transaction.atomic
def indicator_value_save(*, user, indicator: Indicator, area: Area, period_type: str, period_start: date,
                         value: Decimal, source: str, note: str = "",
                         expected_version=ANY_VERSION) -> IndicatorValue:
    """Enter a value as a draft: it fills the open revision, or opens a new one.

    With no value yet this is revision 1; if the published value is approved
    (locked), the draft becomes a new revision that revises it; an open draft
    or submitted revision is overwritten and goes back to draft.

    Race-free: the indicator's row is locked first (``select_for_update``), so
    two saves of the same indicator run one after the other and the second
    sees the first's revision; the unique constraints on (key, revision) and on
    the one open revision per key stay the last line, answered as a conflict.

    ``expected_version`` is the optimistic lock of the entry form: ``None``
    when the form was opened for a new value, else the ``version`` of the open
    draft it edits. When that is not what is in the database now (a colleague
    opened or saved a draft meanwhile) ``ValueConflict`` is raised carrying
    their draft, and nothing is written.
    """
    _check_can_enter(user, indicator, area)
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    key = {"indicator": indicator, "area": area, "period_type": period_type, "period_start": period_start}
    obj = _open_revision(**key)
    if expected_version is not ANY_VERSION:
        if obj is None and expected_version not in (None, ""):
            # The draft this form edited was approved or withdrawn meanwhile.
            raise ValueConflict(current=_published(**key))
        if obj is not None:
            try:
                stale = expected_version in (None, "") or expected_version_of(expected_version) != obj.version
            except StaleWrite:
                stale = True
            if stale:
                raise ValueConflict(current=obj)
    if obj is None:
        published = _published(**key)
        last = IndicatorValue.objects.filter(**key).order_by("-revision").values_list("revision", flat=True).first()
        obj = IndicatorValue(**key, revision=(last or 0) + 1, supersedes=published)
    else:
        obj.version += 1
    obj.value, obj.source, obj.note = value, source, note
    obj.status, obj.entered_by = ValueStatus.DRAFT, user
    obj.submitted_by = obj.submitted_at = None
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        # Only reachable if a writer bypassed the lock: still a conflict, never a 500.
        raise ValueConflict(current=None) from exc
    return obj


@transaction.atomic
def indicator_value_submit(*, user, value: IndicatorValue) -> IndicatorValue:
    """The administration hands a draft to the coordinators for approval."""
    value = IndicatorValue.objects.select_for_update().select_related("indicator__programme").get(pk=value.pk)
    if not user.has_perm("indicators.enter_value_for", value.indicator):
        raise PermissionDenied(_("Your administration does not report this indicator."))
    if value.status != ValueStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    value.status, value.submitted_by, value.submitted_at = ValueStatus.SUBMITTED, user, timezone.now()
    value.first_reported_at = value.first_reported_at or value.submitted_at  # the reporting calendar's clock
    value.full_clean()
    value.save()
    return value


@transaction.atomic
def indicator_value_approve(*, user, value: IndicatorValue) -> IndicatorValue:
    """A coordinator approves a submitted value: it is locked and, if a revision, replaces the published one.

    Computed indicators that use this indicator are recomputed for the same area and period.
    """
    value = IndicatorValue.objects.select_for_update().select_related("indicator__programme").get(pk=value.pk)
    if not user.has_perm("indicators.approve_values") or (
            not user.is_superuser and value.indicator.programme.municipality_id != user.municipality_id):
        raise PermissionDenied(_("Only a coordinator can approve values."))
    if value.status != ValueStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted value can be approved."))
    now = timezone.now()
    if value.supersedes_id:
        IndicatorValue.objects.filter(pk=value.supersedes_id).update(superseded_at=now)
    value.status, value.approved_by, value.approved_at = ValueStatus.APPROVED, user, now
    value.full_clean()
    value.save()
    for dependent in _dependents(value.indicator):
        indicator_recompute(indicator=dependent)
    return value


@transaction.atomic
def indicator_value_return(*, user, value: IndicatorValue) -> IndicatorValue:
    """A coordinator sends a submitted value back to its administration as a draft."""
    value = IndicatorValue.objects.select_for_update().select_related("indicator__programme").get(pk=value.pk)
    if not user.has_perm("indicators.approve_values") or (
            not user.is_superuser and value.indicator.programme.municipality_id != user.municipality_id):
        raise PermissionDenied(_("Only a coordinator can return values."))
    if value.status != ValueStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted value can be returned."))
    value.status = ValueStatus.DRAFT
    value.full_clean()
    value.save()
    return value


# --- formulas -----------------------------------------------------------------
def _dependents(indicator: Indicator) -> list[Indicator]:
    out = []
    for other in Indicator.objects.filter(programme_id=indicator.programme_id).exclude(formula=""):
        try:
            if indicator.number in formula_lang.references(other.formula):
                out.append(other)
        except formula_lang.FormulaError:
            continue
    return out


@transaction.atomic
def indicator_set_formula(*, indicator: Indicator, formula: str) -> Indicator:
    """Make an indicator computed (or entered again, with an empty formula) and recompute its values."""
    formula = formula.strip()
    if formula:
        try:
            refs = formula_lang.references(formula)
        except formula_lang.FormulaError as exc:
            raise ValidationError({"formula": str(exc)}) from exc
        if indicator.number in refs:
            raise ValidationError({"formula": _("A formula cannot use its own indicator.")})
        known = set(Indicator.objects.filter(programme_id=indicator.programme_id, number__in=refs)
                    .values_list("number", flat=True))
        if refs - known:
            raise ValidationError({"formula": _("Unknown indicator: %(refs)s") % {
                "refs": ", ".join(f"I{n}" for n in sorted(refs - known))}})
    indicator.formula = formula
    indicator.full_clean()
    indicator.save()
    indicator_recompute(indicator=indicator)
    return indicator


@transaction.atomic
def indicator_recompute(*, indicator: Indicator) -> int:
    """Replace a computed indicator's values with the formula over its inputs' published values.

    Computed values are derived data, not entries: they are rebuilt whole, for
    every area and period where all inputs have a published value. Returns
    how many values there are now.
    """
    IndicatorValue.objects.filter(indicator=indicator, is_computed=True).delete()
    if not indicator.is_computed:
        return 0
    refs = formula_lang.references(indicator.formula)
    by_number = dict(Indicator.objects.filter(programme_id=indicator.programme_id, number__in=refs)
                     .values_list("id", "number"))
    inputs: dict[tuple, dict[int, Decimal]] = {}
    for ind_id, area_id, pt, start, value in IndicatorValue.objects.filter(
            indicator_id__in=by_number, status=ValueStatus.APPROVED, superseded_at__isnull=True).values_list(
            "indicator_id", "area_id", "period_type", "period_start", "value"):
        inputs.setdefault((area_id, pt, start), {})[by_number[ind_id]] = value
    now = timezone.now()
    rows = []
    for (area_id, pt, start), values in sorted(inputs.items()):
        result = formula_lang.evaluate(indicator.formula, values)
        if result is None:
            continue
        rows.append(IndicatorValue(
            indicator=indicator, area_id=area_id, period_type=pt, period_start=start,
            value=result.quantize(Decimal("0.0001")), source=_("Computed: %(formula)s") % {
                "formula": indicator.formula},
            status=ValueStatus.APPROVED, is_computed=True, approved_at=now))
    IndicatorValue.objects.bulk_create(rows)
    return len(rows)


# --- uploads ------------------------------------------------------------------
class UploadInvalid(Exception):
    """The file cannot be saved; ``errors`` lists every problem as (line number, message)."""

    def __init__(self, errors: list[tuple[int | None, str]]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class PreviewRow:
    line: int
    indicator: int
    area: str
    period: str
    value: str
    action: str
    previous: str | None = None
    extra: dict = field(default_factory=dict)


def _parse_decimal(text: str) -> Decimal:
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")  # Danish: 1.234,5
    elif "," in text:
        text = text.replace(",", ".")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation(text)
    return number


def _read_table(*, data: bytes, filename: str) -> list[dict]:
    """Rows of a CSV (UTF-8, ; or , separated) or XLSX file as dicts of strings, header lower-cased."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        import openpyxl

        try:
            uploads.check_workbook(data, max_rows=MAX_UPLOAD_ROWS)  # before parsing: zip bomb, huge sheet
        except uploads.UploadRefused as exc:
            raise UploadInvalid([(None, exc.messages[0])]) from exc
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise UploadInvalid([(None, _("The file is not a readable Excel workbook."))]) from exc
        sheet = wb.worksheets[0]
        raw = []
        for row in sheet.iter_rows(values_only=True):  # a sheet without a declared size stops at the cap
            raw.append(["" if c is None else str(c) for c in row])
            if len(raw) > MAX_UPLOAD_ROWS + 1:
                raise UploadInvalid([(None, _("The file has more than %(n)s rows.") % {"n": MAX_UPLOAD_ROWS})])
    elif filename.lower().endswith((".csv", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UploadInvalid([(None, _("The file is not UTF-8 text."))]) from exc
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
        try:
            raw = list(csv.reader(io.StringIO(text), dialect))
        except csv.Error as exc:  # e.g. a field over the csv module's limit
            raise UploadInvalid([(None, _("The file is not readable CSV: %(error)s") % {"error": exc})]) from exc
    else:
        raise UploadInvalid([(None, _("Upload a .csv or .xlsx file."))])
    if not raw:
        raise UploadInvalid([(None, _("The file is empty."))])
    if len(raw) > MAX_UPLOAD_ROWS + 1:
        raise UploadInvalid([(None, _("The file has more than %(n)s rows.") % {"n": MAX_UPLOAD_ROWS})])
    too_long = uploads.check_cells(raw)
    if too_long:
        raise UploadInvalid(too_long)
    header = [h.strip().lower() for h in raw[0]]
    missing = [c for c in UPLOAD_COLUMNS if c != "note" and c not in header]
    if missing:
        raise UploadInvalid([(1, _("Missing column(s): %(cols)s. Expected: %(expected)s.") % {
            "cols": ", ".join(missing), "expected": ", ".join(UPLOAD_COLUMNS)})])
    rows = []
    for line, cells in enumerate(raw[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append({"line": line, **{h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}})
    if len(rows) > MAX_UPLOAD_ROWS:
        raise UploadInvalid([(None, _("The file has more than %(n)s rows.") % {"n": MAX_UPLOAD_ROWS})])
    if not rows:
        raise UploadInvalid([(None, _("The file has no data rows."))])
    return rows


def _validate_rows(*, user, programme, rows: list[dict]) -> list[dict]:
    """Check every row; returns the clean rows or raises UploadInvalid naming every bad one."""
    errors: list[tuple[int | None, str]] = []
    indicators = {i.number: i for i in Indicator.objects.filter(programme=programme)
                  .select_related("programme").prefetch_related("co_responsible")}
    areas = {(a.level, a.code): a for a in Area.objects.filter(municipality_id=programme.municipality_id)}
    levels = set(AreaLevel.values)
    seen: dict[tuple, int] = {}
    clean = []
    for row in rows:
        line, problems = row["line"], []
        indicator = area = None
        try:
            indicator = indicators.get(int(row.get("indicator", "")))
        except ValueError:
            pass
        if indicator is None:
            problems.append(_("unknown indicator “%(v)s”") % {"v": row.get("indicator", "")})
        elif indicator.is_computed:
            problems.append(_("indicator %(n)s is computed from a formula") % {"n": indicator.number})
        elif not user.has_perm("indicators.enter_value_for", indicator):
            problems.append(_("your administration does not report indicator %(n)s") % {"n": indicator.number})
        level = row.get("area_level", "")
        if level not in levels:
            problems.append(_("unknown area level “%(v)s”") % {"v": level})
        else:
            area = areas.get((level, row.get("area_code", "")))
            if area is None:
                problems.append(_("unknown area “%(code)s” at level %(level)s") % {
                    "code": row.get("area_code", ""), "level": level})
        try:
            period_type, period_start = parse_period(row.get("period", ""))
        except ValueError:
            period_type = period_start = None
            problems.append(_("period “%(v)s” is not a year (2011), quarter (2011-Q2) or month (2011-03)") % {
                "v": row.get("period", "")})
        try:
            value = _parse_decimal(row.get("value", ""))
            if abs(value) >= Decimal("1e12"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            value = None
            problems.append(_("value “%(v)s” is not a number") % {"v": row.get("value", "")})
        source = row.get("source", "")
        if not source:
            problems.append(_("the source is missing"))
        elif len(source) > 300:
            problems.append(_("the source is longer than 300 characters"))
        if len(row.get("note", "")) > 500:
            problems.append(_("the note is longer than 500 characters"))
        if indicator and area and period_start:
            key = (indicator.number, area.pk, period_type, period_start)
            if key in seen:
                problems.append(_("the same indicator, area and period as line %(line)s") % {"line": seen[key]})
            seen[key] = line
        if problems:
            errors.extend((line, p) for p in problems)
            continue
        clean.append({"line": line, "indicator": indicator.number, "area_id": area.pk, "area": str(area),
                      "period_type": period_type, "period_start": period_start.isoformat(),
                      "period": row["period"].upper(), "value": str(value), "source": source,
                      "note": row.get("note", "")})
    if errors:
        raise UploadInvalid(errors)
    return clean


@transaction.atomic
def value_upload_create(*, user, programme, data: bytes, filename: str) -> ValueUpload:
    """Validate a whole file; keep its rows for the preview, or raise UploadInvalid with every bad row."""
    if not user.has_perm("indicators.enter_values"):
        raise PermissionDenied(_("Only administration reporters upload values."))
    try:
        uploads.check_size(size=len(data), kind=UPLOAD_KIND)
    except uploads.UploadRefused as exc:
        raise UploadInvalid([(None, exc.messages[0])]) from exc
    rows = _validate_rows(user=user, programme=programme, rows=_read_table(data=data, filename=filename))
    upload = ValueUpload(uploaded_by=user, programme=programme, filename=filename[:200], rows=rows)
    upload.full_clean()
    upload.save()
    return upload


def value_upload_preview(*, upload: ValueUpload) -> list[PreviewRow]:
    """What saving the upload would do to each row: new, replace draft, revise a published value, unchanged."""
    indicators = dict(Indicator.objects.filter(programme=upload.programme).values_list("number", "id"))
    existing = {}
    for v in IndicatorValue.objects.filter(indicator__programme=upload.programme,
                                           indicator__number__in={r["indicator"] for r in upload.rows}).filter(
            superseded_at__isnull=True).values("indicator_id", "area_id", "period_type", "period_start",
                                               "status", "value"):
        key = (v["indicator_id"], v["area_id"], v["period_type"], v["period_start"].isoformat())
        if v["status"] != ValueStatus.APPROVED or key not in existing:
            existing[key] = v
    out = []
    for r in upload.rows:
        cur = existing.get((indicators.get(r["indicator"]), r["area_id"], r["period_type"], r["period_start"]))
        if cur is None:
            action, previous = "new", None
        elif Decimal(r["value"]) == cur["value"] and cur["status"] == ValueStatus.APPROVED:
            action, previous = "unchanged", cur["value"]
        elif cur["status"] == ValueStatus.APPROVED:
            action, previous = "revision", cur["value"]
        else:
            action, previous = "replace_draft", cur["value"]
        out.append(PreviewRow(line=r["line"], indicator=r["indicator"], area=r["area"], period=r["period"],
                              value=r["value"], action=action, previous=None if previous is None else str(previous)))
    return out


@transaction.atomic
def value_upload_apply(*, user, upload: ValueUpload) -> int:
    """Save every row of a previewed upload as drafts, all or nothing; returns how many values were saved.

    The rows are validated again (definitions or rights may have changed since
    the preview); unchanged published values are left alone.
    """
    upload = ValueUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.uploaded_by_id != user.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can save it."))
    if upload.status != UploadStatus.PENDING:
        raise ValidationError(_("This upload has already been saved or discarded."))
    areas = {a.pk: a for a in Area.objects.filter(pk__in={r["area_id"] for r in upload.rows})}
    rows = _validate_rows(user=user, programme=upload.programme, rows=[
        {**r, "indicator": str(r["indicator"]), "area_level": getattr(areas.get(r["area_id"]), "level", ""),
         "area_code": getattr(areas.get(r["area_id"]), "code", "")} for r in upload.rows])
    preview = {p.line: p.action for p in value_upload_preview(upload=upload)}
    # Lock every indicator the file touches at once, in one order, so two uploads cannot deadlock.
    indicators = {i.number: i for i in Indicator.objects.select_for_update().filter(
        programme=upload.programme, number__in={r["indicator"] for r in rows}).order_by("pk")}
    saved = 0
    for r in rows:
        if preview.get(r["line"]) == "unchanged":
            continue
        indicator_value_save(user=user, indicator=indicators[r["indicator"]], area=areas[r["area_id"]],
                             period_type=r["period_type"], period_start=date.fromisoformat(r["period_start"]),
                             value=Decimal(r["value"]), source=r["source"], note=r["note"])
        saved += 1
    upload.status, upload.applied_at = UploadStatus.APPLIED, timezone.now()
    upload.save(update_fields=["status", "applied_at"])
    return saved


@transaction.atomic
def value_upload_discard(*, user, upload: ValueUpload) -> ValueUpload:
    """Throw a previewed upload away without saving anything."""
    if upload.uploaded_by_id != user.pk:
        raise PermissionDenied
    if upload.status == UploadStatus.PENDING:
        upload.status = UploadStatus.DISCARDED
        upload.rows = []
        upload.save(update_fields=["status", "rows"])
    return upload


@transaction.atomic
def values_submit_all(*, user, programme) -> int:
    """Submit every draft of the reporter's administration in the programme; returns how many."""
    from .selectors import own_open_values

    n = 0
    for value in own_open_values(user=user, programme=programme).filter(status=ValueStatus.DRAFT):
        indicator_value_submit(user=user, value=value)
        n += 1
    return n



# --- the reporting calendar (issue #18, part 4) ----------------------------------------------------------------
@transaction.atomic
def reporting_calendar_set(*, user, indicator: Indicator, period_type: str, first_period_start: date,
                           due_days: int, escalate_after_days: int) -> ReportingCalendar:
    """A coordinator sets (or changes) when an indicator's owner administration must report it."""
    if not user.has_perm("indicators.approve_values") or (
            not user.is_superuser and indicator.programme.municipality_id != user.municipality_id):
        raise PermissionDenied(_("Only a coordinator can set the reporting calendar."))
    calendar = ReportingCalendar.objects.select_for_update().filter(indicator=indicator).first() \
        or ReportingCalendar(indicator=indicator)
    calendar.period_type, calendar.first_period_start = period_type, first_period_start
    calendar.due_days, calendar.escalate_after_days = due_days, escalate_after_days
    calendar.full_clean()
    calendar.save()
    return calendar


def _reminder_mail(*, level: str, items: list[dict]) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        if level == ReminderLevel.OWNER:
            subject = _("Sikker By: %(count)s indicator values are overdue") % {"count": len(items)}
            intro = _("These indicator values of your administration were due and are not yet reported. "
                      "Open Sikker By, Indicators, to enter and submit them.")
        else:
            subject = _("Sikker By: %(count)s indicator values are still missing after a reminder") % {
                "count": len(items)}
            intro = _("The owner administrations were reminded of these indicator values, and they are still "
                      "not reported. See Sikker By, Indicators, Reporting calendar.")
        lines = [_("- Indicator %(number)s (%(administration)s), %(period)s: due %(due)s") % {
            "number": item["indicator"].number, "administration": item["administration"].code,
            "period": item["period"]["period"], "due": item["period"]["due"].strftime("%d.%m.%Y")}
            for item in items]
    return subject, intro + "\n\n" + "\n".join(lines)


@transaction.atomic
def reporting_reminders_send(*, on: date, municipality: int | None = None) -> list[ReportingReminder]:
    """Remind the owners of every overdue indicator value, and escalate those still missing after the grace period.

    One ``ReportingReminder`` row per (indicator, period, level), ever: a re-run on the same or a later day
    sends nothing already sent (the unique constraint backs the check). Each recipient gets one e-mail per
    level listing all their items. Works across municipalities; every recipient belongs to the indicator's.
    """
    from .selectors import reporting_reminders_due

    created, by_user = [], defaultdict(list)
    for item in reporting_reminders_due(on=on, municipality=municipality):
        reminder = ReportingReminder.objects.create(
            indicator=item["indicator"], administration=item["administration"],
            period_type=item["calendar"].period_type, period_start=item["period"]["start"], level=item["level"],
            due_date=item["period"]["due"], sent_on=on)
        reminder.recipients.set(item["recipients"])
        created.append(reminder)
        for user in item["recipients"]:
            by_user[(user.pk, item["level"])].append((user, item))
    for (_pk, level), pairs in by_user.items():
        subject, body = _reminder_mail(level=level, items=[item for _user, item in pairs])
        send_mail(subject, body, None, [pairs[0][0].email])
    return created
