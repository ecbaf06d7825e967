"""Exit-case pages. Thin: parse the form, call a service or selector, render.

Every case page goes through ``selectors.case_detail`` (the user's own cases:
anything else is a 404, so a case's existence does not leak) and then the
object permission of the step (403 when the case is visible but the step is
not the user's, e.g. a mentor trying to close it). Views that receive a CPR
number keep it out of error reports (``sensitive_post_parameters``).
"""
import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from initiatives.selectors import programme_current
from operations.locking import form_take_conflict
from sikkerby.spreadsheets import csv_cell

from . import cpr as cprlib
from . import selectors, services
from .filters import ExitCaseFilterSet
from .forms import (
    AccessRequestForm,
    CaseCreateForm,
    CaseEditForm,
    CloseForm,
    DataSubjectExportForm,
    FollowUpForm,
    MeetingForm,
    NoteForm,
    PlanItemForm,
    PoolExpenseForm,
    ReadPurposeForm,
    TransitionForm,
)
from .models import AccessLog, ExitCase, Phase, PlanItem

PAGE_SIZE = 50
CONFLICT_MESSAGE = gettext_lazy("Someone else saved this case after you opened the form. Nothing of yours is saved "
                                "yet: their values are shown beside yours, and your input is kept in the form. "
                                "Save again to replace their values with yours, or cancel.")


def _case(request, uuid, perm: str) -> ExitCase:
    try:
        case = selectors.case_detail(user=request.user, uuid=uuid)
    except (ExitCase.DoesNotExist, ValidationError) as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm, case):
        raise PermissionDenied
    return case


READ_PURPOSE_SESSION_KEY = "exit_read_purpose"


def _read_purpose(request) -> str:
    """The purpose the user chose for their reads in this session (``read_purpose``), else case work."""
    chosen = request.session.get(READ_PURPOSE_SESSION_KEY)
    return chosen if chosen in services.READ_PURPOSES else services.PURPOSE_CASEWORK


def _purpose_form(request) -> ReadPurposeForm:
    return ReadPurposeForm(initial={"purpose": _read_purpose(request), "next": request.get_full_path()})


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)


@login_required
@permission_required("exitprogram.list_cases", raise_exception=True)
def case_list(request, *, due_only: bool = False):
    """'My cases' (filterable) or 'Follow-ups due'."""
    base = selectors.followups_due(user=request.user) if due_only else selectors.case_list(user=request.user)
    filterset = ExitCaseFilterSet(request.GET or None, queryset=base)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    cases = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    services.access_logs_record_list(user=request.user, cases=cases, what="case list",
                                     purpose=_read_purpose(request))
    return render(request, "exitprogram/case_list.html", {
        "purpose_form": _purpose_form(request),
        "filterset": filterset, "cases": cases, "due_only": due_only, "page": page,
        "query": query.urlencode(),
        "due_count": selectors.followups_due(user=request.user).count(),
        "can_create": request.user.has_perm("exitprogram.create_case"),
    })


@login_required
@permission_required("exitprogram.list_cases", raise_exception=True)
def followups(request):
    return case_list(request, due_only=True)


