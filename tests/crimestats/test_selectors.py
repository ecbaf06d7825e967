"""Every key figure on a small hand-checked data set, with year-on-year change and suppression."""
from datetime import date

import pytest

from crimestats import selectors
from crimestats.periods import Period, last_ended_quarter, quarter_period, year_to_date

from .factories import CrimeTypeFactory, charge, containers, event, rode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Q1_2025 = quarter_period(2025, 1)


@pytest.fixture
def data(municipality):
    """Two roder in two bydele; 2025 K1 against 2024 K1.

    violence: 3 now, 4 then (-25 %); residential burglary: 3 now, 2 then (+50 %);
    one report in April (outside both periods); one incident now.
    charges (0-25): 2 under-15s now; 6 aged 15-17 now, 4 then; 10 aged 18-25 now, 8 then; one 30-year-old.
    """
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12", person_dangerous=True)
    indbrud = CrimeTypeFactory(code="INDBRUD-BEB", label="Indbrud i beboelse", straf11_code="1320")
    uro = CrimeTypeFactory(code="H-URO", label="Uro", straf11_code="")
    a, b = rode("1"), rode(deprived=True)
    m = municipality
    for d in (date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 31)):
        event(m, on=d, crime_type=vold, area=a, location="Strøget", grid=(700, 6150))
    for d in (date(2024, 1, 3), date(2024, 2, 3), date(2024, 3, 3), date(2024, 3, 31)):
        event(m, on=d, crime_type=vold, area=a, location="Strøget", grid=(700, 6150))
    for d in (date(2025, 1, 10), date(2025, 1, 11), date(2025, 1, 12)):
        event(m, on=d, crime_type=indbrud, area=b, location="Mjølnerparken", grid=(701, 6151))
    for d in (date(2024, 1, 10), date(2024, 1, 11)):
        event(m, on=d, crime_type=indbrud, area=b, location="Mjølnerparken", grid=(701, 6151))
    event(m, on=date(2025, 4, 1), crime_type=vold, area=a)
    event(m, on=date(2025, 3, 1), crime_type=uro, area=b, kind="incident", location="Mjølnerparken",
          grid=(701, 6151))
    for age, on, n in ((12, date(2025, 2, 1), 2), (16, date(2025, 2, 1), 6), (16, date(2024, 2, 1), 4),
                       (20, date(2025, 2, 1), 10), (20, date(2024, 2, 1), 8), (30, date(2025, 2, 1), 1)):
        for _ in range(n):
            charge(m, on=on, crime_type=vold if age != 12 else indbrud, age=age, area=b)
    return {"a": a, "b": b, "bydel_a": containers(a)["bydel"].name, "bydel_b": containers(b)["bydel"].name}


def _rows(table):
    return {r["label"]: (r["current"], r["previous"], r["change"], r["pct"]) for r in table["rows"]}


def test_reports_by_type_and_area_with_year_on_year_change(municipality, data):
    f = selectors.report_figures(municipality=municipality, period=Q1_2025)
    assert f["period"] == {"start": "2025-01-01", "end": "2025-03-31", "label": "2025 K1",
                           "previous_start": "2024-01-01", "previous_end": "2024-03-31"}
    by_type = _rows(f["tables"]["reports_by_type"])
    assert by_type["Violence"] == (3, 4, -1, -25.0)
    assert by_type["Burglary (residential)"] == (3, 2, 1, 50.0)
    total = f["tables"]["reports_by_type"]["total"]
    assert (total["current"], total["previous"], total["change"], total["pct"]) == (6, 6, 0, 0.0)
    by_area = _rows(f["tables"]["reports_by_area"])
    assert by_area[data["bydel_a"]] == (3, 4, -1, -25.0) and by_area[data["bydel_b"]] == (3, 2, 1, 50.0)
    # cases and incidents include the incident; top locations are ordered by this period
    events = _rows(f["tables"]["events_by_area"])
    assert events[data["bydel_b"]] == (4, 2, 2, 100.0)
    assert [r["label"] for r in f["tables"]["top_locations"]["rows"]] == ["Mjølnerparken", "Strøget"]
    top = _rows(f["tables"]["top_crime_types"])
    assert top == {"Simpel vold": (3, 4, -1, -25.0), "Indbrud i beboelse": (3, 2, 1, 50.0)}


