"""Benchmark: a page of the REST API against a plain Django ``JsonResponse`` of the same rows, with wrk.

For each table size (1,000 / 100,000 / 1,000,000 indicator values by default) the script fills a PostgreSQL
database of its own (``COPY``), starts gunicorn (2 sync workers, production settings, ``BENCHMARK_ANCHOR=1``
so the anchor view ``sikkerby.benchmark_anchor`` is mounted in the same workers), and runs wrk for
``--duration`` seconds against

* ``/api/v1/indicator-values/?limit=50`` with an API client's knox token (the real path: authentication,
  throttle, permission, filters, serializer, paging), and
* ``/benchmark-anchor/indicator-values/?limit=50``: the same 50 rows, same columns, one ``values()`` query and
  ``JsonResponse`` (no authentication, no DRF),

then times one ``?limit=10000`` page and the CSV export of one indicator's values (every row of a filtered
result, streamed; the worker's memory before and after). It records requests per second, the 95th percentile latency (a wrk Lua ``done`` hook) and the
load average beside every figure, and writes the section between the ``bench_api`` markers of
``docs/benchmarks.md``.

    createdb -h 127.0.0.1 -U postgres sk_perf_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sk_perf_bench \\
      .venv/bin/python benchmarks/bench_api.py --sizes 1000 100000 1000000 --port 8150
"""
import argparse
import http.client
import io
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikkerby.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import API_CLIENT  # noqa: E402
from areas.models import Area  # noqa: E402
from indicators.models import Indicator, IndicatorValue  # noqa: E402
from indicators.tokens import api_token_issue  # noqa: E402
from initiatives.models import Programme  # noqa: E402

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\\n", latency:percentile(95)))
  io.write(string.format("P50_US %d\\n", latency:percentile(50)))
  io.write(string.format("REQUESTS %d\\n", summary.requests))
  io.write(string.format("NON2XX %d\\n", summary.errors.status))
