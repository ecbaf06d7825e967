"""Indicator pages: the effect-goal and indicator dashboard, an indicator's series and history,
entering and uploading values, and the review (submit / approve) list."""
import csv
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiatives.selectors import programme_current, programmes_visible_to
from operations import uploads
from operations.locking import form_take_conflict
from sikkerby import privacy
from sikkerby.spreadsheets import csv_cell

from . import selectors, services, tokens
from .charts import area_bar_chart, direction_label, time_series_chart
from .filters import ReportingCalendarFilterSet
from .forms import AreaLevelForm, ReportingCalendarForm, TokenForm, UploadForm, ValueForm
from .goals import effect_goal_overview, goal_target_line
from .measures import GoalStatus, measure_rules
from .models import Indicator, UploadStatus, ValueStatus, ValueUpload, period_label


def _programme(request):
    programme = programme_current(user=request.user, slug=request.GET.get("programme"))
    if programme is None:
        raise Http404("No programme")
    return programme


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel opens UTF-8 (æøå) correctly
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([[csv_cell(v) for v in row] for row in rows])
    return response


def status_label(status: str) -> str:
    try:
        return str(GoalStatus(status).label)
    except ValueError:
        return status


@login_required
@permission_required("indicators.view_indicators", raise_exception=True)
def dashboard(request):
    """Every effect goal with its status, and every indicator's city-level series with its target line."""
    programme = _programme(request)
    goals = []
    for item in effect_goal_overview(programme=programme):
        goal, m = item["goal"], item["m"]
        chart = None
        # The target in the value's own unit (never a "2 %" beside counts), the baseline and the target period.
        target = goal_target_line(goal, m)
        if m.series:
            chart = time_series_chart(m.series, title=str(goal), unit=m.unit_for(goal), direction=goal.direction,
                                      target=target, target_label=_("Target: %(target)s") % {
                                          "target": m.target_label} if m.target_label else _("Target"),
                                      baseline=m.baseline, period=m.period)
        goals.append({**item, "chart": chart, "unit": m.unit_for(goal), "direction": direction_label(goal.direction),
                      "target": target,
                      "status_label": status_label(m.status), "json_id": f"goal-chart-{goal.number}-data",
                      "table_id": f"goal-table-{goal.number}"})
    indicators = []
    for item in selectors.indicator_overview(user=request.user, programme=programme):
        ind = item["indicator"]
        chart = None
        if item["series"]:
            chart = time_series_chart([(p["period"], p["value"]) for p in item["series"]],
                                      title=f"{_('Indicator')} {ind.number}", unit=ind.unit,
                                      direction=ind.direction, target=ind.target_value)
        indicators.append({**item, "chart": chart, "direction": direction_label(ind.direction),
                           # the table writes a suppressed value as "<5"; the chart leaves a gap
                           "points": [(p["period"], privacy.SUPPRESSED if p["suppressed"] else p["value"])
                                      for p in item["series"]],
                           "json_id": f"ind-chart-{ind.number}-data", "table_id": f"ind-table-{ind.number}"})
    return render(request, "indicators/dashboard.html", {
        "programme": programme, "programmes": programmes_visible_to(request.user),
        "goals": goals, "indicators": indicators, "overview_periods": selectors.OVERVIEW_PERIODS,
    })


@login_required
@permission_required("indicators.view_indicators", raise_exception=True)
def goal_rules(request):
    """How each effect goal's status is decided, in the coordinator's language: each goal with what it is
    computed from and its measure's rule in plain words (no internal measure names)."""
    programme = _programme(request)
    rules = measure_rules()
    goals = [{"goal": g, "rule": rules.get(g.measure)} for g in programme.effect_goals.order_by("number")]
    return render(request, "indicators/goal_rules.html", {"programme": programme, "goals": goals})


@login_required
@permission_required("indicators.view_indicators", raise_exception=True)
def goal_csv(request, pk: int):
    programme = _programme(request)
    item = next((i for i in effect_goal_overview(programme=programme) if i["goal"].pk == pk), None)
    if item is None:
        raise Http404
    goal, m = item["goal"], item["m"]
    target = goal_target_line(goal, m)
    rows = [[period, "" if value is None else value, "" if target is None else target, m.status]
            for period, value in m.series]
    return _csv_response(f"effect-goal-{goal.number}.csv", ["period", "value", "target", "status"], rows)


