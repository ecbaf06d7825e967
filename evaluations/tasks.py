"""Celery tasks of the evaluations app."""
from datetime import date

from celery import shared_task
from django.utils import timezone

from operations.jobs import once

from . import services


@shared_task(name="evaluations.send_evaluation_reminders")
def send_evaluation_reminders(on: str | None = None) -> int:
    """Daily (see ``CELERY_BEAT_SCHEDULE``): e-mail the reporters due a reminder; returns how many were sent."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    if on is None and not once(f"evaluation-reminders:{day}", 20 * 3600):
        return 0  # another beat process already sent today's reminders
    return len(services.evaluation_reminders_send(on=day))
