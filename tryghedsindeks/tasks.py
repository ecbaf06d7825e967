"""Celery tasks of the Tryghedsindeks: take ids, call one service."""
from celery import shared_task

from operations.jobs import job_running

from .models import SafetyIndexComputation


@shared_task(acks_late=True, reject_on_worker_lost=True)
def safety_index_compute_task(computation_id: int) -> None:
    """Compute the index for a queued ``SafetyIndexComputation`` (a background job, see ``operations.jobs``)."""
    from .services import safety_index_computation_run
    with job_running(SafetyIndexComputation, computation_id) as mine:
        if mine:
            safety_index_computation_run(computation_id=computation_id)
