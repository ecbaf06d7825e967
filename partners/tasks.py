"""Celery tasks of the partners app."""
from datetime import date

from celery import shared_task
from django.utils import timezone

from operations.jobs import job_running, once

from . import services


@shared_task(name="partners.send_progress_reminders")
def send_progress_reminders(on: str | None = None) -> int:
    """Daily (see ``CELERY_BEAT_SCHEDULE``): remind reporters of this month's missing progress entries."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    if on is None and not once(f"progress-reminders:{day}", 20 * 3600):
        return 0  # another beat process already sent today's reminders
    return len(services.progress_reminders_send(on=day))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def partner_pack_pdf_generate(job_id: int) -> None:
    """Produce one requested pack PDF (``PartnerPackPdf``): takes the job's id, calls one service."""
    from .models import PartnerPackPdf
    with job_running(PartnerPackPdf, job_id) as mine:
        if mine:
            services.pack_pdf_generate(job_id=job_id)
