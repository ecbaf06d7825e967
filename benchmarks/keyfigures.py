"""Benchmark: import 1M police events + 250k charges and produce the ØU report, on PostgreSQL.

Anchors measured in the same run:
* import vs. a raw ``COPY`` of the same rows (the imported table dumped with ``COPY … TO``) into a table
  of the same schema (``LIKE … INCLUDING ALL`` plus the foreign keys), interleaved: ``--rounds`` rounds
  (default 3), each from empty police tables, each kind imported and its anchor run right after, so both
  see the same load on a shared machine; the note gives every round's ratio and the median;
* report aggregates (``selectors.report_figures``) vs. executing the very SQL they issue as raw SQL;
* the whole report (figures, PDF, Excel) and the process's peak memory (``ru_maxrss``).
Writes ``docs/benchmarks.md``.
"""
import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from unittest import mock

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
from crimestats.models import KeyFigureReport, PoliceImport, ReportTrigger  # noqa: E402
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


def table_dump(table: str, dump) -> None:
    """``COPY table TO`` the open binary file ``dump`` (the rows the anchor loads)."""
    dump.seek(0)
    dump.truncate()
    with connection.cursor() as cur:
        cur.cursor.copy_expert(f"COPY {table} TO STDOUT WITH (FORMAT csv)", dump)
    dump.seek(0)


def raw_copy_anchor(table: str, dump) -> tuple[float, int]:
    """Time one raw ``COPY`` of ``dump`` (``table`` as CSV) into an empty table of the same schema."""
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS bench_{table}; CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
        # LIKE copies columns, defaults, indexes and unique constraints, not foreign keys: add those too,
        # so the anchor pays for the same checks as the import.
        cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
        for name, definition in cur.fetchall():
            cur.execute(f"ALTER TABLE bench_{table} ADD CONSTRAINT bench_{name} {definition}")
        dump.seek(0)
        t = time.perf_counter()
        cur.cursor.copy_expert(f"COPY bench_{table} FROM STDIN WITH (FORMAT csv)", dump)
        elapsed = time.perf_counter() - t
        cur.execute(f"SELECT count(*) FROM bench_{table}")
        n = cur.fetchone()[0]
        cur.execute(f"DROP TABLE bench_{table}")
    return elapsed, n


def police_tables_empty() -> None:
    """Every round starts from empty police tables (TRUNCATE: no dead rows left for the next import)."""
    with connection.cursor() as cur:
        cur.execute("TRUNCATE crimestats_policeevent, crimestats_policecharge")
    PoliceImport.objects.all().delete()


def import_file(m, path: Path, kind: str, synthetic: bool = True) -> tuple[float, PoliceImport]:
    """Store the file as an upload would (not timed), then time the import itself (check + apply).

    The upload's queueing is left out: with the test settings' eager Celery it would run the import inside
    ``police_import_create``, untimed, and leave the timed call nothing to do.
    """
    with open(path, "rb") as fh, mock.patch("crimestats.services.police_import.job_enqueue"):
        imp = police_import_create(municipality=m, kind=kind, uploaded_file=File(fh, name=path.name),
                                   synthetic=synthetic)
    t, imp = timed(lambda: police_import_run(police_import_id=imp.pk))
    assert imp.status == "done", imp.errors[:5]
    return t, imp


TABLES = {"events": "crimestats_policeevent", "charges": "crimestats_policecharge"}


