"""Benchmark: the quarter-start burst — ten municipalities' quarterly reports requested at once.

On the first day of a quarter the beat task (``crimestats.tasks.quarterly_key_figure_reports``) asks, through
``scheduled_report_request``, for last quarter's report in every municipality with police data, all at once.
This script builds ten municipalities, starts a real Celery worker (prefork, ``--concurrency 2``, consuming
the ``reports`` queue, with the project's ``CELERY_WORKER_MAX_TASKS_PER_CHILD`` and
``CELERY_WORKER_MAX_MEMORY_PER_CHILD``) against PostgreSQL and Redis, and measures:

* the anchor, in the same run and the same worker: one report on its own (time, peak memory);
* the burst: the ten reports requested together through the same service the beat task calls, until all
  are done — total time, peak memory of the worker's process tree (sum of RSS, and of PSS, which counts
  pages the forked children share with their parent once, sampled every 0.2 s with psutil) and each
  child's peak RSS, and how many children the worker went through.

The ten municipalities are synthetic: Copenhagen (0101) and nine others with real municipality codes (so
each has its own STRAF11 figures), each with a copy of Copenhagen's areas (bydele, roder, deprived areas)
and synthetic police extracts for 2024–2025 at ``--scale`` × that municipality's real STRAF11 level,
imported through the real service. The reports are of 2025 K3 (the quarter that had ended on 2025-10-01).
Appends (or replaces) the section *Quarter-start burst* of ``docs/benchmarks.md``.

    createdb -h 127.0.0.1 -U postgres sikkerby_burst
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sikkerby_burst CELERY_BROKER_URL=redis://127.0.0.1:6379/11 \\
      .venv/bin/python benchmarks/burst.py --scale 1
"""
import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikkerby.settings.test")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"  # the reports go to the broker, to the real worker

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from areas.models import Area  # noqa: E402
from crimestats.models import KeyFigureReport, PoliceImport, ReportStatus  # noqa: E402
from crimestats.periods import quarter_period  # noqa: E402
from crimestats.services import (  # noqa: E402
    police_import_create,
    police_import_run,
    report_request,
    scheduled_report_request,
)
from crimestats.services.synthetic import synthetic_extracts_write  # noqa: E402
from initiatives.models import Municipality  # noqa: E402

# Copenhagen and nine municipalities of the capital region with STRAF11 figures in fixtures/crimestats.
MUNICIPALITIES = [("0101", "København"), ("0147", "Frederiksberg"), ("0151", "Ballerup"), ("0153", "Brøndby"),
                  ("0155", "Dragør"), ("0157", "Gentofte"), ("0159", "Gladsaxe"), ("0161", "Glostrup"),
                  ("0163", "Herlev"), ("0165", "Albertslund")]
BEAT_DAY = date(2025, 10, 1)  # the day the schedule fires for 2025 K3
MB = 1024 * 1024


def areas_copy(source: Municipality, target: Municipality) -> int:
    """Copy ``source``'s areas (hierarchy and containment) to ``target``, unless it has areas already."""
    if target.areas.exists():
        return 0
    old = list(Area.objects.filter(municipality=source).order_by("pk"))
    new = Area.objects.bulk_create([Area(municipality=target, level=a.level, code=a.code, name=a.name,
                                         geometry=a.geometry, area_m2=a.area_m2, source=a.source) for a in old])
    ids = {a.pk: n for a, n in zip(old, new, strict=True)}
    for a, n in zip(old, new, strict=True):
        n.parent_id = ids[a.parent_id].pk if a.parent_id else None
    Area.objects.bulk_update(new, ["parent"], batch_size=1000)
    through = Area.containers.through
    through.objects.bulk_create([through(from_area_id=ids[t.from_area_id].pk, to_area_id=ids[t.to_area_id].pk)
                                 for t in through.objects.filter(from_area__municipality=source)])
    return len(new)


def police_data_load(m: Municipality, scale: float) -> tuple[int, int]:
    """Synthetic extracts for 2024–2025 at ``scale`` × the municipality's STRAF11 level, imported."""
    counts = []
    with tempfile.TemporaryDirectory() as tmp:
        synthetic_extracts_write(municipality=m, years=[2024, 2025], directory=Path(tmp), scale=scale)
        for kind in ("events", "charges"):
            # imported here, in this process (the worker of this benchmark consumes only the reports queue)
            with open(Path(tmp) / f"{kind}.csv", "rb") as fh, \
                    mock.patch("crimestats.services.police_import.job_enqueue"):
                imp = police_import_create(municipality=m, kind=kind, uploaded_file=File(fh, name=f"{kind}.csv"),
                                           synthetic=True)
            imp = police_import_run(police_import_id=imp.pk)
            assert imp.status == "done", imp.errors[:5]
            counts.append(imp.rows_added)
    return counts[0], counts[1]


