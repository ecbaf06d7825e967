"""Celery tasks of the crimestats app: each takes ids and calls one service.

Both jobs run inside ``operations.jobs.job_running``: claimed once (a second
delivery of the same message does nothing), kept alive by a heartbeat, failed
with a readable reason, and sent again by the reaper when their worker is lost.
Late acknowledgement (``acks_late``, set project-wide) and idempotent services
make a repeated delivery harmless.
"""
from celery import shared_task
from django.utils import timezone

from initiatives.models import Municipality
from operations.jobs import job_running

from .models import KeyFigureReport, PoliceImport


@shared_task(acks_late=True, reject_on_worker_lost=True)
def key_figure_report_generate(report_id: int) -> None:
    from .services import report_generate
    with job_running(KeyFigureReport, report_id) as mine:
        if mine:
            report_generate(report_id=report_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def police_import_process(police_import_id: int) -> None:
    from .services import police_import_run
    with job_running(PoliceImport, police_import_id) as mine:
        if mine:
            police_import_run(police_import_id=police_import_id)


@shared_task(acks_late=True)
def quarterly_key_figure_reports() -> list[int]:
    """Beat: ask for last quarter's report in every municipality that has police data."""
    from .models import PoliceEvent
    from .services import scheduled_report_request

    today = timezone.localdate()
    ids = PoliceEvent.objects.values("municipality_id").distinct()
    return [scheduled_report_request(municipality=m, today=today).pk
            for m in Municipality.objects.filter(pk__in=ids).order_by("code")]
