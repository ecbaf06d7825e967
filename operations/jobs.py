"""Background jobs that cannot get stuck: one mechanism for every kind of job.

A job is a row of a model that inherits ``BackgroundJob`` (a key-figure report,
a police import, a safety-index computation) and names its Celery task in
``job_task``. Its life:

* **queued** by ``job_enqueue`` inside the request's transaction: the broker is
  asked first (``BrokerUnavailable`` at once when it does not answer, so no row
  is left behind), and the message is sent when the transaction commits. A
  send that fails after the commit is logged; the row stays ``pending`` and the
  reaper sends it again.
* **claimed** by the task with ``job_running``: one conditional UPDATE moves it
  to ``running``; a second delivery of the same message finds it taken and does
  nothing. While the work runs, a thread in the worker writes ``heartbeat_at``
  every ``JOB_HEARTBEAT_SECONDS``; when the worker dies, the heartbeat stops.
* **finished** by the service (``done``), or **failed** with a reason a user can
  read: an error in the work, or the soft time limit.
* **reaped** when it makes no progress: ``pending`` longer than
  ``JOB_PENDING_SECONDS`` (its message was lost: broker restarted without
  persistence, or the send failed) or ``running`` without a heartbeat for
  ``JOB_STALL_SECONDS`` (its worker was killed). It is sent again, up to
  ``JOB_MAX_ATTEMPTS`` sends in all, then marked failed with the reason. The
  beat task ``operations.reap_stalled_jobs`` does this for every job model, and
  each job's own status page does it for its job when it is looked at.
* **started again** by its user (``job_restart``) once failed.

Every job model is found through the app registry (``job_models``), so a new
kind of job cannot forget the rule.
"""
import importlib
import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, close_old_connections, connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

logger = logging.getLogger(__name__)

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"


class BrokerUnavailable(Exception):
    """The message broker does not answer: the job cannot be queued now (nothing was stored)."""

    def __init__(self):
        super().__init__(_("The background service is not available right now, so nothing was started. "
                           "Please try again in a few minutes."))


class JobNotRestartable(Exception):
    """The job cannot be started again (it is not failed, or what it needs is gone)."""


