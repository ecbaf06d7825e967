"""The walk: a coordinator's quarter, over HTTP only, against the production topology.

gunicorn (2 sync workers), a Celery worker (prefork, concurrency 1) and Celery beat run as separate
processes on production settings, each in its own folder with its own MEDIA_ROOT, against a PostgreSQL
cluster and a Redis of the test's own. The coordinator logs in through the form, imports police extracts,
produces, publishes and downloads a key-figure report, and imports and computes a safety-index year.
Every step has to succeed; a step that waits for the worker gives up after a bounded time and says what
the worker logged.
"""
import csv
import io
import json
import re
import time
from datetime import date

import openpyxl
import pytest
from shapely.geometry import shape

from .harness import REPO_ROOT, poll

pytestmark = pytest.mark.topology

AREAS = REPO_ROOT / "fixtures" / "areas" / "copenhagen"
WORKER_WAIT = 90  # seconds a worker step may take here (a report takes a few seconds)


def last_ended_quarter(today: date) -> tuple[int, int]:
    q = (today.month - 1) // 3 + 1
    return (today.year, q - 1) if q > 1 else (today.year - 1, 4)


def quarter_days(year: int, quarter: int) -> list[date]:
    first_month = 3 * (quarter - 1) + 1
    return [date(year, first_month + m, d) for m in range(3) for d in (3, 11, 19, 27)]


def points_in_roder(n: int) -> list[tuple[str, float, float]]:
    """(rode name, lon, lat) of a point inside each of the first ``n`` roder of the boundary file."""
    features = json.loads((AREAS / "rode.geojson").read_text(encoding="utf-8"))["features"][:n]
    out = []
    for f in features:
        p = shape(f["geometry"]).representative_point()
        out.append((f['properties']['rodenavn'], round(p.x, 6), round(p.y, 6)))
    return out


CODES = [("VOLD-SIMPEL", "Simpel vold"), ("TYV-CYKEL", "Cykeltyveri"), ("INDBRUD-BEB", "Indbrud i beboelse"),
         ("TYV-BUTIK", "Butikstyveri")]


def events_csv(year: int, quarter: int) -> bytes:
    """Reports and incidents in the quarter and the same quarter a year earlier, at points in the roder."""
    points = points_in_roder(12)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["record_id", "kind", "date", "crime_code", "crime_label", "location", "lon", "lat"])
    i = 0
    for y in (year - 1, year):
        for d in quarter_days(y, quarter):
            for k, (place, lon, lat) in enumerate(points):
                code, label = CODES[(i + k) % len(CODES)]
                w.writerow([f"TOPO-E-{i:06d}", "incident" if i % 5 == 0 else "report", d.isoformat(), code, label,
                            place, lon, lat])
                i += 1
    w.writerow([f"TOPO-E-{i:06d}", "report", quarter_days(year, quarter)[0].isoformat(), "TYV-ANDET",
                "Andre tyverier", "", "", ""])  # a row without a place is valid
    return out.getvalue().encode("utf-8")


def charges_csv(year: int, quarter: int) -> bytes:
    points = points_in_roder(6)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["record_id", "date", "crime_code", "crime_label", "age", "lon", "lat"])
    i = 0
    for y in (year - 1, year):
        for d in quarter_days(y, quarter):
            for _place, lon, lat in points:
                code, label = CODES[i % len(CODES)]
                w.writerow([f"TOPO-C-{i:06d}", d.isoformat(), code, label, 12 + i % 30, lon, lat])
                i += 1
    return out.getvalue().encode("utf-8")


def safety_inputs_csv(year: int) -> tuple[bytes, int]:
    """One row per district (the 35 of the boundary file) for ``year``, in the import format."""
    districts = sorted(f["properties"]["distrikt_nr"] for f in json.loads(
        (AREAS / "distrikter.geojson").read_text(encoding="utf-8"))["features"])
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["area_level", "area_code", "year", "respondents", "victimised_pct", "perceived_crime_score",
                "safe_day_pct", "safe_evening_pct", "police_reports", "population"])
    for n in districts:
        w.writerow(["district", n, year, 150 + 7 * n, f"{5 + n % 9}.25", f"{20 + n % 40}.50", f"{90 - n % 10}.00",
                    f"{75 - n % 20}.75", 300 + 11 * n, 9000 + 500 * n])
    return out.getvalue().encode("utf-8"), len(districts)


