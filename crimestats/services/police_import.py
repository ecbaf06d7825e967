"""Importing police extracts (reports/cases/incidents, and charges) from CSV — the format is in docs/crimestats.md.

The import streams the file twice and never holds it in memory:

1. *check*: every row is parsed and validated, its point placed in a rode
   (vectorised point-in-polygon per chunk) and 1×1 km grid cell, and the
   result written to a spool file on disk; every bad row is recorded with its
   line number and reason, and progress is saved after each chunk.
2. *apply* (only when no row was bad), in one transaction: on PostgreSQL the
   spool is ``COPY``-ed into a temporary staging table and moved with
   ``INSERT … SELECT … ON CONFLICT DO NOTHING``; on SQLite it is inserted
   with ``bulk_create(ignore_conflicts=True)`` in batches.

So a file is applied whole or not at all, and importing the same rows again
adds nothing (each row is keyed on the municipality and its record id).
The uploaded file is deleted once the import has finished: what is kept is
the rode, bydel and grid cell, not the coordinates.
"""
import csv
import hashlib
import io
import math
import tempfile
from datetime import date

import numpy as np
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from operations import uploads
from operations.jobs import job_enqueue

from ..catalogue import CRIME_TYPES, INCIDENT_TYPES
from ..geo import grid_cells, rode_index
from ..models import CrimeType, EventKind, ExtractKind, ImportStatus, PoliceCharge, PoliceEvent, PoliceImport

EVENT_COLUMNS = ["record_id", "kind", "date", "crime_code", "crime_label", "location", "lon", "lat"]
CHARGE_COLUMNS = ["record_id", "date", "crime_code", "crime_label", "age", "lon", "lat"]
COLUMNS = {ExtractKind.EVENTS: EVENT_COLUMNS, ExtractKind.CHARGES: CHARGE_COLUMNS}
CHUNK_ROWS = 20_000
MAX_STORED_ERRORS = 1000
EARLIEST = date(2000, 1, 1)
_KNOWN = {c: (g, pd) for c, _l, g, pd, _w in CRIME_TYPES} | {c: ("", False) for c, _l, _w in INCIDENT_TYPES}


def _sha256(fh) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: fh.read(1 << 20), b""):
        digest.update(block)
    fh.seek(0)
    return digest.hexdigest()


def _check_header(fh, kind: str) -> None:
    """Raise ValidationError unless the first line is exactly the columns of ``kind``."""
    first = fh.readline()
    fh.seek(0)
    try:
        header = next(csv.reader([first.decode("utf-8-sig")]), [])
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text.")) from None
    expected = COLUMNS[kind]
    if [h.strip() for h in header] != expected:
        raise ValidationError(_("Line 1 must name the columns %(expected)s; it names %(got)s.")
                              % {"expected": ",".join(expected), "got": ",".join(header) or "–"})


def police_import_create(*, municipality, kind: str, uploaded_file, user=None, synthetic: bool = False
                         ) -> PoliceImport:
    """Store an uploaded extract as a waiting import after checking its size and header, and queue its task.

    A file over ``settings.UPLOAD_MAX_BYTES["police_csv"]`` is refused (``UploadRefused``, naming the
    limit) before it is read or stored.

    The file goes to the shared storage (the database by default), so the worker that runs the import may
    be on another host. Raises ``operations.jobs.BrokerUnavailable`` — storing nothing — when the
    background service does not answer.
    """
    if kind not in COLUMNS:
        raise ValidationError({"kind": _("Unknown kind of extract.")})
    uploads.check_size(size=uploaded_file.size, kind="police_csv")  # before anything is read or stored
    _check_header(uploaded_file, kind)
    sha = _sha256(uploaded_file)
    imp = PoliceImport(municipality=municipality, kind=kind, filename=uploaded_file.name[:255], sha256=sha,
                       synthetic=synthetic, created_by=user)
    with transaction.atomic():  # the stored file, the row and the queued job together, or none of them
        imp.file.save(f"{sha[:16]}.csv", uploaded_file, save=False)
        imp.full_clean()
        imp.save()
        job_enqueue(imp)
    return imp


# --- pass 1: parse, validate, place ----------------------------------------
def _coordinate(lon: str, lat: str) -> tuple[float, float] | str | None:
    """(lon, lat), None for "no location", or an error text."""
    if not lon.strip() and not lat.strip():
        return None
    try:
        x, y = float(lon), float(lat)
    except ValueError:
        return _("lon/lat must be decimal degrees (e.g. 12.5683, 55.6761)")
    if not (math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90):
        return _("lon/lat out of range")
    return x, y


