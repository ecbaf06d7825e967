"""Benchmark: server time of the list pages at demo size and at ten times the data, and the safety-index map.

Run against a database holding the demo (``make demo-data`` with ``DATABASE_URL`` set). For each page the
median of ``--repeat`` requests through Django's test client (server time: URL routing, middleware, view,
template; no network) is taken at demo size; then, inside a transaction that is rolled back at the end, the
initiatives (with their budget lines, focus areas and evaluations), the indicator values, the exit cases and
the key-figure reports are each copied nine more times, and the pages are timed again. The safety-index map
is timed cold (its display shapes not yet cached) and warm. Writes the section between the ``bench_pages``
markers of ``docs/benchmarks.md``, with the load average beside every figure (the machine is shared).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sk_perf_demo .venv/bin/python benchmarks/bench_pages.py
"""
import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikkerby.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from crimestats.models import KeyFigureReport  # noqa: E402
from evaluations.models import Evaluation, EvaluationRound  # noqa: E402
from exitprogram.models import ExitCase  # noqa: E402
from indicators.models import IndicatorValue  # noqa: E402
from initiatives.models import BudgetLine, Initiative  # noqa: E402

START, END = "<!-- bench_pages:start -->", "<!-- bench_pages:end -->"


def load() -> str:
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def pages() -> list[tuple[str, str, str]]:
    evaluation_round = EvaluationRound.objects.order_by("-year").first()
    return [
        ("coordinator dashboard", "demo-koordinator", "/programme/"),
        ("indicator list", "demo-koordinator", "/indicators/"),
        ("exit case list", "demo-exit", "/exit/"),
        ("evaluation round", "demo-koordinator", f"/evaluations/rounds/{evaluation_round.pk}/"),
        ("key-figure list", "demo-koordinator", "/key-figures/"),
        ("safety-index map", "demo-koordinator", "/safety-index/"),
    ]


def measure(repeat: int) -> dict[str, dict]:
    out = {}
    for label, username, url in pages():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        cache.clear()
        t = time.perf_counter()
        response = client.get(url)
        cold = time.perf_counter() - t
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - t)
        out[label] = {"median": statistics.median(times), "cold": cold, "load": load(),
                      "bytes": len(response.content)}
        print(label, out[label], flush=True)
    return out


