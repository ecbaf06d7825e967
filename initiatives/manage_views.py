"""The coordinators' manage pages: keep the programme in the app, not in the Django admin.

Each page reads its rows through the selectors (so another municipality's rows
are a 404), writes through ``initiatives.services`` and shows the object's
audit history. Only ``initiatives.manage_programme`` (coordinators) gets in.
"""
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from operations.locking import CONFLICT_MESSAGE, StaleWrite, form_take_conflict
from sikkerby.spreadsheets import write_table

from . import selectors, services
from .forms import BudgetLineForm, DeleteForm, EffectGoalForm, FocusAreaForm, IndicatorForm, InitiativeForm

manage_required = permission_required("initiatives.manage_programme", raise_exception=True)


def _programme(request):
    programme = selectors.programme_current(user=request.user, slug=request.GET.get("programme"))
    if programme is None:
        raise Http404("No programme")
    return programme


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _save(request, form, call, *, success_message, success_url, page):
    """Validate, call the service, and answer: a redirect, the form with errors (400) or a conflict (409).

    ``success_url`` may be a function of what the service returned (a created row's own page).
    """
    status, conflict = None, []
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = call(form)
            except StaleWrite as exc:
                conflict = form_take_conflict(form, exc, CONFLICT_MESSAGE)
                status = 409
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, success_message)
                return redirect(success_url(saved) if callable(success_url) else success_url)
        status = status or 400
    return page(form, conflict, status)


def _form_page(request, template, context, form, conflict, status):
    return render(request, template, {
        **context, "form": form, "conflict_rows": conflict,
        "field_error_count": sum(1 for name in form.errors if name != NON_FIELD_ERRORS),
    }, status=status or 200)


# --- the start page and initiatives --------------------------------------------------
@login_required
@manage_required
def index(request):
    programme = _programme(request)
    return render(request, "initiatives/manage/index.html", {
        "programme": programme,
        "programmes": selectors.programmes_visible_to(request.user),
        "initiatives": selectors.initiative_list(user=request.user, programme=programme),
    })


@login_required
@manage_required
@require_http_methods(["GET", "POST"])
def initiative_create(request):
    programme = _programme(request)
    form = InitiativeForm(request.POST or None, programme=programme)

    def page(f, conflict, status):
        return _form_page(request, "initiatives/manage/object_form.html", {
            "programme": programme, "title": _("New initiative"), "cancel_url": _index_url(programme)},
            f, conflict, status)

    return _save(request, form, lambda f: services.initiative_create(programme=programme, **f.values()),
                 success_message=_("The initiative is created."),
                 success_url=lambda obj: reverse("initiatives:manage_initiative", args=[obj.pk]), page=page)


@login_required
@manage_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request, pk: int):
    initiative = _get(selectors.initiatives_visible_to(request.user).select_related("programme"), pk)
    programme = initiative.programme
    title = initiative.name  # before the form puts the posted name on the instance
    form = InitiativeForm(request.POST or None, instance=initiative, programme=programme)

    def call(f):
        return services.initiative_update(initiative=initiative, expected_version=f.cleaned_data["version"],
                                          **f.values())

    def page(f, conflict, status):
        return _form_page(request, "initiatives/manage/initiative_edit.html", {
            "programme": programme, "initiative": initiative, "title": title,
            "lines": initiative.budget_lines.order_by("year", "kind"),
            "history": selectors.history_of(initiative, include_budget_lines=True),
            "cancel_url": _index_url(programme)}, f, conflict, status)

    return _save(request, form, call, success_message=_("The initiative is saved."),
                 success_url=reverse("initiatives:manage_initiative", args=[pk]), page=page)


def _index_url(programme) -> str:
    return f"{reverse('initiatives:manage')}?programme={programme.slug}"


# --- budget lines ------------------------------------------------------------------
@login_required
@manage_required
@require_http_methods(["GET", "POST"])
def budget_line_create(request, initiative_pk: int):
    initiative = _get(selectors.initiatives_visible_to(request.user).select_related("programme"), initiative_pk)
    form = BudgetLineForm(request.POST or None, initial={"price_level_year": initiative.programme.start_year})
    back = reverse("initiatives:manage_initiative", args=[initiative.pk])

    def page(f, conflict, status):
        return _form_page(request, "initiatives/manage/object_form.html", {
            "programme": initiative.programme, "initiative": initiative, "cancel_url": back,
            "title": _("New budget line for %(name)s") % {"name": initiative.name}}, f, conflict, status)

    return _save(request, form, lambda f: services.budget_line_create(initiative=initiative, **f.values()),
                 success_message=_("The budget line is added."), success_url=back, page=page)