def _parse_common(row: list[str], ncols: int, today: date) -> tuple[dict, list[str]]:
    problems = []
    if len(row) != ncols:
        return {}, [_("expected %(n)d columns, found %(m)d") % {"n": ncols, "m": len(row)}]
    out = {"record_id": row[0].strip()}
    if not out["record_id"] or len(out["record_id"]) > 40:
        problems.append(_("record_id is empty or longer than 40 characters"))
    return out, problems


def _parse_date(value: str, today: date, problems: list[str]) -> date | None:
    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        problems.append(_("date %(value)r is not a date like 2025-03-31") % {"value": value[:20]})
        return None
    if not EARLIEST <= d <= today:
        problems.append(_("date %(value)s is before 2000 or in the future") % {"value": d.isoformat()})
    return d


def _parse_crime(code: str, label: str, problems: list[str]) -> tuple[str, str]:
    code, label = code.strip(), label.strip()
    if not code or len(code) > 20:
        problems.append(_("crime_code is empty or longer than 20 characters"))
    if not label or len(label) > 200:
        problems.append(_("crime_label is empty or longer than 200 characters"))
    return code, label


def _parse_row(kind: str, row: list[str], today: date) -> tuple[dict, list[str]]:
    """One row as a dict of clean values, and the list of what is wrong with it."""
    if kind == ExtractKind.EVENTS:
        out, problems = _parse_common(row, len(EVENT_COLUMNS), today)
        if problems and not out:
            return out, problems
        _rid, k, d, code, label, location, lon, lat = row
        if k.strip() not in EventKind.values:
            problems.append(_("kind must be report or incident"))
        out["kind"] = k.strip()
        out["date"] = _parse_date(d, today, problems)
        out["crime_code"], out["crime_label"] = _parse_crime(code, label, problems)
        out["location"] = location.strip()
        if len(out["location"]) > 120:
            problems.append(_("location is longer than 120 characters"))
    else:
        out, problems = _parse_common(row, len(CHARGE_COLUMNS), today)
        if problems and not out:
            return out, problems
        _rid, d, code, label, age, lon, lat = row
        out["date"] = _parse_date(d, today, problems)
        out["crime_code"], out["crime_label"] = _parse_crime(code, label, problems)
        try:
            out["age"] = int(age)
            if not 0 <= out["age"] <= 120:
                raise ValueError
        except ValueError:
            problems.append(_("age must be a whole number from 0 to 120"))
    point = _coordinate(lon, lat)
    if isinstance(point, str):
        problems.append(point)
    else:
        out["point"] = point
    return out, problems


_EVENT_KINDS = frozenset(EventKind.values)


def _clean_row(kind: str, row: list[str], today: date) -> tuple[list, str, str, float, float] | None:
    """The fast path of the check: a valid row as (spool fields, crime code, crime label, lon, lat), else None.

    It accepts exactly what ``_parse_row`` accepts (a property test holds the two together); a row it
    refuses goes through ``_parse_row``, which says what is wrong. lon/lat are NaN for "no location".
    """
    try:
        if kind == ExtractKind.EVENTS:
            rid, k, d, code, label, location, lon, lat = row
            k, location = k.strip(), location.strip()
            if k not in _EVENT_KINDS or len(location) > 120:
                return None
        else:
            rid, d, code, label, age, lon, lat = row
            age = int(age)
            if not 0 <= age <= 120:
                return None
        rid, code, label = rid.strip(), code.strip(), label.strip()
        if not (0 < len(rid) <= 40 and 0 < len(code) <= 20 and 0 < len(label) <= 200):
            return None
        day = date.fromisoformat(d.strip())
        if not EARLIEST <= day <= today:
            return None
        if lon.strip() or lat.strip():
            x, y = float(lon), float(lat)
            if not (-180 <= x <= 180 and -90 <= y <= 90):  # false for NaN too
                return None
        else:
            x = y = math.nan
    except ValueError:  # wrong number of columns, not a number, not a date
        return None
    fields = [rid, k, day.isoformat(), code, location] if kind == ExtractKind.EVENTS else [
        rid, day.isoformat(), code, age]
    return fields, code, label, x, y


def _from_parsed(kind: str, r: dict) -> tuple[list, str, str, float, float]:
    """``_clean_row``'s result from what ``_parse_row`` made of a valid row."""
    x, y = r["point"] if r["point"] is not None else (math.nan, math.nan)
    fields = [r["record_id"], r["kind"], r["date"].isoformat(), r["crime_code"], r["location"]] \
        if kind == ExtractKind.EVENTS else [r["record_id"], r["date"].isoformat(), r["crime_code"], r["age"]]
    return fields, r["crime_code"], r["crime_label"], x, y


