"""Writes for SSP single cases: the meeting calendar, concerns, what each meeting decided, and retention.

Every write validates (``full_clean``) inside ``transaction.atomic``. Every write to a concern — and every
read of one, in the views — appends a row to the exit programme's access log through
``exitprogram.services.access_log_record``: one audit trail for the personal data of young people, which a
data-subject request (by CPR hash) answers from whole. ``what`` names the part, never the content.
"""
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from exitprogram import cpr as cprlib
from exitprogram import services as exit_services
from exitprogram.models import AccessLog, EntryChannel
from operations.locking import version_bump

from . import selectors
from .models import (
    AgendaItem,
    ClosureOutcome,
    Concern,
    ConcernSource,
    ConcernStatus,
    MeetingSeries,
    MeetingStatus,
    SingleCaseMeeting,
)

DEFAULT_HORIZON_DAYS = 182  # a new series gets half a year of meetings; ``meetings_extend`` adds more


def audit(*, user, concern: Concern, action: str, what: str) -> AccessLog:
    """One access-log row about one concern (the exit programme's log; the concern reads like a case to it)."""
    return exit_services.access_log_record(user=user, action=action, what=what, case=concern)


def audit_list(*, user, concerns, what: str) -> None:
    """One access-log row per concern shown on a page (one query for the page)."""
    exit_services.access_logs_record_list(user=user, cases=concerns, what=what)


def _no_cpr(field: str, value: str) -> None:
    if cprlib.looks_like_cpr(value):
        raise ValidationError({field: _("This text is not encrypted: it must not contain a CPR number.")})


# --- the calendar ----------------------------------------------------------------------------------------
@transaction.atomic
def series_create(*, actor, name: str, start_date: date, interval_days: int = 14, police_unit: str = "",
                  horizon_days: int = DEFAULT_HORIZON_DAYS, is_demo: bool = False) -> MeetingSeries:
    """Start a series of single-case meetings in the actor's municipality and generate its first meetings."""
    _no_cpr("police_unit", police_unit)
    series = MeetingSeries(municipality_id=actor.municipality_id, name=name, start_date=start_date,
                           interval_days=interval_days, police_unit=police_unit, created_by=actor,
                           is_demo=is_demo)
    series.full_clean()
    series.save()
    meetings_extend(series=series, until=start_date + timedelta(days=horizon_days))
    return series


@transaction.atomic
def meetings_extend(*, series: MeetingSeries, until: date) -> int:
    """Generate the series' meetings every ``interval_days`` up to ``until`` (idempotent); returns how many."""
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    number = (series.meetings.aggregate(n=Max("number"))["n"] or 0) + 1
    new = []
    while (day := series.start_date + timedelta(days=series.interval_days * (number - 1))) <= until:
        new.append(SingleCaseMeeting(series=series, number=number, scheduled_on=day, held_on=day))
        number += 1
    SingleCaseMeeting.objects.bulk_create(new)
    return len(new)


def _locked(meeting: SingleCaseMeeting, expected_version) -> SingleCaseMeeting:
    """The meeting, locked for this transaction, moved to its next version if ``expected_version`` is still the
    current one (``StaleWrite`` otherwise: a colleague changed it after the form was opened). ``None`` skips the
    check (the demo loader, not a form)."""
    meeting = SingleCaseMeeting.objects.select_for_update().get(pk=meeting.pk)
    if expected_version is None:
        meeting.version += 1
    else:
        version_bump(SingleCaseMeeting, meeting, expected_version)
    return meeting


