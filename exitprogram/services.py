"""Writes for the exit programme: every change of a case goes through here.

Each service validates (``full_clean``) inside ``transaction.atomic``, writes
an ``AccessLog`` row, and — for writes to the case row — checks the optimistic
lock (``operations.locking``, shared with the self-evaluations and indicator
values): the caller passes the ``version`` its form was based on, and a
different current version raises ``CaseConflict`` instead of overwriting
someone else's save.

The phase rules (annex 2) live in ``PHASE_REQUIREMENTS`` and
``case_transition``: phases move forward one step at a time, closure goes
through ``case_close``, and a step back needs a reason.
"""
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from operations.locking import StaleWrite, version_bump

from . import cpr as cprlib
from . import selectors
from .models import (
    PHASE_ORDER,
    AccessLog,
    ExitCase,
    Meeting,
    Note,
    Phase,
    PhaseTransition,
    PlanItem,
    PoolExpense,
    Track,
)

PURPOSE_CASEWORK = AccessLog.Purpose.CASE_WORK
PURPOSE_DSAR = AccessLog.Purpose.DATA_SUBJECT_REQUEST
PURPOSE_RETENTION = AccessLog.Purpose.RETENTION
# The purposes a user may give for reading a case (the retention rule is the system's own).
READ_PURPOSES = (AccessLog.Purpose.CASE_WORK, AccessLog.Purpose.FOLLOW_UP, AccessLog.Purpose.SUPERVISION,
                 AccessLog.Purpose.DATA_SUBJECT_REQUEST)


class CaseConflict(StaleWrite):
    """Someone else saved the case (or plan item) after this form was opened."""


# --- audit ---------------------------------------------------------------------
def access_log_record(*, user, action: str, what: str, purpose: str = PURPOSE_CASEWORK,
                      case: ExitCase | None = None, subject_hash: str = "", reason: str = "") -> AccessLog:
    """Append one audit row. ``what`` names the part of the case, never its content.

    The row's municipality is the case's, else the user's: the organisation a citizen's copy names.
    """
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=getattr(user, "username", "") or "system",
        case_uuid=case.uuid if case else None,
        case_reference=case.reference if case else "",
        subject_hash=(case.cpr_hash if case else "") or subject_hash,
        municipality_id=case.municipality_id if case else getattr(user, "municipality_id", None),
        action=action, what=what[:200], purpose=purpose[:200], reason=reason[:300],
    )


def access_logs_record_list(*, user, cases, what: str, purpose: str = PURPOSE_CASEWORK) -> None:
    """One audit row per case shown in a list (one query for the whole page)."""
    AccessLog.objects.bulk_create([
        AccessLog(user=user, username=user.username, case_uuid=c.uuid, case_reference=c.reference,
                  subject_hash=c.cpr_hash, municipality_id=c.municipality_id, action=AccessLog.Action.VIEW,
                  what=what, purpose=purpose)
        for c in cases
    ])


def _bump_version(model, obj, expected_version) -> None:
    """Optimistic lock: move ``obj`` to the next version only if nobody else has."""
    try:
        version_bump(model, obj, expected_version)
    except StaleWrite as exc:
        raise CaseConflict(current=exc.current) from exc


# --- identification --------------------------------------------------------------
BASELINE_FIELDS = ["baseline_economy", "baseline_housing", "baseline_education", "baseline_employment",
                   "baseline_social", "baseline_crime"]
CASE_EDITABLE = {"first_name", "last_name", "referral_date", "entry_channel", "track", "crime_level",
                 "exit_expert", "mentor", "mentor_anchor", "age_override_reason", "baseline_date", *BASELINE_FIELDS}


def _check_duplicate(*, municipality_id, cpr_hash_value, exclude_pk=None):
    qs = ExitCase.objects.filter(municipality_id=municipality_id, cpr_hash=cpr_hash_value,
                                 anonymised_at__isnull=True).exclude(phase=Phase.CLOSED)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    existing = qs.first()
    if existing:
        raise ValidationError({"cpr": _("This person already has an open exit case (%(ref)s). Contact its "
                                        "responsible SSP+ consultant.") % {"ref": existing.reference}})


