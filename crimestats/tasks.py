"""Celery tasks of the crimestats app: each takes ids and calls one service.

Late acknowledgement (``acks_late``, set project-wide) means a task whose
worker died is delivered again; the services are idempotent, so that is safe.
"""
from celery import shared_task
from django.utils import timezone

from initiatives.models import Municipality


@shared_task(acks_late=True, reject_on_worker_lost=True)
def key_figure_report_generate(report_id: int) -> int:
    from .services import report_generate
    return report_generate(report_id=report_id).pk


@shared_task(acks_late=True, reject_on_worker_lost=True)
def police_import_process(police_import_id: int) -> int:
    from .services import police_import_run
    return police_import_run(police_import_id=police_import_id).pk


@shared_task(acks_late=True)
def quarterly_key_figure_reports() -> list[int]:
    """Beat: ask for last quarter's report in every municipality that has police data."""
    from .models import PoliceEvent
    from .services import scheduled_report_request

    today = timezone.localdate()
    ids = PoliceEvent.objects.values("municipality_id").distinct()
    return [scheduled_report_request(municipality=m, today=today).pk
            for m in Municipality.objects.filter(pk__in=ids).order_by("code")]