@login_required
@permission_required("indicators.view_indicators", raise_exception=True)
def indicator_detail(request, pk: int):
    """One indicator: the city series with target, a breakdown by area, and every revision of every value."""
    try:
        indicator = selectors.indicator_detail(user=request.user, pk=pk)
    except Indicator.DoesNotExist as exc:
        raise Http404 from exc
    level_form = AreaLevelForm(request.GET or None)
    level = level_form.cleaned_data["level"] if level_form.is_valid() else ""
    rows = selectors.indicator_series(user=request.user, indicator=indicator)
    city = [(r["period"], r["value"]) for r in rows if r["area_level"] == "city"]
    chart = time_series_chart(city, title=f"{_('Indicator')} {indicator.number}", unit=indicator.unit,
                              direction=indicator.direction, target=indicator.target_value) if city else None
    breakdown_rows = [r for r in rows if not level or r["area_level"] == level]
    period, by_area = selectors.latest_by_area(breakdown_rows)
    area_chart = area_bar_chart([{"area": r["area"], "value": r["value"]} for r in by_area],
                                title=_("By area, %(period)s") % {"period": period},
                                unit=indicator.unit) if by_area else None
    history = (selectors.value_list(user=request.user).filter(indicator=indicator)
               .order_by("-period_start", "area__level", "area__name", "-revision"))
    return render(request, "indicators/indicator_detail.html", {
        "indicator": indicator, "direction": direction_label(indicator.direction), "chart": chart,
        "city_rows": [r for r in rows if r["area_level"] == "city"], "area_chart": area_chart,
        "by_area": by_area, "by_area_period": period, "level_form": level_form, "history": history,
        "can_enter": request.user.has_perm("indicators.enter_value_for", indicator),
        "suppression_threshold": privacy.threshold(),
    })


@login_required
@permission_required("indicators.view_indicators", raise_exception=True)
def indicator_csv(request, pk: int):
    try:
        indicator = selectors.indicator_detail(user=request.user, pk=pk)
    except Indicator.DoesNotExist as exc:
        raise Http404 from exc
    # a suppressed value is an empty cell with "suppressed" true, as in the API
    rows = [[indicator.number, r["period"], r["area_level"], r["area_code"], r["area"], r["value"],
             "true" if r["suppressed"] else "false", "revised" if r["revised"] else "as published", r["data_basis"]]
            for r in selectors.indicator_series(user=request.user, indicator=indicator)]
    return _csv_response(f"indicator-{indicator.number}.csv",
                         ["indicator", "period", "area_level", "area_code", "area", "value", "suppressed",
                          "revision", "data_basis"], rows)


VALUE_CONFLICT_MESSAGE = gettext_lazy(
    "A colleague saved a draft of this indicator, area and period after you opened the form. Nothing of yours "
    "is saved yet: their draft is shown beside your input. Save again to replace their draft with yours.")


@login_required
@permission_required("indicators.enter_values", raise_exception=True)
def value_entry(request):
    """A reporter enters (or corrects) one value; it is saved as a draft.

    ``?value=<id>`` opens one of the administration's open drafts for editing;
    the form carries its version, so a colleague's later save is never overwritten unseen.
    """
    programme = _programme(request)
    initial = {}
    if request.GET.get("indicator", "").isdigit():
        initial["indicator"] = request.GET["indicator"]
    if request.GET.get("value", "").isdigit():
        draft = selectors.own_open_values(user=request.user, programme=programme).filter(
            pk=request.GET["value"]).first()
        if draft is None:
            raise Http404
        initial.update(indicator=draft.indicator_id, area=draft.area_id, period=draft.period, value=draft.value,
                       source=draft.source, note=draft.note, version=draft.version)
    form = ValueForm(request.POST or None, user=request.user, programme=programme, initial=initial)
    conflict, status = [], 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        period_type, period_start = d["period"]
        try:
            value = services.indicator_value_save(
                user=request.user, indicator=d["indicator"], area=d["area"], period_type=period_type,
                period_start=period_start, value=d["value"], source=d["source"], note=d["note"],
                expected_version=d["version"])
        except services.ValueConflict as exc:
            conflict = form_take_conflict(form, exc, VALUE_CONFLICT_MESSAGE)
            if exc.current is not None and exc.current.status == ValueStatus.APPROVED:
                # The draft this form edited was approved meanwhile: saving again opens a new revision.
                form.data = form.data.copy()
                form.data["version"] = ""
            status = 409
        except PermissionDenied as exc:
            form.add_error("indicator", str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved as a draft (revision %(rev)s). Submit it for approval on the "
                                        "review page.") % {"rev": value.revision})
            return redirect("indicators:review")
    return render(request, "indicators/value_form.html", {"form": form, "programme": programme,
                                                          "conflict_rows": conflict}, status=status)