@transaction.atomic
def case_create(*, actor, cpr: str, first_name: str, last_name: str, referral_date: date, entry_channel: str,
                track: str, crime_level: str, exit_expert=None, mentor=None, mentor_anchor=None,
                age_override_reason: str = "", baseline_date: date | None = None, is_fictional: bool = False,
                **baseline) -> ExitCase:
    """Register a referral (phase 1): the person, the entry channel, the screening and the baseline.

    The actor is the SSP+ consultant who screens the referral and becomes responsible for the case.
    """
    cprlib.validate_cpr(cpr)
    unknown = set(baseline) - set(BASELINE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    cpr = cprlib.normalise(cpr)
    hashed = cprlib.cpr_hash(cpr)
    _check_duplicate(municipality_id=actor.municipality_id, cpr_hash_value=hashed)
    case = ExitCase(
        reference=f"tmp-{timezone.now().timestamp()}"[:20], municipality_id=actor.municipality_id,
        cpr=cpr, cpr_hash=hashed, first_name=first_name, last_name=last_name,
        age_at_referral=cprlib.age_on(cpr, referral_date), age_override_reason=age_override_reason,
        referral_date=referral_date, entry_channel=entry_channel, track=track, crime_level=crime_level,
        ssp_consultant=actor, exit_expert=exit_expert, mentor=mentor, mentor_anchor=mentor_anchor,
        baseline_date=baseline_date, is_fictional=is_fictional, **baseline,
    )
    case.full_clean(exclude=["reference"])
    case.save()
    case.reference = f"EX-{referral_date.year}-{case.pk:05d}"
    ExitCase.objects.filter(pk=case.pk).update(reference=case.reference)
    PhaseTransition.objects.create(case=case, from_phase="", to_phase=Phase.IDENTIFICATION, by=actor,
                                   reason=_("Referral registered"))
    access_log_record(user=actor, action=AccessLog.Action.CREATE, what="case", case=case)
    return case


@transaction.atomic
def case_update(*, actor, case: ExitCase, expected_version, **fields) -> ExitCase:
    """Change the person's details, screening, assignments or baseline of an open case."""
    unknown = set(fields) - CASE_EDITABLE
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    if case.anonymised_at:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(case, name, value)
    if "referral_date" in fields and case.cpr:
        case.age_at_referral = cprlib.age_on(case.cpr, case.referral_date)
    case.full_clean()
    _bump_version(ExitCase, case, expected_version)
    case.save()
    access_log_record(user=actor, action=AccessLog.Action.UPDATE, what="case: " + ", ".join(sorted(fields)),
                      case=case)
    return case


# --- phases --------------------------------------------------------------------
def _missing_for(case: ExitCase, target: str) -> list[str]:
    """What the case lacks before it may enter ``target`` (forward moves only)."""
    missing = []
    if target == Phase.COORDINATION:
        if not case.baseline_date:
            missing.append(_("the baseline date"))
        for name in BASELINE_FIELDS:
            if not (getattr(case, name) or "").strip():
                missing.append(_("the baseline: %(area)s") % {"area": ExitCase._meta.get_field(name).verbose_name})
        if case.track == Track.GANG and not case.exit_expert_id:
            missing.append(_("an exit expert (gang-related case)"))
    elif target == Phase.INCLUSION:
        if not case.meetings.exists():
            missing.append(_("a needs-assessment meeting"))
        if not case.plan_items.exists():
            missing.append(_("at least one action-plan item"))
        if not case.mentor_id:
            missing.append(_("a mentor"))
    return missing


@transaction.atomic
def case_transition(*, actor, case: ExitCase, to_phase: str, reason: str = "", expected_version) -> ExitCase:
    """Move a case one phase forward (with what that phase needs) or back (with a reason).

    Closure is not a transition: it has its own data (``case_close``). A step
    back from closure reopens the case and clears the closure and follow-up.
    """
    if case.anonymised_at:
        raise PermissionDenied
    if to_phase not in PHASE_ORDER:
        raise ValidationError({"to_phase": _("Unknown phase.")})
    here, there = PHASE_ORDER.index(case.phase), PHASE_ORDER.index(to_phase)
    if there == here:
        raise ValidationError({"to_phase": _("The case is already in this phase.")})
    if there > here:
        if there != here + 1:
            raise ValidationError({"to_phase": _("Phases move forward one at a time.")})
        if to_phase == Phase.CLOSED:
            raise ValidationError({"to_phase": _("Close the case with the closure form.")})
        missing = _missing_for(case, to_phase)
        if missing:
            raise ValidationError({"to_phase": _("Before the case can move on it needs: %(list)s.")
                                   % {"list": "; ".join(str(m) for m in missing)}})
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("A step back needs a reason.")})
        if case.phase == Phase.CLOSED:
            if case.followup_done_on:
                raise ValidationError({"to_phase": _("A case whose follow-up is recorded cannot be reopened.")})
            case.closed_on = None
            case.closure_reason = ""
            case.followup_due = None
    _bump_version(ExitCase, case, expected_version)
    from_phase = case.phase
    case.phase = to_phase
    case.save()
    PhaseTransition.objects.create(case=case, from_phase=from_phase, to_phase=to_phase, by=actor, reason=reason)
    access_log_record(user=actor, action=AccessLog.Action.UPDATE, what=f"phase {from_phase} -> {to_phase}",
                      case=case)
    return case


