"""Scheduled work of SSP single cases (see CELERY_BEAT_SCHEDULE): each task calls one service."""
from celery import shared_task

from . import services


@shared_task
def concerns_anonymise_due():
    """Daily: the retention rule — anonymise concerns closed long enough ago."""
    return services.concerns_anonymise_due()
