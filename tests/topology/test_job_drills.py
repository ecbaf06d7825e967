"""Fault drills for background jobs on the production topology: nothing may be left stuck.

Each drill asks for the quarter's key-figure report over HTTP and then breaks something the way the world
does: the broker restarts without persistence (the message is lost), the whole worker is killed with
``kill -9`` mid-run, a pool child is killed mid-run, the broker is down when the coordinator asks. Each
must end with exactly one finished report for the period and no job pending or running. The job timings
are shortened (heartbeat 1 s, stalled after 4 s, a waiting job sent again after 6 s, the reaper every
2 s) so that a drill takes seconds; the mechanism is the one production runs (``operations.jobs``).
"""
import time
from datetime import date

import pytest

from .harness import poll, wait_for
from .test_walk import events_csv, import_extract, last_ended_quarter, pk_from

pytestmark = pytest.mark.topology

FAST_JOBS = {"JOB_HEARTBEAT_SECONDS": "1", "JOB_STALL_SECONDS": "4", "JOB_PENDING_SECONDS": "6",
             "JOB_REAP_SECONDS": "2", "WORKER_HEARTBEAT_SECONDS": "2"}


@pytest.fixture
def drill(deployment, coordinator_credentials):
    """A deployment with fast job timings, every process running, police data for the last quarter imported."""
    deployment.extra_env.update(FAST_JOBS)
    deployment.start_worker()
    deployment.start_beat()
    deployment.start_web()
    client = deployment.client()
    client.login(coordinator_credentials["username"], coordinator_credentials["password"])
    year, quarter = last_ended_quarter(date.today())
    import_extract(client, deployment, kind="events", name="haendelser.csv", content=events_csv(year, quarter))
    return deployment, client, (year, quarter)


def _reports(dep) -> list[tuple[int, str, int, int]]:
    rows = dep.pg.sql("SELECT id, status, attempts, version FROM crimestats_keyfigurereport ORDER BY id",
                      dep.database)
    return [(int(i), s, int(a), int(v)) for i, s, a, v in (line.split("|") for line in rows.split())]


def _stuck_jobs(dep) -> int:
    return sum(int(dep.pg.sql(f"SELECT count(*) FROM {table} WHERE status IN ('pending', 'running')",
                              dep.database))
               for table in ("crimestats_keyfigurereport", "crimestats_policeimport",
                             "tryghedsindeks_safetyindexcomputation"))


def _ask(client, year, quarter):
    return client.post("/key-figures/", {"kind": "quarter", "year": year, "quarter": quarter})


def _status(dep, pk: int) -> str:
    return dep.pg.sql(f"SELECT status FROM crimestats_keyfigurereport WHERE id = {pk}", dep.database).strip()


def _finished(dep, client, pk: int, timeout: float = 90) -> str:
    """Wait (bounded) until the report is done or failed, watching it as the coordinator does."""
    def settled():
        page = client.get(f"/key-figures/reports/{pk}/status/")
        assert page.status_code == 200, page.status_code
        status = _status(dep, pk)
        return status if status in ("done", "failed") else None
    return poll(settled, timeout=timeout, interval=0.5) or _status(dep, pk)


def _one_finished_report(dep, pk: int) -> None:
    reports = _reports(dep)
    assert [(r[0], r[1]) for r in reports] == [(pk, "done")], reports
    assert _stuck_jobs(dep) == 0
    pdf = dep.pg.sql(f"SELECT substring(pdf from 1 for 4) = '%PDF'::bytea FROM crimestats_keyfigurereport "
                     f"WHERE id = {pk}", dep.database).strip()
    assert pdf == "t"


def test_a_message_lost_in_a_broker_restart_is_sent_again(drill):
    dep, client, (year, quarter) = drill
    dep.stop_worker()  # the message waits in the queue …
    response = _ask(client, year, quarter)
    pk = pk_from(response, r"/key-figures/reports/(\d+)/$")
    dep.redis.restart_without_persistence()  # … and is lost with it
    started = time.monotonic()
    dep.start_worker()
    assert _finished(dep, client, pk) == "done", dep.logbook.tails(30)
    print(f"\nbroker restart: report done {time.monotonic() - started:.1f} s after the worker came back")
    assert _reports(dep)[0][2] == 2  # sent twice: once by the request, once by the reaper
    _one_finished_report(dep, pk)


def test_a_report_whose_whole_worker_was_killed_is_finished_by_the_next(drill):
    dep, client, (year, quarter) = drill
    response = _ask(client, year, quarter)
    pk = pk_from(response, r"/key-figures/reports/(\d+)/$")
    wait_for(lambda: _status(dep, pk) == "running", timeout=60, interval=0.05, what="the report is running")
    dep.kill_whole_worker()  # kill -9 of the main process and its pool child: the host went away
    assert _status(dep, pk) == "running"
    started = time.monotonic()
    dep.start_worker()
    assert _finished(dep, client, pk) == "done", dep.logbook.tails(30)
    print(f"\nwhole-worker kill -9: report done {time.monotonic() - started:.1f} s after a new worker started")
    _one_finished_report(dep, pk)


def test_a_report_whose_pool_child_was_killed_is_finished(drill):
    dep, client, (year, quarter) = drill
    response = _ask(client, year, quarter)
    pk = pk_from(response, r"/key-figures/reports/(\d+)/$")
    wait_for(lambda: _status(dep, pk) == "running", timeout=60, interval=0.05, what="the report is running")
    dep.kill_worker_pool_child()  # the main process forks a new child
    assert _finished(dep, client, pk) == "done", dep.logbook.tails(30)
    _one_finished_report(dep, pk)


def test_asking_while_the_broker_is_down_answers_at_once_and_leaves_no_row(drill):
    dep, client, (year, quarter) = drill
    dep.redis.stop()
    started = time.monotonic()
    response = _ask(client, year, quarter)
    seconds = time.monotonic() - started
    print(f"\nrequest with the broker down answered {response.status_code} in {seconds:.2f} s")
    assert response.status_code == 503 and seconds < 10
    assert "Prøv igen om et par minutter" in response.text
    assert 'value="2025"' in response.text or f'value="{year}"' in response.text  # the form keeps the input
    assert _reports(dep) == []  # no ghost row
    health = client.get("/health/")
    assert health.status_code == 503 and health.json()["checks"]["broker"] == "unavailable"
    dep.redis.start()
    wait_for(lambda: client.get("/health/").status_code == 200, timeout=60, interval=1,
             what="/health/ is ok again (broker back, worker heartbeat fresh)")
    response = _ask(client, year, quarter)
    pk = pk_from(response, r"/key-figures/reports/(\d+)/$")
    assert _finished(dep, client, pk) == "done", dep.logbook.tails(30)
    _one_finished_report(dep, pk)