@transaction.atomic
def case_close(*, actor, case: ExitCase, expected_version, closed_on: date, closure_reason: str,
               evaluation: str, evaluated_with_exit_expert: bool = False) -> ExitCase:
    """Close a case in inclusion (phase 4) and evaluate it against the baseline; the follow-up falls due in 2 years."""
    if case.anonymised_at:
        raise PermissionDenied
    errors = {}
    if case.phase != Phase.INCLUSION:
        errors["closed_on"] = _("Only a case in the inclusion phase can be closed.")
    if not closure_reason:
        errors["closure_reason"] = _("Choose the reason for closing.")
    if not (evaluation or "").strip():
        errors["evaluation"] = _("Write the evaluation against the baseline.")
    if case.is_gang_case and not evaluated_with_exit_expert:
        errors["evaluated_with_exit_expert"] = _("A gang-related case is evaluated together with the exit expert.")
    if closed_on and closed_on > date.today():
        errors["closed_on"] = _("The closure date cannot be in the future.")
    if closed_on and case.baseline_date and closed_on < case.baseline_date:
        errors["closed_on"] = _("The closure date cannot be before the baseline date.")
    if errors:
        raise ValidationError(errors)
    case.closed_on = closed_on
    case.closure_reason = closure_reason
    case.evaluation = evaluation
    case.evaluated_with_exit_expert = evaluated_with_exit_expert
    case.followup_due = _two_years_after(closed_on)
    case.full_clean()
    _bump_version(ExitCase, case, expected_version)
    from_phase = case.phase
    case.phase = Phase.CLOSED
    case.save()
    PhaseTransition.objects.create(case=case, from_phase=from_phase, to_phase=Phase.CLOSED, by=actor,
                                   reason=case.get_closure_reason_display())
    access_log_record(user=actor, action=AccessLog.Action.UPDATE, what="closure and evaluation", case=case)
    return case


def _two_years_after(d: date) -> date:
    try:
        return d.replace(year=d.year + 2)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 2, day=28)


@transaction.atomic
def case_followup_record(*, actor, case: ExitCase, expected_version, done_on: date, convicted: bool | None,
                         occupation: str) -> ExitCase:
    """Record the 2-year follow-up of a closed case: convicted of serious or person-dangerous crime, occupation."""
    if case.anonymised_at:
        raise PermissionDenied
    errors = {}
    if case.phase != Phase.CLOSED or not case.followup_due:
        errors["done_on"] = _("Only a closed case has a 2-year follow-up.")
    elif done_on < case.followup_due:
        errors["done_on"] = _("The follow-up covers two years after closure: it can be recorded from %(due)s.") % {
            "due": case.followup_due.isoformat()}
    if done_on and done_on > date.today():
        errors["done_on"] = _("The follow-up date cannot be in the future.")
    if convicted is None:
        errors["convicted"] = _("Say whether the young person was convicted in the period.")
    if not occupation:
        errors["occupation"] = _("Choose the education/employment status.")
    if errors:
        raise ValidationError(errors)
    _bump_version(ExitCase, case, expected_version)
    case.followup_done_on = done_on
    case.convicted_within_2y = convicted
    case.occupation_at_followup = occupation
    case.save()
    access_log_record(user=actor, action=AccessLog.Action.UPDATE, what="2-year follow-up", case=case)
    return case


# --- coordination and inclusion ---------------------------------------------------------
def _require_open(case):
    if case.anonymised_at or case.phase == Phase.CLOSED:
        raise ValidationError(_("The case is closed."))


@transaction.atomic
def meeting_create(*, actor, case: ExitCase, held_on: date, participants: str, **areas) -> Meeting:
    """Record a needs-assessment meeting (phase 2) with its notes on the five life areas."""
    _require_open(case)
    if held_on and held_on < case.referral_date:
        raise ValidationError({"held_on": _("The meeting cannot be before the referral date.")})
    meeting = Meeting(case=case, held_on=held_on, participants=participants, created_by=actor, **areas)
    meeting.full_clean()
    meeting.save()
    access_log_record(user=actor, action=AccessLog.Action.CREATE, what="needs-assessment meeting", case=case)
    return meeting


