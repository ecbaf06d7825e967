"""Scheduled work with two beat processes: shared state is Redis, and nothing is produced twice."""
import threading
from datetime import date

import pytest
from django.core.cache import caches
from django.db import close_old_connections, connection

from crimestats.models import KeyFigureReport
from crimestats.services import scheduled_report_request
from operations.jobs import once

from ..crimestats.factories import CrimeTypeFactory, event, rode
from .test_jobs import BROKER, _redis_up


@pytest.fixture
def redis_cache(settings):
    if not _redis_up():
        pytest.skip(f"needs Redis at {BROKER} (CI has one)")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": BROKER.rsplit("/", 1)[0] + "/13"}}
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_with_cache_url_the_cache_is_redis_and_shared(redis_cache):
    import redis
    assert type(redis_cache).__name__ == "RedisCache"
    assert once("evaluation-reminders:2026-11-29", 60) is True
    assert once("evaluation-reminders:2026-11-29", 60) is False  # the second beat process
    raw = redis.Redis.from_url(BROKER.rsplit("/", 1)[0] + "/13")
    assert any(b"once:evaluation-reminders:2026-11-29" in k for k in raw.keys())  # visible to every process


@pytest.mark.django_db(transaction=True)
def test_the_schedule_fired_by_two_beats_at_once_makes_one_report(copenhagen):
    if connection.vendor != "postgresql":
        pytest.skip("a race between two connections needs PostgreSQL (SQLite serialises every write)")
    m = copenhagen.municipality
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12", person_dangerous=True)
    event(m, on=date(2025, 7, 1), crime_type=vold, area=rode("1"))
    for round_ in range(5):  # a race run once proves little
        KeyFigureReport.objects.all().delete()
        barrier, results, errors = threading.Barrier(2), [], []

        def beat():
            try:
                barrier.wait()
                results.append(scheduled_report_request(municipality=m, today=date(2025, 10, 1)).pk)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
            finally:
                close_old_connections()
                connection.close()
        threads = [threading.Thread(target=beat) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == [] and len(set(results)) == 1, (round_, errors, results)
        assert KeyFigureReport.objects.count() == 1
