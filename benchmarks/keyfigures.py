"""Benchmark: import 1M police events + 250k charges and produce the ØU report, on PostgreSQL.

Anchors measured in the same run:
* import  vs. a raw ``COPY`` of the same rows (the imported table dumped with ``COPY … TO``) into a table
  of the same schema (``LIKE … INCLUDING ALL``: same indexes and unique constraints);
* report aggregates (``selectors.report_figures``) vs. executing the very SQL they issue as raw SQL;
* the whole report (figures, PDF, Excel) and the process's peak memory (``ru_maxrss``).
Writes ``docs/benchmarks.md``.
"""
import argparse
import io
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikkerby.settings.test")

import django  # noqa: E402

django.setup()

from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from crimestats import selectors  # noqa: E402
from crimestats.models import KeyFigureReport, PoliceCharge, PoliceEvent, PoliceImport, ReportTrigger  # noqa: E402
from crimestats.periods import quarter_period, year_to_date  # noqa: E402
from crimestats.services import police_import_create, police_import_run, report_generate  # noqa: E402
from crimestats.services.synthetic import synthetic_extracts_write  # noqa: E402
from initiatives.models import Municipality  # noqa: E402

REPORTS_AT_SCALE_1 = 164_074  # Copenhagen's STRAF11 TOT 2024 + 2025 (86,047 + 78,027); incidents come on top
CHARGES_AT_SCALE_1 = 79_676


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def cpu_reference() -> float:
    """Seconds for a fixed pure-Python workload (best of 3): how fast this machine was during the run.

    Shared machines vary from hour to hour; comparing this figure tells whether a slower report is the
    code or the machine.
    """
    def work():
        return sum(i * i % 7 for i in range(3_000_000))
    return min(timed(work)[0] for _ in range(3))


def raw_copy_anchor(table: str) -> tuple[float, int]:
    """Dump ``table`` as CSV, then time COPY of it into an empty table of the same schema."""
    with tempfile.TemporaryFile("w+b") as dump, connection.cursor() as cur:
        cur.cursor.copy_expert(f"COPY {table} TO STDOUT WITH (FORMAT csv)", dump)
        dump.seek(0)
        cur.execute(f"DROP TABLE IF EXISTS bench_{table}; CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
        # LIKE copies columns, defaults, indexes and unique constraints, not foreign keys: add those too,
        # so the anchor pays for the same checks as the import.
        cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
        for name, definition in cur.fetchall():
            cur.execute(f"ALTER TABLE bench_{table} ADD CONSTRAINT bench_{name} {definition}")
        t = time.perf_counter()
        cur.cursor.copy_expert(f"COPY bench_{table} FROM STDIN WITH (FORMAT csv)", io.BufferedReader(dump))
        elapsed = time.perf_counter() - t
        cur.execute(f"SELECT count(*) FROM bench_{table}")
        n = cur.fetchone()[0]
        cur.execute(f"DROP TABLE bench_{table}")
    return elapsed, n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000, help="reports of crimes (incidents add 35 %%)")
    parser.add_argument("--charges", type=int, default=250_000)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)"

    call_command("migrate", verbosity=0)
    call_command("load_programme", "copenhagen", verbosity=0)
    call_command("load_areas", verbosity=0)
    call_command("load_straf11", verbosity=0)
    m = Municipality.objects.get(code="0101")
    KeyFigureReport.objects.all().delete()
    PoliceEvent.objects.all().delete()
    PoliceCharge.objects.all().delete()
    PoliceImport.objects.all().delete()

    results = {"load_start": os.getloadavg(), "cpu_reference_start": cpu_reference()}
    with tempfile.TemporaryDirectory() as tmp:
        t_gen, counts = timed(lambda: synthetic_extracts_write(
            municipality=m, years=[2024, 2025], directory=Path(tmp), scale=args.reports / REPORTS_AT_SCALE_1,
            charge_scale=args.charges / CHARGES_AT_SCALE_1))
        results["generate"] = (t_gen, counts)
        sizes = {k: (Path(tmp) / f"{k}.csv").stat().st_size for k in ("events", "charges")}
        for kind in ("events", "charges"):
            with open(Path(tmp) / f"{kind}.csv", "rb") as fh:
                imp = police_import_create(municipality=m, kind=kind, uploaded_file=File(fh, name=f"{kind}.csv"),
                                           synthetic=True)
            t_imp, imp = timed(lambda imp=imp: police_import_run(police_import_id=imp.pk))
            assert imp.status == "done", imp.errors[:5]
            results[f"import_{kind}"] = (t_imp, imp.rows_added)
            results[f"memory_after_import_{kind}"] = peak_mb()
        # idempotency at scale: the same events file again adds nothing
        with open(Path(tmp) / "events.csv", "rb") as fh:
            imp = police_import_create(municipality=m, kind="events", uploaded_file=File(fh, name="events.csv"))
        t_again, imp = timed(lambda: police_import_run(police_import_id=imp.pk))
        results["import_again"] = (t_again, imp.rows_added, imp.rows_already_present)

    with connection.cursor() as cur:
        cur.execute("ANALYZE crimestats_policeevent; ANALYZE crimestats_policecharge")
    results["copy_events"] = raw_copy_anchor("crimestats_policeevent")
    results["copy_charges"] = raw_copy_anchor("crimestats_policecharge")

    # report aggregates: ORM selectors vs the same SQL executed raw (best of 3 each, warm cache)
    periods = {"quarter 2025 K3": quarter_period(2025, 3), "year to 2025-11-30": year_to_date(date(2025, 11, 30))}
    aggregates = {}
    for name, period in periods.items():
        selectors.report_figures(municipality=m, period=period)  # warm
        orm_times, raw_times = [], []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                t, _data = timed(lambda period=period: selectors.report_figures(municipality=m, period=period))
            orm_times.append(t)
            sqls = [q["sql"] for q in ctx.captured_queries]
            t0 = time.perf_counter()
            with connection.cursor() as cur:
                for sql in sqls:
                    cur.execute(sql)
                    cur.fetchall()
            raw_times.append(time.perf_counter() - t0)
        aggregates[name] = (min(orm_times), min(raw_times), len(sqls))

    # The whole report: the first in this process also imports WeasyPrint (a Celery worker imports it at
    # start, see sikkerby/celery.py, so only the embedded in-process mode pays this once); then three more,
    # as a running worker produces them (the median, with its CPU time).
    p = quarter_period(2025, 3)
    runs = []
    for version in range(1, 5):
        report = KeyFigureReport.objects.create(municipality=m, period_start=p.start, period_end=p.end,
                                                label=p.label, trigger=ReportTrigger.COMMAND, version=version)
        cpu = time.process_time()
        t_report, report = timed(lambda report=report: report_generate(report_id=report.pk))
        report.refresh_from_db()
        runs.append((t_report, time.process_time() - cpu, len(bytes(report.pdf)), len(bytes(report.xlsx))))
    results["report"] = runs[0]
    results["report_warm"] = sorted(runs[1:])[1]
    results["cpu_reference_end"] = cpu_reference()
    results["peak_mb"] = peak_mb()
    results["load_end"] = os.getloadavg()
    write_note(args, results, aggregates, sizes)