@login_required
@manage_required
@require_http_methods(["GET", "POST"])
def budget_line_edit(request, pk: int):
    line = _get(selectors.budget_lines_visible_to(request.user).select_related("initiative__programme"), pk)
    initiative = line.initiative
    form = BudgetLineForm(request.POST or None, instance=line)
    back = reverse("initiatives:manage_initiative", args=[initiative.pk])

    def page(f, conflict, status):
        return _form_page(request, "initiatives/manage/object_form.html", {
            "programme": initiative.programme, "initiative": initiative, "cancel_url": back,
            "delete_url": reverse("initiatives:manage_budget_line_delete", args=[line.pk]), "object": line,
            "history": selectors.history_of(line),
            "title": _("Budget line of %(name)s") % {"name": initiative.name}}, f, conflict, status)

    return _save(request, form, lambda f: services.budget_line_update(
        line=line, expected_version=f.cleaned_data["version"], **f.values()),
        success_message=_("The budget line is saved."), success_url=back, page=page)


@login_required
@manage_required
@require_POST
def budget_line_delete(request, pk: int):
    line = _get(selectors.budget_lines_visible_to(request.user).select_related("initiative"), pk)
    form = DeleteForm(request.POST)
    back = reverse("initiatives:manage_initiative", args=[line.initiative_id])
    try:
        services.budget_line_delete(line=line, expected_version=form.data.get("version"))
    except StaleWrite:
        messages.error(request, _("A colleague changed the budget line after you opened it; it is not deleted. "
                                  "Check their change and delete again if you still want to."))
    else:
        messages.success(request, _("The budget line is deleted."))
    return redirect(back)


@login_required
@manage_required
def budget_table(request):
    """Every budget line of the programme, optionally of one year; ``?format=xlsx`` downloads it."""
    programme = _programme(request)
    years = selectors.budget_years(programme=programme)
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    lines = list(selectors.budget_line_list(user=request.user, programme=programme, year=year))
    if request.GET.get("format") == "xlsx":
        return _budget_workbook(programme, lines, year)
    return render(request, "initiatives/manage/budget_table.html", {
        "programme": programme, "lines": lines, "years": years, "year": year,
        "total": sum((line.amount_tdkk for line in lines), start=0)})


def _budget_workbook(programme, lines, year) -> HttpResponse:
    wb = Workbook()
    wb.remove(wb.active)
    header = [_("Administration"), _("Initiative"), _("Funding status"), _("Year"), _("Kind"),
              _("Amount (1,000 DKK)"), _("Price level year"), _("Note")]
    rows = [[line.initiative.administration.code, line.initiative.name,
             line.initiative.get_funding_status_display(), line.year, line.get_kind_display(), line.amount_tdkk,
             line.price_level_year, line.note] for line in lines]
    total = sum((line.amount_tdkk for line in lines), start=0)
    title = _("Budget lines of %(programme)s") % {"programme": programme}
    if year:
        title += f" ({year})"
    write_table(wb, name=_("Budget"), title=title,
                notes=[_("Amounts in 1,000 DKK at each line's price level; lines at different price levels "
                         "are not comparable without indexing.")],
                header=header, rows=rows, footer=[[_("Total"), "", "", "", "", total, "", ""]],
                number_formats={3: "0", 6: "0"})
    out = BytesIO()
    wb.save(out)
    name = f"budget-{programme.slug}{'-' + str(year) if year else ''}.xlsx"
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- focus areas, effect goals and indicators ------------------------------------------
@login_required
@manage_required
def focus_area_list(request):
    programme = _programme(request)
    return render(request, "initiatives/manage/focus_area_list.html", {
        "programme": programme, "focus_areas": selectors.focus_area_list(programme=programme)})


