"""Writes for self-evaluations, monitoring reports, prioritisations and closure reports.

Every write is keyword-only, checks the user's right through the ``rules``
permissions, validates with ``full_clean`` and runs in one transaction.

The evaluation workflow is a small explicit transition table
(``TRANSITIONS``): each action names the statuses it may start from, the
status it leads to and the permission it needs; every step is recorded as an
``EvaluationEvent`` (who, when, comment, and on submit a snapshot of all answers).
"""
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from initiatives.models import Administration, Initiative
from operations import locking

from . import selectors
from .models import (
    PREFILL_FIELDS,
    REQUIRED_ON_SUBMIT,
    ClosureReport,
    Evaluation,
    EvaluationEvent,
    EvaluationEventKind,
    EvaluationReminder,
    EvaluationRound,
    EvaluationStatus,
    MonitoringReport,
    Prioritisation,
    PrioritisationEntry,
    PrioritisationRound,
    Ranking,
    ReminderKind,
)

S = EvaluationStatus


class TransitionNotAllowed(PermissionDenied):
    """The user may not take this step from the evaluation's current status."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str | None  # None: stays (not started becomes draft)
    permission: str
    event: str


TRANSITIONS = {
    "save": Transition(frozenset({S.NOT_STARTED, S.DRAFT, S.RETURNED}), None,
                       "evaluations.edit_evaluation", EvaluationEventKind.SAVED),
    "submit": Transition(frozenset({S.NOT_STARTED, S.DRAFT, S.RETURNED}), S.SUBMITTED,
                         "evaluations.edit_evaluation", EvaluationEventKind.SUBMITTED),
    "accept": Transition(frozenset({S.SUBMITTED}), S.ACCEPTED,
                         "evaluations.review_evaluation", EvaluationEventKind.ACCEPTED),
    "return": Transition(frozenset({S.SUBMITTED}), S.RETURNED,
                         "evaluations.review_evaluation", EvaluationEventKind.RETURNED),
}


class StatusChanged(TransitionNotAllowed):
    """The evaluation left the status this step starts from while the user looked at it (a lost race).

    Still a refusal (a ``TransitionNotAllowed``), but its message says what
    happened instead, e.g. "already accepted by … at …", and the page answers
    409 with it: the person who lost the race is told the truth, not "access denied".
    """


def _status_changed(evaluation: Evaluation) -> StatusChanged:
    last = (EvaluationEvent.objects.filter(evaluation=evaluation).exclude(kind=EvaluationEventKind.SAVED)
            .select_related("actor").order_by("-at", "-id").first())
    if last is None or last.to_status != evaluation.status:
        return StatusChanged(_("This evaluation is no longer awaiting review: it is now %(status)s.")
                             % {"status": evaluation.get_status_display()})
    who = (last.actor.get_full_name() or last.actor.username) if last.actor else _("the system")
    return StatusChanged(_("This evaluation is already %(status)s by %(who)s at %(when)s: nothing was changed.")
                         % {"status": evaluation.get_status_display(), "who": who,
                            "when": timezone.localtime(last.at).strftime("%d.%m.%Y %H:%M")})


def _check(action: str, *, evaluation: Evaluation, user) -> Transition:
    transition = TRANSITIONS[action]
    if evaluation.status not in transition.sources or not user.has_perm(transition.permission, evaluation):
        raise TransitionNotAllowed(
            _("You may not take this step while the evaluation is %(status)s.")
            % {"status": evaluation.get_status_display()})
    return transition


def _record(*, evaluation, user, kind, from_status, comment="", snapshot=None) -> EvaluationEvent:
    return EvaluationEvent.objects.create(
        evaluation=evaluation, kind=kind, from_status=from_status, to_status=evaluation.status,
        version=evaluation.version, comment=comment, snapshot=snapshot, actor=user)


# --- rounds -----------------------------------------------------------------
@transaction.atomic
def evaluation_round_open(*, programme, year: int, deadline: date, user, title: str = "",
                          is_demo: bool = False) -> EvaluationRound:
    """Open a round for a year: every initiative running that year gets exactly one evaluation.

    Answers that rarely change (purpose, target group, area, methods,
    anchoring, the indicators used) are prefilled from the initiative's
    latest evaluation in an earlier round.
    """
    if not user.has_perm("evaluations.manage_rounds") or not selectors.programmes_visible_to(user).filter(
            pk=programme.pk).exists():
        raise PermissionDenied(_("Only the programme's coordinators can open a round."))
    evaluation_round = EvaluationRound(programme=programme, year=year, deadline=deadline, title=title,
                                       opened_by=user, is_demo=is_demo)
    evaluation_round.full_clean()
    evaluation_round.save()
    initiatives = list(selectors.initiatives_for_round(programme=programme, year=year))
    previous = selectors.latest_evaluations_before(programme=programme, year=year,
                                                   initiative_ids=[i.pk for i in initiatives])
    rows = []
    for ini in initiatives:
        ev = Evaluation(round=evaluation_round, initiative=ini, administration_id=ini.administration_id)
        last = previous.get(ini.pk)
        if last is not None:
            ev.prefilled_from = last
            for name in PREFILL_FIELDS:
                setattr(ev, name, getattr(last, name))
        rows.append(ev)
    Evaluation.objects.bulk_create(rows)
    return evaluation_round


# --- the evaluation workflow ------------------------------------------------
@transaction.atomic
def evaluation_save_draft(*, evaluation: Evaluation, user, data: dict, unparsed: dict | None = None,
                          expected_version=None) -> Evaluation:
    """Save whatever the reporter has typed; never checks required answers.

    ``data`` holds the values that parsed; ``unparsed`` holds the raw text of
    fields that did not (kept in ``unsaved_input`` and shown again, so nothing
    typed is lost). Only answer fields are written.

    ``expected_version`` is the ``lock_version`` the reporter's form was opened
    on (the page always sends it; ``None`` skips the check, for the demo loader).
    When a colleague has saved since, ``StaleWrite`` is raised with the
    evaluation as they left it, and nothing is written.
    """
    evaluation = Evaluation.objects.select_for_update().select_related("round__programme").get(pk=evaluation.pk)
    transition = _check("save", evaluation=evaluation, user=user)
    if expected_version is not None:
        try:
            stale = locking.expected(expected_version) != evaluation.lock_version
        except locking.StaleWrite:
            stale = True
        if stale:
            raise locking.StaleWrite(current=evaluation)
    evaluation.lock_version += 1
    from_status = evaluation.status
    for name, value in data.items():
        if name in selectors.ANSWER_FIELD_SET:
            setattr(evaluation, name, value)
    evaluation.unsaved_input = {k: str(v) for k, v in (unparsed or {}).items() if k in selectors.ANSWER_FIELD_SET}
    if evaluation.status == S.NOT_STARTED:
        evaluation.status = S.DRAFT
    evaluation.updated_by = user
    try:
        evaluation.full_clean(exclude=["round", "initiative", "administration"])
    except ValidationError as exc:
        # A draft keeps even an inconsistent pair (e.g. a period ending before it
        # starts) as typed text; the submit check reports it.
        for name in exc.message_dict:
            if name in selectors.ANSWER_FIELD_SET:
                evaluation.unsaved_input[name] = str(getattr(evaluation, name) or "")
                setattr(evaluation, name, None)
    evaluation.save()
    _record(evaluation=evaluation, user=user, kind=transition.event, from_status=from_status)
    return evaluation


def evaluation_missing_answers(evaluation: Evaluation) -> dict[str, list[str]]:
    """Per field, why the evaluation cannot be submitted yet (empty when it can)."""
    errors: dict[str, list[str]] = {}
    for name in REQUIRED_ON_SUBMIT:
        if name in (evaluation.unsaved_input or {}):
            continue  # reported below as not valid, not as missing
        value = getattr(evaluation, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.setdefault(name, []).append(_("This answer is required before you submit."))
    for name in evaluation.unsaved_input or {}:
        errors.setdefault(name, []).append(_("This answer is not valid yet; correct it before you submit."))
    if not any(getattr(evaluation, f"{code}_score") for code in selectors.DIMENSION_CODES):
        errors.setdefault("education_score", []).append(
            _("Score at least one of the five dimensions that applies to the initiative."))
    for code in selectors.DIMENSION_CODES:
        if getattr(evaluation, f"{code}_score") and not getattr(evaluation, f"{code}_indicator").strip():
            errors.setdefault(f"{code}_indicator", []).append(_("Name the indicator behind this score."))
    return errors


@transaction.atomic
def evaluation_submit(*, evaluation: Evaluation, user) -> Evaluation:
    """Submit a complete evaluation for review; raises ``ValidationError`` naming every missing answer."""
    evaluation = Evaluation.objects.select_for_update().select_related("round__programme").get(pk=evaluation.pk)
    transition = _check("submit", evaluation=evaluation, user=user)
    errors = evaluation_missing_answers(evaluation)
    if errors:
        raise ValidationError(errors)
    from_status = evaluation.status
    evaluation.status = transition.target
    evaluation.version += 1
    evaluation.submitted_at = timezone.now()
    evaluation.updated_by = user
    evaluation.full_clean(exclude=["round", "initiative", "administration"])
    evaluation.save()
    _record(evaluation=evaluation, user=user, kind=transition.event, from_status=from_status,
            snapshot=evaluation.answers())
    return evaluation


@transaction.atomic
def evaluation_review(*, evaluation: Evaluation, user, action: str, comment: str = "") -> Evaluation:
    """The coordinator accepts (``action="accept"``) or returns (``"return"``, comment required) a submission.

    Raises ``StatusChanged`` when another reviewer decided first (the row lock
    makes the second one wait, then find the new status).
    """
    if action not in ("accept", "return"):
        raise ValueError(action)
    evaluation = Evaluation.objects.select_for_update().select_related("round__programme").get(pk=evaluation.pk)
    if (evaluation.status not in TRANSITIONS[action].sources and roles.is_coordinator(user)
            and evaluation.round.programme.municipality_id == user.municipality_id):
        # The reviewer may review; another reviewer (or the reporter) got there first.
        raise _status_changed(evaluation)
    transition = _check(action, evaluation=evaluation, user=user)
    comment = (comment or "").strip()
    if action == "return" and not comment:
        raise ValidationError({"comment": [_("Say what must be changed when you return an evaluation.")]})
    from_status = evaluation.status
    evaluation.status = transition.target
    evaluation.save(update_fields=["status", "updated_at"])
    _record(evaluation=evaluation, user=user, kind=transition.event, from_status=from_status, comment=comment)
    return evaluation


# --- reminders ----------------------------------------------------------------
@transaction.atomic
def evaluation_reminders_send(*, on: date) -> list[EvaluationReminder]:
    """E-mail every reporter whose administration has unfinished evaluations, on the reminder days.

    Reminder days: ``selectors.reminder_days_before()`` before the deadline (14 and 3),
    the day after the deadline and then weekly while anything is overdue. A
    reporter gets at most one e-mail per round per day, however often this runs.
    """
    sent = []
    for item in selectors.evaluation_reminder_recipients(on=on):
        evaluation_round, user = item["round"], item["user"]
        with translation.override(settings.LANGUAGE_CODE):
            if item["kind"] == ReminderKind.BEFORE:
                subject = _("Sikker By: %(count)s self-evaluations due on %(deadline)s") % {
                    "count": item["outstanding"], "deadline": evaluation_round.deadline.strftime("%d.%m.%Y")}
            else:
                subject = _("Sikker By: %(count)s self-evaluations are overdue (deadline %(deadline)s)") % {
                    "count": item["outstanding"], "deadline": evaluation_round.deadline.strftime("%d.%m.%Y")}
            body = _(
                "%(round)s: %(count)s self-evaluations of %(administration)s are not yet submitted. "
                "The deadline is %(deadline)s. Open Sikker By, Self-evaluations, to fill them in."
            ) % {"round": evaluation_round, "count": item["outstanding"], "administration": item["administration"],
                 "deadline": evaluation_round.deadline.strftime("%d.%m.%Y")}
            body += "\n\n" + "\n".join(f"- {name}" for name in item["initiatives"])
        send_mail(subject, body, None, [user.email])
        sent.append(EvaluationReminder.objects.create(
            round=evaluation_round, recipient=user, sent_on=on, kind=item["kind"], outstanding=item["outstanding"]))
    return sent


# --- monitoring reports --------------------------------------------------------
@transaction.atomic
def monitoring_report_create(*, user, initiative: Initiative, reported_on: date, progress: str, risks: str,
                             anchoring: str, proposed_changes: str = "") -> MonitoringReport:
    """File an ongoing monitoring report for one of the reporter's own initiatives."""
    if not (roles.is_admin_reporter(user) and initiative.administration_id == user.administration_id
            and initiative.programme.municipality_id == user.municipality_id):
        raise PermissionDenied(_("You can only report on your own administration's initiatives."))
    report = MonitoringReport(initiative=initiative, administration_id=initiative.administration_id,
                              reported_on=reported_on, progress=progress, risks=risks, anchoring=anchoring,
                              proposed_changes=proposed_changes, created_by=user)
    report.full_clean()
    report.save()
    return report


