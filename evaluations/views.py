"""Pages of the evaluations app: thin — parse input, call a service or selector, render."""
from auditlog.signals import accessed
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from indicators.measures import GoalStatus, measure_goal
from initiatives.models import EffectGoal
from operations import locking

from . import selectors, services
from .exports import evaluations_workbook
from .filters import ClosureReportFilterSet, EvaluationFilterSet
from .forms import (
    ClosureReportForm,
    EvaluationForm,
    EvaluationRoundForm,
    MonitoringReportForm,
    PrioritisationForm,
    PrioritisationRoundForm,
    ReopenForm,
    ReviewForm,
)
from .models import ANSWER_FIELDS, REQUIRED_ON_SUBMIT, Evaluation, EvaluationStatus, PrioritisationRound

use_required = permission_required("evaluations.use", raise_exception=True)
PENDING_KEY = "evaluations.pending_input"
CONFLICT_MESSAGE = gettext_lazy(
    "A colleague saved this evaluation after you opened it. Nothing of yours is saved yet: their answers "
    "are shown beside yours, and your input is kept in the form. Save again to replace their answers "
    "with yours.")
AUTOSAVE_CONFLICT_MESSAGE = gettext_lazy(
    "Not saved automatically: a colleague saved this evaluation after you opened it. Their answers are "
    "shown below beside yours; your text is still in the form. Press “Save draft” to keep yours.")
MAX_PENDING_CHARS = 20000

# Evaluations per page of a round.
ROUND_PAGE_SIZE = 100


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


# --- start page and rounds ------------------------------------------------------
@login_required
@use_required
def index(request):
    rounds = list(selectors.rounds_visible_to(request.user).order_by("-year"))
    mine = []
    if roles.is_admin_reporter(request.user):
        mine = list(selectors.evaluations_visible_to(request.user)
                    .exclude(status__in=[EvaluationStatus.SUBMITTED, EvaluationStatus.ACCEPTED])
                    .select_related("initiative", "round").order_by("round__deadline", "initiative__name"))
    return render(request, "evaluations/index.html", {
        "rounds": rounds, "mine": mine,
        "prioritisation_rounds": selectors.prioritisation_rounds_visible_to(request.user).order_by("-deadline"),
        "is_coordinator": roles.is_coordinator(request.user),
    })


@login_required
@permission_required("evaluations.manage_rounds", raise_exception=True)
def round_create(request):
    programme = selectors.programmes_visible_to(request.user).order_by("-start_year").first()
    if programme is None:
        raise Http404
    form = EvaluationRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_round = services.evaluation_round_open(programme=programme, user=request.user,
                                                              **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The round is open: %(n)s evaluations were created.")
                             % {"n": evaluation_round.evaluations.count()})
            return redirect("evaluations:round_detail", pk=evaluation_round.pk)
    return render(request, "evaluations/round_form.html", {"form": form, "programme": programme},
                  status=400 if form.errors else 200)


@login_required
@use_required
def round_detail(request, pk: int):
    evaluation_round = _get(selectors.rounds_visible_to(request.user), pk)
    evaluations = selectors.evaluation_list(user=request.user, evaluation_round=evaluation_round)
    filterset = EvaluationFilterSet(request.GET or None, queryset=evaluations, programme=evaluation_round.programme)
    for name in ("round", "year"):  # the page is one round already
        filterset.form.fields.pop(name)
    # One page of the round's evaluations (the completion tables are grouped in the database over all).
    page = Paginator(filterset.qs, ROUND_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "evaluations/round_detail.html", {
        "round": evaluation_round, "filterset": filterset, "rows": list(page.object_list), "page": page,
        "query": query.urlencode(),
        "by_administration": selectors.completion_by_administration(evaluations=evaluations),
        "by_focus_area": selectors.completion_by_focus_area(evaluations=evaluations),
        "statuses": EvaluationStatus.choices,
        "reminder_dates": services.reminder_dates(evaluation_round.deadline),
        "unreachable": selectors.reminders_unreachable(evaluations=evaluations, evaluation_round=evaluation_round),
        "today": timezone.localdate(),
    })


@login_required
@use_required
def round_export(request, pk: int):
    evaluation_round = _get(selectors.rounds_visible_to(request.user), pk)
    evaluations = selectors.evaluation_list(user=request.user, evaluation_round=evaluation_round)
    content = evaluations_workbook(evaluations=evaluations, evaluation_round=evaluation_round)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="selvevaluering-{evaluation_round.year}.xlsx"'
    return response