@transaction.atomic
def meeting_move(*, actor, meeting: SingleCaseMeeting, new_date: date, reason: str,
                 expected_version=None) -> SingleCaseMeeting:
    """Move a planned meeting to another date, between its neighbours in the series (the agenda follows it)."""
    meeting = _locked(meeting, expected_version)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError({"new_date": _("Only a planned meeting can be moved.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is moved.")})
    _no_cpr("reason", reason)
    siblings = SingleCaseMeeting.objects.filter(series=meeting.series).exclude(pk=meeting.pk)
    before = siblings.filter(number__lt=meeting.number).order_by("-number").first()
    after = siblings.filter(number__gt=meeting.number).order_by("number").first()
    if (before and new_date <= before.held_on) or (after and new_date >= after.held_on):
        raise ValidationError({"new_date": _("The new date must fall between the previous and the next meeting.")})
    meeting.held_on = new_date
    meeting.move_reason = reason[:200]
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_hold(*, actor, meeting: SingleCaseMeeting, ssp_participants, police_participants: str,
                 expected_version=None) -> SingleCaseMeeting:
    """Record who took part (SSP consultants as users, police officers as text) and mark the meeting held."""
    meeting = _locked(meeting, expected_version)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    if meeting.held_on > timezone.localdate():
        raise ValidationError(_("A meeting in the future cannot be recorded as held."))
    _no_cpr("police_participants", police_participants or "")
    meeting.police_participants = (police_participants or "").strip()
    meeting.status = MeetingStatus.HELD
    meeting.full_clean()
    meeting.save()
    meeting.ssp_participants.set(ssp_participants)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: SingleCaseMeeting, reason: str, expected_version=None) -> SingleCaseMeeting:
    """Cancel a planned meeting, with the reason. Nothing is recorded at it; its open concerns are on the next
    meeting's agenda, as any open concern is. ``meeting_reinstate`` undoes it."""
    meeting = _locked(meeting, expected_version)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError({"reason": _("Only a planned meeting can be cancelled.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    _no_cpr("reason", reason)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason[:200]
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_reinstate(*, actor, meeting: SingleCaseMeeting, expected_version=None) -> SingleCaseMeeting:
    """A cancelled meeting is planned again (on its date; the reason for cancelling is cleared)."""
    meeting = _locked(meeting, expected_version)
    if meeting.status != MeetingStatus.CANCELLED:
        raise ValidationError(_("Only a cancelled meeting can be reinstated."))
    meeting.status = MeetingStatus.PLANNED
    meeting.cancel_reason = ""
    meeting.full_clean()
    meeting.save()
    return meeting


# --- concerns --------------------------------------------------------------------------------------------
@transaction.atomic
def concern_create(*, actor, series: MeetingSeries, source: str, registered_on: date, first_name: str,
                   last_name: str, description: str, cpr: str = "", age: int | None = None,
                   is_fictional: bool = False) -> Concern:
    """Register a concern about a young person brought by the police or SSP; it is on every agenda until closed.

    The CPR number is optional (the police may know only a name and an age); given, it is validated, hashed for
    look-up and gives the age.
    """
    if series.municipality_id != actor.municipality_id:
        raise PermissionDenied
    cpr = cprlib.normalise(cpr or "")
    hashed = ""
    if cpr:
        cprlib.validate_cpr(cpr)
        hashed = cprlib.cpr_hash(cpr)
        age = cprlib.age_on(cpr, registered_on)
    if age is None:
        raise ValidationError({"age": _("Give the age, or the CPR number.")})
    if registered_on and registered_on > timezone.localdate():
        raise ValidationError({"registered_on": _("The registration date cannot be in the future.")})
    concern = Concern(reference=f"tmp-{timezone.now().timestamp()}"[:20], municipality_id=actor.municipality_id,
                      series=series, first_name=first_name, last_name=last_name, cpr=cpr or None,
                      cpr_hash=hashed, age=age, description=description, source=source,
                      registered_on=registered_on, registered_by=actor, is_fictional=is_fictional)
    concern.full_clean(exclude=["reference"])
    concern.save()
    concern.reference = f"SSP-{registered_on.year}-{'D' if is_fictional else ''}{concern.pk:05d}"
    Concern.objects.filter(pk=concern.pk).update(reference=concern.reference)
    audit(user=actor, concern=concern, action=AccessLog.Action.CREATE, what="ssp concern")
    return concern


def _close(concern: Concern, *, on: date, outcome: str) -> None:
    concern.status = ConcernStatus.CLOSED
    concern.closed_on = on
    concern.closure_outcome = outcome


@transaction.atomic
def item_record(*, actor, meeting: SingleCaseMeeting, concern: Concern, action: str, owner: str,
                decision: str = "", owner_name: str = "", deadline: date | None = None,
                closes_concern: bool = False, closure_outcome: str = "") -> AgendaItem:
    """Record (or correct) what a meeting decided about a concern; closing it takes it off later agendas.

    A meeting whose first item is recorded counts as held. A concern stays open — and on the next meeting's
    agenda with this item in its history — until an item closes it.
    """
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.anonymised_at:
        raise PermissionDenied
    errors = {}
    if concern.series_id != meeting.series_id:
        errors["action"] = _("The concern belongs to another meeting series.")
    if meeting.status == MeetingStatus.CANCELLED:
        errors["action"] = _("The meeting is cancelled.")
    if meeting.held_on > timezone.localdate():
        errors["action"] = _("The meeting has not taken place yet.")
    if concern.registered_on > meeting.held_on:
        errors["action"] = _("The concern was registered after this meeting.")
    existing = AgendaItem.objects.filter(meeting=meeting, concern=concern).first()
    if concern.status == ConcernStatus.CLOSED and not (existing and existing.closes_concern):
        errors["action"] = _("The concern is closed.")
    if AgendaItem.objects.filter(concern=concern, meeting__held_on__gt=meeting.held_on).exists():
        errors["action"] = _("A later meeting has already handled this concern.")
    if closes_concern and not closure_outcome:
        errors["closure_outcome"] = _("Choose the outcome when the concern is closed.")
    if deadline and deadline < meeting.held_on:
        errors["deadline"] = _("The deadline cannot be before the meeting.")
    _no_cpr("owner_name", owner_name or "")
    if errors:
        raise ValidationError(errors)
    item = existing or AgendaItem(meeting=meeting, concern=concern)
    item.decision, item.action, item.owner, item.owner_name = decision, action, owner, (owner_name or "").strip()
    item.deadline, item.closes_concern, item.recorded_by = deadline, closes_concern, actor
    item.full_clean()
    item.save()
    if closes_concern:
        _close(concern, on=meeting.held_on, outcome=closure_outcome)
    elif concern.status == ConcernStatus.CLOSED:  # the meeting's closing item corrected to "keep open"
        concern.status, concern.closed_on, concern.closure_outcome = ConcernStatus.OPEN, None, ""
    concern.full_clean()
    concern.save()
    if meeting.status == MeetingStatus.PLANNED:
        SingleCaseMeeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
        meeting.status = MeetingStatus.HELD
    audit(user=actor, concern=concern, action=AccessLog.Action.UPDATE,
          what="ssp meeting decision" + (" (closed)" if closes_concern else ""))
    return item


@transaction.atomic
def concern_convert_to_exit(*, actor, concern: Concern, track: str, crime_level: str, cpr: str = "",
                            age_override_reason: str = "", referral_date: date | None = None):
    """Refer the young person to the exit programme without retyping: the exit programme's own
    ``case_create`` makes the case from the concern's name and CPR number (the actor, an SSP consultant,
    becomes its responsible consultant), the concern is linked to it and closed as referred."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.anonymised_at or concern.exit_case_id:
        raise ValidationError(_("The concern is already referred or anonymised."))
    if concern.status != ConcernStatus.OPEN:
        raise ValidationError(_("The concern is closed."))
    cpr = cprlib.normalise(concern.cpr or cpr or "")
    if not cpr:
        raise ValidationError({"cpr": _("The exit programme needs the CPR number.")})
    referral_date = referral_date or timezone.localdate()
    channel = EntryChannel.POLICE if concern.source == ConcernSource.POLICE else EntryChannel.LOCAL_SSP
    case = exit_services.case_create(
        actor=actor, cpr=cpr, first_name=concern.first_name or "", last_name=concern.last_name or "",
        referral_date=referral_date, entry_channel=channel, track=track, crime_level=crime_level,
        age_override_reason=age_override_reason, is_fictional=concern.is_fictional)
    if not concern.cpr:
        concern.cpr, concern.cpr_hash = cpr, cprlib.cpr_hash(cpr)
    concern.exit_case = case
    _close(concern, on=max(referral_date, concern.registered_on), outcome=ClosureOutcome.EXIT_PROGRAMME)
    concern.full_clean()
    concern.save()
    audit(user=actor, concern=concern, action=AccessLog.Action.UPDATE,
          what=f"ssp concern referred to exit programme ({case.reference})")
    return case


# --- retention ---------------------------------------------------------------------------------------------
@transaction.atomic
def concern_anonymise(*, concern_id: int, actor=None) -> Concern:
    """Erase the personal data of a concern (names, CPR and its hash, description, decisions, owner names),
    keeping the plain columns the counts need. The access-log row keeps the subject hash."""
    concern = Concern.objects.select_for_update().get(pk=concern_id)
    if concern.anonymised_at:
        return concern
    subject = concern.cpr_hash
    concern.first_name = concern.last_name = concern.cpr = concern.description = ""
    concern.cpr_hash = ""
    concern.anonymised_at = timezone.now()
    concern.save()
    for item in concern.items.all():
        item.decision, item.owner_name = "", ""
        item.save()
    exit_services.access_log_record(user=actor, action=AccessLog.Action.ANONYMISE,
                                    what="retention: ssp concern erased", purpose=exit_services.PURPOSE_RETENTION,
                                    case=concern, subject_hash=subject)
    return concern


def concerns_anonymise_due(*, as_of: date | None = None) -> int:
    """The retention rule: anonymise concerns closed ``SSP_CONCERN_ANONYMISE_AFTER_DAYS`` or more days ago."""
    as_of = as_of or timezone.localdate()
    keep = getattr(settings, "SSP_CONCERN_ANONYMISE_AFTER_DAYS", 365)
    ids = list(selectors.concerns_due_for_anonymisation(as_of=as_of, keep_days=keep).values_list("pk", flat=True))
    for pk in ids:
        concern_anonymise(concern_id=pk)
    return len(ids)
