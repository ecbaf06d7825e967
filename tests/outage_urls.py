"""Test-only URLs: the project's URLs plus views that reach a broker nobody listens on, or simply fail."""
import socket

from django.urls import path
from kombu import Connection

from sikkerby.celery import app as celery_app
from sikkerby.urls import handler400, handler500  # noqa: F401
from sikkerby.urls import urlpatterns as project_urlpatterns


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def queue_on_unreachable_broker(request):
    """Queue a real task on a Redis broker at a closed port: kombu raises its own OperationalError."""
    from crimestats.tasks import key_figure_report_generate

    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, False
    try:
        with Connection(f"redis://127.0.0.1:{closed_port()}/12", connect_timeout=2) as conn:
            key_figure_report_generate.apply_async((0,), connection=conn, retry=False)
    finally:
        celery_app.conf.task_always_eager = eager
    raise AssertionError("the broker answered")  # pragma: no cover


def fail(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("test-outage/broker/", queue_on_unreachable_broker),
    path("api/v1/test-outage/broker/", queue_on_unreachable_broker),
    path("test-outage/bug/", fail),
    *project_urlpatterns,
]