# --- one evaluation -------------------------------------------------------------
@login_required
@use_required
def evaluation_detail(request, pk: int):
    try:
        evaluation = selectors.evaluation_detail(user=request.user, pk=pk)
    except Evaluation.DoesNotExist as exc:
        raise Http404 from exc
    accessed.send(sender=Evaluation, instance=evaluation)
    return _render_detail(request, evaluation)


def _render_detail(request, evaluation, *, review_form=None, status=200):
    return render(request, "evaluations/evaluation_detail.html", {
        "evaluation": evaluation, "form": EvaluationForm(instance=evaluation),
        "events": selectors.event_history(evaluation=evaluation), "review_form": review_form or ReviewForm(),
        "return_event": selectors.latest_return(evaluation=evaluation),
        "answers": selectors.answer_rows(evaluation=evaluation),
        "can_edit": request.user.has_perm("evaluations.edit_evaluation", evaluation),
        "can_review": request.user.has_perm("evaluations.review_evaluation", evaluation),
    }, status=status)


def evaluation_edit(request, pk: int):
    """Fill in an evaluation: "Save draft" never checks required answers; "Submit" checks them per field.

    Drafts are also saved by htmx while the reporter types (``evaluation_autosave``).
    When the session has expired, a POST is kept in the new session and saved
    as a draft as soon as the same reporter has logged in again.
    """
    if not request.user.is_authenticated:
        if request.method == "POST":
            request.session[PENDING_KEY] = {
                "pk": pk, "data": {k: request.POST.get(k, "")[:MAX_PENDING_CHARS]
                                   for k in (*ANSWER_FIELDS, "lock_version") if k in request.POST}}
        return redirect_to_login(reverse("evaluations:evaluation_edit", args=[pk]))
    if not request.user.has_perm("evaluations.use"):
        raise PermissionDenied
    evaluation = _get(selectors.evaluations_visible_to(request.user)
                      .select_related("round__programme", "initiative", "administration"), pk)
    if not request.user.has_perm("evaluations.edit_evaluation", evaluation):
        request.session.pop(PENDING_KEY, None)
        return redirect("evaluations:evaluation_detail", pk=pk)
    accessed.send(sender=Evaluation, instance=evaluation)

    pending = request.session.pop(PENDING_KEY, None)
    conflict = []
    if request.method == "GET" and pending and pending.get("pk") == pk:
        form = EvaluationForm(pending["data"], instance=evaluation)
        form.is_valid()
        data, unparsed = form.parsed_and_unparsed()
        try:
            evaluation = services.evaluation_save_draft(evaluation=evaluation, user=request.user, data=data,
                                                        unparsed=unparsed, expected_version=form.based_on_version())
        except locking.StaleWrite as exc:
            conflict = locking.form_take_conflict(form, exc, CONFLICT_MESSAGE, field="lock_version")
            return _render_form(request, evaluation, form, conflict=conflict, status=409)
        messages.info(request, _("Your session had expired. What you typed has been saved as a draft; "
                                 "check it and continue."))
        return redirect("evaluations:evaluation_edit", pk=pk)

    status = 200
    if request.method == "POST":
        form = EvaluationForm(request.POST, instance=evaluation)
        form.is_valid()
        data, unparsed = form.parsed_and_unparsed()
        try:
            evaluation = services.evaluation_save_draft(evaluation=evaluation, user=request.user, data=data,
                                                        unparsed=unparsed, expected_version=form.based_on_version())
        except locking.StaleWrite as exc:
            # Nothing is saved and nothing is submitted: the reporter sees the colleague's answers
            # beside their own, and saving again replaces them deliberately.
            form = EvaluationForm(request.POST, instance=Evaluation.objects.get(pk=pk))
            form.is_valid()
            conflict = locking.form_take_conflict(form, exc, CONFLICT_MESSAGE, field="lock_version")
            return _render_form(request, exc.current, form, conflict=conflict, status=409)
        _form_at_version(form, evaluation.lock_version)
        if "submit" in request.POST:
            try:
                services.evaluation_submit(evaluation=evaluation, user=request.user)
            except ValidationError as exc:
                form = _form_with_errors(evaluation, request.POST, exc.message_dict)
                messages.warning(request, _("The draft is saved, but it cannot be submitted yet: "
                                          "see the answers marked below."))
                status = 400
            else:
                messages.success(request, _("The evaluation is submitted to the coordinator."))
                return redirect("evaluations:evaluation_detail", pk=pk)
        elif unparsed:
            messages.warning(request, _("The draft is saved. Some answers are not valid yet: see below."))
            status = 400
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("evaluations:evaluation_edit", pk=pk)
    else:
        form = _form_for(evaluation)
    return _render_form(request, evaluation, form, status=status)


