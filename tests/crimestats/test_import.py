"""Police-extract import: placing rows, whole file or nothing, every bad row named, idempotency."""
import math
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from crimestats.models import CrimeType, ImportStatus, PoliceCharge, PoliceEvent
from crimestats.services import police_import, police_import_create, police_import_run
from crimestats.tasks import police_import_process

from .factories import containers, csv_file, point_in, rode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _run(municipality, upload, kind="events"):
    imp = police_import_create(municipality=municipality, kind=kind, uploaded_file=upload)
    return police_import_run(police_import_id=imp.pk)


def _events(municipality):
    a, b = rode("1"), rode(deprived=True)
    (ax, ay), (bx, by) = point_in(a), point_in(b)
    return a, b, [
        ["R1", "report", "2025-01-05", "VOLD-SIMPEL", "Simpel vold", "Nørrebrogade", ax, ay],
        ["R2", "incident", "2025-02-10", "H-URO", "Uro og husspektakel", "Blågårds Plads", bx, by],
        ["R3", "report", "2025-03-31", "INDBRUD-BEB", "Indbrud i beboelse", "", "", ""],
    ]


def test_a_clean_file_is_placed_in_its_areas_and_grid(municipality):
    a, b, rows = _events(municipality)
    imp = _run(municipality, csv_file(rows))
    assert imp.status == ImportStatus.DONE, imp.errors
    assert (imp.rows_read, imp.rows_added, imp.rows_already_present) == (3, 3, 0)
    r1 = PoliceEvent.objects.get(record_id="R1")
    assert (r1.rode, r1.bydel, r1.deprived_area) == (a, containers(a)["bydel"], None)
    assert r1.grid_x is not None and r1.grid_y is not None
    assert r1.date == date(2025, 1, 5) and r1.location == "Nørrebrogade"
    r2 = PoliceEvent.objects.get(record_id="R2")
    assert r2.kind == "incident" and r2.deprived_area == containers(b)["deprived_area"] is not None
    r3 = PoliceEvent.objects.get(record_id="R3")
    assert r3.rode is None and r3.grid_x is None
    # crime types are created, with the catalogue's group and person-dangerous flag
    assert CrimeType.objects.get(code="VOLD-SIMPEL").person_dangerous is True
    assert CrimeType.objects.get(code="INDBRUD-BEB").straf11_code == "1320"
    # the uploaded extract (with coordinates) is not kept
    assert not imp.file


def test_the_same_file_twice_adds_nothing(municipality):
    _a, _b, rows = _events(municipality)
    _run(municipality, csv_file(rows))
    again = _run(municipality, csv_file(rows))
    assert again.status == ImportStatus.DONE
    assert (again.rows_added, again.rows_already_present) == (0, 3)
    assert PoliceEvent.objects.filter(municipality=municipality).count() == 3


def test_a_file_with_bad_rows_applies_nothing_and_names_every_bad_row(municipality):
    _a, _b, rows = _events(municipality)
    bad = rows[:1] + [
        ["B1", "report", "2025-13-01", "X", "X", "", "", ""],          # line 3: bad date
        ["B2", "complaint", "2025-01-01", "X", "X", "", "", ""],       # line 4: bad kind
        ["B3", "report", "2025-01-01", "X", "X", "", "10.0", "56.5"],  # line 5: outside the municipality
        ["B4", "report"],                                                # line 6: columns missing
        ["B5", "report", "2025-01-01", "", "X", "", "abc", "55.6"],     # line 7: no code, bad lon
    ]
    imp = _run(municipality, csv_file(bad))
    assert imp.status == ImportStatus.FAILED
    assert PoliceEvent.objects.count() == 0
    lines = sorted(e["line"] for e in imp.errors)
    assert lines == [3, 4, 5, 6, 7]
    text = {e["line"]: e["message"] for e in imp.errors}
    assert "2025-13-01" in text[3] and "report or incident" in text[4] and "outside" in text[5]
    assert "8 columns" in text[6] and "crime_code" in text[7] and "lon/lat" in text[7]


def test_a_file_with_the_wrong_columns_is_refused_at_upload(municipality):
    with pytest.raises(ValidationError, match="record_id,kind,date"):
        police_import_create(municipality=municipality, kind="events",
                             uploaded_file=csv_file([], header=["id", "dato"]))