@transaction.atomic
def plan_item_create(*, actor, case: ExitCase, goal: str, area: str, responsible, deadline: date,
                     status: str = "planned") -> PlanItem:
    """Add a goal to the individual action plan."""
    _require_open(case)
    if deadline and deadline < case.referral_date:
        raise ValidationError({"deadline": _("The deadline cannot be before the referral date.")})
    item = PlanItem(case=case, goal=goal, area=area, responsible=responsible, deadline=deadline, status=status)
    item.full_clean()
    item.save()
    access_log_record(user=actor, action=AccessLog.Action.CREATE, what="action-plan item", case=case)
    return item


@transaction.atomic
def plan_item_update(*, actor, item: PlanItem, expected_version, **fields) -> PlanItem:
    """Revise an action-plan item (goal, responsible, deadline, status), with the optimistic lock."""
    _require_open(item.case)
    for name, value in fields.items():
        if name not in {"goal", "area", "responsible", "deadline", "status"}:
            raise TypeError(name)
        setattr(item, name, value)
    item.full_clean()
    _bump_version(PlanItem, item, expected_version)
    item.save()
    access_log_record(user=actor, action=AccessLog.Action.UPDATE, what="action-plan item", case=item.case)
    return item


@transaction.atomic
def note_create(*, actor, case: ExitCase, written_on: date, text: str, kind: str = Note.Kind.FOLLOW_UP) -> Note:
    """Add a follow-up note or plan revision to a case."""
    if case.anonymised_at:
        raise PermissionDenied
    if written_on and written_on < case.referral_date:
        raise ValidationError({"written_on": _("The note cannot be dated before the referral date.")})
    note = Note(case=case, written_on=written_on, text=text, kind=kind, author=actor)
    note.full_clean()
    note.save()
    access_log_record(user=actor, action=AccessLog.Action.CREATE, what="note", case=case)
    return note


@transaction.atomic
def pool_expense_create(*, actor, case: ExitCase, spent_on: date, category: str, description: str, amount_tdkk,
                        administration, approved_by, price_level_year: int | None = None) -> PoolExpense:
    """Record a purchase from the pool: gang-related cases only, approved by a named person."""
    _require_open(case)
    if case.track != Track.GANG:
        raise ValidationError(_("Only gang-related cases may draw on the purchase pool."))
    expense = PoolExpense(case=case, spent_on=spent_on, category=category, description=description,
                          amount_tdkk=amount_tdkk, administration=administration, approved_by=approved_by,
                          price_level_year=price_level_year or (spent_on.year if spent_on else None))
    expense.full_clean()
    expense.save()
    access_log_record(user=actor, action=AccessLog.Action.CREATE, what="purchase-pool expense", case=case)
    return expense


# --- retention, reminders, access requests ---------------------------------------------
ANONYMISED_TEXT = ""


@transaction.atomic
def case_anonymise(*, case_id: int, actor=None) -> ExitCase:
    """Erase the personal data of a case, keeping the columns the statistics need.

    Names, CPR number and its hash, baseline, evaluation, meeting, plan, note and
    pool texts are blanked; phase, track, channel, age at referral, dates,
    closure reason, follow-up result and pool amounts stay. Access-log rows
    keep the subject hash (the log is the controller's record of processing).
    """
    case = ExitCase.objects.select_for_update().get(pk=case_id)
    if case.anonymised_at:
        return case
    subject = case.cpr_hash
    for name in ["first_name", "last_name", "cpr", "cpr_hash", "evaluation", "age_override_reason",
                 *BASELINE_FIELDS]:
        setattr(case, name, ANONYMISED_TEXT)
    case.anonymised_at = timezone.now()
    case.version += 1
    case.save()
    for meeting in case.meetings.all():
        for name in ["participants", "economy", "housing", "education", "employment", "social"]:
            setattr(meeting, name, ANONYMISED_TEXT)
        meeting.save()
    for item in case.plan_items.all():
        item.goal = ANONYMISED_TEXT
        item.save()
    for note in case.notes.all():
        note.text = ANONYMISED_TEXT
        note.save()
    for expense in case.pool_expenses.all():
        expense.description = ANONYMISED_TEXT
        expense.save()
    for transition in case.transitions.all():
        transition.reason = ANONYMISED_TEXT
        transition.save()
    access_log_record(user=actor, action=AccessLog.Action.ANONYMISE, what="retention: personal data erased",
                      purpose=PURPOSE_RETENTION, case=case, subject_hash=subject)
    return case