@sensitive_post_parameters("cpr", "first_name", "last_name")
@sensitive_variables("data")
@login_required
@permission_required("exitprogram.create_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_create(request):
    form = CaseCreateForm(request.POST or None, municipality_id=request.user.municipality_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(actor=request.user, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Case %(ref)s registered.") % {"ref": case.reference})
            return redirect("exitprogram:case_detail", uuid=case.uuid)
    return render(request, "exitprogram/case_form.html", {"form": form, "title": _("Register a referral")},
                  status=400 if form.errors else 200)


@login_required
def case_detail(request, uuid):
    case = _case(request, uuid, "exitprogram.view_case")
    services.access_log_record(user=request.user, action=AccessLog.Action.VIEW, what="case page", case=case,
                               purpose=_read_purpose(request))
    timeline = sorted(
        [("transition", t.at.date(), t) for t in case.transitions.all()]
        + [("meeting", m.held_on, m) for m in case.meetings.all()]
        + [("note", n.written_on, n) for n in case.notes.all()]
        + [("pool", p.spent_on, p) for p in case.pool_expenses.all()],
        key=lambda row: (row[1], {"transition": 0, "meeting": 1, "note": 2, "pool": 3}[row[0]]),
    )
    user = request.user
    can_manage = user.has_perm("exitprogram.manage_case", case)
    return render(request, "exitprogram/case_detail.html", {
        "purpose_form": _purpose_form(request),
        "case": case, "timeline": timeline, "phases": Phase.choices,
        "can_work": user.has_perm("exitprogram.work_on_case", case) and case.phase != Phase.CLOSED,
        "can_manage": can_manage,
        "can_note": user.has_perm("exitprogram.note_case", case),
        # A closed case can step back (reopen) until its follow-up is recorded.
        "transition_form": TransitionForm(case=case) if can_manage and not case.followup_done_on else None,
        "pool_total": sum((p.amount_tdkk for p in case.pool_expenses.all()), start=0),
    })


def _case_form_page(request, case, form, title, status=None, conflict=None):
    return render(request, "exitprogram/case_step_form.html", {
        "case": case, "form": form, "title": title, "conflict_rows": conflict or [],
        # The summary counts fields only: a message about the whole form (a conflict) marks no field.
        "field_error_count": sum(1 for name in form.errors if name != NON_FIELD_ERRORS),
    }, status=status or (400 if form.errors else 200))


@sensitive_post_parameters("first_name", "last_name")
@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, uuid):
    case = _case(request, uuid, "exitprogram.manage_case")
    form = CaseEditForm(request.POST or None, instance=case)
    status = conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(actor=request.user, case=case, expected_version=form.cleaned_data["version"],
                                 **form.changed_values())
        except services.CaseConflict as exc:
            conflict = form_take_conflict(form, exc, CONFLICT_MESSAGE)
            status = 409
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The case is saved."))
            return redirect("exitprogram:case_detail", uuid=case.uuid)
    else:
        services.access_log_record(user=request.user, action=AccessLog.Action.VIEW, what="case edit form",
                                   case=case, purpose=_read_purpose(request))
    return _case_form_page(request, case, form, _("Details, screening and baseline"), status, conflict)


@login_required
@require_http_methods(["POST"])
def case_transition(request, uuid):
    case = _case(request, uuid, "exitprogram.manage_case")
    form = TransitionForm(request.POST, case=case)
    status = conflict = None
    if form.is_valid():
        try:
            services.case_transition(actor=request.user, case=case, to_phase=form.cleaned_data["to_phase"],
                                     reason=form.cleaned_data["reason"],
                                     expected_version=form.cleaned_data["version"])
        except services.CaseConflict as exc:
            conflict = form_take_conflict(form, exc, CONFLICT_MESSAGE)
            status = 409
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The case is now in phase: %(phase)s.") % {
                "phase": case.get_phase_display()})
            return redirect("exitprogram:case_detail", uuid=case.uuid)
    return _case_form_page(request, case, form, _("Change phase"), status, conflict)


def _versioned_step(request, case, form, title, call, success):
    status = conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except services.CaseConflict as exc:
            conflict = form_take_conflict(form, exc, CONFLICT_MESSAGE)
            status = 409
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("exitprogram:case_detail", uuid=case.uuid)
    return _case_form_page(request, case, form, title, status, conflict)


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, uuid):
    case = _case(request, uuid, "exitprogram.manage_case")
    form = CloseForm(request.POST or None, initial={"version": case.version, "closed_on": date.today(),
                                                    "evaluated_with_exit_expert": False})
    return _versioned_step(
        request, case, form, _("Close and evaluate"),
        lambda d: services.case_close(actor=request.user, case=case, expected_version=d["version"],
                                      closed_on=d["closed_on"], closure_reason=d["closure_reason"],
                                      evaluation=d["evaluation"],
                                      evaluated_with_exit_expert=d["evaluated_with_exit_expert"]),
        _("The case is closed. The 2-year follow-up falls due two years after the closure date."))