end
"""
START, END = "<!-- bench_api:start -->", "<!-- bench_api:end -->"


def load() -> str:
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def reference_data() -> Programme:
    programme = Programme.objects.filter(slug="sikker-by-2010").first()
    if programme is None:
        from areas.services import areas_load_copenhagen
        from initiatives.services import programme_load_file
        programme_load_file(path=ROOT / "fixtures" / "programmes" / "copenhagen.yaml")
        areas_load_copenhagen(directory=ROOT / "fixtures" / "areas" / "copenhagen")
        programme = Programme.objects.get(slug="sikker-by-2010")
    return programme


def api_token(programme) -> str:
    user, _created = User.objects.get_or_create(username="bench-api-client", defaults={
        "municipality": programme.municipality})
    user.groups.add(Group.objects.get(name=API_CLIENT))
    token, _expiry = api_token_issue(username=user.username, ttl=timedelta(days=1))
    return token


def fill_values(programme, target: int) -> int:
    """Add approved monthly values (``COPY``) until the table holds exactly ``target`` rows; returns the count.

    Keys walk month by month over every (indicator, area), so the table's physical order is not the order
    of the API's index — as in a table filled over the years.
    """
    have = IndicatorValue.objects.count()
    if have == target:
        return have
    if have > target:  # left by a run at a bigger size: start again, or every size would be measured at that one
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {IndicatorValue._meta.db_table} CASCADE")
        have = 0
    indicators = list(Indicator.objects.filter(programme=programme).values_list("id", flat=True))
    areas = list(Area.objects.values_list("id", flat=True))
    pairs = [(i, a) for i in indicators for a in areas]
    now = "2026-01-01 00:00:00+00"
    buf = io.StringIO()
    for k in range(have, target):
        month, pair = divmod(k, len(pairs))
        indicator, area = pairs[pair]
        start = date(1900 + month // 12, month % 12 + 1, 1)
        buf.write(f"{indicator}\t{area}\tmonth\t{start}\t{k % 997}.5\tbenchmark\t\tapproved\t1\t1\tf\tf\t"
                  f"{now}\t{now}\t{now}\n")
    buf.seek(0)
    with connection.cursor() as cur:
        cur.cursor.copy_from(buf, IndicatorValue._meta.db_table, columns=(
            "indicator_id", "area_id", "period_type", "period_start", "value", "source", "note", "status",
            "revision", "version", "is_computed", "is_demo", "entered_at", "updated_at", "approved_at"))
        cur.execute(f"ANALYZE {IndicatorValue._meta.db_table}")
    return IndicatorValue.objects.count()


class Gunicorn:
    def __init__(self, port: int, database_url: str):
        self.port = port
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sikkerby.settings.production", "DATABASE_URL": database_url,
               "BENCHMARK_ANCHOR": "1", "API_THROTTLE_USER": "100000000/minute",
               "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
               "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/9")}
        for key in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "CPR_HASH_KEY"):
            env.setdefault(key, getattr(settings, key) if not isinstance(getattr(settings, key), list)
                           else ",".join(getattr(settings, key)))
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "sikkerby.wsgi", "-w", "2", "-k", "sync",
             "-b", f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True)
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health/?check=live", timeout=2)
                return
            except Exception:  # noqa: BLE001 - still starting
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def worker_rss_mb(self) -> float:
        out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(self.proc.pid)], capture_output=True, text=True)
        return max((int(x) for x in out.stdout.split()), default=0) / 1024

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


def wrk(url: str, token: str | None, duration: int, lua: Path) -> dict:
    cmd = ["wrk", "-t2", "-c2", f"-d{duration}s", "-s", str(lua), url]
    if token:
        cmd[1:1] = ["-H", f"Authorization: Token {token}"]
    before = load()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p95 = int(re.search(r"P95_US (\d+)", out).group(1)) / 1000
    non2xx = int(re.search(r"NON2XX (\d+)", out).group(1))
    return {"rps": rps, "p95_ms": p95, "non2xx": non2xx, "load_before": before, "load_after": load()}


def timed_get(url: str, token: str | None) -> tuple[float, int | str, int]:
    """Seconds, status (or the failure) and bytes of one request read to its end."""
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"} if token else {})
    t = time.perf_counter()
    size = 0
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            status = response.status
            while chunk := response.read(1 << 16):
                size += len(chunk)
    except (OSError, http.client.HTTPException) as exc:  # e.g. the worker killed by gunicorn's timeout
        status = f"broken off ({type(exc).__name__})"
    return time.perf_counter() - t, status, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000, 1_000_000])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="API/anchor pairs per size (median ratio)")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    database_url = os.environ["DATABASE_URL"]

    call_command("migrate", verbosity=0)
    programme = reference_data()
    token = api_token(programme)
    lua = Path(tempfile.mkdtemp()) / "p95.lua"
    lua.write_text(LUA)
    base = f"http://127.0.0.1:{args.port}"
    results = []
    # The CSV export is of one indicator's values (a filtered result, 1/13 of the table): the whole table at
    # 1M rows would take most of an hour to serialize on this machine, and memory is what is measured.
    csv_indicator = Indicator.objects.filter(programme=programme).order_by("number").first().number
    for size in sorted(args.sizes):
        t = time.perf_counter()
        rows = fill_values(programme, size)
        fill_s = time.perf_counter() - t
        print(f"{rows:,} rows ({fill_s:.0f} s to fill); load {load()}", flush=True)
        server = Gunicorn(args.port, database_url)
        try:
            api_url = f"{base}/api/v1/indicator-values/?limit=50"
            anchor_url = f"{base}/benchmark-anchor/indicator-values/?limit=50"
            timed_get(api_url, token), timed_get(anchor_url, None)  # warm both workers' imports
            r = {"rows": rows, "rounds": []}
            # Interleaved: API and anchor alternate (the anchor first in every other round), so a change in
            # the machine's load falls on both; the figure is the median of the rounds' ratios.
            for i in range(args.rounds):
                order = [("api", api_url, token), ("anchor", anchor_url, None)]
                one = {name: wrk(url, tok, args.duration, lua) for name, url, tok in (order if i % 2 == 0 else order[::-1])}
                one["ratio"] = one["anchor"]["rps"] / one["api"]["rps"]
                r["rounds"].append(one)
            middle = sorted(r["rounds"], key=lambda one: one["ratio"])[len(r["rounds"]) // 2]
            r["api"], r["anchor"], r["ratio"] = middle["api"], middle["anchor"], middle["ratio"]
            r["big_page"] = timed_get(f"{base}/api/v1/indicator-values/?limit=10000", token)
            r["rss_before_csv"] = server.worker_rss_mb()
            r["csv"] = timed_get(f"{base}/api/v1/indicator-values/?format=csv&indicator={csv_indicator}", token)
            r["rss_after_csv"] = server.worker_rss_mb()
            r["huge_limit"] = urllib.request.Request(f"{base}/api/v1/indicator-values/?limit=99999999999",
                                                     headers={"Authorization": f"Token {token}"})
            try:
                urllib.request.urlopen(r["huge_limit"], timeout=60)
                r["huge_limit"] = 200
            except urllib.error.HTTPError as exc:
                r["huge_limit"] = exc.code
        finally:
            server.stop()
        print(json.dumps(r, default=str), flush=True)
        results.append(r)
    write(args, results)


def status(timing) -> str:
    return "" if timing[1] == 200 else f" — {timing[1]}"


def write(args, results):
    lines = [
        START,
        "## REST API: a page of 50 against a plain JsonResponse (`benchmarks/bench_api.py`)",
        "",
        f"Run on {date.today()}: PostgreSQL, Python {platform.python_version()}, {os.cpu_count()} CPU cores "
        "(read the load average beside each figure, and the ratios, not the "
        f"seconds); gunicorn 2 sync workers, production settings, wrk 2 threads × 2 connections, "
        f"{args.duration} s per figure, {args.rounds} interleaved rounds (API, anchor; anchor, API; …) per size, the "
        "median round shown with every round's ratio. Anchor: `/benchmark-anchor/indicator-values/?limit=50`, the same 50 rows "
        "and columns as one `values()` query and a `JsonResponse`, served by the same gunicorn in the same run "
        "(mounted only with `BENCHMARK_ANCHOR=1`). The API request carries an API client's knox token.",
        "",
        "| indicator values | endpoint | req/s | p95 (ms) | anchor req/s | anchor p95 (ms) | time ratio (median) "
        "| every round | target | load avg (1/5/15 min) after API / anchor |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for r in results:
        api, anchor = r["api"], r["anchor"]
        every = ", ".join(f"{one['ratio']:.2f}" for one in r["rounds"])
        lines.append(f"| {r['rows']:,} | `/api/v1/indicator-values/?limit=50` | {api['rps']:.1f} | "
                     f"{api['p95_ms']:.0f} | {anchor['rps']:.1f} | {anchor['p95_ms']:.0f} | "
                     f"{r['ratio']:.2f} × | {every} | "
                     f"≤ 2 × | {api['load_after']} / {anchor['load_after']} |")
    lines += ["", "| indicator values | `?limit=10000` (one request) | one indicator's values as CSV (streamed, 1/13 of the table) | worker memory "
              "before → after the CSV | `?limit=99999999999` |", "| ---: | --- | --- | --- | --- |"]
    for r in results:
        big, csv = r["big_page"], r["csv"]
        lines.append(f"| {r['rows']:,} | {big[0]:.2f} s, {big[2] / 1e6:.1f} MB{status(big)} | {csv[0]:.1f} s, "
                     f"{csv[2] / 1e6:.1f} MB{status(csv)} | {r['rss_before_csv']:.0f} → {r['rss_after_csv']:.0f} MB | "
                     f"{r['huge_limit']} |")
    bad = [(r["rows"], k, r[k]["non2xx"]) for r in results for k in ("api", "anchor") if r[k]["non2xx"]]
    lines += ["", f"Answers other than 2xx during the wrk runs: {bad or 'none'}.", END]
    note = Path(args.out)
    text = note.read_text(encoding="utf-8") if note.exists() else ""
    section = "\n".join(lines)
    if START in text and END in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    note.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