def test_charges_by_age_group_are_suppressed_with_a_secondary_cell(municipality, data):
    f = selectors.report_figures(municipality=municipality, period=Q1_2025)
    ages = _rows(f["tables"]["charges_by_age"])
    # now: 2 under-15s (<5) is hidden, and so is the next smallest (6); then: 4 is hidden, and so is 8.
    assert ages == {"0–14": (None, 0, None, None), "15–17": (None, None, None, None),
                    "18–25": (10, None, None, None)}
    total = f["tables"]["charges_by_age"]["total"]
    assert (total["current"], total["previous"]) == (18, 12)  # the 30-year-old is not counted
    u18 = _rows(f["tables"]["charges_u18_by_type"])
    # now: 2 burglaries hidden, so the 6 violence charges are too; then: 4 violence charges hidden
    assert u18 == {"Simpel vold": (None, None, None, None), "Indbrud i beboelse": (None, 0, None, None)}
    total = f["tables"]["charges_u18_by_type"]["total"]
    assert (total["current"], total["previous"]) == (8, None)  # a total below the threshold is hidden too


def test_no_suppression_when_the_threshold_is_lower(municipality, data, settings):
    settings.SMALL_COUNT_THRESHOLD = 2
    f = selectors.report_figures(municipality=municipality, period=Q1_2025)
    assert _rows(f["tables"]["charges_by_age"])["15–17"] == (6, 4, 2, 50.0)


def _grid(figures, key):
    grid = next(g for g in figures["grids"] if g["key"] == key)
    return {(c["x"], c["y"]): (c["count"], c["above"]) for c in grid["cells"]}


def test_grid_cells_above_the_threshold_are_flagged(municipality, data, settings):
    settings.KEY_FIGURES_GRID_THRESHOLD = 2
    settings.SMALL_COUNT_THRESHOLD = 1
    f = selectors.report_figures(municipality=municipality, period=Q1_2025)
    assert [g["key"] for g in f["grids"]] == ["reports", "events"]
    assert _grid(f, "reports") == {(700, 6150): (3, True), (701, 6151): (3, True)}
    settings.KEY_FIGURES_GRID_THRESHOLD = 3
    f = selectors.report_figures(municipality=municipality, period=Q1_2025)
    assert not any(above for _n, above in _grid(f, "reports").values())
    settings.KEY_FIGURES_GRID_THRESHOLD = 2
    settings.SMALL_COUNT_THRESHOLD = 5  # 3 is now suppressed: neither shown nor coloured
    f = selectors.report_figures(municipality=municipality, period=Q1_2025)
    assert set(_grid(f, "reports").values()) == {(None, False)}


def test_the_cases_and_incidents_grid_counts_incidents_too_with_its_own_threshold(municipality, data, settings):
    """Annex 7's second map: cases and incidents per cell, red above 500 by default (here 3)."""
    settings.SMALL_COUNT_THRESHOLD = 1
    settings.KEY_FIGURES_GRID_THRESHOLD = 3
    settings.KEY_FIGURES_EVENTS_GRID_THRESHOLD = 3
    f = selectors.report_figures(municipality=municipality, period=Q1_2025)
    # the incident in Mjølnerparken's cell counts on the events map only
    assert _grid(f, "reports") == {(700, 6150): (3, False), (701, 6151): (3, False)}
    assert _grid(f, "events") == {(700, 6150): (3, False), (701, 6151): (4, True)}
    assert [g["threshold"] for g in f["grids"]] == [3, 3]