def median(values):
    return sorted(values)[len(values) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000, help="reports of crimes (incidents add 35 %%)")
    parser.add_argument("--charges", type=int, default=250_000)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of import and raw COPY")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)"

    call_command("migrate", verbosity=0)
    call_command("load_programme", "copenhagen", verbosity=0)
    call_command("load_areas", verbosity=0)
    call_command("load_straf11", verbosity=0)
    m = Municipality.objects.get(code="0101")
    KeyFigureReport.objects.all().delete()
    police_tables_empty()

    results = {"load_start": os.getloadavg(), "cpu_reference_start": cpu_reference(), "rounds": []}
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile("w+b") as dump:
        t_gen, counts = timed(lambda: synthetic_extracts_write(
            municipality=m, years=[2024, 2025], directory=Path(tmp), scale=args.reports / REPORTS_AT_SCALE_1,
            charge_scale=args.charges / CHARGES_AT_SCALE_1))
        results["generate"] = (t_gen, counts)
        sizes = {k: (Path(tmp) / f"{k}.csv").stat().st_size for k in TABLES}
        # Interleaved: each round empties the tables, then per kind the import and, right after it, the raw
        # COPY of the very rows it wrote; so an import and its anchor see the same load on the machine.
        for _round in range(args.rounds):
            police_tables_empty()
            run = {"load": os.getloadavg()}
            for kind, table in TABLES.items():
                t_imp, imp = import_file(m, Path(tmp) / f"{kind}.csv", kind)
                table_dump(table, dump)  # not timed
                t_copy, n_copy = raw_copy_anchor(table, dump)
                run[kind] = (t_imp, imp.rows_added, t_copy, n_copy)
            results["rounds"].append(run)
            results["memory_after_imports"] = peak_mb()
        # idempotency at scale: the same events file again adds nothing
        t_again, imp = import_file(m, Path(tmp) / "events.csv", "events", synthetic=False)
        results["import_again"] = (t_again, imp.rows_added, imp.rows_already_present)

    with connection.cursor() as cur:
        cur.execute("ANALYZE crimestats_policeevent; ANALYZE crimestats_policecharge")

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
    rounds = r["rounds"]
    fmt_load = lambda load: " / ".join(f"{x:.1f}" for x in load)  # noqa: E731
    lines = [
        "# Benchmarks — police import and the ØU key-figure report",
        "",
        f"Run by `benchmarks/keyfigures.py --reports {args.reports} --charges {args.charges} --rounds {args.rounds}` "
        f"on {date.today().isoformat()}: PostgreSQL {connection.cursor().connection.server_version // 10000}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPU cores; load average (1, 5, 15 min) "
        f"{fmt_load(r['load_start'])} at the start and {fmt_load(r['load_end'])} at the end; CPU reference "
        f"(a fixed pure-Python workload, best of 3; lower is a faster machine) {r['cpu_reference_start']:.2f} s at "
        f"the start and {r['cpu_reference_end']:.2f} s at the end. Synthetic extracts, 2024–2025, Copenhagen.",
        "",
        f"Import vs raw `COPY`, interleaved: {len(rounds)} rounds, each from empty police tables, each kind "
        "imported and then, right after, its anchor — the rows the import wrote, dumped (not timed) and loaded "
        "with one raw `COPY` into an empty table of the same schema, indexes and foreign keys.",
        "",
        "| round | load (1 min) | events import (s) | events `COPY` (s) | ratio | charges import (s) "
        "| charges `COPY` (s) | ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for i, run in enumerate(rounds, 1):
        ev, ch = run["events"], run["charges"]
        lines.append(f"| {i} | {run['load'][0]:.1f} | {ev[0]:.1f} | {ev[2]:.1f} | {ev[0] / ev[2]:.2f} × | "
                     f"{ch[0]:.1f} | {ch[2]:.1f} | {ch[0] / ch[2]:.2f} × |")
    ratio = {k: median([run[k][0] / run[k][2] for run in rounds]) for k in TABLES}
    t_med = {k: (median([run[k][0] for run in rounds]), median([run[k][2] for run in rounds])) for k in TABLES}
    lines += [
        "",
        "| step | rows | time (s) | anchor (same run) | anchor (s) | ratio | target |",
        "| --- | ---: | ---: | --- | ---: | ---: | --- |",
        f"| generate synthetic extracts | {r['generate'][1]['events']:,} + {r['generate'][1]['charges']:,} | "
        f"{r['generate'][0]:.1f} | – | – | – | – |",
    ]
    for kind in TABLES:
        n = rounds[-1][kind][1]
        lines.append(f"| import {kind} (check + apply), median of {len(rounds)} | {n:,} | {t_med[kind][0]:.1f} | "
                     f"raw `COPY` of the same rows, interleaved | {t_med[kind][1]:.1f} | "
                     f"**{ratio[kind]:.2f} ×** (median ratio) | ≤ 2 × |")
    lines.append(f"| import the events file again | {r['import_again'][2]:,} present, {r['import_again'][1]} added | "
                 f"{r['import_again'][0]:.1f} | – | – | – | idempotent |")
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
        f"(after the imports: {r['memory_after_imports']:.0f} MB; target ≤ 500 MB). "
        f"Files: events {sizes['events'] / 1e6:.0f} MB, charges {sizes['charges'] / 1e6:.0f} MB; "
        f"PDF {rep[2] / 1e3:.0f} kB, Excel {rep[3] / 1e3:.0f} kB.",
        "",
        f"Rows checked by the anchors: {rounds[-1]['events'][3]:,} events, {rounds[-1]['charges'][3]:,} charges.",
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
