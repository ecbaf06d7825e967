"""The calendar, the carry-over rule, the exit referral and retention (services)."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from exitprogram import cpr as cprlib
from exitprogram.models import AccessLog, EntryChannel, ExitCase
from sspcases import selectors, services
from sspcases.models import AgendaItem, Concern, ConcernStatus, MeetingStatus, SingleCaseMeeting

from .factories import make_concern, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are matched in English (Danish is the default language)."""
    with translation.override("en"):
        yield


def _meetings(series):
    return list(series.meetings.order_by("number"))


def test_a_series_gets_a_meeting_every_14_days_and_can_be_extended(ssp):
    series = make_series(actor=ssp, start=date(2025, 1, 2))
    meetings = _meetings(series)
    assert [m.number for m in meetings[:3]] == [1, 2, 3]
    assert [m.held_on for m in meetings[:3]] == [date(2025, 1, 2), date(2025, 1, 16), date(2025, 1, 30)]
    assert meetings[-1].held_on <= date(2025, 1, 2) + timedelta(days=services.DEFAULT_HORIZON_DAYS)
    added = services.meetings_extend(series=series, until=meetings[-1].held_on + timedelta(days=28))
    assert added == 2
    assert services.meetings_extend(series=series, until=meetings[-1].held_on + timedelta(days=28)) == 0
    numbers = list(series.meetings.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert series.municipality_id == ssp.municipality_id


def test_a_planned_meeting_moves_between_its_neighbours_with_a_reason(ssp):
    series = make_series(actor=ssp, start=date(2030, 1, 3))
    first, second, third = _meetings(series)[:3]
    with pytest.raises(ValidationError, match="reason"):
        services.meeting_move(actor=ssp, meeting=second, new_date=date(2030, 1, 20), reason=" ")
    with pytest.raises(ValidationError, match="between"):
        services.meeting_move(actor=ssp, meeting=second, new_date=third.held_on, reason="Helligdag")
    with pytest.raises(ValidationError, match="CPR"):
        services.meeting_move(actor=ssp, meeting=second, new_date=date(2030, 1, 20), reason="pga 010203-1234")
    moved = services.meeting_move(actor=ssp, meeting=second, new_date=date(2030, 1, 20), reason="Helligdag")
    assert moved.held_on == date(2030, 1, 20) and moved.scheduled_on == date(2030, 1, 17) and moved.is_moved


def test_a_concern_is_encrypted_and_audited_and_its_cpr_gives_the_age(ssp, series):
    concern = make_concern(actor=ssp, series=series, registered_on=series.start_date, cpr="010110-4123")
    assert concern.age == cprlib.age_on("010110-4123", series.start_date)
    assert concern.cpr_masked == "010110-XXXX" and concern.cpr_hash and concern.reference.startswith("SSP-")
    from django.db import connection
    with connection.cursor() as cur:
        cur.execute("SELECT first_name, cpr, description FROM sspcases_concern WHERE id = %s", [concern.pk])
        raw = cur.fetchone()
    assert all(v.startswith("gAAAAA") for v in raw), "stored encrypted"
    row = AccessLog.objects.get(case_uuid=concern.uuid)
    assert (row.action, row.case_reference, row.subject_hash) == ("create", concern.reference, concern.cpr_hash)
    assert "Fiktiv" not in row.what


def test_a_concern_needs_an_age_or_a_valid_cpr(ssp, series):
    with pytest.raises(ValidationError):
        services.concern_create(actor=ssp, series=series, source="ssp", registered_on=series.start_date,
                                first_name="A", last_name="B", description="x", cpr="", age=None)
    with pytest.raises(ValidationError):
        services.concern_create(actor=ssp, series=series, source="ssp", registered_on=series.start_date,
                                first_name="A", last_name="B", description="x", cpr="311399-1234")


def test_an_open_concern_is_carried_to_the_next_meeting_with_its_history_until_closed(ssp, series, concern):
    first, second, third = _meetings(series)[:3]
    assert [c.pk for c in selectors.meeting_agenda(user=ssp, meeting=first)] == [concern.pk]
    services.item_record(actor=ssp, meeting=first, concern=concern, action="parent_talk", owner="ssp",
                         owner_name="Sara", decision="Forældresamtale", deadline=first.held_on + timedelta(days=7))
    first.refresh_from_db()
    assert first.status == MeetingStatus.HELD
    agenda = selectors.meeting_agenda(user=ssp, meeting=second)
    assert [c.pk for c in agenda] == [concern.pk]
    assert [i.meeting_id for i in agenda[0].history] == [first.pk]  # carried over with its history
    services.item_record(actor=ssp, meeting=second, concern=concern, action="youth_talk", owner="police",
                         closes_concern=True, closure_outcome="resolved")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED and concern.closed_on == second.held_on
    assert selectors.meeting_agenda(user=ssp, meeting=third) == []
    # the meeting that closed it still shows it
    assert [c.pk for c in selectors.meeting_agenda(user=ssp, meeting=second)] == [concern.pk]
    with pytest.raises(ValidationError, match="closed"):
        services.item_record(actor=ssp, meeting=third, concern=concern, action="monitor", owner="ssp")


def test_recording_rules(ssp, series, concern):
    first, second = _meetings(series)[:2]
    future = series.meetings.filter(held_on__gt=timezone.localdate()).first()
    with pytest.raises(ValidationError, match="not taken place"):
        services.item_record(actor=ssp, meeting=future, concern=concern, action="monitor", owner="ssp")
    with pytest.raises(ValidationError, match="outcome"):
        services.item_record(actor=ssp, meeting=first, concern=concern, action="monitor", owner="ssp",
                             closes_concern=True)
    with pytest.raises(ValidationError, match="deadline"):
        services.item_record(actor=ssp, meeting=first, concern=concern, action="monitor", owner="ssp",
                             deadline=first.held_on - timedelta(days=1))
    services.item_record(actor=ssp, meeting=second, concern=concern, action="monitor", owner="ssp")
    with pytest.raises(ValidationError, match="later meeting"):
        services.item_record(actor=ssp, meeting=first, concern=concern, action="monitor", owner="ssp")
    # correcting the same meeting's item updates it, no second row
    services.item_record(actor=ssp, meeting=second, concern=concern, action="youth_talk", owner="ssp")
    assert AgendaItem.objects.get(concern=concern).action == "youth_talk"


def test_a_meeting_is_held_with_ssp_users_and_police_as_text(ssp, ssp2, series):
    first = _meetings(series)[0]
    services.meeting_hold(actor=ssp, meeting=first, ssp_participants=[ssp, ssp2],
                          police_participants="Politiassistent Demo, Lokalpolitiet")
    first.refresh_from_db()
    assert first.status == MeetingStatus.HELD and set(first.ssp_participants.all()) == {ssp, ssp2}
    with pytest.raises(ValidationError):
        services.meeting_hold(actor=ssp, meeting=series.meetings.filter(held_on__gt=timezone.localdate()).first(),
                              ssp_participants=[], police_participants="")


def test_conversion_creates_the_exit_case_through_exitprogram_and_links_both(ssp, series):
    concern = make_concern(actor=ssp, series=series, registered_on=series.start_date, cpr="170506-4234",
                           source="police")
    case = services.concern_convert_to_exit(actor=ssp, concern=concern, track="general", crime_level="serious")
    concern.refresh_from_db()
    assert concern.exit_case == case and case.ssp_concern == concern
    assert (case.first_name, case.last_name, case.cpr_hash) == (concern.first_name, concern.last_name,
                                                               concern.cpr_hash)
    assert case.entry_channel == EntryChannel.POLICE and case.ssp_consultant == ssp
    assert concern.status == ConcernStatus.CLOSED and concern.closure_outcome == "exit_programme"
    with pytest.raises(ValidationError):
        services.concern_convert_to_exit(actor=ssp, concern=concern, track="general", crime_level="serious")


def test_conversion_of_an_under_18_needs_the_exit_programmes_age_reason_and_a_cpr(ssp, series, concern):
    with pytest.raises(ValidationError, match="CPR"):
        services.concern_convert_to_exit(actor=ssp, concern=concern, track="general", crime_level="serious")
    with pytest.raises(ValidationError):
        services.concern_convert_to_exit(actor=ssp, concern=concern, track="general", crime_level="serious",
                                         cpr="010110-4123")
    assert ExitCase.objects.count() == 0
    case = services.concern_convert_to_exit(actor=ssp, concern=concern, track="general", crime_level="serious",
                                            cpr="010110-4123", age_override_reason="Tidlig indsats")
    concern.refresh_from_db()
    assert concern.cpr_masked == "010110-XXXX" and case.age_override_reason == "Tidlig indsats"


def test_another_municipalitys_series_is_refused(ssp, series):
    from initiatives.models import Municipality
    other = Municipality.objects.create(code="0999", name="Andeby")
    series.municipality = other
    with pytest.raises(PermissionDenied):
        make_concern(actor=ssp, series=series, registered_on=series.start_date)


def test_closed_concerns_are_anonymised_after_retention_keeping_the_counts(ssp, series, concern, settings):
    first = _meetings(series)[0]
    services.item_record(actor=ssp, meeting=first, concern=concern, action="monitor", owner="ssp",
                         decision="Navngivet beslutning", owner_name="Sara", closes_concern=True,
                         closure_outcome="resolved")
    settings.SSP_CONCERN_ANONYMISE_AFTER_DAYS = 10
    assert services.concerns_anonymise_due(as_of=first.held_on + timedelta(days=9)) == 0
    assert services.concerns_anonymise_due(as_of=first.held_on + timedelta(days=10)) == 1
    concern.refresh_from_db()
    item = concern.items.get()
    assert concern.anonymised_at and not concern.first_name and not concern.cpr_hash and not concern.description
    assert not item.decision and not item.owner_name and item.action == "monitor"
    assert concern.display_name == "(anonymiseret)" or concern.display_name == "(anonymised)"
    assert AccessLog.objects.filter(case_uuid=concern.uuid, action="anonymise").count() == 1
    start, end = selectors.quarter_bounds(first.held_on.year, (first.held_on.month - 1) // 3 + 1)
    assert selectors.concerns_handled_count(municipality_id=ssp.municipality_id, start=start, end=end) == 1
    assert Concern.objects.count() == 1 and SingleCaseMeeting.objects.filter(series=series).exists()


def test_the_access_log_of_an_anonymised_concern_is_purged_with_the_exit_programmes_rule(ssp, series, concern):
    from exitprogram.selectors import access_log_due_for_deletion
    first = _meetings(series)[0]
    services.item_record(actor=ssp, meeting=first, concern=concern, action="monitor", owner="ssp",
                         closes_concern=True, closure_outcome="resolved")
    now = timezone.now()
    assert not access_log_due_for_deletion(now=now, keep_days=30).filter(case_uuid=concern.uuid).exists()
    services.concern_anonymise(concern_id=concern.pk)
    later = now + timedelta(days=31)
    assert access_log_due_for_deletion(now=later, keep_days=30).filter(case_uuid=concern.uuid).count() == \
        AccessLog.objects.filter(case_uuid=concern.uuid).count() >= 3


def test_a_planned_meeting_is_cancelled_with_a_reason_and_can_be_planned_again(ssp, series, concern):
    from operations.locking import StaleWrite

    first, second, third = _meetings(series)[:3]
    with pytest.raises(ValidationError, match="why"):
        services.meeting_cancel(actor=ssp, meeting=third, reason=" ", expected_version=third.version)
    with pytest.raises(ValidationError):  # a CPR number never goes into a free-text field
        services.meeting_cancel(actor=ssp, meeting=third, reason="pga 010203-1234", expected_version=third.version)
    cancelled = services.meeting_cancel(actor=ssp, meeting=third, reason="Politiet kan ikke",
                                        expected_version=third.version)
    assert (cancelled.status, cancelled.cancel_reason, cancelled.version) == (MeetingStatus.CANCELLED,
                                                                              "Politiet kan ikke", 2)
    with pytest.raises(ValidationError, match="cancelled"):  # nothing is recorded at a cancelled meeting
        services.meeting_hold(actor=ssp, meeting=cancelled, ssp_participants=[ssp], police_participants="")
    # the concern is still open, so it is on the next meeting's agenda
    fourth = _meetings(series)[3]
    assert concern in selectors.meeting_agenda(user=ssp, meeting=fourth)
    # the form of a colleague opened before the cancellation is stale
    with pytest.raises(StaleWrite):
        services.meeting_reinstate(actor=ssp, meeting=cancelled, expected_version=1)
    planned = services.meeting_reinstate(actor=ssp, meeting=cancelled, expected_version=2)
    assert (planned.status, planned.cancel_reason, planned.version) == (MeetingStatus.PLANNED, "", 3)


def test_a_meeting_with_recorded_decisions_cannot_be_cancelled(ssp, series, concern):
    first = _meetings(series)[0]
    services.item_record(actor=ssp, meeting=first, concern=concern, action="parent_talk", owner="ssp",
                         decision="Samtale")
    first.refresh_from_db()
    assert first.status == MeetingStatus.HELD  # its first recorded decision made it held
    with pytest.raises(ValidationError, match="Only a planned meeting"):
        services.meeting_cancel(actor=ssp, meeting=first, reason="Fejl", expected_version=first.version)


def test_two_colleagues_changing_one_meeting_never_overwrite_each_other_silently(ssp, ssp2, series):
    from operations.locking import StaleWrite

    first = _meetings(series)[0]
    opened = first.version  # both open the page
    services.meeting_hold(actor=ssp, meeting=first, ssp_participants=[ssp], police_participants="Betjent A",
                          expected_version=opened)
    with pytest.raises(StaleWrite) as exc:
        services.meeting_hold(actor=ssp2, meeting=first, ssp_participants=[ssp2], police_participants="Betjent B",
                              expected_version=opened)
    assert exc.value.current.police_participants == "Betjent A"
    first.refresh_from_db()
    assert first.police_participants == "Betjent A" and list(first.ssp_participants.all()) == [ssp]
    with pytest.raises(StaleWrite):  # a tampered or missing version is a conflict, not a crash
        services.meeting_hold(actor=ssp2, meeting=first, ssp_participants=[], police_participants="",
                              expected_version="x")