def test_charges_are_imported_through_the_task_with_their_deprived_area(municipality):
    b = rode(deprived=True)
    x, y = point_in(b)
    upload = csv_file([["C1", "2025-02-01", "ROEVERI", "Røveri", "17", x, y],
                       ["C2", "2025-02-02", "TYV-BUTIK", "Butikstyveri", "13", "", ""]], kind="charges")
    imp = police_import_create(municipality=municipality, kind="charges", uploaded_file=upload)
    police_import_process.delay(imp.pk)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE and imp.rows_added == 2
    c1 = PoliceCharge.objects.get(record_id="C1")
    assert c1.age == 17 and c1.deprived_area == containers(b)["deprived_area"]
    # running the finished import again does nothing
    police_import_process.delay(imp.pk)
    assert PoliceCharge.objects.count() == 2


def test_a_field_over_the_csv_limit_is_a_bad_row_not_a_crash(municipality):
    """A 200 KiB field used to crash the task and leave the import 'running' for good."""
    imp = _run(municipality, csv_file([["E1", "report", "2025-01-02", "X", "X", "a" * 200_000, "", ""]]))
    assert imp.status == ImportStatus.FAILED and imp.errors[0]["line"] == 2
    assert "far longer" in imp.errors[0]["message"] or "langt længere" in imp.errors[0]["message"]


def test_an_age_out_of_range_is_a_bad_row(municipality):
    imp = _run(municipality, csv_file([["C1", "2025-02-01", "X", "X", "130", "", ""]], kind="charges"), "charges")
    assert imp.status == ImportStatus.FAILED and imp.errors[0]["line"] == 2 and "age" in imp.errors[0]["message"]


# --- the check pass's fast path accepts exactly what the detailed parser accepts ----------------------
_ids = st.sampled_from(["R1", " R2 ", "", "x" * 40, "x" * 41])
_kinds = st.sampled_from(["report", "incident", " report", "complaint", ""])
_dates = st.sampled_from(["2025-03-31", " 2025-01-01 ", "2025-13-01", "1999-12-31", "2999-01-01", "20250331",
                          "", "31-03-2025"])
_codes = st.sampled_from(["VOLD-SIMPEL", " X ", "", "x" * 20, "x" * 21])
_labels = st.sampled_from(["Simpel vold", "", "  ", "x" * 200, "x" * 201])
_locations = st.sampled_from(["", "Nørrebrogade", "x" * 120, "x" * 121])
_ages = st.sampled_from(["0", "17", " 25 ", "120", "121", "-1", "1.5", "", "abc"])
_coords = st.sampled_from([("12.55", "55.68"), ("", ""), (" ", ""), ("12.55", ""), ("abc", "55.6"),
                           ("nan", "55.6"), ("inf", "55.6"), ("181", "55.6"), ("12.5", "-91")])


def _event_rows():
    return st.one_of(
        st.tuples(_ids, _kinds, _dates, _codes, _labels, _locations, _coords).map(
            lambda t: [*t[:6], *t[6]]),
        st.lists(st.text(max_size=3), max_size=9))  # wrong number of columns


def _charge_rows():
    return st.one_of(
        st.tuples(_ids, _dates, _codes, _labels, _ages, _coords).map(lambda t: [*t[:5], *t[5]]),
        st.lists(st.text(max_size=3), max_size=9))


def _same(clean, expected):
    fields, code, label, x, y = clean
    e_fields, e_code, e_label, ex, ey = expected
    same_point = (math.isnan(x) and math.isnan(ex)) or (x, y) == (ex, ey)
    return (fields, code, label) == (e_fields, e_code, e_label) and same_point


@pytest.mark.parametrize("kind,rows", [("events", _event_rows()), ("charges", _charge_rows())])
def test_the_fast_check_accepts_exactly_what_the_detailed_check_accepts(kind, rows):
    today = date(2026, 1, 1)

    @hyp_settings(max_examples=400, deadline=None, derandomize=True)
    @given(rows)
    def check(row):
        clean = police_import._clean_row(kind, row, today)
        parsed, problems = police_import._parse_row(kind, row, today)
        assert (clean is None) == bool(problems), (row, problems)
        if clean is not None:
            assert _same(clean, police_import._from_parsed(kind, parsed))

    check()
