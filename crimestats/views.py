"""Key-figure pages: the report list (and the button that starts one), a report, downloads, imports, addendum.

Views parse input, call a service or a selector, render. Every object is
fetched through its scoping selector; downloads are written to the audit log.
"""
from auditlog.signals import accessed
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from operations.jobs import BrokerUnavailable, job_check
from operations.views import job_restart_with_message

from . import charts, selectors, services
from .exports import draw_grid_maps, report_context
from .filters import KeyFigureReportFilterSet
from .forms import AddendumForm, PoliceImportForm, ReportRequestForm
from .models import ImportStatus, KeyFigureReport, ReportStatus
from .periods import last_ended_quarter

VIEW = "crimestats.view_key_figures"
MANAGE = "crimestats.manage_key_figures"


def _report(request, pk) -> KeyFigureReport:
    return get_object_or_404(selectors.key_figure_reports_visible_to(request.user), pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def report_list(request):
    last = last_ended_quarter(timezone.localdate())
    form = ReportRequestForm(request.POST or None, initial={"year": last.start.year,
                                                            "quarter": (last.start.month - 1) // 3 + 1})
    unavailable = False
    if request.method == "POST":
        if not request.user.has_perm(MANAGE):
            raise Http404
        if form.is_valid():
            try:
                report = services.report_request(municipality=request.user.municipality, period=form.period,
                                                  user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            except BrokerUnavailable as exc:
                form.add_error(None, str(exc))
                unavailable = True
            else:
                return redirect("crimestats:report_detail", pk=report.pk)
    filterset = KeyFigureReportFilterSet(request.GET or None, queryset=selectors.key_figure_reports_visible_to(
        request.user).select_related("requested_by", "published_by"))
    return render(request, "crimestats/report_list.html", {"form": form, "filterset": filterset,
                                                           "reports": filterset.qs},
                  status=503 if unavailable else 400 if form.errors else 200)


@login_required
@permission_required(VIEW, raise_exception=True)
def report_detail(request, pk: int):
    report = job_check(_report(request, pk))
    ctx = {"report": report}
    if report.status == ReportStatus.DONE:
        data = KeyFigureReport.objects.values_list("data", flat=True).get(pk=report.pk)
        ctx.update(report_context(data))
        draw_grid_maps(ctx["grids"], municipality_id=report.municipality_id,
                       suppressed_below=data.get("suppression_threshold"))
        ctx["chart_scripts"] = [(f"chart-{key}-data", fig) for key, fig in charts.report_charts(data).items()]
        accessed.send(KeyFigureReport, instance=report)
    return render(request, "crimestats/report_detail.html", ctx)


@login_required
@permission_required(VIEW, raise_exception=True)
def report_status(request, pk: int):
    """The progress fragment htmx polls while a report is produced (HX-Refresh when it is ready or failed).

    Looking at it also reaps the report if it has stalled (``operations.jobs.job_check``).
    """
    report = job_check(_report(request, pk))
    response = render(request, "crimestats/partials/report_progress.html", {"report": report})
    if report.status in (ReportStatus.DONE, ReportStatus.FAILED):
        response["HX-Refresh"] = "true"
    return response


def _download(request, pk: int, field: str, content_type: str, ext: str):
    report = _report(request, pk)
    blob = KeyFigureReport.objects.values_list(field, flat=True).get(pk=report.pk)
    if report.status != ReportStatus.DONE or blob is None:
        raise Http404
    accessed.send(KeyFigureReport, instance=report)
    response = HttpResponse(bytes(blob), content_type=content_type)
    name = f"noegletal-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}-v{report.version}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
def report_pdf(request, pk: int):
    return _download(request, pk, "pdf", "application/pdf", "pdf")


@login_required
@permission_required(VIEW, raise_exception=True)
def report_xlsx(request, pk: int):
    return _download(request, pk, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "xlsx")


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def report_publish(request, pk: int):
    report = _report(request, pk)
    try:
        services.report_publish(report=report, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Version %(v)d is published and frozen.") % {"v": report.version})
    return redirect("crimestats:report_detail", pk=report.pk)


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def report_restart(request, pk: int):
    """Start a failed report again (same version: a failed report stored nothing)."""
    job_restart_with_message(request, _report(request, pk))
    return redirect("crimestats:report_detail", pk=pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
def import_list(request):
    form = PoliceImportForm(request.POST or None, request.FILES or None)
    unavailable = False
    if request.method == "POST" and form.is_valid():
        try:
            imp = services.police_import_create(
                municipality=request.user.municipality, kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"], user=request.user,
                synthetic=form.cleaned_data["synthetic"])
        except ValidationError as exc:
            form.add_error("file", exc)
        except BrokerUnavailable as exc:
            form.add_error(None, str(exc))
            unavailable = True
        else:
            return redirect("crimestats:import_detail", pk=imp.pk)
    imports = selectors.police_imports_visible_to(request.user).defer("errors")[:50]
    return render(request, "crimestats/import_list.html", {"form": form, "imports": imports},
                  status=503 if unavailable else 400 if form.errors else 200)


@login_required
@permission_required(MANAGE, raise_exception=True)
def import_detail(request, pk: int):
    imp = job_check(get_object_or_404(selectors.police_imports_visible_to(request.user), pk=pk))
    return render(request, "crimestats/import_detail.html", {"imp": imp})


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def import_restart(request, pk: int):
    """Start an import that crashed or lost its worker again, on the file it stored."""
    job_restart_with_message(request, get_object_or_404(selectors.police_imports_visible_to(request.user), pk=pk))
    return redirect("crimestats:import_detail", pk=pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
def import_status(request, pk: int):
    imp = job_check(get_object_or_404(selectors.police_imports_visible_to(request.user), pk=pk))
    response = render(request, "crimestats/partials/import_progress.html", {"imp": imp})
    if imp.status in (ImportStatus.DONE, ImportStatus.FAILED):
        response["HX-Refresh"] = "true"
    return response


@login_required
@permission_required(MANAGE, raise_exception=True)
def addendum_edit(request):
    """Enter or change the quarter's uneasy-areas figures and SSP's assessment."""
    last = last_ended_quarter(timezone.localdate())
    form = AddendumForm(request.POST or None, initial={"year": last.start.year,
                                                       "quarter": (last.start.month - 1) // 3 + 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.addendum_save(municipality=request.user.municipality, year=d["year"], quarter=d["quarter"],
                                   user=request.user, interrogations_12_17=d["interrogations_12_17"],
                                   ssp_single_cases=d["ssp_single_cases"], ssp_assessment=d["ssp_assessment"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The uneasy-areas figures for %(y)s K%(q)s are saved.")
                             % {"y": d["year"], "q": d["quarter"]})
            return redirect("crimestats:report_list")
    addenda = selectors.addenda_visible_to(request.user).order_by("-year", "-quarter")[:12]
    return render(request, "crimestats/addendum_form.html", {"form": form, "addenda": addenda},
                  status=400 if form.errors else 200)
