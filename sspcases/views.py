"""Pages of SSP single cases. Thin: parse the form, call a service or selector, render.

Every page goes through the selectors (``concerns_visible_to`` and friends: another municipality's object, or
no SSP role, is a 404) and writes an access-log row for every concern it shows. Views that receive a CPR number
or a name keep them out of error reports (``sensitive_post_parameters``).
"""
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from exitprogram.models import AccessLog
from initiatives.models import Module
from initiatives.modules import modules_of
from operations.locking import CONFLICT_MESSAGE, StaleWrite, form_take_conflict
from sikkerby.privacy import threshold

from . import selectors, services
from .filters import ConcernFilterSet
from .forms import CancelForm, ConcernForm, ConvertForm, HoldForm, ItemForm, MoveForm, SeriesForm
from .models import Concern, MeetingSeries, MeetingStatus, SingleCaseMeeting

PAGE_SIZE = 50
USE = "sspcases.use_meetings"


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)


def _series(request, pk) -> MeetingSeries:
    try:
        return selectors.series_visible_to(request.user).get(pk=pk)
    except MeetingSeries.DoesNotExist as exc:
        raise Http404 from exc


def _meeting(request, uuid) -> SingleCaseMeeting:
    try:
        return selectors.meeting_detail(user=request.user, uuid=uuid)
    except SingleCaseMeeting.DoesNotExist as exc:
        raise Http404 from exc


def _concern(request, uuid, perm="sspcases.view_concern") -> Concern:
    try:
        concern = selectors.concern_detail(user=request.user, uuid=uuid)
    except Concern.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm, concern):
        raise PermissionDenied
    return concern


# --- series and calendar -----------------------------------------------------------------------------------
@login_required
@permission_required(USE, raise_exception=True)
def series_list(request):
    series = list(selectors.series_list(user=request.user))
    today = timezone.localdate()
    upcoming = {s.pk: selectors.next_meeting(user=request.user, series=s, on_or_after=today) for s in series}
    return render(request, "sspcases/series_list.html", {
        "series": [(s, upcoming[s.pk]) for s in series],
        "open_count": selectors.concerns_visible_to(request.user).filter(status="open").count(),
    })