class _Checker:
    """Pass 1 over a file: validates rows chunk by chunk and spools the placed rows."""

    def __init__(self, imp: PoliceImport, spool):
        self.imp, self.spool = imp, csv.writer(spool)
        self.index = rode_index(municipality=imp.municipality)
        # the spooled placement of a point in rode j: rode, bydel, deprived area ("" = none)
        self.placement = [
            (int(r), int(b) if b >= 0 else "", int(dep) if dep >= 0 else "")
            for r, b, dep in zip(self.index.rode_ids, self.index.bydel_ids, self.index.deprived_ids, strict=True)]
        self.crime_labels: dict[str, str] = {}
        self.errors: list[dict] = []
        self.error_count = 0
        self.rows = 0
        self.today = timezone.localdate()

    def error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"line": line, "message": message})

    def flush(self, lines: list[int], records: list[list], lons: list[float], lats: list[float]) -> None:
        """Place a chunk's points (vectorised) and spool its rows while the file is still clean."""
        lon, lat = np.array(lons, dtype=float), np.array(lats, dtype=float)
        has_point = ~np.isnan(lon)
        rode_of = np.full(len(records), -2, dtype=np.int64)  # -2 = no location given
        rode_of[has_point] = self.index.locate(lon[has_point], lat[has_point])
        for i in np.flatnonzero(rode_of == -1):
            self.error(lines[i], _("the point %(lon)s, %(lat)s lies outside the municipality's areas")
                       % {"lon": lons[i], "lat": lats[i]})
        if self.error_count:
            return  # nothing will be applied: stop spooling, keep checking
        placement, none = self.placement, ("", "", "")
        if self.imp.kind == ExtractKind.EVENTS:
            gx, gy = grid_cells(np.where(has_point, lon, 0.0), np.where(has_point, lat, 0.0))
            self.spool.writerows(
                [*rec, *placement[j], x, y] if j >= 0 else [*rec, *none, "", ""]
                for rec, j, x, y in zip(records, rode_of.tolist(), gx.tolist(), gy.tolist(), strict=True))
        else:
            self.spool.writerows([*rec, *(placement[j] if j >= 0 else none)]
                                 for rec, j in zip(records, rode_of.tolist(), strict=True))

    def run(self, text) -> None:
        reader = csv.reader(text)
        next(reader, None)
        kind, today, labels = self.imp.kind, self.today, self.crime_labels
        lines: list[int] = []
        records: list[list] = []
        lons: list[float] = []
        lats: list[float] = []
        for line, row in enumerate(reader, start=2):
            if not row:
                continue
            self.rows += 1
            clean = _clean_row(kind, row, today)
            if clean is None:
                parsed, problems = _parse_row(kind, row, today)
                if problems:
                    self.error(line, "; ".join(problems))
                    continue
                clean = _from_parsed(kind, parsed)
            fields, code, label, x, y = clean
            if code not in labels:
                labels[code] = label
            lines.append(line)
            records.append(fields)
            lons.append(x)
            lats.append(y)
            if len(records) >= CHUNK_ROWS:
                self.flush(lines, records, lons, lats)
                lines, records, lons, lats = [], [], [], []
                PoliceImport.objects.filter(pk=self.imp.pk).update(rows_read=self.rows)
        if records:
            self.flush(lines, records, lons, lats)


# --- pass 2: apply ------------------------------------------------------------
def _ensure_crime_types(labels: dict[str, str]) -> dict[str, int]:
    existing = dict(CrimeType.objects.filter(code__in=list(labels)).values_list("code", "id"))
    new = [CrimeType(code=c, label=labels[c][:200], straf11_code=_KNOWN.get(c, ("", False))[0],
                     person_dangerous=_KNOWN.get(c, ("", False))[1]) for c in labels if c not in existing]
    if new:
        CrimeType.objects.bulk_create(new, ignore_conflicts=True)
        existing = dict(CrimeType.objects.filter(code__in=list(labels)).values_list("code", "id"))
    return existing


_PG_STAGING = {
    ExtractKind.EVENTS: (
        "record_id text, kind text, date date, crime_code text, location text, rode_id bigint, "
        "bydel_id bigint, deprived_area_id bigint, grid_x integer, grid_y integer",
        "location",
        "INSERT INTO crimestats_policeevent (municipality_id, record_id, kind, date, crime_type_id, location, "
        "rode_id, bydel_id, deprived_area_id, grid_x, grid_y, source_import_id) "
        "SELECT %s, s.record_id, s.kind, s.date, ct.id, s.location, s.rode_id, s.bydel_id, s.deprived_area_id, "
        "s.grid_x, s.grid_y, %s FROM crimestats_staging s JOIN crimestats_crimetype ct ON ct.code = s.crime_code "
        "ON CONFLICT (municipality_id, record_id) DO NOTHING",
    ),
    ExtractKind.CHARGES: (
        "record_id text, date date, crime_code text, age smallint, rode_id bigint, bydel_id bigint, "
        "deprived_area_id bigint",
        None,
        "INSERT INTO crimestats_policecharge (municipality_id, record_id, date, crime_type_id, age, rode_id, "
        "bydel_id, deprived_area_id, source_import_id) "
        "SELECT %s, s.record_id, s.date, ct.id, s.age, s.rode_id, s.bydel_id, s.deprived_area_id, %s "
        "FROM crimestats_staging s JOIN crimestats_crimetype ct ON ct.code = s.crime_code "
        "ON CONFLICT (municipality_id, record_id) DO NOTHING",
    ),
}


