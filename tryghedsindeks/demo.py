"""Demonstration inputs for the Tryghedsindeks: invented survey and police figures for 35 districts.

The real published Tryghedsindeks figures are not available as data (the
City publishes them as PDF reports), so pages built on this data say so. The
figures are generated deterministically from a fixed seed: every run of the
demo loader gives the same numbers.

The years follow the demo's one timeline (``docs/demo.md``): 2010–2015, the
programme's baseline and effect goal 3's target period, and the recent years
2024–2025 that every module of the demo covers. The recent years come from a
second seeded generator, so the 2010–2015 figures stay as they always were.
"""
import csv
import io
import random
from decimal import Decimal

from areas.models import Area, AreaLevel
from sikkerby.demo import PROGRAMME_YEARS, RECENT_YEARS

from .services import IMPORT_COLUMNS

DEMO_SOURCE = "DEMO – invented figures, not the published Tryghedsindeks"
DEMO_YEARS = (*PROGRAMME_YEARS, *RECENT_YEARS)
SEED = 2010


def _pct(value: float) -> str:
    return str(Decimal(str(min(max(value, 0.0), 100.0))).quantize(Decimal("0.01")))


def demo_inputs_csv(*, municipality, years=DEMO_YEARS) -> bytes:
    """A CSV in the import format with one DEMO row per district and year (of ``years``, from ``DEMO_YEARS``)."""
    rng = random.Random(SEED)
    recent = random.Random(SEED + 1)
    districts = sorted(Area.objects.filter(municipality=municipality, level=AreaLevel.DISTRICT),
                       key=lambda a: int(a.code) if a.code.isdigit() else 0)
    # "need" b: 0 = very safe, 0.6 = very unsafe; five districts start with a marked need.
    marked = set(rng.sample([d.code for d in districts], 5)) if len(districts) >= 5 else set()
    slow = sorted(marked)[:1]  # one of them improves too slowly to reach the goal
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMPORT_COLUMNS)
    for d in districts:
        b0 = rng.uniform(0.46, 0.56) if d.code in marked else rng.uniform(-0.1, 0.4)
        step = (0.02 if d.code in slow else 0.065) if d.code in marked else rng.uniform(-0.01, 0.02)
        population = rng.randint(9000, 32000)
        respondents = rng.randint(18, 29) if rng.random() < 0.06 else rng.randint(120, 420)
        needs = {year: b0 - step * (year - PROGRAMME_YEARS[0]) + rng.uniform(-0.015, 0.015)
                 for year in PROGRAMME_YEARS}
        # after 2015 the need drifts slowly: a district that reached ordinær mostly stays there
        drift = recent.uniform(-0.01, 0.01)
        for year in RECENT_YEARS:
            needs[year] = needs[PROGRAMME_YEARS[-1]] + drift * (year - PROGRAMME_YEARS[-1]) + recent.uniform(
                -0.015, 0.015)
        for year in DEMO_YEARS:
            if year not in years:
                continue
            b = needs[year]
            rate = 60 + 220 * b
            writer.writerow([
                AreaLevel.DISTRICT, d.code, year, respondents,
                _pct(4 + 22 * b), _pct(15 + 70 * b), _pct(98 - 22 * b), _pct(90 - 45 * b),
                max(0, round(rate * population / 1000)), population,
            ])
    return out.getvalue().encode("utf-8")
