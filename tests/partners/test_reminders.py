"""Reminders of missing monthly entries: on the configured days, to the right reporters, once a day."""
from datetime import date

import pytest
from django.core import mail

from accounts import roles
from partners import services, tasks
from partners.models import ProgressReminder, ProgressStatus
from partners.selectors import initiatives_for_month
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporters(copenhagen):
    admins = {a.code: a for a in copenhagen.municipality.administrations.all()}
    return {
        "buf": UserFactory(username="buf-r", municipality=copenhagen.municipality, administration=admins["BUF"],
                           role=roles.ADMIN_REPORTER, email="buf@kk.invalid"),
        "kff": UserFactory(username="kff-r", municipality=copenhagen.municipality, administration=admins["KFF"],
                           role=roles.ADMIN_REPORTER, email="kff@kk.invalid"),
        "no_email": UserFactory(username="sof-r", municipality=copenhagen.municipality,
                                administration=admins["SOF"], role=roles.ADMIN_REPORTER, email=""),
    }


def test_reporters_with_missing_entries_are_reminded_once_on_the_day(copenhagen, coordinator, reporters, settings):
    settings.PARTNERS_REMINDER_DAYS = (20,)
    day = date(2025, 6, 20)
    for ini in initiatives_for_month(programme=copenhagen, month=day).filter(administration__code="KFF"):
        services.progress_entry_save(user=coordinator, initiative=ini, month=day, status=ProgressStatus.UNCHANGED,
                                     narrative="ok")
    assert tasks.send_progress_reminders(on="2025-06-19") == 0
    assert tasks.send_progress_reminders(on=day.isoformat()) == 1
    assert [m.to for m in mail.outbox] == [["buf@kk.invalid"]]
    assert "06.2025" in mail.outbox[0].subject
    assert tasks.send_progress_reminders(on=day.isoformat()) == 0  # never twice a day
    assert ProgressReminder.objects.get().month == date(2025, 6, 1)


def test_the_beat_schedule_runs_the_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["partners-progress-reminders"]
    assert entry["task"] == "partners.send_progress_reminders"