def _apply_postgresql(imp: PoliceImport, spool) -> int:
    columns, not_null, insert = _PG_STAGING[imp.kind]
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({not_null})" if not_null else "")
    with connection.cursor() as cur:
        # The staging table lives until the end of the transaction; drop one left by an earlier import
        # in the same transaction (several imports in one request or test).
        cur.execute("DROP TABLE IF EXISTS crimestats_staging")
        cur.execute(f"CREATE TEMP TABLE crimestats_staging ({columns}) ON COMMIT DROP")
        cur.cursor.copy_expert(f"COPY crimestats_staging FROM STDIN WITH ({options})", spool)
        cur.execute(insert, [imp.municipality_id, imp.pk])
        return cur.rowcount


def _none(value: str):
    return int(value) if value != "" else None


def _apply_bulk(imp: PoliceImport, spool, crime_ids: dict[str, int]) -> int:
    model = PoliceEvent if imp.kind == ExtractKind.EVENTS else PoliceCharge
    before = model.objects.filter(municipality_id=imp.municipality_id).count()
    batch = []
    for row in csv.reader(spool):
        if imp.kind == ExtractKind.EVENTS:
            rid, kind, d, code, location, rode, bydel, deprived, gx, gy = row
            batch.append(PoliceEvent(
                municipality_id=imp.municipality_id, record_id=rid, kind=kind, date=date.fromisoformat(d),
                crime_type_id=crime_ids[code], location=location, rode_id=_none(rode), bydel_id=_none(bydel),
                deprived_area_id=_none(deprived), grid_x=_none(gx), grid_y=_none(gy), source_import_id=imp.pk))
        else:
            rid, d, code, age, rode, bydel, deprived = row
            batch.append(PoliceCharge(
                municipality_id=imp.municipality_id, record_id=rid, date=date.fromisoformat(d),
                crime_type_id=crime_ids[code], age=int(age), rode_id=_none(rode), bydel_id=_none(bydel),
                deprived_area_id=_none(deprived), source_import_id=imp.pk))
        if len(batch) >= 5000:
            model.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        model.objects.bulk_create(batch, ignore_conflicts=True)
    return model.objects.filter(municipality_id=imp.municipality_id).count() - before


def _count_rows(fh) -> int:
    lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    fh.seek(0)
    return max(0, lines - 1)


def _unwrapped(f):
    """The plain file object under Django's File proxies (each read through a proxy costs a Python call)."""
    while isinstance(f, File):
        f = f.file
    return f


def police_import_run(*, police_import_id: int) -> PoliceImport:
    """Check and apply one waiting import (see the module docstring). Running a finished import again does nothing."""
    imp = PoliceImport.objects.select_related("municipality").get(pk=police_import_id)
    if imp.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return imp
    with imp.file.open("rb") as raw:
        rows_total = _count_rows(raw)
        PoliceImport.objects.filter(pk=imp.pk).update(status=ImportStatus.RUNNING, rows_total=rows_total,
                                                      rows_read=0)
        imp.rows_total = rows_total
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
            checker = _Checker(imp, spool)
            try:
                checker.run(io.TextIOWrapper(_unwrapped(raw), encoding="utf-8-sig", newline=""))
            except UnicodeDecodeError:
                checker.error(checker.rows + 2, _("the file is not UTF-8 text from here on"))
            except csv.Error:  # a field over the csv module's limit (128 KiB), or a broken quote
                checker.error(checker.rows + 2, _("a field is far longer than any column allows, or a quote is "
                                                  "not closed; the file is not read from here on"))
            imp.rows_read = checker.rows
            if checker.error_count:
                imp.status = ImportStatus.FAILED
                imp.errors = checker.errors
                if checker.error_count > len(checker.errors):
                    imp.errors.append({"line": None, "message": _("… and %(n)d more bad rows")
                                       % {"n": checker.error_count - len(checker.errors)}})
            else:
                spool.seek(0)
                with transaction.atomic():
                    crime_ids = _ensure_crime_types(checker.crime_labels)
                    if connection.vendor == "postgresql":
                        added = _apply_postgresql(imp, spool)
                    else:
                        added = _apply_bulk(imp, spool, crime_ids)
                imp.rows_added = added
                imp.rows_already_present = checker.rows - added
                imp.status = ImportStatus.DONE
    imp.finished_at = timezone.now()
    imp.file.delete(save=False)
    imp.save()
    return imp
