"""Reads for SSP single cases.

``concerns_visible_to`` is the one scoping rule for concerns (named young people), ``series_visible_to`` and
``meetings_visible_to`` for the calendar; each starts from ``tenancy.scoped`` and narrows to the SSP role.
Aggregates (``quarter_counts``, ``concerns_handled_count``) read plain columns only, and apply
``sikkerby.privacy.suppress`` where they leave the app.
"""
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear

from accounts import roles as r
from sikkerby import tenancy
from sikkerby.privacy import suppress

from .models import (
    AgendaItem,
    Concern,
    ConcernSource,
    ConcernStatus,
    MeetingSeries,
    MeetingStatus,
    SingleCaseMeeting,
)


def _is_ssp(user) -> bool:
    return user.is_authenticated and user.municipality_id is not None and r.SSP_CONSULTANT in r.roles_of(user)


def series_visible_to(user) -> QuerySet[MeetingSeries]:
    """The meeting series of the user's municipality, for its SSP consultants."""
    qs = tenancy.visible_to(MeetingSeries, user)
    return qs.filter(municipality_id=user.municipality_id) if _is_ssp(user) else qs.none()


def meetings_visible_to(user) -> QuerySet[SingleCaseMeeting]:
    """The meetings of the user's municipality, for its SSP consultants."""
    qs = tenancy.visible_to(SingleCaseMeeting, user)
    return qs.filter(series__municipality_id=user.municipality_id) if _is_ssp(user) else qs.none()


def concerns_visible_to(user) -> QuerySet[Concern]:
    """The concerns whose personal data this user may see: their municipality's, if they are an SSP consultant."""
    qs = tenancy.visible_to(Concern, user)
    return qs.filter(municipality_id=user.municipality_id) if _is_ssp(user) else qs.none()


def series_list(*, user) -> QuerySet[MeetingSeries]:
    return series_visible_to(user).annotate(
        n_meetings=Count("meetings", distinct=True)).order_by("start_date", "pk")


def meeting_list(*, user, series: MeetingSeries) -> QuerySet[SingleCaseMeeting]:
    """The calendar of one series with the number of concerns each meeting recorded (one query)."""
    return meetings_visible_to(user).filter(series=series).annotate(n_items=Count("items")).order_by("number")


def meeting_detail(*, user, uuid) -> SingleCaseMeeting:
    return meetings_visible_to(user).select_related("series").prefetch_related("ssp_participants").get(uuid=uuid)


def next_meeting(*, user, series: MeetingSeries, on_or_after: date) -> SingleCaseMeeting | None:
    return (meetings_visible_to(user).filter(series=series, held_on__gte=on_or_after)
            .exclude(status=MeetingStatus.CANCELLED).order_by("held_on", "number").first())


def meeting_agenda(*, user, meeting: SingleCaseMeeting) -> list[Concern]:
    """The agenda: every concern open at the meeting, and every concern the meeting recorded (closed at it too).

    A concern registered after the meeting's date is not on it; a concern closed at an earlier meeting is not
    either. Each concern comes with its items (its history at this and earlier meetings), in three queries.
    """
    items = AgendaItem.objects.select_related("meeting").filter(meeting__held_on__lte=meeting.held_on) \
        .order_by("meeting__held_on", "meeting__number")
    qs = (concerns_visible_to(user).filter(series=meeting.series, registered_on__lte=meeting.held_on)
          .filter(Q(status=ConcernStatus.OPEN) | Q(items__meeting=meeting))
          .distinct().prefetch_related(Prefetch("items", queryset=items, to_attr="history"))
          .order_by("registered_on", "reference"))
    return list(qs)


def concern_list(*, user, filters=None) -> QuerySet[Concern]:
    return concerns_visible_to(user).select_related("series", "exit_case").annotate(
        n_items=Count("items")).order_by("-registered_on", "reference")


def concern_detail(*, user, uuid) -> Concern:
    return (concerns_visible_to(user).select_related("series", "exit_case", "registered_by")
            .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.select_related("meeting", "recorded_by")
                                       .order_by("meeting__held_on", "meeting__number")))
            .get(uuid=uuid))