class TreeSampler(threading.Thread):
    """Every 0.2 s: the worker's process tree — sum of RSS and of PSS, and each process's peak RSS."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.stopped = threading.Event()
        self.peak_rss = self.peak_pss = 0
        self.per_process: dict[int, int] = {}
        self.samples = 0

    def run(self):
        while not self.stopped.wait(0.2):
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            rss = pss = 0
            for p in procs:
                try:
                    info = p.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
                if p.pid != self.root.pid:
                    self.per_process[p.pid] = max(self.per_process.get(p.pid, 0), info.rss)
            self.samples += 1
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)

    def stop(self):
        self.stopped.set()
        self.join()


def worker_start(log_path: Path, concurrency: int) -> subprocess.Popen:
    """A real worker as docker-compose's worker-reports starts it, but with --concurrency ``concurrency``."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
           "CELERY_TASK_ALWAYS_EAGER": "0"}
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("celery")), "-A", "sikkerby", "worker", "--pool", "prefork",
         "--concurrency", str(concurrency), "-Q", settings.REPORTS_QUEUE, "--loglevel", "INFO",
         "--hostname", f"burst-{os.getpid()}@%h", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited:\n{log_path.read_text()[-3000:]}")
        if re.search(r"@\S+ ready\.", log_path.read_text()):
            return worker
        time.sleep(0.2)
    worker.kill()
    raise RuntimeError("the worker did not become ready in 180 s")


