"""The synthetic police extracts keep the promises their docstring makes: STRAF11 totals, calibrated charges."""
import csv
from collections import Counter
from datetime import date

import pytest
import shapely
from django.db import transaction
from shapely.geometry import shape

from areas.models import Area, AreaLevel
from crimestats.catalogue import COPENHAGEN_DST, CRIME_TYPES, STRAF11_OTHER, STRAF11_TOTAL
from crimestats.models import Straf11Figure
from crimestats.periods import quarter_of
from crimestats.services import straf11_load
from crimestats.services.police_import import CHARGE_COLUMNS, EVENT_COLUMNS
from crimestats.services.synthetic import synthetic_extracts_write
from initiatives.models import Municipality
from tests.conftest import _load_reference_data

# pytest-django sets up the test database only for a session holding database tests.
pytestmark = pytest.mark.django_db

GROUP = {code: group for code, _label, group, _pd, _w in CRIME_TYPES}


@pytest.fixture(scope="module")
def extract_2025(tmp_path_factory, django_db_setup, django_db_blocker):
    """One year at the real scale, written once for the module (about 105,000 events and 38,000 charges)."""
    directory = tmp_path_factory.mktemp("synthetic")
    with django_db_blocker.unblock():
        with transaction.atomic():
            if not Municipality.objects.filter(code="0101").exists():  # a live-server test emptied the database
                _load_reference_data()
            municipality = Municipality.objects.get(code="0101")
            straf11_load()
            counts = synthetic_extracts_write(municipality=municipality, years=[2025], directory=directory)
            figures = {(f.offence_code, f.quarter): f.reported_crimes for f in Straf11Figure.objects.filter(
                area_code=COPENHAGEN_DST, year=2025)}
            roder = {a.name: shape(a.geometry) for a in Area.objects.filter(level=AreaLevel.RODE,
                                                                            municipality=municipality)}
            transaction.set_rollback(True)
    with open(directory / "events.csv", encoding="utf-8") as fh:
        events = list(csv.reader(fh))
    with open(directory / "charges.csv", encoding="utf-8") as fh:
        charges = list(csv.reader(fh))
    return {"counts": counts, "figures": figures, "roder": roder, "events": events, "charges": charges}


def test_each_quarters_reports_per_offence_equal_the_real_straf11_figures(extract_2025):
    header, *rows = extract_2025["events"]
    assert header == EVENT_COLUMNS and len(rows) == extract_2025["counts"]["events"]
    per_group = Counter((GROUP[r[3]], quarter_of(date.fromisoformat(r[2]))) for r in rows if r[1] == "report")
    figures = extract_2025["figures"]
    for q in range(1, 5):
        for group in {g for g in GROUP.values() if g != STRAF11_OTHER}:
            assert per_group[group, q] == figures[group, q], (group, q)
        assert sum(n for (_g, qq), n in per_group.items() if qq == q) == figures[STRAF11_TOTAL, q]
    assert sum(per_group.values()) == 78027  # Copenhagen 2025, all offences (Statistics Denmark)
    incidents = sum(1 for r in rows if r[1] == "incident")
    assert incidents == pytest.approx(0.35 * 78027, abs=4)


def test_every_row_is_labelled_synthetic_and_lies_in_the_rode_it_names(extract_2025):
    events, charges = extract_2025["events"][1:], extract_2025["charges"][1:]
    assert all(r[0].startswith("SYN-") for r in events) and all(r[0].startswith("SYN-") for r in charges)
    roder = extract_2025["roder"]
    sample = events[::500]
    assert all(shapely.contains_xy(roder[r[5]], float(r[6]), float(r[7])) for r in sample)
    assert len({r[5] for r in events}) > 300  # spread over the real roder (399), not piled in a few


def test_charges_are_calibrated_on_the_seeds_first_quarter_of_2010(extract_2025):
    header, *rows = extract_2025["charges"]
    assert header == CHARGE_COLUMNS
    figures = extract_2025["figures"]
    for q in range(1, 5):
        ages = [int(r[4]) for r in rows if quarter_of(date.fromisoformat(r[1])) == q]
        young = [a for a in ages if 10 <= a <= 25]
        # seed 001 annex 1 §5.2: ~5,440 charges of 10–25-year-olds in Q1 2010 (22,404 reports), ~80 % aged 18–25
        assert len(young) == round(5440 * figures[STRAF11_TOTAL, q] / 22404)
        assert sum(18 <= a for a in young) / len(young) == pytest.approx(0.80, abs=0.001)
        assert min(young) == 10 and sum(a < 15 for a in young) / len(young) == pytest.approx(0.04, abs=0.001)
        assert len(ages) == 2 * len(young)  # as many again aged 26–60
