"""Pages of safety walks: thin — parse input, call a service or selector, render.

Every object is looked up through the selectors (the user's municipality; another municipality's id is a 404),
and every write needs ``safetywalks.manage``. URLs carry ids only.
"""
import csv
import io
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from sikkerby.spreadsheets import csv_cell

from . import exports, selectors, services
from .filters import ActionFilterSet, SafetyWalkFilterSet
from .forms import ActionForm, ActionStatusForm, FindingForm, OrganisationForm, SafetyWalkForm
from .maps import walk_map
from .models import ActionStatus, FindingKind, SafetyWalk

view_required = permission_required("safetywalks.view", raise_exception=True)
manage_required = permission_required("safetywalks.manage", raise_exception=True)
PAGE_SIZE = 50


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


def _query(request) -> str:
    """The list's filters without the page, for the pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@view_required
def walk_list(request):
    filterset = SafetyWalkFilterSet(request.GET or None, queryset=selectors.walk_list(user=request.user),
                                    request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "safetywalks/walk_list.html", {
        "filterset": filterset, "page_obj": page, "walks": page.object_list, "query": _query(request),
        "can_manage": request.user.has_perm("safetywalks.manage")})


def _walk_form_page(request, form, *, walk=None, status=200):
    area = form.instance.area if walk is not None else None
    if form.is_bound and form.is_valid():
        area = form.cleaned_data["area"]
    if area is None:
        area = form.fields["area"].queryset.filter(level="city").first() or form.fields["area"].queryset.first()
    route = walk.route_points if walk is not None and not form.is_bound else []
    return render(request, "safetywalks/walk_form.html", {
        "form": form, "walk": walk, "map": walk_map(area=area, route_points=route)}, status=status)


@login_required
@manage_required
def walk_create(request):
    form = SafetyWalkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            walk = services.walk_create(
                user=request.user, area=data["area"], housing_area=data["housing_area"], date=data["date"],
                leader=data["leader"], organisations=list(data["organisations"]),
                route=services.route_geojson(data["route_text"]), notes=data["notes"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The safety walk is planned."))
            return redirect("safetywalks:walk_detail", pk=walk.pk)
    return _walk_form_page(request, form, status=400 if form.errors else 200)


@login_required
@manage_required
def walk_edit(request, pk: int):
    walk = _get(selectors.walks_visible_to(request.user).select_related("area"), pk)
    form = SafetyWalkForm(request.POST or None, instance=walk, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.walk_update(
                user=request.user, walk=walk, area=data["area"], housing_area=data["housing_area"],
                date=data["date"], leader=data["leader"], organisations=list(data["organisations"]),
                route=services.route_geojson(data["route_text"]), notes=data["notes"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The safety walk is saved."))
            return redirect("safetywalks:walk_detail", pk=walk.pk)
    return _walk_form_page(request, form, walk=walk, status=400 if form.errors else 200)


def _walk_context(request, pk: int) -> dict:
    try:
        walk = selectors.walk_detail(user=request.user, pk=pk)
    except SafetyWalk.DoesNotExist as exc:
        raise Http404 from exc
    findings = list(walk.findings.all())
    today = timezone.localdate()
    for number, f in enumerate(findings, start=1):
        f.number = number
        for a in f.actions.all():
            a.overdue = a.is_overdue(today)
    return {"walk": walk, "findings": findings, "today": today,
            "unsafe_count": sum(f.kind == FindingKind.UNSAFE for f in findings),
            "safe_count": sum(f.kind == FindingKind.SAFE for f in findings),
            "map": walk_map(area=walk.area, route_points=walk.route_points, findings=findings),
            "can_manage": request.user.has_perm("safetywalks.manage")}


@login_required
@view_required
def walk_detail(request, pk: int):
    return render(request, "safetywalks/walk_detail.html", _walk_context(request, pk))


@login_required
@view_required
def walk_report(request, pk: int):
    """The walk's report to the housing association: one page that prints well."""
    return render(request, "safetywalks/walk_report.html", _walk_context(request, pk))


