"""The phase rules, optimistic locking, encryption at rest, audit rows, retention and reminders."""
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from accounts import roles
from exitprogram import services
from exitprogram.models import AccessLog, ExitCase, Phase, PhaseTransition, Track
from initiatives.models import Administration

from .factories import advance_to_inclusion, close_case, complete_case, make_case, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages asserted below are the English msgids (Danish is the default language)."""
    with translation.override("en"):
        yield


def test_case_create_records_identification_and_audit(consultant):
    case = make_case(consultant=consultant, cpr="170590-1234")
    assert case.phase == Phase.IDENTIFICATION
    assert case.reference == f"EX-2011-{case.pk:05d}"
    assert case.age_at_referral == 20
    t = PhaseTransition.objects.get(case=case)
    assert (t.from_phase, t.to_phase, t.by) == ("", Phase.IDENTIFICATION, consultant)
    log = AccessLog.objects.get(case_uuid=case.uuid)
    assert (log.action, log.username, log.subject_hash) == ("create", consultant.username, case.cpr_hash)


def test_cpr_and_names_are_encrypted_at_rest(consultant):
    case = make_case(consultant=consultant, cpr="170590-1234", first_name="Fiktiv", last_name="Hemmeligsen",
                     baseline_crime="Røveri")
    with connection.cursor() as cur:
        cur.execute("SELECT cpr, first_name, last_name, baseline_crime, cpr_hash FROM exitprogram_exitcase "
                    "WHERE id = %s", [case.pk])
        row = cur.fetchone()
    raw = " ".join(str(v) for v in row)
    for secret in ["1705901234", "170590", "Hemmeligsen", "Fiktiv", "Røveri"]:
        assert secret not in raw
    assert ExitCase.objects.get(pk=case.pk).cpr == "1705901234"
    assert ExitCase.objects.filter(cpr_hash=services.cprlib.cpr_hash("170590-1234")).get() == case


def test_no_cpr_in_the_access_log(consultant):
    case = make_case(consultant=consultant, cpr="170590-1234")
    services.access_log_record(user=consultant, action="view", what="case page", case=case)
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM exitprogram_accesslog")
        dump = repr(cur.fetchall())
    assert "1705901234" not in dump and "170590" not in dump and "Testperson" not in dump


def test_duplicate_open_case_for_the_same_person_is_refused(consultant, other_consultant):
    make_case(consultant=consultant, cpr="170590-1234")
    with pytest.raises(ValidationError) as exc:
        make_case(consultant=other_consultant, cpr="1705901234")
    assert "cpr" in exc.value.error_dict


def test_age_outside_target_group_needs_a_reason(consultant):
    with pytest.raises(ValidationError) as exc:
        make_case(consultant=consultant, born=date(1980, 1, 1))
    assert "age_override_reason" in exc.value.error_dict
    case = make_case(consultant=consultant, born=date(1980, 1, 1), age_override_reason="Bandeexit, 31 år")
    assert case.age_at_referral == 31


def test_forward_needs_baseline_and_exit_expert_for_gang_cases(consultant):
    case = make_case(consultant=consultant, baseline_housing="", track=Track.GENERAL)
    with pytest.raises(ValidationError) as exc:
        services.case_transition(actor=consultant, case=case, to_phase=Phase.COORDINATION,
                                 expected_version=case.version)
    assert "to_phase" in exc.value.error_dict
    assert case.phase == Phase.IDENTIFICATION


def test_gang_case_requires_an_exit_expert_at_screening(consultant):
    with pytest.raises(ValidationError) as exc:
        services.case_transition(
            actor=consultant, case=make_case(consultant=consultant, track=Track.GANG),
            to_phase=Phase.COORDINATION, expected_version=1)
    assert "exit expert" in str(exc.value)


def test_phases_move_one_at_a_time_and_closure_has_its_own_form(case, consultant):
    with pytest.raises(ValidationError, match="one at a time"):
        services.case_transition(actor=consultant, case=case, to_phase=Phase.INCLUSION, expected_version=1)
    services.case_transition(actor=consultant, case=case, to_phase=Phase.COORDINATION, expected_version=1)
    with pytest.raises(ValidationError, match="meeting"):
        services.case_transition(actor=consultant, case=case, to_phase=Phase.INCLUSION,
                                 expected_version=case.version)


def test_inclusion_needs_meeting_plan_and_mentor_then_step_back_needs_reason(case, consultant, mentor):
    advance_to_inclusion(case, consultant=consultant, mentor=mentor)
    assert case.phase == Phase.INCLUSION
    with pytest.raises(ValidationError) as exc:
        services.case_transition(actor=consultant, case=case, to_phase=Phase.COORDINATION,
                                 expected_version=case.version)
    assert "reason" in exc.value.error_dict
    services.case_transition(actor=consultant, case=case, to_phase=Phase.COORDINATION, reason="Tilbagefald",
                             expected_version=case.version)
    back = case.transitions.order_by("-pk").first()
    assert back.is_step_back and back.reason == "Tilbagefald" and back.by == consultant


def test_close_requires_inclusion_reason_and_evaluation(case, consultant, mentor):
    with pytest.raises(ValidationError):
        close_case(case, consultant=consultant)
    advance_to_inclusion(case, consultant=consultant, mentor=mentor)
    with pytest.raises(ValidationError) as exc:
        services.case_close(actor=consultant, case=case, expected_version=case.version, closed_on=date(2012, 1, 1),
                            closure_reason="", evaluation="")
    assert {"closure_reason", "evaluation"} <= set(exc.value.error_dict)
    close_case(case, consultant=consultant, closed_on=date(2012, 2, 29))
    assert case.phase == Phase.CLOSED and case.followup_due == date(2014, 2, 28)


def test_gang_case_is_evaluated_with_the_exit_expert(gang_case, consultant, mentor):
    advance_to_inclusion(gang_case, consultant=consultant, mentor=mentor)
    with pytest.raises(ValidationError) as exc:
        services.case_close(actor=consultant, case=gang_case, expected_version=gang_case.version,
                            closed_on=date(2012, 1, 1), closure_reason="self_reliant", evaluation="ok",
                            evaluated_with_exit_expert=False)
    assert "evaluated_with_exit_expert" in exc.value.error_dict


def test_followup_only_after_two_years(case, consultant, mentor):
    advance_to_inclusion(case, consultant=consultant, mentor=mentor)
    close_case(case, consultant=consultant, closed_on=date(2012, 2, 1))
    with pytest.raises(ValidationError, match="2014-02-01"):
        services.case_followup_record(actor=consultant, case=case, expected_version=case.version,
                                      done_on=date(2013, 1, 1), convicted=False, occupation="education")
    services.case_followup_record(actor=consultant, case=case, expected_version=case.version,
                                  done_on=date(2014, 2, 1), convicted=False, occupation="education")
    assert case.convicted_within_2y is False
    with pytest.raises(ValidationError, match="cannot be reopened"):
        services.case_transition(actor=consultant, case=case, to_phase=Phase.INCLUSION, reason="x",
                                 expected_version=case.version)


def test_concurrent_save_conflict(case, consultant):
    first = ExitCase.objects.get(pk=case.pk)
    second = ExitCase.objects.get(pk=case.pk)
    services.case_update(actor=consultant, case=first, expected_version=1, baseline_housing="Egen bolig")
    with pytest.raises(services.CaseConflict):
        services.case_update(actor=consultant, case=second, expected_version=1, baseline_housing="Herberg")
    assert ExitCase.objects.get(pk=case.pk).baseline_housing == "Egen bolig"
    assert ExitCase.objects.get(pk=case.pk).version == 2


def test_plan_item_conflict(case, consultant):
    sof = Administration.objects.get(municipality=case.municipality, code="SOF")
    item = services.plan_item_create(actor=consultant, case=case, goal="Job", area="employment", responsible=sof,
                                     deadline=date(2012, 1, 1))
    services.plan_item_update(actor=consultant, item=item, expected_version=1, status="in_progress")
    with pytest.raises(services.CaseConflict):
        services.plan_item_update(actor=consultant, item=item, expected_version=1, status="done")


def test_pool_only_for_gang_cases(case, gang_case, consultant, expert):
    sof = Administration.objects.get(municipality=case.municipality, code="SOF")
    kwargs = dict(actor=expert, spent_on=date(2011, 6, 1), category="relocation", description="Flytning",
                  amount_tdkk="25.500", administration=sof, approved_by=expert)
    with pytest.raises(ValidationError, match="gang"):
        services.pool_expense_create(case=case, **kwargs)
    expense = services.pool_expense_create(case=gang_case, **kwargs)
    assert expense.price_level_year == 2011 and str(expense.amount_tdkk) == "25.500"


def test_access_log_is_append_only(case):
    row = AccessLog.objects.filter(case_uuid=case.uuid).first()
    row.purpose = "changed"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=row.pk).update(purpose="x")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=row.pk).purpose == services.PURPOSE_CASEWORK


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_trigger_refuses_update_of_the_access_log(case):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE exitprogram_accesslog SET purpose = 'x'")


def test_anonymise_keeps_statistics_and_erases_personal_data(case, consultant, mentor):
    complete_case(case, consultant=consultant, mentor=mentor)
    subject = case.cpr_hash
    assert services.cases_anonymise_due(as_of=date(2014, 2, 2)) == 0  # grace period
    assert services.cases_anonymise_due(as_of=date(2014, 6, 1)) == 1
    case.refresh_from_db()
    assert case.anonymised_at and not case.cpr and case.cpr_hash == "" and not case.first_name
    assert not case.baseline_housing and not case.meetings.get().participants and not case.plan_items.get().goal
    assert not case.notes.exists() or not case.notes.first().text
    assert case.convicted_within_2y is False and case.age_at_referral == 20 and case.closure_reason == "self_reliant"
    assert AccessLog.objects.filter(subject_hash=subject, action="anonymise").count() == 1


def test_followup_reminders_mail_the_consultant_once_without_personal_data(case, consultant, mentor):
    consultant.email = "ssp@example.invalid"
    consultant.save()
    advance_to_inclusion(case, consultant=consultant, mentor=mentor)
    close_case(case, consultant=consultant, closed_on=date(2012, 2, 1))
    assert services.followup_reminders_send(as_of=date(2014, 1, 31)) == 0
    assert services.followup_reminders_send(as_of=date(2014, 2, 1)) == 1
    assert services.followup_reminders_send(as_of=date(2014, 2, 2)) == 0
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert case.reference in body and "Testperson" not in body and "XXXX" not in body


def test_followup_task_runs_the_service(case, consultant, mentor):
    from exitprogram.tasks import followup_reminders_send

    advance_to_inclusion(case, consultant=consultant, mentor=mentor)
    close_case(case, consultant=consultant, closed_on=date(2012, 2, 1))
    assert followup_reminders_send.delay().get() == 1
    case.refresh_from_db()
    assert case.followup_reminded_on is not None


def test_beat_schedule_has_the_daily_tasks(settings):
    tasks = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"exitprogram.tasks.followup_reminders_send", "exitprogram.tasks.cases_anonymise_due"} <= tasks
    from sikkerby.celery import app

    app.loader.import_default_modules()
    assert "exitprogram.tasks.followup_reminders_send" in app.tasks


def test_access_log_export_for_one_person(case, consultant, muni):
    dpo = make_user(muni, roles.DATA_PROTECTION, "ØKF")
    services.access_log_record(user=consultant, action="view", what="case page", case=case)
    rows = services.access_log_export(actor=dpo, cpr=case.cpr, reason="Anmodning 2026-11-20")
    assert [r.action for r in rows] == ["create", "view", "export"]
    assert rows[-1].purpose == AccessLog.Purpose.DATA_SUBJECT_REQUEST and rows[-1].reason == "Anmodning 2026-11-20"
    with pytest.raises(PermissionDenied):  # the case worker whose reads the log records may not export it
        services.access_log_export(actor=consultant, cpr=case.cpr, reason="x")