def test_straf11_sections_use_complete_quarters(municipality, straf11):
    f = selectors.report_figures(municipality=municipality, period=year_to_date(date(2025, 8, 15)))
    s = f["straf11"]
    assert s["quarters"] == ["2025 K1", "2025 K2"]  # written like the report's own period
    tot = s["by_offence"]["rows"][-1]
    from crimestats.models import Straf11Figure
    expect = sum(Straf11Figure.objects.filter(area_code="101", offence_code="TOT", year=2025, quarter__in=[1, 2])
                 .values_list("reported_crimes", flat=True))
    expect_prev = sum(Straf11Figure.objects.filter(area_code="101", offence_code="TOT", year=2024,
                                                   quarter__in=[1, 2]).values_list("reported_crimes", flat=True))
    assert (tot["current"], tot["previous"]) == (expect, expect_prev)
    cph = next(r for r in s["comparison"] if r["area_code"] == "101")
    assert cph["population"] == 667099 and cph["per_1000"] == round(expect * 1000 / 667099, 1)
    assert s["source"].startswith("Kilde: Danmarks Statistik")


# 13 queries of the report's own, plus 1 for the Tryghedsindeks results in the "uneasy areas" addendum and 1
# for the SSP single cases the addendum counts (sspcases.selectors.concerns_handled_count).
REPORT_QUERIES = 15


def test_the_report_takes_a_fixed_number_of_queries(municipality, data, django_assert_num_queries):
    with django_assert_num_queries(REPORT_QUERIES):
        selectors.report_figures(municipality=municipality, period=Q1_2025)
    extra = CrimeTypeFactory(code="NEW", label="Ny type")
    for i in range(30):
        event(municipality, on=date(2025, 1, 2), crime_type=extra, area=rode(str(i + 2)), location=f"Sted {i}")
        charge(municipality, on=date(2025, 1, 2), crime_type=extra, age=15, area=rode(str(i + 2)))
    with django_assert_num_queries(REPORT_QUERIES):
        selectors.report_figures(municipality=municipality, period=Q1_2025)


def test_periods():
    assert last_ended_quarter(date(2025, 4, 1)) == quarter_period(2025, 1)
    assert last_ended_quarter(date(2026, 1, 1)) == quarter_period(2025, 4)
    assert Period(date(2024, 1, 1), date(2024, 2, 29)).previous == Period(date(2023, 1, 1), date(2023, 2, 28))
    assert year_to_date(date(2025, 3, 30)).complete_quarters() == []
    assert quarter_period(2025, 4).complete_quarters() == [(2025, 4)]


def test_goal_1_measure_counts_person_dangerous_charges_in_deprived_areas(municipality, data, copenhagen):
    from indicators.measures import GoalStatus, measure_goal
    goal = copenhagen.effect_goals.get(number=1)
    # 14-25-year-olds in a deprived area, person-dangerous: 2024: 4+8 = 12; 2025: 6+10 = 16 (the 12-year-olds'
    # burglary and the 30-year-old are not counted)
    assert selectors.person_dangerous_charges_14_25_deprived(municipality=municipality, years=[2024, 2025]) == {
        2024: 12, 2025: 16}
    # The goal runs from 2010 to 2013: charges of 2024-2025 do not cover its baseline year (tests/crimestats/
    # test_measures.py has the goal within its period).
    assert measure_goal(goal).status == GoalStatus.NOT_MEASURABLE


def test_safety_index_results_are_the_report_municipalitys_own(municipality, albertslund):
    from django.core.management import call_command

    from tryghedsindeks.selectors import safety_results_for_report

    call_command("load_demo_safety_index", stdout=open("/dev/null", "w"))  # noqa: SIM115 — 2010-2015, published
    f = selectors.report_figures(municipality=municipality, period=quarter_period(2015, 1))
    published = safety_results_for_report(year=2015, municipality=municipality)
    assert len(f["addendum"]["safety_index"]) == len(published) == 35
    first = f["addendum"]["safety_index"][0]
    assert set(first) == {"area_name", "area_code", "level", "category", "category_label", "score", "uncertain",
                          "data_basis"}
    assert first["data_basis"] == "demo" and f["data_basis"] == "demo"  # the demo safety index labels the report
    assert (first["area_code"], first["category"]) == (published[0]["area_code"], published[0]["category"])
    assert selectors.report_figures(municipality=albertslund, period=quarter_period(2015, 1))[
        "addendum"]["safety_index"] == []  # Copenhagen's districts never appear in another municipality's report