def _render_form(request, evaluation, form, *, conflict=None, status=200):
    return render(request, "evaluations/evaluation_form.html", {
        "evaluation": evaluation, "form": form, "required_fields": REQUIRED_ON_SUBMIT,
        "events": selectors.event_history(evaluation=evaluation), "conflict_rows": conflict or [],
        "return_event": selectors.latest_return(evaluation=evaluation),
    }, status=status)


def _form_at_version(form, version: int) -> None:
    """A form shown again after its draft was saved is based on the version just saved, not the one it was opened on."""
    if form.is_bound:
        data = form.data.copy()
        data[form.add_prefix("lock_version")] = str(version)
        form.data = data


def _form_for(evaluation: Evaluation) -> EvaluationForm:
    """The form for a saved draft; answers that did not parse are shown as typed, with their error."""
    if not evaluation.unsaved_input:
        return EvaluationForm(instance=evaluation)
    data = {"lock_version": evaluation.lock_version}
    for name in ANSWER_FIELDS:
        value = evaluation.unsaved_input.get(name, getattr(evaluation, name))
        data[name] = "" if value is None else value
    form = EvaluationForm(data, instance=evaluation)
    form.is_valid()
    return form


def _form_with_errors(evaluation, post, errors: dict) -> EvaluationForm:
    form = EvaluationForm(post, instance=Evaluation.objects.get(pk=evaluation.pk))
    _form_at_version(form, evaluation.lock_version)
    form.is_valid()
    for name, msgs in errors.items():
        if name in form.errors:
            continue  # the form's own parse error says it already
        for msg in msgs:
            form.add_error(name if name in form.fields else None, msg)
    return form


@require_POST
def evaluation_autosave(request, pk: int):
    """htmx: save the draft as the reporter types; answers a status line (401 when the session expired)."""
    if not request.user.is_authenticated:
        return HttpResponse(_("Your session has expired. Nothing on this page is lost: press "
                              "“Save draft”, log in, and your text is saved."), status=401)
    evaluation = _get(selectors.evaluations_visible_to(request.user), pk)
    if not request.user.has_perm("evaluations.edit_evaluation", evaluation):
        return HttpResponse(_("This evaluation can no longer be changed."), status=403)
    form = EvaluationForm(request.POST, instance=evaluation)
    form.is_valid()
    data, unparsed = form.parsed_and_unparsed()
    try:
        saved = services.evaluation_save_draft(evaluation=evaluation, user=request.user, data=data,
                                               unparsed=unparsed, expected_version=form.based_on_version())
    except locking.StaleWrite as exc:
        # Reported on the page (autosave.js swaps 409 answers); the hidden version is left as it was,
        # so every later autosave is refused too until the reporter saves deliberately.
        conflict = locking.form_take_conflict(form, exc, AUTOSAVE_CONFLICT_MESSAGE, field="lock_version")
        return render(request, "evaluations/partials/autosave_conflict.html", {
            "message": AUTOSAVE_CONFLICT_MESSAGE, "conflict_rows": conflict, "current": exc.current}, status=409)
    when = timezone.localtime().strftime("%H:%M:%S")
    return render(request, "evaluations/partials/autosave_saved.html", {
        "message": _("Draft saved automatically at %(time)s.") % {"time": when}, "version": saved.lock_version})


@login_required
@use_required
@require_POST
def evaluation_review(request, pk: int):
    evaluation = _get(selectors.evaluations_visible_to(request.user), pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    action = "return" if "return" in request.POST else "accept"
    try:
        services.evaluation_review(evaluation=evaluation, user=request.user, action=action,
                                   comment=form.cleaned_data.get("comment", ""))
    except services.StatusChanged as exc:
        messages.warning(request, str(exc))
        evaluation.refresh_from_db()
        return _render_detail(request, evaluation, status=409)
    except ValidationError as exc:
        for msg in exc.message_dict.get("comment", []):
            form.add_error("comment", msg)
        return _render_detail(request, evaluation, review_form=form, status=400)
    messages.success(request, _("The evaluation is accepted.") if action == "accept"
                     else _("The evaluation is returned to the administration with your comment."))
    return redirect("evaluations:round_detail", pk=evaluation.round_id)


# --- monitoring reports ------------------------------------------------------------
@login_required
@use_required
def monitoring_list(request):
    reports = selectors.monitoring_report_list(user=request.user)
    form = None
    if roles.is_admin_reporter(request.user):
        initiatives = selectors.initiatives_reportable_by(request.user)
        form = MonitoringReportForm(request.POST or None, initiatives=initiatives,
                                    initial={"reported_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                services.monitoring_report_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The monitoring report is filed."))
                return redirect("evaluations:monitoring_list")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "evaluations/monitoring_list.html", {"reports": reports, "form": form},
                  status=400 if form is not None and form.errors else 200)


