"""Scheduled work of the exit programme (see CELERY_BEAT_SCHEDULE): each task calls one service."""
from celery import shared_task

from django.utils import timezone

from operations.jobs import once

from . import services


@shared_task
def followup_reminders_send():
    """Daily: tell consultants about due 2-year follow-ups (once a day, however many beat processes run)."""
    if not once(f"exit-followup-reminders:{timezone.localdate()}", 20 * 3600):
        return 0
    return services.followup_reminders_send()


@shared_task
def cases_anonymise_due():
    """Daily: the retention rule — anonymise cases whose follow-up is complete."""
    return services.cases_anonymise_due()