@login_required
@permission_required("indicators.enter_values", raise_exception=True)
def upload(request):
    """Upload a CSV/Excel file: every row is checked; a file with a bad row saves nothing."""
    programme = _programme(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            uploads.check_size(size=f.size, kind=services.UPLOAD_KIND)  # refused by its size, before reading it
            up = services.value_upload_create(user=request.user, programme=programme, data=f.read(),
                                              filename=f.name)
        except uploads.UploadRefused as exc:
            errors = [(None, exc.messages[0])]
        except services.UploadInvalid as exc:
            errors = exc.errors
        else:
            return redirect("indicators:upload_preview", pk=up.pk)
    return render(request, "indicators/upload.html", {"form": form, "errors": errors, "programme": programme,
                                                      "columns": services.UPLOAD_COLUMNS})


@login_required
@permission_required("indicators.enter_values", raise_exception=True)
def upload_preview(request, pk: int):
    """What the upload will change; the reporter saves it all, or discards it."""
    try:
        up = selectors.upload_for(user=request.user, pk=pk)
    except ValueUpload.DoesNotExist as exc:
        raise Http404 from exc
    errors = []
    if request.method == "POST" and up.status == UploadStatus.PENDING:
        if "discard" in request.POST:
            services.value_upload_discard(user=request.user, upload=up)
            messages.info(request, _("The upload was discarded; nothing was saved."))
            return redirect("indicators:upload")
        try:
            saved = services.value_upload_apply(user=request.user, upload=up)
        except services.UploadInvalid as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(n)s values were saved as drafts.") % {"n": saved})
            return redirect("indicators:review")
    preview = services.value_upload_preview(upload=up) if up.status == UploadStatus.PENDING else []
    counts = {}
    for row in preview:
        counts[row.action] = counts.get(row.action, 0) + 1
    return render(request, "indicators/upload_preview.html", {
        "upload": up, "preview": preview, "counts": counts, "errors": errors})


@login_required
@permission_required("indicators.view_indicators", raise_exception=True)
def review(request):
    """Reporters submit their administration's drafts; coordinators approve or return submitted values."""
    programme = _programme(request)
    is_approver = request.user.has_perm("indicators.approve_values")
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("value") if i.isdigit()]
        action = request.POST.get("action")
        done = 0
        try:
            if action == "submit_all" and request.user.has_perm("indicators.enter_values"):
                done = services.values_submit_all(user=request.user, programme=programme)
            elif action in ("approve", "return") and is_approver:
                service = services.indicator_value_approve if action == "approve" else services.indicator_value_return
                for value in selectors.values_awaiting_approval(user=request.user, programme=programme).filter(
                        pk__in=ids):
                    service(user=request.user, value=value)
                    done += 1
            else:
                raise PermissionDenied
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("%(n)s values updated.") % {"n": done})
        return redirect(f"{request.path}?programme={programme.slug}")
    awaiting = selectors.values_awaiting_approval(user=request.user, programme=programme) if is_approver else None
    own = (selectors.own_open_values(user=request.user, programme=programme)
           if request.user.has_perm("indicators.enter_values") else None)
    own = list(own) if own is not None else None
    return render(request, "indicators/review.html", {
        "programme": programme, "awaiting": awaiting, "own": own, "is_approver": is_approver,
        "has_drafts": any(v.status == ValueStatus.DRAFT for v in own or [])})


