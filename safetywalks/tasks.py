"""Celery tasks of the safety walks."""
from datetime import date

from celery import shared_task
from django.utils import timezone

from operations.jobs import once

from . import services


@shared_task(name="safetywalks.send_action_reminders")
def send_action_reminders(on: str | None = None) -> int:
    """Daily (see ``CELERY_BEAT_SCHEDULE``): tell the coordinators of actions due within a week or overdue."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    if on is None and not once(f"safety-walk-action-reminders:{day}", 20 * 3600):
        return 0  # another beat process already sent today's reminders
    return len(services.action_reminders_send(on=day))