def worker_said(deployment, lines: int = 25) -> str:
    """The worker log's tracebacks and errors, for a failure message."""
    text = deployment.worker.log_text()
    hits = [ln for ln in text.splitlines() if re.search(r"Error|Traceback|raised|FileNotFound|No such file", ln)]
    return "\n".join(hits[-lines:]) or "(nothing about errors in the worker's log)"


def pk_from(response, pattern: str) -> int:
    hops = [r.headers.get("Location", "") for r in response.history]
    for location in hops:
        match = re.search(pattern, location)
        if match:
            return int(match.group(1))
    raise AssertionError(f"no redirect to {pattern}: {response.status_code} after {hops}\n{response.text[:3000]}")


def import_extract(client, deployment, *, kind: str, name: str, content: bytes) -> tuple[int, float]:
    """Upload an extract, wait (bounded) until the worker has run it, check it was applied: (pk, seconds)."""
    started, offset = time.monotonic(), deployment.worker.log_size()
    response = client.post("/key-figures/imports/", {"kind": kind}, files={"file": (name, content, "text/csv")})
    assert response.status_code == 200, response.text[:3000]
    pk = pk_from(response, r"/key-figures/imports/(\d+)/$")

    def finished():
        fragment = client.get(f"/key-figures/imports/{pk}/status/")
        assert fragment.status_code == 200, fragment.status_code
        if "HX-Refresh" in fragment.headers:
            return "finished"
        # A task that raised leaves the import waiting for good: no point in waiting on.
        return "raised" if deployment.worker_failures(offset) else None

    if poll(finished, timeout=WORKER_WAIT, interval=0.5) != "finished":
        fragment = client.get(f"/key-figures/imports/{pk}/status/").text
        state = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()
        pytest.fail(f"The {kind} import #{pk} ({name}) was not run (waited {time.monotonic() - started:.0f} s of "
                    f"at most {WORKER_WAIT}); its status page still says {state!r}. The worker logged:\n"
                    f"{worker_said(deployment)}", pytrace=False)
    detail = client.get(f"/key-figures/imports/{pk}/")
    assert detail.status_code == 200
    assert 'id="import-result"' in detail.text and "alert-success" in detail.text, (
        f"the {kind} import #{pk} failed:\n" + re.sub(r"<[^>]+>", " ", detail.text.split("<main", 1)[-1])[:3000])
    return pk, time.monotonic() - started