@pytest.fixture
def albertslund(db):
    from initiatives.models import Municipality
    return Municipality.objects.get_or_create(code="0165", defaults={"name": "Albertslund Kommune"})[0]


def test_straf11_sections_are_the_report_municipalitys_own(albertslund, straf11):
    from crimestats.models import Straf11Figure

    f = selectors.report_figures(municipality=albertslund, period=quarter_period(2025, 4))
    s = f["straf11"]
    tot = s["by_offence"]["rows"][-1]
    expect = Straf11Figure.objects.get(area_code="165", offence_code="TOT", year=2025, quarter=4).reported_crimes
    expect_prev = Straf11Figure.objects.get(area_code="165", offence_code="TOT", year=2024, quarter=4).reported_crimes
    assert (tot["current"], tot["previous"]) == (expect, expect_prev)
    assert expect != Straf11Figure.objects.get(area_code="101", offence_code="TOT", year=2025, quarter=4).reported_crimes
    own = [r for r in s["comparison"] if r["own"]]
    assert [r["area_code"] for r in own] == ["165"] and own[0]["label"] == "Albertslund"
    assert len(s["comparison"]) == 7  # the six large municipalities and Albertslund
    cph = selectors.report_figures(municipality=municipality_of("0101"), period=quarter_period(2025, 4))["straf11"]
    assert [r["area_code"] for r in cph["comparison"] if r["own"]] == ["101"] and len(cph["comparison"]) == 6


def municipality_of(code):
    from initiatives.models import Municipality
    return Municipality.objects.get(code=code)


def test_the_report_states_what_the_police_extracts_cover(municipality, data, albertslund):
    from crimestats.exports import coverage_warnings

    f = selectors.report_figures(municipality=municipality, period=Q1_2025)
    # the hand-checked data start on 3 January 2024 (events) and 1 February 2024 (charges)
    assert f["coverage"] == {"events": {"first": "2024-01-03", "last": "2025-04-01", "complete": False},
                             "charges": {"first": "2024-02-01", "last": "2025-02-01", "complete": False}}
    warnings = coverage_warnings(f)
    assert warnings[0] == ("The police data on cases and incidents cover Jan. 3, 2024 – April 1, 2025, but this "
                           "report needs Jan. 1, 2024 – March 31, 2025: days outside those dates count as zero. "
                           "Import the missing extract and produce the report again.")  # dates in the reader's language
    assert "on charges cover Feb. 1, 2024 – Feb. 1, 2025" in warnings[1]
    uro = CrimeTypeFactory(code="H-URO2", label="Uro", straf11_code="")
    event(municipality, on=date(2024, 1, 1), crime_type=uro, area=data["a"], kind="incident")
    for on in (date(2024, 1, 1), date(2025, 3, 31)):
        charge(municipality, on=on, crime_type=uro, age=30, area=data["a"])
    f = selectors.report_figures(municipality=municipality, period=Q1_2025)
    assert f["coverage"]["events"]["complete"] and f["coverage"]["charges"]["complete"]
    assert coverage_warnings(f) == []
    # a year to date reaching past the extracts is incomplete again
    assert not selectors.report_figures(municipality=municipality, period=year_to_date(date(2025, 6, 30)))[
        "coverage"]["charges"]["complete"]
    none = selectors.report_figures(municipality=albertslund, period=Q1_2025)
    assert none["coverage"]["events"] == {"first": None, "last": None, "complete": False}
    assert coverage_warnings(none) == ["No police data on cases and incidents and on charges have been imported: "
                                       "the report has no police figures on them for this period."]  # one sentence
    assert coverage_warnings({"period": f["period"]}) == []  # a report stored before coverage was recorded
