"""Scheduled work of the exit programme (see CELERY_BEAT_SCHEDULE): each task calls one service."""
from celery import shared_task

from . import services


@shared_task
def followup_reminders_send():
    """Daily: tell consultants about due 2-year follow-ups."""
    return services.followup_reminders_send()


@shared_task
def cases_anonymise_due():
    """Daily: the retention rule — anonymise cases whose follow-up is complete."""
    return services.cases_anonymise_due()
