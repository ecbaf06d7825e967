"""/health/: database, broker and a recent worker heartbeat, for the orchestrator."""
from datetime import timedelta

import pytest
from django.utils import timezone

from operations.models import WorkerHeartbeat
from operations.tasks import worker_heartbeat

from .test_jobs import broker, dead_broker  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_in_process_tasks_are_healthy_without_a_broker(client):
    response = client.get("/health/")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_worker_seen_recently_is_healthy_and_an_old_heartbeat_is_not(client, broker):  # noqa: F811
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["checks"]["worker"] == "no heartbeat"
    worker_heartbeat.apply()
    assert WorkerHeartbeat.objects.count() == 1
    assert client.get("/health/").json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok",
                                                                        "worker": "ok"}}
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["checks"]["worker"] == "last seen 600 s ago"


def test_a_broker_that_does_not_answer_is_unhealthy_but_the_web_process_is_live(client, dead_broker):  # noqa: F811
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["checks"]["broker"] == "unavailable"
    assert client.get("/health/?check=live").status_code == 200