@login_required
@require_http_methods(["GET", "POST"])
def case_followup(request, uuid):
    case = _case(request, uuid, "exitprogram.manage_case")
    form = FollowUpForm(request.POST or None, initial={"version": case.version, "done_on": date.today()})
    return _versioned_step(
        request, case, form, _("2-year follow-up"),
        lambda d: services.case_followup_record(actor=request.user, case=case, expected_version=d["version"],
                                                done_on=d["done_on"], convicted=d["convicted"],
                                                occupation=d["occupation"]),
        _("The 2-year follow-up is recorded."))


def _simple_step(request, case, form, title, call, success):
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("exitprogram:case_detail", uuid=case.uuid)
    return _case_form_page(request, case, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, uuid):
    case = _case(request, uuid, "exitprogram.work_on_case")
    form = MeetingForm(request.POST or None, initial={"held_on": date.today()})
    return _simple_step(request, case, form, _("Needs-assessment meeting"),
                        lambda d: services.meeting_create(actor=request.user, case=case, **d),
                        _("The meeting is recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_create(request, uuid):
    case = _case(request, uuid, "exitprogram.work_on_case")
    form = PlanItemForm(request.POST or None, municipality_id=case.municipality_id)
    return _simple_step(request, case, form, _("Action-plan item"),
                        lambda d: services.plan_item_create(actor=request.user, case=case,
                                                            **{k: v for k, v in d.items() if k != "version"}),
                        _("The action-plan item is added."))


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_edit(request, uuid, item_id: int):
    case = _case(request, uuid, "exitprogram.work_on_case")
    try:
        item = case.plan_items.get(pk=item_id)
    except PlanItem.DoesNotExist as exc:
        raise Http404 from exc
    form = PlanItemForm(request.POST or None, instance=item, municipality_id=case.municipality_id)
    return _versioned_step(
        request, case, form, _("Revise action-plan item"),
        lambda d: services.plan_item_update(actor=request.user, item=item, expected_version=d["version"],
                                            **{k: v for k, v in d.items() if k != "version"}),
        _("The action-plan item is saved."))


@login_required
@require_http_methods(["GET", "POST"])
def note_create(request, uuid):
    case = _case(request, uuid, "exitprogram.note_case")
    form = NoteForm(request.POST or None, initial={"written_on": date.today()})
    return _simple_step(request, case, form, _("Note"),
                        lambda d: services.note_create(actor=request.user, case=case, **d),
                        _("The note is added."))


@login_required
@require_http_methods(["GET", "POST"])
def pool_expense_create(request, uuid):
    case = _case(request, uuid, "exitprogram.work_on_case")
    form = PoolExpenseForm(request.POST or None, municipality_id=case.municipality_id,
                           initial={"spent_on": date.today()})
    return _simple_step(request, case, form, _("Purchase-pool expense"),
                        lambda d: services.pool_expense_create(actor=request.user, case=case, **d),
                        _("The expense is recorded."))


@sensitive_post_parameters("cpr")
@sensitive_variables("cpr")
@login_required
@permission_required("exitprogram.list_cases", raise_exception=True)
@require_http_methods(["POST"])
def case_find(request):
    """Find one of the user's own cases by CPR number (posted; looked up through the keyed hash)."""
    form = AccessRequestForm(request.POST)
    if form.is_valid():
        subject = cprlib.cpr_hash(form.cleaned_data["cpr"])
        case = selectors.case_list(user=request.user).filter(cpr_hash=subject).first()
        services.access_log_record(user=request.user, action=AccessLog.Action.SEARCH, what="search by CPR",
                                   subject_hash=subject, case=case)
        if case:
            return redirect("exitprogram:case_detail", uuid=case.uuid)
        messages.info(request, _("None of your cases has this CPR number."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("cpr", [])))
    return redirect("exitprogram:case_list")


@login_required
@permission_required("exitprogram.list_cases", raise_exception=True)
@require_http_methods(["POST"])
def read_purpose(request):
    """Set the purpose recorded with the user's case reads from now on (the session keeps it)."""
    form = ReadPurposeForm(request.POST)
    if form.is_valid():
        request.session[READ_PURPOSE_SESSION_KEY] = form.cleaned_data["purpose"]
        messages.info(request, _("Your look-ups are now recorded with the purpose: %(purpose)s.") % {
            "purpose": AccessLog.Purpose(form.cleaned_data["purpose"]).label})
    target = form.data.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("exitprogram:case_list")
    return redirect(target)


CITIZEN_COLUMNS = (gettext_lazy("date"), gettext_lazy("organisation"), gettext_lazy("action"),
                   gettext_lazy("purpose"))
INTERNAL_COLUMNS = ("time", "user", "name", "action", "case", "what", "purpose", "reason")


def _access_log_csv(rows, *, copy: str, organisation: str) -> HttpResponse:
    """The CSV answer to a data-subject request: the citizen's copy or the internal one.

    The citizen's copy gives when, which organisation, what kind of access and why — never the employee or
    the case reference (CJEU C-579/21). Both copies have the same header and filename whether or not the
    person has a case, so nothing but the rows differs.
    """
    citizen = copy == DataSubjectExportForm.Copy.CITIZEN
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = "access-log-citizen-copy.csv" if citizen else "access-log-internal.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    if citizen:
        writer.writerow([str(c) for c in CITIZEN_COLUMNS])
        for row in rows:
            org = row.municipality.name if row.municipality_id and row.municipality else organisation
            writer.writerow([csv_cell(v) for v in (
                row.at.date().isoformat(), org, AccessLog.Action(row.action).label,
                AccessLog.Purpose(row.purpose).label if row.purpose in AccessLog.Purpose.values else row.purpose)])
    else:
        writer.writerow(INTERNAL_COLUMNS)
        for row in rows:
            full_name = row.user.get_full_name() if row.user_id and row.user else ""
            writer.writerow([csv_cell(v) for v in (row.at.isoformat(), row.username, full_name, row.action,
                                                    row.case_reference, row.what, row.purpose, row.reason)])
    return response


@sensitive_post_parameters("cpr")
@sensitive_variables("cpr")
@login_required
@permission_required("exitprogram.export_access_log", raise_exception=True)
@require_http_methods(["GET", "POST"])
def access_log_request(request):
    """A data-subject access request (data-protection role only): the person's access-log rows, as CSV."""
    form = DataSubjectExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.access_log_export(actor=request.user, cpr=form.cleaned_data["cpr"],
                                              reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            organisation = request.user.municipality.name if request.user.municipality_id else ""
            return _access_log_csv(rows, copy=form.cleaned_data["copy"], organisation=organisation)
    return render(request, "exitprogram/access_request.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
@permission_required("exitprogram.view_statistics", raise_exception=True)
def statistics(request):
    """Aggregated exit-programme figures and effect goal 2, for coordinators (no personal data)."""
    from indicators.measures import GoalStatus, measure_goal

    programme = programme_current(user=request.user)
    goal = programme.effect_goals.filter(measure="exit_no_conviction_2y").first() if programme else None
    measurement = measure_goal(goal) if goal else None
    municipality_id = request.user.municipality_id
    return render(request, "exitprogram/statistics.html", {
        "stats": selectors.statistics(municipality_id=municipality_id),
        "goal": goal, "measurement": measurement,
        "status_label": GoalStatus(measurement.status).label if measurement else "",
    })
