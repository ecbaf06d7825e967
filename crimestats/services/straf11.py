"""Loading Statistics Denmark's STRAF11 (reported crimes) and FOLK1A (population) tables.

The files and their caveats are described in ``fixtures/crimestats/README.md``.
"""
import csv
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ..models import MunicipalityPopulation, Straf11Figure

DEFAULT_DIR = Path(settings.BASE_DIR) / "fixtures" / "crimestats"
STRAF11_FILE = "straf11_reported_crimes_by_area_offence_quarter.csv"
POPULATION_FILE = "folk1a_population_first_quarter_2016_2025.csv"
_QUARTER = re.compile(r"^(\d{4})K([1-4])$")


class Straf11DataError(ValueError):
    """A STRAF11/FOLK1A file has a bad row; the message names the file and line."""


def _quarter(value: str, where: str) -> tuple[int, int]:
    m = _QUARTER.match(value.strip())
    if not m:
        raise Straf11DataError(f"{where}: quarter {value!r} is not like 2025K1")
    return int(m.group(1)), int(m.group(2))


def _int(value: str, where: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise Straf11DataError(f"{where}: {value!r} is not a whole number") from None
    if n < 0:
        raise Straf11DataError(f"{where}: negative count {n}")
    return n


@transaction.atomic
def straf11_load(*, directory: Path = DEFAULT_DIR) -> dict[str, int]:
    """Load (or reload) STRAF11 figures and FOLK1A populations from ``directory``; whole files or nothing.

    Rows are upserted on their natural keys, so loading again changes nothing.
    Returns the number of rows read per table.
    """
    figures = []
    with open(Path(directory) / STRAF11_FILE, encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{STRAF11_FILE} line {line}"
            year, quarter = _quarter(row["quarter"], where)
            figures.append(Straf11Figure(
                area_code=row["area_code"].strip(), area_name=row["area_name"].strip(),
                offence_code=row["offence_code"].strip(), offence_label=row["offence_label_en"].strip(),
                year=year, quarter=quarter, reported_crimes=_int(row["reported_crimes"], where)))
    Straf11Figure.objects.bulk_create(
        figures, batch_size=2000, update_conflicts=True,
        unique_fields=["area_code", "offence_code", "year", "quarter"],
        update_fields=["area_name", "offence_label", "reported_crimes"])
    populations = []
    with open(Path(directory) / POPULATION_FILE, encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{POPULATION_FILE} line {line}"
            year, quarter = _quarter(row["quarter"], where)
            if quarter != 1:
                raise Straf11DataError(f"{where}: expected the first quarter, got K{quarter}")
            populations.append(MunicipalityPopulation(
                area_code=row["area_code"].strip(), area_name=row["area_name"].strip(), year=year,
                population=_int(row["population"], where)))
    MunicipalityPopulation.objects.bulk_create(
        populations, batch_size=2000, update_conflicts=True, unique_fields=["area_code", "year"],
        update_fields=["area_name", "population"])
    return {"straf11": len(figures), "population": len(populations)}
