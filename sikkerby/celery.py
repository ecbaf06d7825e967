"""The Celery application.

Configuration comes from Django settings (``CELERY_*``). Without a broker
(``CELERY_BROKER_URL`` unset) the local settings run tasks in-process
(``task_always_eager``), so the embedded default needs no Redis.
"""
import os
import sys

from celery import Celery
from celery.signals import worker_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikkerby.settings.local")

app = Celery("sikkerby")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _preload_pdf_engine(**_kwargs):
    """Import WeasyPrint (about 1.4 s) when the worker starts, not in the first report a coordinator waits for.

    Prefork children inherit the module from the parent; the web process keeps importing it lazily.
    """
    import weasyprint  # noqa: F401


@worker_init.connect
def _verify_encryption_keys(**_kwargs):
    """Refuse to start with encryption keys that do not fit the stored data.

    SystemExit, not the ImproperlyConfigured itself: Celery logs and swallows a signal handler's
    exceptions, and the worker would start anyway.
    """
    from django.core.exceptions import ImproperlyConfigured

    from accounts.encryption import verify_encryption_keys_at_start

    try:
        verify_encryption_keys_at_start()
    except ImproperlyConfigured as exc:
        print(f"refusing to start: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc


@worker_ready.connect
def _record_heartbeat(sender=None, **_kwargs):
    """A worker that has started says so at once (``/health/``), before the first scheduled heartbeat."""
    from operations.tasks import worker_seen
    try:
        worker_seen(getattr(sender, "hostname", "") or "worker")
    except Exception:  # noqa: BLE001 - the scheduled heartbeat will say it once the database answers
        import logging
        logging.getLogger(__name__).warning("worker heartbeat not recorded at start")
