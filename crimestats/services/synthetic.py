"""Clearly labelled SYNTHETIC police extracts for development and demonstration (never real police data).

Calibration:

* Reports: for each quarter, the number of reports per STRAF11 offence group
  in Copenhagen equals the real STRAF11 figure (table in the database,
  ``straf11_load``); "other offences" is TOT minus the selected codes, so the
  quarter's total equals STRAF11's TOT. Each group is split over the
  catalogue's crime types by fixed weights (largest remainder, so sums are
  exact). Points are drawn inside the real roder, with fixed random hot spots.
* Other cases and incidents: 35 % of the quarter's reports.
* Charges: seed 001 annex 1 §5.2 gives ~5,440 charges of 10–25-year-olds in
  Q1 2010, ~80 % of them aged 18–25. STRAF11 2016–2025 has no 2010, so each
  quarter's charges of 10–25-year-olds are 5,440 × (the quarter's TOT ÷
  Copenhagen's 2010K1 total of 22,404 from the 2008–2022 main-group table),
  80 % aged 18–25, 16 % 15–17, 4 % 10–14; as many again aged 26–60.

Every record id starts with ``SYN-`` and the import marks the file synthetic.
"""
import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..catalogue import CRIME_TYPES, INCIDENT_TYPES, STRAF11_OTHER, STRAF11_TOTAL, dst_area_code
from ..geo import rode_index
from ..models import Straf11Figure
from ..periods import quarter_period
from .police_import import CHARGE_COLUMNS, EVENT_COLUMNS

Q1_2010_CHARGES_10_25 = 5440
Q1_2010_TOTAL_REPORTS = 22404  # København 2010K1, sum of STRAF11's 5 main groups (fixtures/crimestats/README.md)
INCIDENT_SHARE = 0.35
AGE_SHARES = [((10, 14), 0.04), ((15, 17), 0.16), ((18, 25), 0.80)]
POINTS_PER_RODE = 64


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` by ``weights`` into whole numbers that add up exactly (largest remainder)."""
    w = np.array(weights, dtype=float)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - out))[: total - out.sum()]:
        out[i] += 1
    return out.tolist()


def _points(index, rng) -> np.ndarray:
    """POINTS_PER_RODE random interior points per rode: array (n_roder, POINTS_PER_RODE, 2)."""
    out = np.zeros((len(index.geoms), POINTS_PER_RODE, 2))
    for i, geom in enumerate(index.geoms):
        minx, miny, maxx, maxy = geom.bounds
        got: list = []
        while len(got) < POINTS_PER_RODE:
            xs = rng.uniform(minx, maxx, 256)
            ys = rng.uniform(miny, maxy, 256)
            inside = shapely.contains_xy(geom, xs, ys)
            got.extend(zip(xs[inside], ys[inside], strict=True))
        out[i] = np.array(got[:POINTS_PER_RODE])
    return np.round(out, 6)


def synthetic_extracts_write(*, municipality, years: list[int], directory: Path, scale: float = 1.0,
                             charge_scale: float | None = None, seed: int = 2010) -> dict[str, int]:
    """Write ``events.csv`` and ``charges.csv`` for ``years`` into ``directory``; returns row counts.

    ``scale`` multiplies every count (1 = the real figures; the benchmark uses more), ``charge_scale``
    the charges alone (default: ``scale``).
    """
    charge_scale = scale if charge_scale is None else charge_scale
    rng = np.random.default_rng(seed)
    index = rode_index(municipality=municipality)
    if not index.geoms:
        raise ValidationError(_("%(m)s has no roder loaded: the synthetic extracts are spread over its roder.")
                              % {"m": municipality.name})
    pts = _points(index, rng)
    weights = np.array([g.area for g in index.geoms]) ** 0.5 * rng.gamma(0.6, size=len(index.geoms))
    p_rode = weights / weights.sum()
    figures = {(f.offence_code, f.year, f.quarter): f.reported_crimes for f in Straf11Figure.objects.filter(
        area_code=dst_area_code(municipality), year__in=years)}
    groups: dict[str, list] = {}
    for code, label, group, _pd, w in CRIME_TYPES:
        groups.setdefault(group, []).append((code, label, w))
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    n_events = n_charges = 0
    today = date.today()
    with open(directory / "events.csv", "w", encoding="utf-8", newline="") as ev, \
            open(directory / "charges.csv", "w", encoding="utf-8", newline="") as ch:
        ew, cw = csv.writer(ev), csv.writer(ch)
        ew.writerow(EVENT_COLUMNS)
        cw.writerow(CHARGE_COLUMNS)
        for year in years:
            for q in range(1, 5):
                total = figures.get((STRAF11_TOTAL, year, q))
                period = quarter_period(year, q)
                if total is None or period.end >= today:
                    continue
                days = (period.end - period.start).days + 1
                counts = {g: round(figures.get((g, year, q), 0) * scale) for g in groups if g != STRAF11_OTHER}
                counts[STRAF11_OTHER] = max(0, round(total * scale) - sum(counts.values()))
                types: list[tuple[str, str, str]] = []
                for g, members in groups.items():
                    for (code, label, _w), n in zip(members, _apportion(counts[g], [m[2] for m in members]),
                                                    strict=True):
                        types.extend([(code, label, "report")] * n)
                n_inc = round(sum(counts.values()) * INCIDENT_SHARE)
                for (code, label, _w), n in zip(INCIDENT_TYPES, _apportion(n_inc, [t[2] for t in INCIDENT_TYPES]),
                                                strict=True):
                    types.extend([(code, label, "incident")] * n)
                n = len(types)
                day = rng.integers(0, days, n)
                rode = rng.choice(len(p_rode), n, p=p_rode)
                k = rng.integers(0, POINTS_PER_RODE, n)
                for i, (code, label, kind) in enumerate(types):
                    lon, lat = pts[rode[i], k[i]]
                    ew.writerow([f"SYN-E-{year}{q}-{i:07d}", kind, (period.start + timedelta(days=int(day[i]))).isoformat(),
                                 code, label, index.names[rode[i]], f"{lon:.6f}", f"{lat:.6f}"])
                n_events += n
                # charges
                young = round(Q1_2010_CHARGES_10_25 * total / Q1_2010_TOTAL_REPORTS * charge_scale)
                ages: list[int] = []
                for (lo, hi), n_age in zip([a for a, _s in AGE_SHARES], _apportion(young, [s for _a, s in AGE_SHARES]),
                                           strict=True):
                    ages.extend(rng.integers(lo, hi + 1, n_age).tolist())
                ages.extend(rng.integers(26, 61, young).tolist())
                pick = rng.integers(0, len(types), len(ages))
                cday = rng.integers(0, days, len(ages))
                crode = rng.choice(len(p_rode), len(ages), p=p_rode)
                ck = rng.integers(0, POINTS_PER_RODE, len(ages))
                for i, age in enumerate(ages):
                    code, label, kind = types[pick[i]]
                    if kind != "report":
                        code, label = "VOLD-SIMPEL", "Simpel vold"
                    lon, lat = pts[crode[i], ck[i]]
                    cw.writerow([f"SYN-C-{year}{q}-{i:07d}", (period.start + timedelta(days=int(cday[i]))).isoformat(),
                                 code, label, age, f"{lon:.6f}", f"{lat:.6f}"])
                n_charges += len(ages)
    return {"events": n_events, "charges": n_charges}
