"""The Celery application.

Configuration comes from Django settings (``CELERY_*``). Without a broker
(``CELERY_BROKER_URL`` unset) the local settings run tasks in-process
(``task_always_eager``), so the embedded default needs no Redis.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikkerby.settings.local")

app = Celery("sikkerby")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
