"""The test suite's own machinery: pytest-xdist keeps a group of tests on one worker (``tests/xdist_groups.py``).

``make test`` runs two workers with ``--dist loadgroup``; the production-topology tests and the demo walk are
groups so that their expensive session fixtures (a PostgreSQL cluster, the whole demo) are built once. A small
suite is run here under two real workers, the way ``make test`` runs, and each test writes down its worker.
"""
import json
import os
import sys
from pathlib import Path

from django.conf import settings

pytest_plugins = ["pytester"]

SMALL_SUITE = '''
import json, os, time
import pytest

def _note(name):
    with open(os.environ["WHERE_TESTS_RAN"], "a") as f:
        f.write(json.dumps([name, os.environ.get("PYTEST_XDIST_WORKER")]) + "\\n")

@pytest.mark.xdist_group("cluster")
@pytest.mark.parametrize("n", range(4))
def test_grouped(n):
    time.sleep(0.2)
    _note(f"grouped-{n}")

@pytest.mark.parametrize("n", range(8))
def test_free(n):
    time.sleep(0.2)
    _note(f"free-{n}")
'''


def test_a_groups_tests_run_on_one_worker_and_the_rest_on_both(pytester, tmp_path, monkeypatch):
    where = tmp_path / "where.jsonl"
    monkeypatch.setenv("WHERE_TESTS_RAN", str(where))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")]))
    pytester.makepyfile(test_small=SMALL_SUITE)
    pytester.makeini("[pytest]\n")  # not the project's settings: no Django in the small suite
    result = pytester.run(sys.executable, "-m", "pytest", "-p", "tests.xdist_groups", "-p", "no:cacheprovider",
                          "-p", "no:django", "-n", "2", "--dist", "loadgroup", "--no-loadscope-reorder", "-q",
                          str(pytester.path / "test_small.py"), timeout=120)
    assert result.ret == 0, result.stdout.str() + result.stderr.str()
    assert "12 passed" in result.stdout.str()
    ran = [json.loads(line) for line in Path(where).read_text().splitlines()]
    grouped = {worker for name, worker in ran if name.startswith("grouped-")}
    free = {worker for name, worker in ran if name.startswith("free-")}
    assert len(ran) == 12
    assert len(grouped) == 1, ran  # the group's fixture would be built once
    assert free == {"gw0", "gw1"}, ran  # and the other tests still share both workers