@login_required
@view_required
def walk_csv(request, pk: int):
    """The walk's findings and their actions as CSV (a row per action; a finding without one gets one row)."""
    context = _walk_context(request, pk)
    walk = context["walk"]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([_("Number"), _("Safe or unsafe"), _("Category"), _("Latitude"), _("Longitude"),
                     _("Description"), _("Proposed action"), _("Action"), _("Responsible organisation"),
                     _("Deadline"), _("Status"), _("Done on"), pgettext("action deadline", "Overdue"), _("Demo data")])
    for f in context["findings"]:
        base = [f.number, f.get_kind_display(), f.get_category_display(), f.latitude, f.longitude, f.description,
                f.proposed_action]
        actions = list(f.actions.all()) or [None]
        for a in actions:
            tail = ["", "", "", "", "", ""] if a is None else [
                a.description, a.responsible.name, a.deadline.isoformat(), a.get_status_display(),
                a.done_on.isoformat() if a.done_on else "", _("yes") if a.overdue else _("no")]
            writer.writerow([csv_cell(str(v)) for v in (*base, *tail, _("yes") if walk.is_demo else _("no"))])
    response = HttpResponse(buf.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tryghedsvandring-{walk.pk}-{walk.date:%Y%m%d}.csv"'
    return response


@login_required
@manage_required
def finding_create(request, pk: int):
    walk = _get(selectors.walks_visible_to(request.user).select_related("area"), pk)
    form = FindingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_create(user=request.user, walk=walk, kind=data["kind"], category=data["category"],
                                    latitude=data["latitude"], longitude=data["longitude"],
                                    description=data["description"], proposed_action=data["proposed_action"],
                                    photo=data.get("photo") or None)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The finding is recorded."))
            return redirect("safetywalks:walk_detail", pk=walk.pk)
    findings = list(selectors.findings_visible_to(request.user).filter(walk=walk).order_by("id"))
    return render(request, "safetywalks/finding_form.html", {
        "form": form, "walk": walk,
        "map": walk_map(area=walk.area, route_points=walk.route_points, findings=findings),
    }, status=400 if form.errors else 200)


@login_required
@view_required
def finding_photo(request, pk: int):
    """A finding's photo, read through the storage API after the same scoping as its walk."""
    finding = _get(selectors.findings_visible_to(request.user), pk)
    if not finding.photo:
        raise Http404
    try:
        handle = finding.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(finding.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@manage_required
def action_create(request, pk: int):
    finding = _get(selectors.findings_visible_to(request.user).select_related("walk"), pk)
    form = ActionForm(request.POST or None, user=request.user, finding=finding)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_create(user=request.user, finding=finding, description=data["description"],
                                   responsible=data["responsible"], deadline=data["deadline"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The action is assigned."))
            return redirect("safetywalks:walk_detail", pk=finding.walk_id)
    return render(request, "safetywalks/action_form.html", {"form": form, "finding": finding},
                  status=400 if form.errors else 200)


@login_required
@view_required
def action_detail(request, pk: int):
    action = _get(selectors.action_list(user=request.user), pk)
    action.overdue = action.is_overdue(timezone.localdate())
    allowed = services.TRANSITIONS.get(action.status, set())
    form = ActionStatusForm()
    form.fields["status"].choices = [(s, label) for s, label in ActionStatus.choices if s in allowed]
    return render(request, "safetywalks/action_detail.html", {
        "action": action, "form": form, "history": selectors.action_history(action=action),
        "can_manage": request.user.has_perm("safetywalks.manage")})


@login_required
@manage_required
@require_POST
def action_status(request, pk: int):
    action = _get(selectors.actions_visible_to(request.user), pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_set_status(user=request.user, action=action, status=form.cleaned_data["status"],
                                       done_on=form.cleaned_data["done_on"], comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            messages.warning(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The action's status is changed."))
    else:
        messages.warning(request, _("Choose the new status."))
    return redirect("safetywalks:action_detail", pk=action.pk)


def _filtered_actions(request):
    """The action list's filter and its rows: unfiltered, what is left to do; a status filter shows done ones too."""
    filterset = ActionFilterSet(request.GET or None, queryset=selectors.action_list(user=request.user),
                                request=request)
    rows = filterset.qs if request.GET.get("status") else filterset.qs.exclude(status=ActionStatus.DONE)
    return filterset, rows


@login_required
@view_required
def action_list(request):
    """Open actions per area and per organisation, and the list of actions (overdue ones said in words)."""
    today = timezone.localdate()
    filterset, rows = _filtered_actions(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for a in page.object_list:
        a.overdue = a.is_overdue(today)
    return render(request, "safetywalks/action_list.html", {
        "filterset": filterset, "page_obj": page, "actions": page.object_list, "today": today,
        "showing_done": bool(request.GET.get("status")), "query": _query(request),
        "summary": selectors.open_actions_summary(actions=filterset.queryset, today=today)})


@login_required
@view_required
def action_xlsx(request):
    """The action list as a workbook, with the list's filters (``exports.actions_xlsx``)."""
    today = timezone.localdate()
    _filterset, rows = _filtered_actions(request)
    response = HttpResponse(exports.actions_xlsx(rows, today=today),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="tryghedsvandringer-handlinger-{today:%Y%m%d}.xlsx"'
    return response


@login_required
@view_required
def organisation_list(request):
    can_manage = request.user.has_perm("safetywalks.manage")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.organisation_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The organisation is added."))
                return redirect("safetywalks:organisation_list")
    return render(request, "safetywalks/organisation_list.html", {
        "form": form, "can_manage": can_manage,
        "organisations": selectors.organisations_visible_to(request.user).order_by("name"),
    }, status=400 if form.errors else 200)