@login_required
@permission_required("indicators.approve_values", raise_exception=True)
def api_tokens(request):
    """Coordinators issue and revoke API tokens for their municipality's API clients; a token is shown once."""
    clients = tokens.api_clients_of(request.user)
    form = TokenForm(request.POST or None, clients=clients)
    issued = None
    if request.method == "POST" and "revoke" in request.POST:
        if tokens.api_token_revoke(coordinator=request.user, token_key=request.POST["revoke"][:25]):
            messages.success(request, _("The token was revoked."))
        return redirect("indicators:api_tokens")
    if request.method == "POST" and form.is_valid():
        token, expiry = tokens.api_token_issue(username=form.cleaned_data["user"].username,
                                               ttl=timedelta(days=form.cleaned_data["days"]))
        issued = {"token": token, "expiry": expiry, "user": form.cleaned_data["user"]}
        form = TokenForm(clients=clients)
    response = render(request, "indicators/api_tokens.html", {
        "form": form, "issued": issued, "tokens": tokens.tokens_of(request.user)})
    response["Cache-Control"] = "no-store"  # the page may carry a token shown once
    return response


# --- the reporting calendar (issue #18, part 4) ---------------------------------------------------------------
@login_required
@permission_required("indicators.view_indicators", raise_exception=True)
def reporting(request):
    """Reporting completeness and on-time rate per owner administration and per indicator, and the reminders sent."""
    programme = _programme(request)
    filterset = ReportingCalendarFilterSet(
        request.GET or None, queryset=selectors.reporting_calendar_list(user=request.user, programme=programme))
    today = timezone.localdate()
    rows = selectors.reporting_status(calendars=filterset.qs, today=today)
    reminders = list(selectors.reporting_reminders_visible_to(request.user).filter(indicator__programme=programme)
                     .select_related("indicator", "administration").annotate(recipient_count=Count("recipients"))
                     .order_by("-sent_on", "indicator__number", "period_start", "level")[:REMINDERS_SHOWN])
    return render(request, "indicators/reporting.html", {
        "programme": programme, "programmes": programmes_visible_to(request.user), "filterset": filterset,
        "today": today, "rows": rows, "by_admin": selectors.reporting_by_administration(rows),
        "totals": selectors.reporting_totals(rows), "reminders": reminders, "reminders_shown": REMINDERS_SHOWN,
        "can_edit": request.user.has_perm("indicators.approve_values"),
        "without_calendar": selectors.indicators_without_calendar(user=request.user, programme=programme)
        if request.user.has_perm("indicators.approve_values") else [],
    })


REMINDERS_SHOWN = 50


@login_required
@permission_required("indicators.approve_values", raise_exception=True)
def reporting_calendar_edit(request, pk: int):
    """A coordinator sets when an indicator's owner administration must report it."""
    try:
        indicator = selectors.indicator_detail(user=request.user, pk=pk)
    except Indicator.DoesNotExist as exc:
        raise Http404 from exc
    if indicator.is_computed:
        raise Http404("A computed indicator has no reporting calendar")
    calendar = selectors.reporting_calendars_visible_to(request.user).filter(indicator=indicator).first()
    initial = {"period_type": "year", "first_period": str(timezone.localdate().year), "due_days": 90,
               "escalate_after_days": 30}
    if calendar is not None:
        initial = {"period_type": calendar.period_type,
                   "first_period": period_label(calendar.period_type, calendar.first_period_start),
                   "due_days": calendar.due_days, "escalate_after_days": calendar.escalate_after_days}
    form = ReportingCalendarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reporting_calendar_set(user=request.user, indicator=indicator, period_type=data["period_type"],
                                            first_period_start=data["first_period_start"], due_days=data["due_days"],
                                            escalate_after_days=data["escalate_after_days"])
        except ValidationError as exc:
            for field, errors in getattr(exc, "error_dict", {"__all__": exc.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The reporting calendar of indicator %(number)s is saved.") % {
                "number": indicator.number})
            return redirect(f"{reverse('indicators:reporting')}?programme={indicator.programme.slug}")
    return render(request, "indicators/reporting_calendar_form.html", {
        "indicator": indicator, "calendar": calendar, "form": form})