def write_note(args, r, aggregates, sizes):
    ev_t, ev_n = r["import_events"]
    ch_t, ch_n = r["import_charges"]
    cp_ev, cp_ev_n = r["copy_events"]
    cp_ch, cp_ch_n = r["copy_charges"]
    lines = [
        "# Benchmarks — police import and the ØU key-figure report",
        "",
        f"Run by `benchmarks/keyfigures.py --reports {args.reports} --charges {args.charges}` on "
        f"{date.today().isoformat()}: PostgreSQL {connection.cursor().connection.server_version // 10000}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPU cores; load average (1, 5, 15 min) "
        f"{' / '.join(f'{x:.1f}' for x in r['load_start'])} at the start and "
        f"{' / '.join(f'{x:.1f}' for x in r['load_end'])} at the end; CPU reference (a fixed pure-Python "
        f"workload, best of 3; lower is a faster machine) {r['cpu_reference_start']:.2f} s at the start and "
        f"{r['cpu_reference_end']:.2f} s at the end. Synthetic extracts, 2024–2025, Copenhagen.",
        "",
        "| step | rows | time (s) | anchor (same run) | anchor (s) | ratio | target |",
        "| --- | ---: | ---: | --- | ---: | ---: | --- |",
        f"| generate synthetic extracts | {r['generate'][1]['events']:,} + {r['generate'][1]['charges']:,} | "
        f"{r['generate'][0]:.1f} | – | – | – | – |",
        f"| import events (check + apply) | {ev_n:,} | {ev_t:.1f} | raw `COPY` of the same rows | {cp_ev:.1f} | "
        f"{ev_t / cp_ev:.1f} × | ≤ 2 × |",
        f"| import charges (check + apply) | {ch_n:,} | {ch_t:.1f} | raw `COPY` of the same rows | {cp_ch:.1f} | "
        f"{ch_t / cp_ch:.1f} × | ≤ 2 × |",
        f"| import the events file again | {r['import_again'][2]:,} present, {r['import_again'][1]} added | "
        f"{r['import_again'][0]:.1f} | – | – | – | idempotent |",
    ]
    for name, (orm, raw, n) in aggregates.items():
        lines.append(f"| report aggregates, {name} ({n} queries) | – | {orm:.2f} | the same SQL, raw | {raw:.2f} | "
                     f"{orm / raw:.2f} × | ≤ 1.5 ×, fixed queries |")
    rep, warm = r["report"], r["report_warm"]
    lines += [
        f"| whole report (figures, PDF, Excel), 2025 K3, first in the process (imports WeasyPrint; CPU "
        f"{rep[1]:.1f} s) | – | {rep[0]:.1f} | – | – | – | ≤ 5 s |",
        f"| whole report in a running worker (median of 3; CPU {warm[1]:.1f} s) | – | {warm[0]:.1f} | – | – | – "
        "| ≤ 5 s |",
        "",
        f"Peak memory of the process (ru_maxrss) over the whole run: **{r['peak_mb']:.0f} MB** "
        f"(after the events import: {r['memory_after_import_events']:.0f} MB; target ≤ 500 MB). "
        f"Files: events {sizes['events'] / 1e6:.0f} MB, charges {sizes['charges'] / 1e6:.0f} MB; "
        f"PDF {rep[2] / 1e3:.0f} kB, Excel {rep[3] / 1e3:.0f} kB.",
        "",
        f"Rows checked by the anchors: {cp_ev_n:,} events, {cp_ch_n:,} charges.",
        "",
    ]
    note = Path(args.out)
    existing = note.read_text(encoding="utf-8") if note.exists() else ""
    marker = "## What was measured and how it compares"
    tail = existing[existing.index(marker):] if marker in existing else ""
    note.write_text("\n".join(lines) + ("\n" + tail if tail else ""), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
