"""An action's deadline: the coordinators are told a week before and the day after, once each; and the action
list as a workbook."""
import io
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from initiatives.models import Module
from safetywalks import services, tasks
from safetywalks.models import ActionReminder, ActionReminderLevel, ActionStatus

pytestmark = pytest.mark.django_db

DEADLINE = date(2025, 11, 1)


@pytest.fixture
def action(alb_coordinator, alb_finding, alb_orgs):
    alb_coordinator.email = "koordinator@albertslund.invalid"
    alb_coordinator.save()
    return services.action_create(user=alb_coordinator, finding=alb_finding, description="Udskift lamperne",
                                  responsible=alb_orgs[1], deadline=DEADLINE)


def _days(n):
    return DEADLINE + timedelta(days=n)


def test_a_week_before_and_the_day_after_the_deadline_once_each(action, alb_coordinator, coordinator):
    coordinator.email = "koordinator@kk.invalid"  # Copenhagen's coordinator is never told of Albertslund's actions
    coordinator.save()
    assert services.action_reminders_send(on=_days(-8)) == []
    soon = services.action_reminders_send(on=_days(-7))
    assert [(r.action, r.level) for r in soon] == [(action, ActionReminderLevel.DUE_SOON)]
    assert alb_coordinator in soon[0].recipients.all()
    to = sorted(addr for m in mail.outbox for addr in m.to)
    assert "koordinator@albertslund.invalid" in to and not any(a.endswith("kk.invalid") for a in to)
    mine = next(m for m in mail.outbox if m.to == ["koordinator@albertslund.invalid"])
    assert "Udskift lamperne (Vej og Park, Hyldespjældet): frist 01.11.2025" in mine.body
    assert services.action_reminders_send(on=_days(-6)) == []  # never twice
    assert services.action_reminders_send(on=DEADLINE) == []  # due today is not overdue
    late = services.action_reminders_send(on=_days(1))
    assert [(r.action, r.level) for r in late] == [(action, ActionReminderLevel.OVERDUE)]
    assert "forsinket siden 01.11.2025" in mail.outbox[-1].body
    assert services.action_reminders_send(on=_days(30)) == []
    assert ActionReminder.objects.count() == 2


def test_done_actions_and_municipalities_without_safety_walks_get_no_reminder(action, alb_coordinator, albertslund):
    services.action_set_status(user=alb_coordinator, action=action, status=ActionStatus.DONE, done_on=_days(-10))
    assert services.action_reminders_send(on=_days(1)) == []
    services.action_set_status(user=alb_coordinator, action=action, status=ActionStatus.IN_PROGRESS)
    municipality = albertslund.municipality
    municipality.modules = [m for m in municipality.modules if m != Module.SAFETY_WALKS]
    municipality.save()
    assert services.action_reminders_send(on=_days(1)) == []


def test_an_action_first_seen_overdue_gets_the_overdue_reminder_only(action):
    assert [r.level for r in services.action_reminders_send(on=_days(3))] == [ActionReminderLevel.OVERDUE]
    assert services.action_reminders_send(on=_days(4)) == []


def test_the_daily_task_runs_once_a_day(action):
    assert tasks.send_action_reminders(on=_days(-7).isoformat()) == 1
    assert tasks.send_action_reminders(on=_days(-7).isoformat()) == 0
    entry = settings.CELERY_BEAT_SCHEDULE["safety-walk-action-reminders"]
    assert entry["task"] == "safetywalks.send_action_reminders"


def test_the_action_list_as_excel_keeps_the_filters_and_says_overdue_and_demo(client, action, alb_coordinator,
                                                                               alb_finding, alb_orgs):
    other = services.action_create(user=alb_coordinator, finding=alb_finding, description="Beskær buskene",
                                   responsible=alb_orgs[0], deadline=date(2099, 1, 1))
    client.force_login(alb_coordinator)
    page = client.get(reverse("safetywalks:action_list"), {"organisation": alb_orgs[1].pk}).content.decode()
    assert f'{reverse("safetywalks:action_xlsx")}?organisation={alb_orgs[1].pk}' in page
    response = client.get(reverse("safetywalks:action_xlsx"), {"organisation": alb_orgs[1].pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "Område")
    rows = [row for row in values[header + 1:] if row[0]]
    assert [row[4] for row in rows] == ["Udskift lamperne"]  # the filter: only Vej og Park's action
    assert rows[0][9] == "ja" and rows[0][10] == "nej"  # overdue; not demo
    assert other.description not in str(values)
    everything = load_workbook(io.BytesIO(client.get(reverse("safetywalks:action_xlsx")).content)).active
    assert "Beskær buskene" in str([[c.value for c in row] for row in everything.iter_rows()])
