"""The report task through a real Celery worker on Redis and PostgreSQL, including a worker killed mid-run.

Needs CELERY_BROKER_URL and a PostgreSQL DATABASE_URL (CI sets both); without them the test is skipped
with that reason, since a worker in another process cannot see an SQLite in-memory test database.
"""
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from crimestats.models import KeyFigureReport, ReportStatus
from crimestats.periods import quarter_period
from crimestats.services import report_request

from .factories import CrimeTypeFactory, event, rode

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start_worker(tmp_path: Path, name: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.crimestats.worker_settings",
           "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           "MEDIA_ROOT": str(tmp_path / "media")}
    celery = Path(sys.executable).with_name("celery")
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([str(celery), "-A", "sikkerby", "worker", "--pool=solo", "-l", "info",
                             "-n", f"{name}@%h", "--without-mingle", "--without-gossip",
                             "-Q", "celery,reports"],  # reports have their own queue (CELERY_TASK_ROUTES)
                            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait_for(report_id: int, statuses: set[str], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = KeyFigureReport.objects.values_list("status", flat=True).get(pk=report_id)
        if status in statuses:
            return status
        time.sleep(0.05)
    return status


@pytest.fixture
def broker_app():
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL and a PostgreSQL DATABASE_URL (a worker cannot see SQLite :memory:)")
    from sikkerby.celery import app
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    yield app
    app.conf.task_always_eager = eager


def test_a_real_worker_produces_the_report_and_survives_being_killed(copenhagen, broker_app, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    m = copenhagen.municipality
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12", person_dangerous=True)
    for d in (date(2025, 7, 1), date(2025, 8, 1), date(2024, 7, 1)):
        event(m, on=d, crime_type=vold, area=rode("1"))

    first = _start_worker(tmp_path, "first")
    try:
        report = report_request(municipality=m, period=quarter_period(2025, 3))  # queued on commit
        assert _wait_for(report.pk, {ReportStatus.RUNNING, ReportStatus.DONE}, 90) == ReportStatus.RUNNING
        first.send_signal(signal.SIGKILL)  # the worker dies mid-run, before acknowledging the task
        first.wait(10)
        assert KeyFigureReport.objects.get(pk=report.pk).status == ReportStatus.RUNNING
    finally:
        if first.poll() is None:
            first.kill()
    time.sleep(6)  # past the visibility timeout: the new worker restores the unacknowledged message at start
    second = _start_worker(tmp_path, "second")
    try:
        status = _wait_for(report.pk, {ReportStatus.DONE, ReportStatus.FAILED}, 120)
        assert status == ReportStatus.DONE, (tmp_path / "second.log").read_text()[-3000:]
    finally:
        second.terminate()
        second.wait(20)
    report.refresh_from_db()
    assert report.progress == 100 and bytes(report.pdf).startswith(b"%PDF")
    assert report.data["tables"]["reports_by_type"]["rows"][0]["current"] == 2
    # one report for the period and version, however often the task ran
    assert KeyFigureReport.objects.filter(period_start=date(2025, 7, 1)).count() == 1