def cases_anonymise_due(*, as_of: date | None = None) -> int:
    """The retention rule: anonymise every closed case whose personal data is no longer needed.

    That is a case whose follow-up was recorded ``EXIT_ANONYMISE_AFTER_DAYS`` or
    more days ago, and a case whose 2-year follow-up fell due but was never
    recorded, ``EXIT_ANONYMISE_UNRECORDED_FOLLOWUP_AFTER_DAYS`` after it fell due.
    """
    as_of = as_of or date.today()
    grace = getattr(settings, "EXIT_ANONYMISE_AFTER_DAYS", 90)
    unrecorded = getattr(settings, "EXIT_ANONYMISE_UNRECORDED_FOLLOWUP_AFTER_DAYS", 180)
    ids = list(selectors.cases_due_for_anonymisation(as_of=as_of, grace_days=grace, unrecorded_grace_days=unrecorded)
               .values_list("pk", flat=True))
    for pk in ids:
        case_anonymise(case_id=pk)
    return len(ids)


def access_log_purge(*, now=None, keep_days: int | None = None) -> int:
    """Delete the access-log rows past their retention (``selectors.access_log_due_for_deletion``).

    Run by the database **owner** only (``manage.py access_log_purge``): the
    application's role may not delete audit rows, and on PostgreSQL a trigger
    refuses DELETE from every client, so the owner switches it off for this one
    transaction. Returns how many rows were deleted.
    """
    from django.db import connection

    now = now or timezone.now()
    keep_days = keep_days if keep_days is not None else settings.EXIT_ACCESS_LOG_KEEP_DAYS
    ids = list(selectors.access_log_due_for_deletion(now=now, keep_days=keep_days).values_list("pk", flat=True))
    if not ids:
        return 0
    table = AccessLog._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        postgres = connection.vendor == "postgresql"
        if postgres:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER exitprogram_accesslog_no_update_delete")
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)
        if postgres:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER exitprogram_accesslog_no_update_delete")
    return len(ids)


@transaction.atomic
def followup_reminders_send(*, as_of: date | None = None) -> int:
    """Tell each responsible consultant which of their cases' 2-year follow-ups are due (once per case).

    The e-mail names only case references and the link to the list: no name, no CPR number.
    """
    as_of = as_of or date.today()
    due = list(selectors.cases_due_for_reminder(as_of=as_of).select_related("ssp_consultant")
               .select_for_update(of=("self",)))
    by_consultant: dict = {}
    for case in due:
        by_consultant.setdefault(case.ssp_consultant, []).append(case)
    for consultant, cases in by_consultant.items():
        if consultant.email:
            refs = ", ".join(c.reference for c in cases)
            send_mail(
                subject=_("Sikker By: 2-year follow-ups due"),
                message=_("The 2-year follow-up is due for these exit cases: %(refs)s.\n"
                          "See the list: %(path)s") % {"refs": refs, "path": reverse("exitprogram:followups")},
                from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[consultant.email],
            )
    ExitCase.objects.filter(pk__in=[c.pk for c in due]).update(followup_reminded_on=as_of)
    return len(due)


@transaction.atomic
def access_log_export(*, actor, cpr: str, reason: str) -> list[AccessLog]:
    """Every access-log row about one person in the actor's municipality (a data-subject access request).

    Only the data-protection role may ask (``exitprogram.export_access_log``), and it must say why: the
    request is itself logged, with purpose "data-subject request" and the reason, before the rows are read,
    so the answer includes it. A person the programme never touched gets the same kind of answer — the
    request's own row and nothing else — so the answer's shape does not tell membership.
    """
    if not actor.has_perm("exitprogram.export_access_log"):
        raise PermissionDenied
    cprlib.validate_cpr(cpr)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the access log is exported (e.g. the request's reference).")})
    if cprlib.looks_like_cpr(reason):
        raise ValidationError({"reason": _("The reason must not contain a CPR number.")})
    subject = cprlib.cpr_hash(cpr)
    access_log_record(user=actor, action=AccessLog.Action.EXPORT, what="access log for one person",
                      purpose=PURPOSE_DSAR, subject_hash=subject, reason=reason)
    return list(selectors.access_log_for_subject(subject_hash=subject, municipality_id=actor.municipality_id))
