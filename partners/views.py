"""Pages of the partners app: thin — parse input, call a service or selector, render."""
from auditlog.signals import accessed
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from initiatives.selectors import initiatives_visible_to
from operations.jobs import BrokerUnavailable, job_check

from . import exports, selectors, services
from .filters import PartnerFilterSet
from .forms import ContactForm, InvolvementForm, PartnerForm, ProgressEntryForm
from .models import PackStatus, ProgressStatus

view_required = permission_required("partners.view", raise_exception=True)
manage_required = permission_required("partners.manage", raise_exception=True)
PARTNER_PAGE_SIZE = 50


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


def _programme(request):
    programme = selectors.programme_of(request.user)
    if programme is None:
        raise Http404(_("Your municipality has no programme yet."))
    return programme


def _month(request, programme):
    """The month asked for (``?month=YYYY-MM``), else the default; None when the parameter is nonsense."""
    text = request.GET.get("month")
    if text:
        return selectors.parse_month(text)
    return selectors.default_month(programme=programme, today=timezone.localdate())


def _bad_month():
    return HttpResponseBadRequest(_("Give the month as YYYY-MM, e.g. 2025-06."))


# --- partners ------------------------------------------------------------------------
@login_required
@view_required
def partner_list(request):
    filterset = PartnerFilterSet(request.GET or None, queryset=selectors.partner_list(user=request.user),
                                 request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.partner_list(user=request.user)
    page = Paginator(qs, PARTNER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partners/partner_list.html", {
        "filterset": filterset, "page_obj": page, "partners": page.object_list,
        "can_manage": request.user.has_perm("partners.manage")})


@login_required
@view_required
def partner_detail(request, pk: int):
    partner = _get(selectors.partners_visible_to(request.user), pk)
    can_manage = request.user.has_perm("partners.manage")
    contacts = selectors.contacts_visible_to(request.user).filter(partner=partner).order_by("name")
    programme = selectors.programme_of(request.user)
    if can_manage:
        accessed.send(type(partner), instance=partner)  # contact persons are shown: a logged read
    return render(request, "partners/partner_detail.html", {
        "partner": partner, "contacts": contacts if request.user.has_perm("partners.view_contacts") else None,
        "involvements": selectors.partner_involvements(user=request.user, partner=partner),
        "can_manage": can_manage,
        "contact_form": ContactForm() if can_manage else None,
        "involvement_form": InvolvementForm(initiatives=_initiatives(request, programme),
                                            initial={"year": timezone.localdate().year})
        if can_manage and programme else None})


def _initiatives(request, programme):
    return initiatives_visible_to(request.user).filter(programme=programme).order_by("administration__code", "name")


@login_required
@manage_required
def partner_create(request):
    return _partner_form(request, None)


@login_required
@manage_required
def partner_edit(request, pk: int):
    return _partner_form(request, _get(selectors.partners_visible_to(request.user), pk))