# --- prioritisation -------------------------------------------------------------------
@login_required
@permission_required("evaluations.manage_rounds", raise_exception=True)
def prioritisation_round_create(request):
    programme = selectors.programmes_visible_to(request.user).order_by("-start_year").first()
    if programme is None:
        raise Http404
    form = PrioritisationRoundForm(request.POST or None, initial={"budget_year": programme.start_year})
    if request.method == "POST" and form.is_valid():
        obj = services.prioritisation_round_open(programme=programme, user=request.user, **form.cleaned_data)
        return redirect("evaluations:prioritisation_round_detail", pk=obj.pk)
    return render(request, "evaluations/prioritisation_round_form.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
@use_required
def prioritisation_round_detail(request, pk: int):
    prioritisation_round = _get(selectors.prioritisation_rounds_visible_to(request.user), pk)
    columns = selectors.prioritisation_overview(user=request.user, prioritisation_round=prioritisation_round)
    missing = []
    if roles.is_coordinator(request.user):
        missing = selectors.prioritisation_missing(
            prioritisation_round=prioritisation_round,
            submitted_codes=[c["prioritisation"].administration.code for c in columns])
    return render(request, "evaluations/prioritisation_round_detail.html", {
        "round": prioritisation_round, "columns": columns, "missing": missing,
        "can_prioritise": request.user.has_perm("evaluations.prioritise"),
    })


@login_required
@permission_required("evaluations.prioritise", raise_exception=True)
def prioritisation_edit(request, pk: int):
    prioritisation_round: PrioritisationRound = _get(selectors.prioritisation_rounds_visible_to(request.user), pk)
    administration = request.user.administration
    initiatives = list(selectors.initiatives_for_round(programme=prioritisation_round.programme,
                                                       year=prioritisation_round.budget_year)
                       .filter(administration=administration))
    existing = selectors.prioritisations_visible_to(request.user).filter(
        round=prioritisation_round, administration=administration).prefetch_related("entries").first()
    initial_entries = {e.initiative_id: e for e in existing.entries.all()} if existing else {}
    form = PrioritisationForm(request.POST or None, initiatives=initiatives, initial_entries=initial_entries)
    low, high = services.prioritisation_bounds(len(initiatives))
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.prioritisation_submit(prioritisation_round=prioritisation_round,
                                               administration=administration, user=request.user,
                                               entries=form.entries())
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Your administration's ranking is saved."))
            return redirect("evaluations:prioritisation_round_detail", pk=pk)
    budgets = selectors.initiative_budgets(initiative_ids=[i.pk for i in initiatives],
                                           year=prioritisation_round.budget_year)
    return render(request, "evaluations/prioritisation_form.html", {
        "round": prioritisation_round, "form": form, "errors": errors, "low": low, "high": high,
        "rows": [(*row, budgets.get(row[0].pk)) for row in form.rows()],
    }, status=400 if errors or form.errors else 200)


# --- closures (effect goal 4) ---------------------------------------------------------
@login_required
@permission_required("evaluations.report_closure", raise_exception=True)
def closure_list(request):
    closures = selectors.closure_list(user=request.user)
    filterset = ClosureReportFilterSet(request.GET or None, queryset=closures,
                                       municipality_id=request.user.municipality_id)
    goals = []
    for programme in selectors.programmes_visible_to(request.user):
        for goal in EffectGoal.objects.filter(programme=programme, measure="institution_closures"):
            measurement = measure_goal(goal)
            goals.append((goal, measurement, GoalStatus(measurement.status).label))
    return render(request, "evaluations/closure_list.html", {
        "filterset": filterset, "closures": list(filterset.qs),
        "table": selectors.closures_per_year_and_area(closures=filterset.qs), "goals": goals,
    })


@login_required
@permission_required("evaluations.report_closure", raise_exception=True)
@require_POST
def closure_reopen(request, pk: int):
    """Record the reopening date of a closure shown on the closures page."""
    report = _get(selectors.closures_visible_to(request.user), pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.closure_report_reopen(report=report, user=request.user, closed_to=form.cleaned_data["closed_to"])
        except ValidationError as exc:
            messages.warning(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The reopening date is recorded."))
    else:
        messages.warning(request, _("Give the date the institution reopened."))
    return redirect("evaluations:closure_list")


@login_required
@permission_required("evaluations.report_closure", raise_exception=True)
def closure_create(request):
    form = ClosureReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_report_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The closure is reported."))
            return redirect("evaluations:closure_list")
    return render(request, "evaluations/closure_form.html", {"form": form}, status=400 if form.errors else 200)

