"""The Celery application.

Configuration comes from Django settings (``CELERY_*``). Without a broker
(``CELERY_BROKER_URL`` unset) the local settings run tasks in-process
(``task_always_eager``), so the embedded default needs no Redis.
"""
import os

from celery import Celery
from celery.signals import worker_init

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