def _partner_form(request, partner):
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_save(user=request.user, partner=partner, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The partner is saved."))
            return redirect("partners:partner_detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@login_required
@manage_required
@require_POST
def contact_create(request, pk: int):
    partner = _get(selectors.partners_visible_to(request.user), pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        services.contact_add(user=request.user, partner=partner, **form.cleaned_data)
        messages.success(request, _("The contact person is added."))
    else:
        messages.error(request, _("The contact person was not added: %(errors)s") % {
            "errors": " ".join(str(e) for errs in form.errors.values() for e in errs)})
    return redirect("partners:partner_detail", pk=partner.pk)


@login_required
@manage_required
@require_POST
def contact_delete(request, pk: int):
    contact = _get(selectors.contacts_visible_to(request.user).select_related("partner"), pk)
    services.contact_remove(user=request.user, contact=contact)
    messages.success(request, _("The contact person is removed."))
    return redirect("partners:partner_detail", pk=contact.partner_id)


@login_required
@manage_required
@require_POST
def involvement_create(request, pk: int):
    partner = _get(selectors.partners_visible_to(request.user), pk)
    form = InvolvementForm(request.POST, initiatives=_initiatives(request, _programme(request)))
    if form.is_valid():
        try:
            services.involvement_save(user=request.user, partner=partner, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The initiative is recorded for the partner."))
    else:
        messages.error(request, _("Not recorded: %(errors)s") % {
            "errors": " ".join(f"{form.fields[f].label if f in form.fields else ''}: {e}"
                               for f, errs in form.errors.items() for e in errs)})
    return redirect("partners:partner_detail", pk=partner.pk)


@login_required
@manage_required
@require_POST
def involvement_delete(request, pk: int):
    involvement = _get(selectors.involvements_visible_to(request.user).select_related("partner"), pk)
    services.involvement_remove(user=request.user, involvement=involvement)
    messages.success(request, _("The initiative is removed from the partner."))
    return redirect("partners:partner_detail", pk=involvement.partner_id)


# --- monthly progress ------------------------------------------------------------------
@login_required
@view_required
def progress_overview(request):
    """The completeness view: the month's entries and the initiatives without one."""
    programme = _programme(request)
    month = _month(request, programme)
    if month is None:
        return _bad_month()
    data = selectors.completeness(user=request.user, programme=programme, month=month)
    entries = list(selectors.entry_list(user=request.user).filter(initiative__programme=programme, month=month))
    for entry in entries:
        entry.can_edit = request.user.has_perm("partners.enter_progress", entry.initiative)
    missing_own = [i for i in data["missing"] if request.user.has_perm("partners.enter_progress", i)]
    return render(request, "partners/progress_overview.html", {
        "month": month, "data": data, "entries": entries, "missing_own": {i.pk for i in missing_own},
        "previous_month": selectors.add_months(month, -1), "next_month": selectors.add_months(month, 1)})


@login_required
@view_required
def progress_edit(request, initiative_pk: int):
    """Enter or change one initiative's entry for ``?month=``, with its indicators read-only beside the form."""
    initiative = _get(initiatives_visible_to(request.user).select_related("administration", "programme"),
                      initiative_pk)
    text = request.GET.get("month") or request.POST.get("month")
    month = selectors.parse_month(text) if text else timezone.localdate().replace(day=1)
    if month is None:
        return _bad_month()
    if not request.user.has_perm("partners.enter_progress", initiative):
        raise PermissionDenied(_("You can only report on your own administration's initiatives."))
    entry = selectors.progress_entries_visible_to(request.user).filter(initiative=initiative, month=month).first()
    form = ProgressEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_entry_save(user=request.user, initiative=initiative, month=month, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The progress entry for %(month)s is saved.") % {
                "month": month.strftime("%m.%Y")})
            return redirect(f"{reverse('partners:progress_overview')}?month={month:%Y-%m}")
    previous = selectors.progress_entries_visible_to(request.user).filter(
        initiative=initiative, month=selectors.add_months(month, -1)).first()
    return render(request, "partners/progress_form.html", {
        "initiative": initiative, "month": month, "form": form, "entry": entry, "previous": previous,
        "indicators": selectors.initiative_indicators(user=request.user, initiative=initiative, month=month),
        "key_figure_report": selectors.key_figure_report_for(user=request.user, month=month),
        "statuses": ProgressStatus})


# --- the monthly partner-meeting pack ------------------------------------------------------
def _pack(request):
    programme = _programme(request)
    month = _month(request, programme)
    if month is None:
        return None
    return selectors.partner_pack(user=request.user, programme=programme, month=month)


@login_required
@view_required
def pack(request):
    data = _pack(request)
    if data is None:
        return _bad_month()
    return render(request, "partners/pack.html", {
        "pack": data, "previous_month": selectors.add_months(data["month"], -1),
        "next_month": selectors.add_months(data["month"], 1)})


@login_required
@view_required
@require_POST
def pack_pdf_request(request):
    """Ask for the month's PDF (a background job), then follow it on its own page."""
    programme = _programme(request)
    month = selectors.parse_month(request.POST.get("month"))
    if month is None:
        return _bad_month()
    try:
        job = services.pack_pdf_request(user=request.user, programme=programme, month=month)
    except BrokerUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('partners:pack')}?month={month:%Y-%m}")
    return redirect("partners:pack_pdf_detail", pk=job.pk)


def _pdf_job(request, pk):
    return job_check(_get(selectors.pack_pdfs_visible_to(request.user), pk))


@login_required
@view_required
def pack_pdf_detail(request, pk: int):
    return render(request, "partners/pack_pdf_detail.html", {"job": _pdf_job(request, pk)})


@login_required
@view_required
def pack_pdf_status(request, pk: int):
    """The progress fragment htmx polls while the PDF is produced (HX-Refresh when it is ready or failed)."""
    job = _pdf_job(request, pk)
    response = render(request, "partners/partials/pdf_progress.html", {"job": job})
    if job.status in (PackStatus.DONE, PackStatus.FAILED):
        response["HX-Refresh"] = "true"
    return response


@login_required
@view_required
def pack_pdf_download(request, pk: int):
    job = _pdf_job(request, pk)
    blob = type(job).objects.values_list("pdf", flat=True).get(pk=job.pk)
    if job.status != PackStatus.DONE or blob is None:
        raise Http404
    response = HttpResponse(bytes(blob), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="partnerrapport-{job.month:%Y-%m}.pdf"'
    return response


@login_required
@view_required
def pack_xlsx(request):
    data = _pack(request)
    if data is None:
        return _bad_month()
    response = HttpResponse(exports.pack_xlsx(data),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    month = data["month"]
    response["Content-Disposition"] = f'attachment; filename="partnerrapport-{month:%Y-%m}.xlsx"'
    return response
