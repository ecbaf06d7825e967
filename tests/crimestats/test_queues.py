"""The key-figure report has a queue of its own; every other job stays on the default queue.

Every worker command names the queues it consumes (docker-compose.yml, tests/topology/harness.py), so a route
that changed without them would leave reports that no worker picks up.
"""
from sikkerby.celery import app


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_the_report_task_goes_to_the_reports_queue_and_the_other_jobs_to_the_default_queue():
    assert _queue("crimestats.tasks.key_figure_report_generate") == "reports"
    for task in ("crimestats.tasks.police_import_process", "tryghedsindeks.tasks.safety_index_compute_task",
                 "crimestats.tasks.quarterly_key_figure_reports", "operations.tasks.reap_stalled_jobs",
                 "operations.tasks.worker_heartbeat"):
        assert _queue(task) == "celery", task


def test_every_worker_of_the_production_layout_consumes_a_queue_and_together_they_consume_both():
    import yaml
    from django.conf import settings

    services = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())["services"]
    queues = set()
    for service in services.values():
        command = service.get("command") or []
        if command[:3] == ["celery", "-A", "sikkerby"] and command[3] == "worker":
            assert "-Q" in command, command
            queues |= set(command[command.index("-Q") + 1].split(","))
    assert queues == {"celery", "reports"}