# --- retention -------------------------------------------------------------------------------------------
def concerns_due_for_anonymisation(*, as_of: date, keep_days: int) -> QuerySet[Concern]:
    """Closed concerns whose personal data is past its retention (``keep_days`` after closure)."""
    return Concern.objects.filter(status=ConcernStatus.CLOSED, closed_on__lte=as_of - timedelta(days=keep_days),
                                  anonymised_at__isnull=True)


# --- aggregates (no personal data) ----------------------------------------------------------------------
def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * (quarter - 1) + 1, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def concerns_handled_count(*, municipality_id: int, start: date, end: date) -> int:
    """How many concerns a held meeting of the municipality handled in the period (each counted once).

    The key-figure report's "single cases handled in SSP" (``crimestats.selectors.report_figures``).
    """
    return (Concern.objects.filter(municipality_id=municipality_id, items__meeting__status=MeetingStatus.HELD,
                                   items__meeting__held_on__range=(start, end))
            .values("pk").distinct().count())


def quarter_counts(*, municipality_id: int) -> tuple[QuerySet, QuerySet, QuerySet, QuerySet]:
    """Per quarter: meetings held, concerns registered (police, SSP, under 18), handled, closed, referred to
    the exit programme — raw counts; ``statistics_rows`` suppresses them. Four aggregate queries."""
    meetings = (SingleCaseMeeting.objects.filter(series__municipality_id=municipality_id, status=MeetingStatus.HELD)
                .annotate(y=ExtractYear("held_on"), q=ExtractQuarter("held_on")).values("y", "q")
                .annotate(n=Count("id")).order_by())
    registered = (Concern.objects.filter(municipality_id=municipality_id)
                  .annotate(y=ExtractYear("registered_on"), q=ExtractQuarter("registered_on")).values("y", "q")
                  .annotate(n=Count("id"), police=Count("id", filter=Q(source=ConcernSource.POLICE)),
                            minors=Count("id", filter=Q(age__lt=18)),
                            fictional=Count("id", filter=Q(is_fictional=True))).order_by())
    handled = (AgendaItem.objects.filter(concern__municipality_id=municipality_id,
                                         meeting__status=MeetingStatus.HELD)
               .annotate(y=ExtractYear("meeting__held_on"), q=ExtractQuarter("meeting__held_on")).values("y", "q")
               .annotate(n=Count("concern", distinct=True)).order_by())
    closed = (Concern.objects.filter(municipality_id=municipality_id, status=ConcernStatus.CLOSED)
              .annotate(y=ExtractYear("closed_on"), q=ExtractQuarter("closed_on")).values("y", "q")
              .annotate(n=Count("id"), exit=Count("id", filter=Q(exit_case__isnull=False))).order_by())
    return meetings, registered, handled, closed


def statistics_rows(*, municipality_id: int) -> list[dict]:
    """One row per quarter with any activity, newest first, every count suppressed below the threshold."""
    from sikkerby import databasis

    meetings, registered, handled, closed = quarter_counts(municipality_id=municipality_id)
    rows: dict[tuple[int, int], dict] = {}

    def row(y, q):
        return rows.setdefault((y, q), {"year": y, "quarter": q, "meetings_held": 0, "concerns_registered": 0,
                                        "registered_by_police": 0, "registered_under_18": 0,
                                        "concerns_handled": 0, "concerns_closed": 0, "referred_to_exit": 0,
                                        "fictional": 0})
    for m in meetings:
        row(m["y"], m["q"])["meetings_held"] = m["n"]
    for c in registered:
        rr = row(c["y"], c["q"])
        rr.update(concerns_registered=c["n"], registered_by_police=c["police"], registered_under_18=c["minors"],
                  fictional=c["fictional"])
    for h in handled:
        row(h["y"], h["q"])["concerns_handled"] = h["n"]
    for c in closed:
        row(c["y"], c["q"]).update(concerns_closed=c["n"], referred_to_exit=c["exit"])
    out = []
    for key in sorted(rows, reverse=True):
        rr = rows[key]
        fictional = rr.pop("fictional")
        # Meetings are not people: their count is not suppressed.
        for name in ("concerns_registered", "registered_by_police", "registered_under_18", "concerns_handled",
                     "concerns_closed", "referred_to_exit"):
            rr[name] = suppress(rr[name])
        rr["data_basis"] = databasis.basis(demo=bool(fictional))
        out.append(rr)
    return out
