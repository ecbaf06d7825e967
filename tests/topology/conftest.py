"""Fixtures of the production-topology tests (see harness.py for the pieces).

Scopes: the PostgreSQL cluster, the collected static files and a migrated template database live for the
session; Redis, the deployment (its own database copied from the template, gunicorn, worker, beat) and
the logged-in client are per test, so a drill that breaks them leaves nothing behind for the next.

A fault drill typically reads::

    @pytest.mark.topology
    def test_broker_restart(deployment, coordinator_client, redis_server):
        ...                                   # queue something over HTTP
        redis_server.restart_without_persistence()
        deployment.kill_worker(); deployment.start_worker()
        ...

``deployment`` starts nothing by itself beyond what ``started_deployment`` asks for; use
``started_deployment`` for "everything running".
"""
import os
import time
import uuid
from pathlib import Path

import pytest

from .harness import Deployment, LogBook, PgCluster, RedisServer, collect_static

COORDINATOR = {"username": "koordinator-topologi", "password": "Topologi-Test-2026!", "role": "coordinator",
               "administration": "ØKF"}
TEMPLATE_DB = "sikkerby_template"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixture finalisers know whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"topology_rep_{report.when}", report)


def _failed(node) -> bool:
    return any(getattr(getattr(node, f"topology_rep_{when}", None), "failed", False) for when in ("setup", "call"))


@pytest.fixture(scope="session")
def topology_tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("topology")


@pytest.fixture(scope="session")
def topology_timings() -> dict[str, float]:
    """Measured seconds, collected across fixtures and printed by the tests."""
    return {}


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL 15 cluster of the session's own (``restart()``, ``stop()``, ``start()``, ``url(db)``)."""
    cluster = PgCluster()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def redis_server():
    """A Redis of the test's own, without persistence (``restart_without_persistence()``, ``stop()``, ...)."""
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="session")
def static_root(topology_tmp, topology_timings) -> Path:
    """``collectstatic`` on production settings, once per session (about a minute: it compresses plotly.js).

    ``TOPOLOGY_STATIC_ROOT=<dir>`` keeps the result across runs while working on the tests: a folder that
    already holds a manifest is used as it is (stale if static files changed since — delete it then).
    """
    kept = os.environ.get("TOPOLOGY_STATIC_ROOT")
    root = Path(kept) if kept else topology_tmp / "static"
    if (root / "staticfiles.json").exists():
        topology_timings["collectstatic (kept from an earlier run)"] = 0.0
        return root
    topology_timings["collectstatic"] = collect_static(root, cwd=topology_tmp / "collectstatic",
                                                       log=topology_tmp / "collectstatic.log")
    return root


@pytest.fixture(scope="session")
def template_database(pg_cluster, redis_for_template, static_root, topology_tmp, topology_timings) -> str:
    """A database migrated, with the reference data and the coordinator, copied for each deployment."""
    logbook = LogBook()
    prep = Deployment(pg=pg_cluster, redis=redis_for_template, static_root=static_root,
                      root=topology_tmp / "template", logbook=logbook, database=TEMPLATE_DB)
    started = time.monotonic()
    try:
        prep.prepare_database()
        prep.create_user(COORDINATOR["username"], COORDINATOR["password"], role=COORDINATOR["role"],
                         administration=COORDINATOR["administration"])
    except Exception:
        print(logbook.tails())
        raise
    topology_timings["template database (migrate, reference data, user)"] = time.monotonic() - started
    topology_timings["of which migrate"] = prep.timings["migrate"]
    return TEMPLATE_DB


@pytest.fixture(scope="session")
def redis_for_template():
    """Management commands load settings that name a broker; nothing is queued while preparing."""
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def logbook(request):
    """Every log of the test; their tails are printed when the test (or a fixture) failed."""
    book = LogBook()
    yield book
    if _failed(request.node):
        print(book.tails())


@pytest.fixture
def deployment(request, pg_cluster, redis_server, static_root, template_database, tmp_path, logbook):
    """The app on production settings, with its own database; nothing started yet.

    ``start_web()``, ``start_worker()``, ``start_beat()`` (each returns seconds to ready),
    ``stop_worker()``, ``kill_worker()`` (kill -9 of the main process), ``kill_worker_pool_child()``,
    ``worker_pool_pids()``, ``stop_beat()``, ``client()``; ``web``/``worker``/``beat`` are the processes.
    Every process started is ended by its pid at teardown.
    """
    logbook.add("postgresql", pg_cluster.log)
    logbook.add("redis", redis_server.log)
    dep = Deployment(pg=pg_cluster, redis=redis_server, static_root=static_root, root=tmp_path / "deployment",
                     logbook=logbook, database=f"sikkerby_{uuid.uuid4().hex[:8]}")
    try:
        dep.prepare_database(template=template_database)
        yield dep
    finally:
        dep.cleanup()
        try:
            pg_cluster.sql(f'DROP DATABASE IF EXISTS "{dep.database}" WITH (FORCE)')
        except RuntimeError as exc:  # the cluster may be down after a drill: the session teardown removes it
            print(f"could not drop {dep.database}: {exc}")


@pytest.fixture
def started_deployment(deployment, topology_timings):
    """``deployment`` with the worker, beat and gunicorn running."""
    topology_timings["worker start-up (to 'ready')"] = deployment.start_worker()
    topology_timings["beat start-up"] = deployment.start_beat()
    topology_timings["gunicorn start to first 200 on /login/"] = deployment.start_web()
    return deployment


@pytest.fixture
def coordinator_credentials() -> dict[str, str]:
    return dict(COORDINATOR)


@pytest.fixture
def coordinator_client(started_deployment, coordinator_credentials):
    """A ``SiteClient`` logged in as Copenhagen's coordinator through the login form."""
    client = started_deployment.client()
    client.login(coordinator_credentials["username"], coordinator_credentials["password"])
    return client
