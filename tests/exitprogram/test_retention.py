"""Issue #15 item 14: retention that cannot be skipped — a follow-up never recorded still ends in
anonymisation, and the access log itself is deleted a stated time after its case was anonymised."""
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from exitprogram import services
from exitprogram.models import AccessLog, ExitCase

from .factories import advance_to_inclusion, close_case, make_case

pytestmark = pytest.mark.django_db


def test_a_closed_case_whose_followup_was_never_recorded_is_anonymised_after_the_grace(consultant, mentor,
                                                                                        settings):
    settings.EXIT_ANONYMISE_UNRECORDED_FOLLOWUP_AFTER_DAYS = 180
    case = make_case(consultant=consultant)
    advance_to_inclusion(case, consultant=consultant, mentor=mentor)
    close_case(case, consultant=consultant, closed_on=date(2012, 2, 1))
    case.refresh_from_db()
    assert case.followup_due == date(2014, 2, 1) and case.followup_done_on is None
    assert services.cases_anonymise_due(as_of=date(2014, 7, 30)) == 0  # due + 179 days: still in the grace
    assert services.cases_anonymise_due(as_of=date(2014, 7, 31)) == 1  # due + 180 days
    case.refresh_from_db()
    assert case.anonymised_at and not case.cpr and not case.cpr_hash and not case.first_name
    assert case.followup_done_on is None and case.closed_on == date(2012, 2, 1)  # the statistics stay


def test_an_open_case_is_never_anonymised_by_the_rule(consultant):
    make_case(consultant=consultant)
    assert services.cases_anonymise_due(as_of=date(2030, 1, 1)) == 0


def _anonymised_case(consultant, *, when):
    case = make_case(consultant=consultant, born=date(1990, 1, 1 + ExitCase.objects.count()))
    services.access_log_record(user=consultant, action=AccessLog.Action.VIEW, what="case page", case=case)
    services.case_anonymise(case_id=case.pk)
    ExitCase.objects.filter(pk=case.pk).update(anonymised_at=when)
    return case


def test_the_owner_command_deletes_the_access_log_of_cases_anonymised_long_ago(consultant, settings):
    settings.EXIT_ACCESS_LOG_KEEP_DAYS = 5 * 365
    now = timezone.now()
    old = _anonymised_case(consultant, when=now - timedelta(days=5 * 365 + 1))
    recent = _anonymised_case(consultant, when=now - timedelta(days=30))
    live = make_case(consultant=consultant, born=date(1991, 6, 1))
    services.access_log_record(user=consultant, action=AccessLog.Action.VIEW, what="case page", case=live)
    request = AccessLog.objects.create(username="x", action="export", what="access log for one person",
                                       purpose="data-subject access request", subject_hash="h",
                                       at=datetime(2000, 1, 1, tzinfo=UTC))
    assert AccessLog.objects.filter(case_uuid=old.uuid).count() >= 2
    call_command("access_log_purge")
    assert not AccessLog.objects.filter(case_uuid=old.uuid).exists()
    assert not AccessLog.objects.filter(pk=request.pk).exists()
    assert AccessLog.objects.filter(case_uuid=recent.uuid).exists()
    assert AccessLog.objects.filter(case_uuid=live.uuid).exists()
    with pytest.raises(PermissionError):  # the application itself still cannot delete audit rows
        AccessLog.objects.filter(case_uuid=live.uuid).delete()


def test_the_purge_leaves_the_append_only_guard_in_place(consultant, settings):
    from django.db import DatabaseError, connection, transaction

    settings.EXIT_ACCESS_LOG_KEEP_DAYS = 1
    _anonymised_case(consultant, when=timezone.now() - timedelta(days=2))
    assert services.access_log_purge() >= 2
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    live = make_case(consultant=consultant, born=date(1992, 2, 2))
    services.access_log_record(user=consultant, action=AccessLog.Action.VIEW, what="case page", case=live)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM exitprogram_accesslog")
