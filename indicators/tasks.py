"""Celery tasks of the indicators app."""
from datetime import date

from celery import shared_task
from django.utils import timezone

from operations.jobs import once

from . import services


@shared_task(name="indicators.send_reporting_reminders")
def send_reporting_reminders(on: str | None = None) -> int:
    """Daily (see ``CELERY_BEAT_SCHEDULE``): remind and escalate overdue indicator values; returns rows written."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    if on is None and not once(f"reporting-reminders:{day}", 20 * 3600):
        return 0  # another beat process already ran today
    return len(services.reporting_reminders_send(on=day))
