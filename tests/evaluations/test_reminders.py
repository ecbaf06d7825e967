"""The reminder task picks exactly the right reporters on a given date, once."""
from datetime import date

import pytest
from django.conf import settings
from django.core import mail

from accounts import roles
from evaluations import services, tasks
from evaluations.models import Evaluation, EvaluationReminder, EvaluationStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEADLINE = date(2011, 3, 1)


@pytest.fixture
def reporters(copenhagen, open_round):
    admins = {a.code: a for a in copenhagen.municipality.administrations.all()}

    def make(username, code, **kwargs):
        kwargs.setdefault("email", f"{username}@kk.invalid")
        return UserFactory(username=username, municipality=copenhagen.municipality, administration=admins[code],
                           role=kwargs.pop("role", roles.ADMIN_REPORTER), **kwargs)

    users = {
        "buf": make("buf-reporter", "BUF"),
        "buf2": make("buf-reporter-2", "BUF"),
        "sof": make("sof-reporter", "SOF"),
        "kff": make("kff-reporter", "KFF"),  # KFF will have finished everything
        "no_email": make("tmf-no-email", "TMF", email=""),
        "inactive": make("bif-inactive", "BIF", is_active=False),
        "coordinator": make("okf-coord", "ØKF", role=roles.COORDINATOR),
    }
    open_round.evaluations.filter(administration=admins["KFF"]).update(status=EvaluationStatus.SUBMITTED)
    return users


@pytest.mark.parametrize(("day", "expected_kind"), [
    (date(2011, 2, 15), "before"),   # 14 days before
    (date(2011, 2, 26), "before"),   # 3 days before
    (date(2011, 3, 2), "overdue"),   # the day after
    (date(2011, 3, 9), "overdue"),   # a week later
])
def test_reminder_days_pick_exactly_the_reporters_with_outstanding_work(open_round, reporters, day, expected_kind):
    sent = services.evaluation_reminders_send(on=day)
    recipients = sorted(r.recipient.username for r in sent)
    assert recipients == ["buf-reporter", "buf-reporter-2", "sof-reporter"]
    assert {r.kind for r in sent} == {expected_kind}
    assert sorted(m.to[0] for m in mail.outbox) == ["buf-reporter-2@kk.invalid", "buf-reporter@kk.invalid",
                                                     "sof-reporter@kk.invalid"]
    buf_outstanding = open_round.evaluations.filter(administration__code="BUF").count()
    buf_mail = next(m for m in mail.outbox if m.to == ["buf-reporter@kk.invalid"])
    assert str(buf_outstanding) in buf_mail.subject
    assert "01.03.2011" in buf_mail.subject
    listed = [line[2:] for line in buf_mail.body.splitlines() if line.startswith("- ")]
    assert sorted(listed) == sorted(open_round.evaluations.filter(administration__code="BUF")
                                    .values_list("initiative__name", flat=True))


@pytest.mark.parametrize("day", [date(2011, 2, 14), date(2011, 2, 16), date(2011, 3, 1), date(2011, 3, 3),
                                 date(2011, 3, 8)])
def test_no_reminders_on_other_days(open_round, reporters, day):
    assert services.evaluation_reminders_send(on=day) == []
    assert mail.outbox == []


def test_a_rerun_on_the_same_day_sends_nothing_twice(open_round, reporters):
    assert len(services.evaluation_reminders_send(on=date(2011, 2, 15))) == 3
    assert services.evaluation_reminders_send(on=date(2011, 2, 15)) == []
    assert len(mail.outbox) == 3


def test_an_administration_that_has_submitted_everything_gets_no_reminder(open_round, reporters):
    Evaluation.objects.filter(round=open_round, administration__code="SOF").update(status=EvaluationStatus.ACCEPTED)
    sent = services.evaluation_reminders_send(on=date(2011, 2, 26))
    assert sorted(r.recipient.username for r in sent) == ["buf-reporter", "buf-reporter-2"]


def test_the_task_is_scheduled_daily_and_sends_through_the_mail_backend(open_round, reporters):
    entry = settings.CELERY_BEAT_SCHEDULE["evaluation-reminders"]
    assert entry["task"] == tasks.send_evaluation_reminders.name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    result = tasks.send_evaluation_reminders.delay("2011-02-15")
    assert result.get() == 3
    assert EvaluationReminder.objects.filter(sent_on=date(2011, 2, 15)).count() == 3
    assert len(mail.outbox) == 3


def test_the_round_page_says_which_administrations_no_reminder_reaches(client, coordinator, open_round, copenhagen):
    """Issue #15 item 15: the page promised reminders that went to nobody (reporters without e-mail)."""
    from django.urls import reverse

    UserFactory(municipality=copenhagen.municipality, role=roles.ADMIN_REPORTER, email="",
                administration=copenhagen.municipality.administrations.get(code="BUF"))
    UserFactory(municipality=copenhagen.municipality, role=roles.ADMIN_REPORTER, email="sof@example.org",
                administration=copenhagen.municipality.administrations.get(code="SOF"))
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get(reverse("evaluations:round_detail", args=[open_round.pk]))
    unreachable = response.context["unreachable"]
    assert "BUF" in unreachable and "SOF" not in unreachable
    assert "No reminder is sent to" in response.content.decode()


def test_demo_users_have_reserved_example_addresses(settings, copenhagen):
    from accounts.services import demo_users_create

    settings.DEMO_DATA_ALLOWED = True
    users = demo_users_create()
    assert all(u.email == f"{u.username}@example.org" for u in users)