class BackgroundJob(models.Model):
    """What every background job records so that it can be seen, timed out, retried and started again.

    The concrete model has a ``status`` field with the values pending, running,
    done and failed, and names its Celery task (which takes the row's id) in
    ``job_task``.
    """

    job_task: str = ""

    attempts = models.PositiveSmallIntegerField(gettext_lazy("attempts"), default=0)
    queued_at = models.DateTimeField(gettext_lazy("queued"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(gettext_lazy("last sign of life"), null=True, blank=True)
    # Why it failed: a message id (translated when shown, so each reader gets their own language) and its
    # parameters. A reason from the work itself may already be a finished text; then it has no parameters.
    error = models.TextField(gettext_lazy("error"), blank=True)
    error_params = models.JSONField(gettext_lazy("error details"), default=dict, blank=True)

    class Meta:
        abstract = True

    @property
    def error_message(self) -> str:
        if not self.error:
            return ""
        text = _(self.error)
        return text % self.error_params if self.error_params else text

    @property
    def is_active(self) -> bool:
        return self.status in (PENDING, RUNNING)

    def can_restart(self) -> bool:
        """Whether its user may start it again (overridden where a job needs more, e.g. its file)."""
        return self.status == FAILED


def job_models() -> list[type[BackgroundJob]]:
    return [m for m in apps.get_models() if issubclass(m, BackgroundJob)]


def job_task(model: type[BackgroundJob]):
    """The Celery task of a job model (its module imported, so it is registered in this process too)."""
    from sikkerby.celery import app
    importlib.import_module(model.job_task.rpartition(".")[0])
    return app.tasks[model.job_task]


# --- the broker ----------------------------------------------------------------
def _eager() -> bool:
    from sikkerby.celery import app
    return bool(app.conf.task_always_eager)


def broker_available() -> bool:
    """Whether the broker answers within about two seconds (always true when tasks run in-process)."""
    if _eager():
        return True
    from sikkerby.celery import app
    try:
        with app.connection_for_write() as conn:
            # a virtual transport (Redis) opens a channel here, which pings the server
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, interval_max=0.2,
                                   timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure to reach it means the same to the user
        logger.warning("broker not reachable")
        return False


def _send(model: type[BackgroundJob], pk: int) -> None:
    """Send the job's message; a failure is logged and left to the reaper (the row stays pending)."""
    from sikkerby.celery import app
    if _eager():  # in-process: the task runs now and its errors propagate
        job_task(model).delay(pk)
        return
    try:
        app.send_task(model.job_task, args=[pk], retry=True, retry_policy=settings.JOB_PUBLISH_RETRY_POLICY)
    except Exception:  # noqa: BLE001
        logger.warning("could not send %s %s to the broker; the reaper will send it again", model.__name__, pk)


# --- queueing -------------------------------------------------------------------
def job_enqueue(job: BackgroundJob) -> None:
    """Queue a saved pending job: sent to the worker when the current transaction commits.

    Raises ``BrokerUnavailable`` before anything is sent when the broker does
    not answer; call it inside the transaction that created the row, so the
    row is rolled back with it.
    """
    if not broker_available():
        raise BrokerUnavailable()
    model, pk = type(job), job.pk
    job.queued_at, job.attempts = timezone.now(), job.attempts + 1
    model.objects.filter(pk=pk).update(queued_at=job.queued_at, attempts=job.attempts)
    transaction.on_commit(lambda: _send(model, pk))


def job_restart(job: BackgroundJob) -> None:
    """Start a failed job again, by its user: it counts its attempts from zero."""
    with transaction.atomic():
        fresh = type(job).objects.select_for_update().get(pk=job.pk)
        if not fresh.can_restart():
            raise JobNotRestartable(_("Only a failed job can be started again."))
        if not broker_available():
            raise BrokerUnavailable()
        type(job).objects.filter(pk=job.pk).update(
            status=PENDING, attempts=1, queued_at=timezone.now(), heartbeat_at=None, error="", error_params={})
        model, pk = type(job), job.pk
        transaction.on_commit(lambda: _send(model, pk))


# --- running ------------------------------------------------------------------
def _stale_before():
    return timezone.now() - timedelta(seconds=settings.JOB_STALL_SECONDS)


def job_claim(model: type[BackgroundJob], pk: int) -> bool:
    """Take the job for this worker: true when it was pending, or running with a dead heartbeat."""
    now = timezone.now()
    return bool(model.objects.filter(pk=pk).filter(
        Q(status=PENDING) | Q(status=RUNNING, heartbeat_at__lt=_stale_before())
        | Q(status=RUNNING, heartbeat_at__isnull=True)
    ).update(status=RUNNING, heartbeat_at=now))


class _Heartbeat(threading.Thread):
    def __init__(self, model, pk):
        super().__init__(daemon=True, name=f"heartbeat-{model.__name__}-{pk}")
        self.model, self.pk, self.stopped = model, pk, threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    self.model.objects.filter(pk=self.pk, status=RUNNING).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("heartbeat of %s %s not written", self.model.__name__, self.pk)
                    close_old_connections()
        finally:
            connection.close()


TIMED_OUT = gettext_noop("The job took longer than %(minutes)d minutes and was stopped. Start it again; if it "
                         "happens again, tell the operator.")
CRASHED = gettext_noop("The job stopped with an error (%(error)s). Start it again; if it fails again, tell the "
                       "operator.")
WORKER_LOST = gettext_noop("The worker stopped while doing this job %(n)d times (it was killed or lost); nothing "
                           "was stored. Start it again; if it happens again, tell the operator.")
MESSAGE_LOST = gettext_noop("The job was sent to the background service %(n)d times without being started; "
                            "nothing was stored. Start it again; if it happens again, tell the operator.")


def _fail(model, pk, reason: str, **params) -> None:
    model.objects.filter(pk=pk).update(status=FAILED, error=reason, error_params=params,
                                       heartbeat_at=timezone.now())


@contextmanager
def job_running(model: type[BackgroundJob], pk: int):
    """Run a job's work: claim it (yields False when another delivery has it), keep its heartbeat, record failure.

    An error in the work marks the job failed with a reason the user can read
    (the details go to the log); a database outage is not the job's fault, so
    the job is left for the reaper to send again.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    if not job_claim(model, pk):
        yield False
        return
    beat = None if _eager() else _Heartbeat(model, pk)
    if beat:
        beat.start()
    try:
        yield True
    except SoftTimeLimitExceeded:
        logger.error("%s %s exceeded its time limit", model.__name__, pk)
        _fail(model, pk, TIMED_OUT, minutes=settings.JOB_TIME_LIMIT // 60)
    except DatabaseError:
        raise
    except Exception as exc:
        logger.exception("%s %s failed", model.__name__, pk)
        _fail(model, pk, CRASHED, error=type(exc).__name__)
    finally:
        if beat:
            beat.stopped.set()
            beat.join(5)


# --- reaping --------------------------------------------------------------------
def _stalled(model) -> Q:
    pending_before = timezone.now() - timedelta(seconds=settings.JOB_PENDING_SECONDS)
    return (Q(status=PENDING) & (Q(queued_at__lt=pending_before) | Q(queued_at__isnull=True))) | (
        Q(status=RUNNING) & (Q(heartbeat_at__lt=_stale_before()) | Q(heartbeat_at__isnull=True)))


def job_reap(model: type[BackgroundJob], pk: int) -> str | None:
    """Send a stalled job again, or fail it after ``JOB_MAX_ATTEMPTS`` sends; returns what was done."""
    if _eager():
        return None
    with transaction.atomic():
        job = model.objects.select_for_update(skip_locked=True).filter(_stalled(model), pk=pk).first()
        if job is None:
            return None
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            _fail(model, pk, WORKER_LOST if job.status == RUNNING else MESSAGE_LOST, n=job.attempts)
            logger.error("%s %s failed after %s attempts", model.__name__, pk, job.attempts)
            return FAILED
        if not broker_available():
            return None  # try again at the next round; the job stays as it is
        model.objects.filter(pk=pk).update(status=PENDING, queued_at=timezone.now(), heartbeat_at=None,
                                           attempts=F("attempts") + 1)
        transaction.on_commit(lambda: _send(model, pk))
    logger.warning("%s %s had stalled and was sent again", model.__name__, pk)
    return PENDING


def job_check(job: BackgroundJob) -> BackgroundJob:
    """Reap this one job if it has stalled (for its status page); returns it as it now is."""
    if job.is_active and job_reap(type(job), job.pk):
        job.refresh_from_db()
    return job


def jobs_reap_stalled() -> dict[str, int]:
    """Reap every stalled job of every job model; returns how many of each were handled."""
    handled = {}
    for model in job_models():
        ids = list(model.objects.filter(_stalled(model)).values_list("pk", flat=True)[:500])
        handled[model._meta.label] = sum(1 for pk in ids if job_reap(model, pk))
    return handled


# --- scheduled work -----------------------------------------------------------
def once(key: str, seconds: int) -> bool:
    """True for the first caller of ``key`` within ``seconds``, in every process that shares the cache.

    Scheduled tasks whose repetition would be seen (reminder e-mails) call it, so a second beat process
    started by mistake does not send everything twice. The cache is Redis whenever ``CACHE_URL`` is set.
    """
    return cache.add(f"once:{key}", 1, timeout=seconds)
