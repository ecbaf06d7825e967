"""The burst benchmark keeps working: two municipalities at a tiny scale, a real worker on the reports queue.

No time or memory is asserted (figures live in docs/benchmarks.md); what is checked is that the script
builds its municipalities, starts the worker, gets every report done and writes its section.
"""
import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
BROKER = os.environ.get("CELERY_BROKER_URL", "")

pytestmark = pytest.mark.celery_worker


@pytest.mark.skipif(not (POSTGRES and BROKER), reason="a real worker in another process: needs a PostgreSQL "
                                                      "DATABASE_URL and a Redis CELERY_BROKER_URL")
def test_the_burst_benchmark_gets_every_report_done_and_writes_its_section(tmp_path):
    import psycopg2

    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"sikkerby_burst_smoke_{os.getpid()}"
    admin = psycopg2.connect(urlunsplit(url._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\n## An earlier section\n\nkept\n", encoding="utf-8")
    try:
        run = subprocess.run(
            [sys.executable, "benchmarks/burst.py", "--scale", "0.005", "--municipalities", "2", "--out", str(out)],
            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=1200,
            env={**os.environ, "DATABASE_URL": urlunsplit(url._replace(path=f"/{name}")),
                 "DJANGO_SETTINGS_MODULE": "sikkerby.settings.test"})
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    assert run.returncode == 0, run.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "## An earlier section\n\nkept" in text
    for step in ("## Quarter-start burst", "| one report on its own (the anchor) | 1/1 |",
                 "| the burst: 2 reports requested at once | 2/2 |", "Every report done.", "load average"):
        assert step in text, step