@login_required
@manage_required
def effect_goal_list(request):
    programme = _programme(request)
    return render(request, "initiatives/manage/effect_goal_list.html", {
        "programme": programme,
        "effect_goals": programme.effect_goals.select_related("responsible").order_by("number")})


def _object_edit(request, *, obj, form_class, update, list_url_name, title, saved_message):
    programme = obj.programme
    form = form_class(request.POST or None, instance=obj, programme=programme)
    back = f"{reverse(list_url_name)}?programme={programme.slug}"

    def page(f, conflict, status):
        return _form_page(request, "initiatives/manage/object_form.html", {
            "programme": programme, "object": obj, "title": title, "cancel_url": back,
            "history": selectors.history_of(obj)}, f, conflict, status)

    return _save(request, form, lambda f: update(obj, f), success_message=saved_message, success_url=back,
                 page=page)


def _object_create(request, *, form_class, create, list_url_name, title, created_message):
    programme = _programme(request)
    form = form_class(request.POST or None, programme=programme)
    back = f"{reverse(list_url_name)}?programme={programme.slug}"

    def page(f, conflict, status):
        return _form_page(request, "initiatives/manage/object_form.html", {
            "programme": programme, "title": title, "cancel_url": back}, f, conflict, status)

    return _save(request, form, lambda f: create(programme, f), success_message=created_message,
                 success_url=back, page=page)


@login_required
@manage_required
@require_http_methods(["GET", "POST"])
def focus_area_create(request):
    return _object_create(
        request, form_class=FocusAreaForm, list_url_name="initiatives:manage_focus_areas",
        create=lambda p, f: services.focus_area_create(programme=p, **f.values()),
        title=_("New focus area"), created_message=_("The focus area is created."))


@login_required
@manage_required
@require_http_methods(["GET", "POST"])
def focus_area_edit(request, pk: int):
    obj = _get(selectors.focus_areas_visible_to(request.user).select_related("programme"), pk)
    return _object_edit(
        request, obj=obj, form_class=FocusAreaForm, list_url_name="initiatives:manage_focus_areas",
        update=lambda o, f: services.focus_area_update(focus_area=o, expected_version=f.cleaned_data["version"],
                                                       **f.values()),
        title=str(obj), saved_message=_("The focus area is saved."))


@login_required
@manage_required
@require_http_methods(["GET", "POST"])
def effect_goal_create(request):
    return _object_create(
        request, form_class=EffectGoalForm, list_url_name="initiatives:manage_effect_goals",
        create=lambda p, f: services.effect_goal_create(programme=p, **f.values()),
        title=_("New effect goal"), created_message=_("The effect goal is created."))


@login_required
@manage_required
@require_http_methods(["GET", "POST"])
def effect_goal_edit(request, pk: int):
    obj = _get(selectors.effect_goals_visible_to(request.user).select_related("programme", "responsible"), pk)
    return _object_edit(
        request, obj=obj, form_class=EffectGoalForm, list_url_name="initiatives:manage_effect_goals",
        update=lambda o, f: services.effect_goal_update(effect_goal=o, expected_version=f.cleaned_data["version"],
                                                        **f.values()),
        title=str(obj), saved_message=_("The effect goal is saved."))


@login_required
@manage_required
def indicator_list(request):
    programme = _programme(request)
    return render(request, "initiatives/manage/indicator_list.html", {
        "programme": programme,
        "indicators": selectors.indicator_definitions_visible_to(request.user).filter(programme=programme)
        .select_related("responsible", "focus_area").order_by("number")})


@login_required
@manage_required
@require_http_methods(["GET", "POST"])
def indicator_create(request):
    return _object_create(
        request, form_class=IndicatorForm, list_url_name="initiatives:manage_indicators",
        create=lambda p, f: services.indicator_create(programme=p, **f.values()),
        title=_("New indicator"), created_message=_("The indicator is created."))


@login_required
@manage_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    obj = _get(selectors.indicator_definitions_visible_to(request.user).select_related("programme"), pk)
    return _object_edit(
        request, obj=obj, form_class=IndicatorForm, list_url_name="initiatives:manage_indicators",
        update=lambda o, f: services.indicator_update(indicator=o, expected_version=f.cleaned_data["version"],
                                                      **f.values()),
        title=str(obj), saved_message=_("The indicator is saved."))