@login_required
@permission_required(USE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def series_create(request):
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting series is created with its calendar."))
            return redirect("sspcases:series_detail", pk=series.pk)
    return render(request, "sspcases/form.html", {"form": form, "title": _("New meeting series")},
                  status=400 if form.errors else 200)


@login_required
@permission_required(USE, raise_exception=True)
def series_detail(request, pk):
    series = _series(request, pk)
    page = Paginator(selectors.meeting_list(user=request.user, series=series), PAGE_SIZE).get_page(
        request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "sspcases/series_detail.html", {
        "series": series, "page": page, "meetings": list(page.object_list), "today": today,
        "next": selectors.next_meeting(user=request.user, series=series, on_or_after=today),
    })


@login_required
@permission_required(USE, raise_exception=True)
@require_POST
def series_extend(request, pk):
    series = _series(request, pk)
    last = series.meetings.aggregate(d=Max("scheduled_on"))["d"] or series.start_date
    n = services.meetings_extend(series=series, until=last + timedelta(days=services.DEFAULT_HORIZON_DAYS))
    messages.success(request, _("%(n)s meetings added to the calendar.") % {"n": n})
    return redirect("sspcases:series_detail", pk=series.pk)


# --- meetings ---------------------------------------------------------------------------------------------
def _meeting_page(request, meeting, *, bound=None, move_form=None, hold_form=None, cancel_form=None,
                  conflict=None, status=200):
    agenda = selectors.meeting_agenda(user=request.user, meeting=meeting)
    services.audit_list(user=request.user, concerns=agenda, what="ssp meeting agenda")
    rows = []
    for concern in agenda:
        here = next((i for i in concern.history if i.meeting_id == meeting.pk), None)
        earlier = [i for i in concern.history if i.meeting_id != meeting.pk]
        if bound is not None and bound[0] == concern.pk:
            form = bound[1]
        else:
            initial = {}
            if here:
                initial = {"decision": here.decision, "action": here.action, "owner": here.owner,
                           "owner_name": here.owner_name, "deadline": here.deadline,
                           "closes_concern": here.closes_concern, "closure_outcome": concern.closure_outcome}
            form = ItemForm(prefix=f"c{concern.pk}", initial=initial)
        rows.append({"concern": concern, "here": here, "earlier": earlier, "form": form,
                     "carried": bool(earlier),
                     "editable": concern.is_open or (here is not None and here.closes_concern)})
    return render(request, "sspcases/meeting_detail.html", {
        "meeting": meeting, "series": meeting.series, "rows": rows,
        "can_record": meeting.status != MeetingStatus.CANCELLED and meeting.held_on <= timezone.localdate(),
        "move_form": move_form or MoveForm(initial={"new_date": meeting.held_on, "version": meeting.version}),
        "hold_form": hold_form or HoldForm(municipality_id=request.user.municipality_id, initial={
            "ssp_participants": list(meeting.ssp_participants.all()),
            "police_participants": meeting.police_participants, "version": meeting.version}),
        "cancel_form": cancel_form or CancelForm(initial={"version": meeting.version}),
        "can_cancel": meeting.status == MeetingStatus.PLANNED,
        # which form lost a race, and the colleague's values beside the user's (operations/conflict.html)
        "conflict": conflict or {},
        "previous": meeting.series.meetings.filter(number__lt=meeting.number).order_by("-number").first(),
        "following": meeting.series.meetings.filter(number__gt=meeting.number).order_by("number").first(),
    }, status=status)


@login_required
@permission_required(USE, raise_exception=True)
def meeting_detail(request, uuid):
    return _meeting_page(request, _meeting(request, uuid))


def _meeting_change(request, uuid, *, form_class, form_key, call, done, **form_kwargs):
    """One change of a meeting through its form: a redirect when saved, the page with the form's errors (400), or
    with the colleague's values beside the user's when the meeting changed since the page was opened (409)."""
    meeting = _meeting(request, uuid)
    form = form_class(request.POST, **form_kwargs)
    conflict, status = None, 400
    if form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            call(actor=request.user, meeting=meeting, expected_version=form.cleaned_data["version"], **values)
        except StaleWrite as exc:
            conflict, status = {form_key: form_take_conflict(form, exc, CONFLICT_MESSAGE)}, 409
            meeting = exc.current or meeting
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("sspcases:meeting_detail", uuid=meeting.uuid)
    return _meeting_page(request, meeting, **{form_key: form}, conflict=conflict, status=status)


@login_required
@permission_required(USE, raise_exception=True)
@require_POST
def meeting_move(request, uuid):
    return _meeting_change(request, uuid, form_class=MoveForm, form_key="move_form", call=services.meeting_move,
                           done=_("The meeting is moved."))


@login_required
@permission_required(USE, raise_exception=True)
@require_POST
def meeting_hold(request, uuid):
    return _meeting_change(request, uuid, form_class=HoldForm, form_key="hold_form", call=services.meeting_hold,
                           done=_("The participants are saved and the meeting is recorded as held."),
                           municipality_id=request.user.municipality_id)


@login_required
@permission_required(USE, raise_exception=True)
@require_POST
def meeting_cancel(request, uuid):
    return _meeting_change(request, uuid, form_class=CancelForm, form_key="cancel_form",
                           call=services.meeting_cancel, done=_("The meeting is cancelled."))


@login_required
@permission_required(USE, raise_exception=True)
@require_POST
def meeting_reinstate(request, uuid):
    meeting = _meeting(request, uuid)
    try:
        services.meeting_reinstate(actor=request.user, meeting=meeting, expected_version=request.POST.get("version"))
    except StaleWrite:
        messages.error(request, _("A colleague changed the meeting after you opened it; see it as it is now."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The meeting is planned again."))
    return redirect("sspcases:meeting_detail", uuid=meeting.uuid)


@login_required
@permission_required(USE, raise_exception=True)
@require_POST
def item_record(request, uuid, concern_uuid):
    meeting = _meeting(request, uuid)
    concern = _concern(request, concern_uuid)
    form = ItemForm(request.POST, prefix=f"c{concern.pk}")
    if form.is_valid():
        try:
            services.item_record(actor=request.user, meeting=meeting, concern=concern, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The decision on %(ref)s is saved.") % {"ref": concern.reference})
            return redirect(reverse("sspcases:meeting_detail", kwargs={"uuid": meeting.uuid})
                            + f"#concern-{concern.reference}")
    return _meeting_page(request, meeting, bound=(concern.pk, form), status=400)


# --- concerns ---------------------------------------------------------------------------------------------
@login_required
@permission_required(USE, raise_exception=True)
def concern_list(request):
    filterset = ConcernFilterSet(request.GET or None, queryset=selectors.concern_list(user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    concerns = list(page.object_list)
    services.audit_list(user=request.user, concerns=concerns, what="ssp concern list")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "sspcases/concern_list.html", {
        "filterset": filterset, "concerns": concerns, "page": page, "query": query.urlencode()})


@sensitive_post_parameters("cpr", "first_name", "last_name", "description")
@login_required
@permission_required(USE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def concern_create(request):
    series_qs = selectors.series_visible_to(request.user)
    form = ConcernForm(request.POST or None, series_qs=series_qs,
                       initial={"registered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.concern_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Concern %(ref)s registered: it is on the agenda of every meeting until "
                                        "it is closed.") % {"ref": concern.reference})
            return redirect("sspcases:concern_detail", uuid=concern.uuid)
    return render(request, "sspcases/form.html", {"form": form, "title": _("Register a concern"),
                                                   "no_series": not series_qs.exists()},
                  status=400 if form.errors else 200)


def _can_convert(user, concern) -> bool:
    """An open concern may become an exit case where the municipality runs the exit programme."""
    return (user.has_perm("sspcases.work_on_concern", concern) and not concern.exit_case_id
            and Module.EXIT_PROGRAMME in modules_of(user))


@login_required
@permission_required(USE, raise_exception=True)
def concern_detail(request, uuid):
    concern = _concern(request, uuid)
    services.audit(user=request.user, concern=concern, action=AccessLog.Action.VIEW, what="ssp concern page")
    upcoming = None
    if concern.is_open:
        upcoming = selectors.next_meeting(user=request.user, series=concern.series,
                                          on_or_after=timezone.localdate())
    return render(request, "sspcases/concern_detail.html", {
        "concern": concern, "items": list(concern.items.all()), "upcoming": upcoming,
        "can_convert": _can_convert(request.user, concern),
    })


@sensitive_post_parameters("cpr")
@login_required
@permission_required(USE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def concern_convert(request, uuid):
    concern = _concern(request, uuid, "sspcases.work_on_concern")
    if not _can_convert(request.user, concern):
        raise PermissionDenied
    form = ConvertForm(request.POST or None, needs_cpr=not concern.cpr)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.concern_convert_to_exit(actor=request.user, concern=concern, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Exit case %(ref)s created from concern %(concern)s.") % {
                "ref": case.reference, "concern": concern.reference})
            return redirect("exitprogram:case_detail", uuid=case.uuid)
    else:
        services.audit(user=request.user, concern=concern, action=AccessLog.Action.VIEW,
                       what="ssp concern exit referral form")
    return render(request, "sspcases/form.html", {
        "form": form, "title": _("Refer to the exit programme"), "concern": concern,
        "intro": _("The exit case is created from the concern's name and CPR number; you become its responsible "
                   "SSP+ consultant, and the concern is closed as referred.")},
        status=400 if form.errors else 200)


# --- counts ----------------------------------------------------------------------------------------------
@login_required
@permission_required("sspcases.view_statistics", raise_exception=True)
def statistics(request):
    if not request.user.municipality_id:
        raise Http404
    return render(request, "sspcases/statistics.html", {
        "rows": selectors.statistics_rows(municipality_id=request.user.municipality_id),
        "threshold": threshold()})