def reports_wait(ids: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = list(KeyFigureReport.objects.filter(pk__in=ids).values_list("status", flat=True))
        if all(s in (ReportStatus.DONE, ReportStatus.FAILED) for s in statuses):
            return
        time.sleep(0.2)
    raise RuntimeError(f"reports not finished after {timeout:.0f} s")


def measured(worker: subprocess.Popen, enqueue) -> dict:
    """Sample the worker's tree while ``enqueue()`` asks for reports; until they are all finished."""
    sampler = TreeSampler(worker.pid)
    sampler.start()
    time.sleep(1)  # the idle tree, before the reports
    t = time.perf_counter()
    ids = enqueue()
    reports_wait(ids, timeout=3600)
    elapsed = time.perf_counter() - t
    time.sleep(0.5)
    sampler.stop()
    reports = list(KeyFigureReport.objects.filter(pk__in=ids).select_related("municipality"))
    return {"seconds": elapsed, "peak_rss": sampler.peak_rss / MB, "peak_pss": sampler.peak_pss / MB,
            "child_peaks": sorted((v / MB for v in sampler.per_process.values()), reverse=True),
            "children": len(sampler.per_process), "samples": sampler.samples,
            "done": sum(r.status == ReportStatus.DONE for r in reports), "n": len(reports),
            "failed": [r.municipality.code for r in reports if r.status != ReportStatus.DONE]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0,
                        help="police data per municipality, × its real STRAF11 level (1 = real scale)")
    parser.add_argument("--municipalities", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL): the worker is another process"
    assert settings.CELERY_BROKER_URL, "set CELERY_BROKER_URL (Redis)"

    call_command("migrate", verbosity=0)
    call_command("load_programme", "copenhagen", verbosity=0)
    call_command("load_areas", verbosity=0)
    call_command("load_straf11", verbosity=0)
    copenhagen = Municipality.objects.get(code="0101")
    munis = []
    for code, name in MUNICIPALITIES[:args.municipalities]:
        m, _ = Municipality.objects.get_or_create(code=code, defaults={"name": name})
        areas_copy(copenhagen, m)
        munis.append(m)
    KeyFigureReport.objects.all().delete()
    with connection.cursor() as cur:
        cur.execute("TRUNCATE crimestats_policeevent, crimestats_policecharge")
    PoliceImport.objects.all().delete()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(settings.REPORTS_QUEUE)  # no message of an earlier run

    t0 = time.perf_counter()
    rows = {m.code: police_data_load(m, args.scale) for m in munis}
    t_load = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("ANALYZE crimestats_policeevent; ANALYZE crimestats_policecharge")

    r = {"load_start": os.getloadavg(), "rows": rows, "t_load": t_load,
         "max_tasks": settings.CELERY_WORKER_MAX_TASKS_PER_CHILD,
         "max_memory_kib": settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD,
         "available_mb": psutil.virtual_memory().available / MB, "total_mb": psutil.virtual_memory().total / MB}
    with tempfile.TemporaryDirectory() as tmp:
        worker = worker_start(Path(tmp) / "worker.log", args.concurrency)
        try:
            # The anchor, in the same worker: one report on its own (2025 K2, so the burst's are still new).
            def one():
                with transaction.atomic():
                    return [report_request(municipality=copenhagen, period=quarter_period(2025, 2)).pk]
            r["single"] = measured(worker, one)

            # The burst: what the beat task does on 2025-10-01, every municipality at once.
            def burst():
                with transaction.atomic():
                    return [scheduled_report_request(municipality=m, today=BEAT_DAY).pk for m in munis]
            r["burst"] = measured(worker, burst)
        finally:
            worker.terminate()
            try:
                worker.wait(60)
            except subprocess.TimeoutExpired:
                worker.kill()
    r["load_end"] = os.getloadavg()
    write_note(args, r)


def write_note(args, r):
    s, b = r["single"], r["burst"]
    fmt_load = lambda load: " / ".join(f"{x:.1f}" for x in load)  # noqa: E731
    events = sum(e for e, _c in r["rows"].values())
    charges = sum(c for _e, c in r["rows"].values())
    ideal = s["seconds"] * b["n"] / args.concurrency
    lines = [
        f"## Quarter-start burst — {args.municipalities} municipalities' reports at once",
        "",
        f"Run by `benchmarks/burst.py --scale {args.scale:g} --municipalities {args.municipalities} --concurrency "
        f"{args.concurrency}` on {date.today().isoformat()}: PostgreSQL "
        f"{connection.cursor().connection.server_version // 10000}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU cores, {r['total_mb'] / 1024:.1f} GB memory ({r['available_mb'] / 1024:.1f} GB "
        f"available at the start); load average (1, 5, 15 min) {fmt_load(r['load_start'])} at the start and "
        f"{fmt_load(r['load_end'])} at the end.",
        "",
        f"{len(r['rows'])} municipalities (Copenhagen and {len(r['rows']) - 1} more with their real codes and STRAF11 "
        "figures, each with "
        f"a copy of Copenhagen's areas), synthetic police data for 2024–2025 at {args.scale:g} × each one's real "
        f"level: {events:,} events and {charges:,} charges in all (imported in {r['t_load']:.0f} s). A real Celery "
        f"worker, prefork, `--concurrency {args.concurrency}`, consuming the `reports` queue, with the project's "
        f"limits (a child replaced after {r['max_tasks']} tasks or {r['max_memory_kib'] / 1024:.0f} MB); "
        "PostgreSQL and Redis. The reports are requested through `scheduled_report_request`, as the beat task "
        "does on the first day of a quarter (here for 2025 K3). Memory is the worker's whole process tree "
        "(main process and children), sampled every 0.2 s: the sum of RSS (counts the pages the children share "
        "with the main process once per process, so it overstates) and of PSS (counts them once).",
        "",
        "| step | reports | time (s) | peak memory, tree RSS / PSS (MB) | largest child (RSS, MB) | children seen "
        "| anchor (same run) | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        f"| one report on its own (the anchor) | {s['done']}/{s['n']} | {s['seconds']:.1f} | "
        f"{s['peak_rss']:.0f} / {s['peak_pss']:.0f} | {s['child_peaks'][0] if s['child_peaks'] else 0:.0f} | "
        f"{s['children']} | – | – |",
        f"| the burst: {b['n']} reports requested at once | {b['done']}/{b['n']} | **{b['seconds']:.1f}** | "
        f"**{b['peak_rss']:.0f} / {b['peak_pss']:.0f}** | {b['child_peaks'][0] if b['child_peaks'] else 0:.0f} | "
        f"{b['children']} | {b['n']} × the single report ÷ {args.concurrency} children = {ideal:.1f} s; "
        f"{b['seconds'] / ideal:.2f} × | all finish; tree ≤ {args.concurrency} × the child limit "
        f"({args.concurrency * r['max_memory_kib'] / 1024:.0f} MB) and well under the machine's memory |",
        "",
        f"Per-child peaks in the burst (RSS, MB): {', '.join(f'{x:.0f}' for x in b['child_peaks'])}."
        + (f" Not done: {', '.join(b['failed'])}." if b["failed"] else " Every report done."),
        "",
    ]
    note = Path(args.out)
    text = note.read_text(encoding="utf-8") if note.exists() else ""
    section = "\n".join(lines)
    marker = "## Quarter-start burst"
    if marker in text:  # replace this section, keep whatever follows it (the next "## " section)
        start = text.index(marker)
        nxt = text.find("\n## ", start + len(marker))
        text = text[:start] + section + (text[nxt + 1:] if nxt != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    note.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
