"""The two 1×1 km grid maps drawn over the district outlines (bydele), in the page and the PDF."""
import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import numpy as np
import pypdf
import pytest
from django.urls import reverse

from areas.models import Area, AreaLevel
from areas.selectors import area_outlines, outlines_forget
from crimestats import svg
from crimestats.geo import grid_cells
from crimestats.periods import quarter_period
from crimestats.services import report_generate, report_request

from .factories import CrimeTypeFactory, charge, event, point_in, rode

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.w3.org/2000/svg"}
BYDELE = {"Indre By", "Østerbro", "Nørrebro", "Vesterbro-Kongens Enghave", "Valby", "Vanløse", "Brønshøj-Husum",
          "Bispebjerg", "Amager Øst", "Amager Vest"}


def _cells_of(roder: list[str], above: set[str]) -> list[dict]:
    """One cell per rode, where a point inside the rode falls, as the import places it."""
    cells = {}
    for code in roder:
        lon, lat = point_in(rode(code))
        x, y = (int(v[0]) for v in grid_cells(np.array([lon]), np.array([lat])))
        cells[(x, y)] = {"x": x, "y": y, "count": 60 if code in above else 7, "above": code in above}
    return list(cells.values())


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _numbers(d: str) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]


def test_a_copenhagen_grid_map_draws_the_cells_inside_the_named_bydel_outlines(municipality):
    cells = _cells_of(["1", "40", "120", "250", "350"], above={"40"})
    drawn = svg.grid_map(cells, title="Grid", threshold=50,
                         outlines=area_outlines(municipality_id=municipality.pk, level=AreaLevel.BYDEL))
    root = ET.fromstring(drawn)
    districts = [p for p in root.iter(f"{{{NS['s']}}}path") if "district" in _classes(p)]
    assert len(districts) == 10 and {p.find("s:title", NS).text for p in districts} == BYDELE
    names = {t.text for t in root.iter(f"{{{NS['s']}}}text") if "district-name" in _classes(t)}
    assert names == BYDELE
    points = [pt for p in districts for pt in _numbers(p.get("d"))]
    left, right = min(x for x, _y in points), max(x for x, _y in points)
    top, bottom = min(y for _x, y in points), max(y for _x, y in points)
    groups = [g for g in root.iter(f"{{{NS['s']}}}g") if "cell" in _classes(g)]
    assert len(groups) == len(cells)
    for g in groups:  # each cell's centre lies within the outlines' extent
        rect = g.find("s:rect", NS)
        cx = float(rect.get("x")) + float(rect.get("width")) / 2
        cy = float(rect.get("y")) + float(rect.get("height")) / 2
        assert left <= cx <= right and top <= cy <= bottom
    red = [g for g in groups if "above" in _classes(g)]
    swatch = next(g for g in root.iter(f"{{{NS['s']}}}g") if {"legend-item", "above"} <= _classes(g))
    assert len(red) == 1 and red[0].find("s:text", NS).text == "60"
    # the red cell is the legend's red: solid, saturated, with a border that survives greyscale printing
    assert red[0].find("s:rect", NS).get("fill") == swatch.find("s:rect", NS).get("fill") == svg.ABOVE_FILL
    assert red[0].find("s:rect", NS).get("stroke") == swatch.find("s:rect", NS).get("stroke") == "#000"
    assert "over 50 (rød, sort kant)" in drawn


def test_an_albertslund_grid_map_draws_its_cells_and_says_there_are_no_district_outlines(municipality):
    from initiatives.models import Municipality

    albertslund = Municipality.objects.get_or_create(code="0165", defaults={"name": "Albertslund Kommune"})[0]
    outlines = area_outlines(municipality_id=albertslund.pk, level=AreaLevel.BYDEL)
    assert outlines == []
    cells = [{"x": 770, "y": 6150, "count": 80, "above": True}, {"x": 771, "y": 6150, "count": None, "above": False}]
    drawn = svg.grid_map(cells, title="Grid", threshold=50, outlines=outlines)
    root = ET.fromstring(drawn)
    assert len([g for g in root.iter(f"{{{NS['s']}}}g") if "cell" in _classes(g)]) == 2
    assert not [p for p in root.iter(f"{{{NS['s']}}}path") if "district" in _classes(p)]
    assert "Der findes ingen bydelsgrænser for denne kommune." in drawn  # in the legend and the aria-label


def test_outlines_are_simplified_once_and_cached(municipality, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = area_outlines(municipality_id=municipality.pk, level=AreaLevel.BYDEL)
    with django_assert_num_queries(0):
        assert area_outlines(municipality_id=municipality.pk, level=AreaLevel.BYDEL) == first
    stored = sum(len(str(a.geometry)) for a in Area.objects.filter(municipality=municipality, level=AreaLevel.BYDEL))
    assert len(str(first)) < stored / 4  # simplified
    outlines_forget(municipality_id=municipality.pk)  # what loading the boundaries again does
    with django_assert_num_queries(1):
        area_outlines(municipality_id=municipality.pk, level=AreaLevel.BYDEL)


@pytest.fixture
def report(municipality, straf11):
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12", person_dangerous=True)
    for code in ("1", "40", "120"):
        lon, lat = point_in(rode(code))
        x, y = (int(v[0]) for v in grid_cells(np.array([lon]), np.array([lat])))
        event(municipality, on=date(2025, 7, 1), crime_type=vold, area=rode(code), grid=(x, y))
    # a charge too, so the charge tables are tables (without one they say "no police data" and the PDF is shorter)
    charge(municipality, on=date(2025, 7, 1), crime_type=vold, age=20, area=rode("1"))
    r = report_request(municipality=municipality, period=quarter_period(2025, 3))
    return report_generate(report_id=r.pk)


def test_the_pdf_and_the_page_draw_the_grid_maps_over_the_named_bydele(report, client, coordinator):
    pdf = pypdf.PdfReader(io.BytesIO(bytes(report.pdf)))
    grid_pages = [p.extract_text() for p in pdf.pages if "1×1 km-grid over" in p.extract_text()[:60]]
    assert len(grid_pages) == 2 and all(name in grid_pages[0] for name in ("Nørrebro", "Amager Vest", "Valby"))
    assert "bydelsgrænseog-navn" in grid_pages[0].replace(" ", "")  # (SVG text comes out without spaces)
    client.force_login(coordinator)
    html = client.get(reverse("crimestats:report_detail", args=[report.pk])).content.decode()
    section = html[html.index('id="chart-grid-reports"'):html.index('id="grid-reports-cells"')]
    assert section.count('class="district"') == 10 and "Brønshøj-Husum" in section
