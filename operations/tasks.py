"""Operations' scheduled tasks: reap stalled jobs, and prove a worker is alive."""
import socket

from celery import shared_task
from django.utils import timezone

from .jobs import jobs_reap_stalled
from .models import WorkerHeartbeat


@shared_task(name="operations.tasks.reap_stalled_jobs", acks_late=False)
def reap_stalled_jobs() -> dict[str, int]:
    """Beat, every JOB_REAP_SECONDS: send stalled jobs again or fail them (``operations.jobs``)."""
    return jobs_reap_stalled()


@shared_task(name="operations.tasks.worker_heartbeat", bind=True, acks_late=False, expires=60)
def worker_heartbeat(self) -> str:
    """Beat, every WORKER_HEARTBEAT_SECONDS: the worker that runs it records that it is alive (``/health/``)."""
    return worker_seen(self.request.hostname or socket.gethostname())


def worker_seen(hostname: str) -> str:
    WorkerHeartbeat.objects.update_or_create(hostname=hostname[:255], defaults={"seen_at": timezone.now()})
    return hostname


@shared_task(name="operations.tasks.api_tokens_purge_expired", acks_late=False)
def api_tokens_purge_expired() -> int:
    """Beat, daily: delete expired API tokens (``indicators.tokens.ApiTokenAuthentication`` no longer sweeps
    them on every request)."""
    from indicators.tokens import api_tokens_purge_expired as purge
    return purge()