# --- prioritisation (annex 5) ------------------------------------------------
def prioritisation_bounds(initiative_count: int) -> tuple[int, int]:
    """How many initiatives each list must name: 3–6, fewer when the administration has too few.

    Annex 5 asks for 3–6 most and 3–6 least effective initiatives; an
    administration with fewer than six initiatives cannot name three of each
    without repeating one, so its minimum is half its initiatives (KFF has two
    in 2010: one of each).
    """
    low = min(3, initiative_count // 2)
    return low, min(6, max(initiative_count - low, 0))


@transaction.atomic
def prioritisation_round_open(*, programme, title: str, budget_year: int, deadline: date, user,
                              is_demo: bool = False) -> PrioritisationRound:
    """Open a prioritisation round (annex 5) for a programme."""
    if not user.has_perm("evaluations.manage_rounds") or not selectors.programmes_visible_to(user).filter(
            pk=programme.pk).exists():
        raise PermissionDenied(_("Only the programme's coordinators can open a round."))
    obj = PrioritisationRound(programme=programme, title=title, budget_year=budget_year, deadline=deadline,
                              opened_by=user, is_demo=is_demo)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def prioritisation_submit(*, prioritisation_round: PrioritisationRound, administration: Administration, user,
                          entries: list[dict]) -> Prioritisation:
    """Replace an administration's ranking with ``entries`` ({initiative_id, ranking, rank, reason}).

    Checks the counts (``prioritisation_bounds``), that each initiative is the
    administration's own and appears once, and that each has a reason; raises
    ``ValidationError`` listing every problem, and then writes nothing.
    """
    if not (roles.is_admin_reporter(user) and user.administration_id == administration.pk) \
            or prioritisation_round.programme.municipality_id != user.municipality_id:
        raise PermissionDenied(_("Only the administration's own reporters can submit its ranking."))
    own = dict(selectors.initiatives_for_round(programme=prioritisation_round.programme,
                                               year=prioritisation_round.budget_year)
               .filter(administration=administration).values_list("pk", "name"))
    low, high = prioritisation_bounds(len(own))
    errors: list[str] = []
    seen: set[int] = set()
    by_ranking: dict[str, list[dict]] = {Ranking.MOST: [], Ranking.LEAST: []}
    for entry in entries:
        ini_id = entry.get("initiative_id")
        if ini_id not in own:
            errors.append(_("An initiative that is not one of %(admin)s's initiatives was chosen.")
                          % {"admin": administration.code})
            continue
        if ini_id in seen:
            errors.append(_("“%(name)s” is named more than once; each initiative may appear once.")
                          % {"name": own[ini_id]})
            continue
        seen.add(ini_id)
        if entry.get("ranking") not in by_ranking:
            errors.append(_("Choose most or least effective for “%(name)s”.") % {"name": own[ini_id]})
            continue
        if not (entry.get("reason") or "").strip():
            errors.append(_("Give the reason for “%(name)s”.") % {"name": own[ini_id]})
        by_ranking[entry["ranking"]].append(entry)
    labels = {Ranking.MOST: _("most effective"), Ranking.LEAST: _("least effective")}
    for ranking, items in by_ranking.items():
        if not low <= len(items) <= high:
            errors.append(_("Name between %(low)s and %(high)s %(label)s initiatives (you named %(n)s).")
                          % {"low": low, "high": high, "label": labels[ranking], "n": len(items)})
    if errors:
        raise ValidationError(errors)
    prioritisation, _created = Prioritisation.objects.update_or_create(
        round=prioritisation_round, administration=administration, defaults={"submitted_by": user})
    prioritisation.entries.all().delete()
    rows = []
    for ranking, items in by_ranking.items():
        items.sort(key=lambda e: (e.get("rank") or 99))
        for rank, entry in enumerate(items, start=1):
            row = PrioritisationEntry(prioritisation=prioritisation, initiative_id=entry["initiative_id"],
                                      ranking=ranking, rank=rank, reason=entry["reason"].strip())
            row.full_clean(exclude=["prioritisation"], validate_unique=False, validate_constraints=False)
            rows.append(row)
    PrioritisationEntry.objects.bulk_create(rows)
    return prioritisation


# --- closures (effect goal 4) -----------------------------------------------
@transaction.atomic
def closure_report_create(*, user, administration: Administration, institution: str, closed_from: date,
                          services_affected: str, reason: str, actions_taken: str, extent: str = "full",
                          closed_to: date | None = None, area=None, area_text: str = "",
                          is_demo: bool = False) -> ClosureReport:
    """Record that an institution or service closed because of unrest or crisis in an area."""
    if not user.has_perm("evaluations.report_closure") or not selectors.administrations_for_closures(user).filter(
            pk=administration.pk).exists():
        raise PermissionDenied(_("You cannot report closures for this administration."))
    if area is not None and area.municipality_id != user.municipality_id:
        raise ValidationError({"area": [_("Choose an area of your own municipality.")]})
    report = ClosureReport(administration=administration, institution=institution, closed_from=closed_from,
                           closed_to=closed_to, services_affected=services_affected, reason=reason,
                           actions_taken=actions_taken, extent=extent, area=area, area_text=area_text,
                           reported_by=user, is_demo=is_demo)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def closure_report_reopen(*, report: ClosureReport, user, closed_to: date) -> ClosureReport:
    """Record the date a closed institution or service reopened (the report's "closed to").

    The administration's reporters, the person who reported it and coordinators may do it.
    """
    report = ClosureReport.objects.select_for_update().select_related("administration").get(pk=report.pk)
    allowed = report.administration.municipality_id == user.municipality_id and (
        roles.is_coordinator(user) or report.reported_by_id == user.pk
        or (roles.is_admin_reporter(user) and report.administration_id == user.administration_id))
    if not allowed:
        raise PermissionDenied(_("You cannot change this closure report."))
    report.closed_to = closed_to
    report.full_clean()
    report.save(update_fields=["closed_to"])
    return report


def reminder_dates(deadline: date) -> list[date]:
    """The days before the deadline on which reminders go out (for the round page)."""
    return [deadline - timedelta(days=d) for d in selectors.reminder_days_before()]
