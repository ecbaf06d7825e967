"""The benchmark script keeps working: a tiny run on a PostgreSQL database of its own.

No time is asserted (figures live in docs/benchmarks.md); what is checked is that the script runs through
every step and writes its table, so a change to the code it drives cannot silently break it.
"""
import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.skipif(not POSTGRES, reason="the benchmark measures PostgreSQL's COPY: it runs when DATABASE_URL "
                                         "names PostgreSQL, as in CI (.ci/run)")
def test_the_benchmark_runs_every_step_and_writes_its_table(tmp_path):
    import psycopg2

    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"sikkerby_bench_smoke_{os.getpid()}"
    admin = psycopg2.connect(urlunsplit(url._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    out = tmp_path / "benchmarks.md"
    try:
        run = subprocess.run(
            [sys.executable, "benchmarks/keyfigures.py", "--reports", "3000", "--charges", "1000", "--rounds", "2", "--out", str(out)],
            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=900,
            env={**os.environ, "DATABASE_URL": urlunsplit(url._replace(path=f"/{name}")),
                 "DJANGO_SETTINGS_MODULE": "sikkerby.settings.test"})
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    assert run.returncode == 0, run.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for step in ("| import events (check + apply), median of 2 |", "| import charges (check + apply), median of 2 |",
                 "| 1 |", "| 2 |",
                 "raw `COPY` of the same rows", "present, 0 added", "(15 queries)",
                 "| whole report in a running worker", "Peak memory", "CPU reference"):
        assert step in text, step