def clone(instance, **changes):
    """A new, unsaved row with the instance's column values and ``changes``."""
    model = type(instance)
    values = {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    return model(**{**values, **changes})


def tenfold() -> dict[str, int]:
    """Copy the demo's rows of the listed kinds nine more times (same shape, new keys)."""
    initiatives = list(Initiative.objects.prefetch_related("focus_areas", "budget_lines", "evaluations"))
    lines, links, evaluations = [], [], []
    through = Initiative.focus_areas.through
    for n in range(1, 10):
        for original in initiatives:
            copy = Initiative.objects.get(pk=original.pk)
            copy.pk = None
            copy.key = f"{original.key}-x{n}"[:80]
            copy.name = f"{original.name} ({n})"
            copy.save()
            links += [through(initiative_id=copy.pk, focusarea_id=fa.pk) for fa in original.focus_areas.all()]
            lines += [clone(line, initiative_id=copy.pk) for line in original.budget_lines.all()]
            evaluations += [clone(e, initiative_id=copy.pk) for e in original.evaluations.all()]
    through.objects.bulk_create(links)
    BudgetLine.objects.bulk_create(lines)
    Evaluation.objects.bulk_create(evaluations)

    values = list(IndicatorValue.objects.filter(supersedes__isnull=True))
    copies = []
    for n in range(1, 10):
        for v in values:
            c = IndicatorValue(**{f.attname: getattr(v, f.attname) for f in IndicatorValue._meta.concrete_fields})
            c.pk = None
            c.period_start = v.period_start.replace(year=v.period_start.year - 20 * n)
            copies.append(c)
    IndicatorValue.objects.bulk_create(copies, batch_size=2000)

    cases = list(ExitCase.objects.all())
    case_copies = []
    for n in range(1, 10):
        for case in cases:
            c = ExitCase(**{f.attname: getattr(case, f.attname) for f in ExitCase._meta.concrete_fields})
            c.pk, c.uuid, c.reference = None, uuid.uuid4(), f"{case.reference}-{n}"[:20]
            case_copies.append(c)
    ExitCase.objects.bulk_create(case_copies, batch_size=1000)

    reports = list(KeyFigureReport.objects.all())
    report_copies = []
    for n in range(1, 10):
        for r in reports:
            c = KeyFigureReport(**{f.attname: getattr(r, f.attname) for f in KeyFigureReport._meta.concrete_fields})
            c.pk, c.version = None, r.version + 100 * n
            report_copies.append(c)
    KeyFigureReport.objects.bulk_create(report_copies)
    return {"initiatives": Initiative.objects.count(), "evaluations": Evaluation.objects.count(),
            "indicator values": IndicatorValue.objects.count(), "exit cases": ExitCase.objects.count(),
            "key-figure reports": KeyFigureReport.objects.count()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved demo / ten-times rounds")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    demo_counts = {"initiatives": Initiative.objects.count(), "evaluations": Evaluation.objects.count(),
                   "indicator values": IndicatorValue.objects.count(), "exit cases": ExitCase.objects.count(),
                   "key-figure reports": KeyFigureReport.objects.count()}
    # Interleaved rounds (demo, ten times, demo, ten times, …): a change in the machine's load falls on both
    # sizes; each page's figure is the round with the median ratio.
    rounds = []
    for _ in range(args.rounds):
        demo = measure(args.repeat)
        with transaction.atomic():
            big_counts = tenfold()
            big = measure(args.repeat)
            transaction.set_rollback(True)
        rounds.append((demo, big))
    write(args, rounds, demo_counts, big_counts)


def write(args, rounds, demo_counts, big_counts):
    lines = [
        START,
        "## Pages: server time at demo size and at ten times the data (`benchmarks/bench_pages.py`)",
        "",
        f"Run on {date.today()}: Django's test client against PostgreSQL (server time without the network), "
        f"median of {args.repeat} requests after a first one; {os.cpu_count()} CPU cores, the load average beside "
        f"each figure; {args.rounds} interleaved rounds (demo, ten times the data, demo, …), each page's row from "
        "the round with its median ratio, every round's ratio beside it. Ten times the data: every initiative (with "
        "its budget lines, focus areas and evaluations), indicator value, exit case and key-figure report "
        "copied nine more times, in a transaction rolled back afterwards. Rows: "
        + ", ".join(f"{k} {demo_counts[k]:,} → {big_counts[k]:,}" for k in demo_counts) + ".",
        "",
        "| page | demo (ms) | 10 × data (ms) | ratio | every round | target | page size demo / 10 × (kB) "
        "| load avg demo / 10 × |",
        "| --- | ---: | ---: | ---: | --- | --- | ---: | --- |",
    ]
    for label in rounds[0][0]:
        ratios = [big[label]["median"] / demo[label]["median"] for demo, big in rounds]
        demo, big = rounds[sorted(range(len(rounds)), key=ratios.__getitem__)[len(rounds) // 2]]
        d, b = demo[label], big[label]
        target = "≤ 150 ms (both sizes)" if label == "safety-index map" else "≤ 1.5 ×"
        lines.append(f"| {label} | {d['median'] * 1000:.0f} | {b['median'] * 1000:.0f} | "
                     f"{b['median'] / d['median']:.2f} × | {', '.join(f'{x:.2f}' for x in ratios)} | {target} | "
                     f"{d['bytes'] / 1e3:.0f} / {b['bytes'] / 1e3:.0f} | {d['load']} / {b['load']} |")
    m = min((demo for demo, _big in rounds), key=lambda demo: demo["safety-index map"]["cold"])["safety-index map"]
    lines += ["", f"Safety-index map, first request with an empty cache (simplifies and caches the display shapes "
              f"of the level): {m['cold'] * 1000:.0f} ms; afterwards {m['median'] * 1000:.0f} ms (median).", END]
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