def test_a_coordinators_quarter_over_http(started_deployment, coordinator_client, topology_timings):
    dep, client = started_deployment, coordinator_client
    timings = topology_timings
    year, quarter = last_ended_quarter(date.today())

    try:
        # --- logged in, on the home page; static files from whitenoise's manifest, far-future cached
        home = client.get("/")
        assert home.status_code == 200 and "/logout/" in home.text, home.text[:2000]
        login_page = dep.client().get("/login/")
        assert login_page.status_code == 200
        assert login_page.headers.get("Strict-Transport-Security"), "no HSTS header on the production settings"
        hashed = re.findall(r'(/static/[^"\']+\.[0-9a-f]{12}\.(?:css|js))', login_page.text)
        assert hashed, "the login page names no hashed static file (is the manifest storage in use?)"
        for url in hashed:
            asset = client.get(url, headers={"Accept-Encoding": "gzip"})
            assert asset.status_code == 200, url
            cache = asset.headers.get("Cache-Control", "")
            assert "max-age=315360000" in cache and "immutable" in cache, (url, cache)
        unhashed = client.get(hashed[0].rsplit(".", 2)[0] + "." + hashed[0].rsplit(".", 1)[1])
        assert unhashed.status_code == 200 and "max-age=315360000" not in unhashed.headers.get("Cache-Control", "")

        # --- police extracts: uploaded by the web process, run by the worker
        assert client.get("/key-figures/imports/").status_code == 200
        _pk, timings["events import (upload to done)"] = import_extract(
            client, dep, kind="events", name="haendelser.csv", content=events_csv(year, quarter))
        _pk, timings["charges import (upload to done)"] = import_extract(
            client, dep, kind="charges", name="sigtelser.csv", content=charges_csv(year, quarter))

        # --- the key-figure report of the quarter: produced by the worker, published, downloaded
        started = time.monotonic()
        response = client.post("/key-figures/", {"kind": "quarter", "year": year, "quarter": quarter})
        assert response.status_code == 200, response.text[:3000]
        report = pk_from(response, r"/key-figures/reports/(\d+)/$")

        def produced():
            fragment = client.get(f"/key-figures/reports/{report}/status/")
            assert fragment.status_code == 200
            assert "alert-danger" not in fragment.text, f"report {report} failed:\n{worker_said(dep)}"
            return "HX-Refresh" in fragment.headers

        if not poll(produced, timeout=WORKER_WAIT, interval=0.5):
            pytest.fail(f"report #{report} not produced within {WORKER_WAIT} s:\n{worker_said(dep)}", pytrace=False)
        timings["report (request to done)"] = time.monotonic() - started
        detail = client.get(f"/key-figures/reports/{report}/")
        assert detail.status_code == 200 and "chart-" in detail.text
        published = client.post(f"/key-figures/reports/{report}/publish/")
        assert published.status_code == 200 and 'id="published-badge"' in published.text, published.text[:3000]
        pdf = client.get(f"/key-figures/reports/{report}/report.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.content[:200]
        assert pdf.headers["Content-Type"] == "application/pdf"
        xlsx = client.get(f"/key-figures/reports/{report}/report.xlsx")
        assert xlsx.status_code == 200
        workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
        assert workbook.sheetnames, "the workbook has no sheets"

        # --- the safety index: inputs imported by the web process, the year computed by the worker
        safety_year = year - 1
        content, n_rows = safety_inputs_csv(safety_year)
        manage = client.get("/safety-index/manage/")
        assert manage.status_code == 200
        imported = client.post("/safety-index/manage/", {"action": "import"},
                               files={"file": ("tryghed.csv", content, "text/csv")})
        assert imported.status_code == 200 and imported.history, imported.text[:3000]
        assert f"{safety_year}: " in imported.text and str(n_rows) in imported.text, imported.text[:3000]
        method = re.search(r'<select name="method"[^>]*>.*?<option value="(\d+)"\s+selected', imported.text, re.S)
        assert method, "no method version to choose"
        started, offset = time.monotonic(), dep.worker.log_size()
        computed = client.post("/safety-index/manage/", {"action": "compute", "year": safety_year,
                                                         "level": "district", "method": method.group(1)})
        assert computed.status_code == 200 and computed.history, computed.text[:3000]

        def draft_listed():
            page = client.get("/safety-index/manage/")
            assert page.status_code == 200
            assert not dep.worker_failures(offset), f"the computation failed:\n{worker_said(dep)}"
            return (f'<th scope="row">{safety_year}</th>' in page.text
                    and re.search(r"/safety-index/runs/\d+/publish/", page.text))

        if not poll(draft_listed, timeout=WORKER_WAIT, interval=0.5):
            pytest.fail(f"the {safety_year} draft did not appear within {WORKER_WAIT} s:\n{worker_said(dep)}",
                        pytrace=False)
        timings["safety index compute (request to draft listed)"] = time.monotonic() - started

        # --- nothing went wrong behind the pages, and the worker (not the web process) did the work
        assert dep.web.alive and dep.worker.alive and dep.beat.alive
        worker_log = dep.worker.log_text()
        for task in ("police_import_process", "key_figure_report_generate", "safety_index_compute_task"):
            assert re.search(rf"{task}\[[-0-9a-f]+\] succeeded", worker_log), f"the worker did not run {task}"
        assert not dep.worker_failures(), worker_said(dep)
        assert " 500 " not in dep.web.log_text(), "gunicorn logged a 500"
    finally:
        print("\n--- topology timings (s) ---")
        for what, seconds in timings.items():
            print(f"{what:>55}: {seconds:6.1f}")
