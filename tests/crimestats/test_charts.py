"""The page's plotly figures: readable in Danish and never covering their own bars."""
import xml.etree.ElementTree as ET

from crimestats.charts import report_charts
from crimestats.sections import TABLES
from crimestats.svg import grid_map


def _data():
    rows = [{"label": "Vold", "current": 12000, "previous": 9000}, {"label": "Røveri", "current": 40, "previous": 50}]
    return {"tables": {key: {"rows": rows} for key, _title in TABLES},
            "grids": [{"key": "reports", "threshold": 50,
                       "cells": [{"x": 1, "y": 1, "count": 60, "above": True},
                                 {"x": 2, "y": 1, "count": None, "above": False}]}]}


def test_bar_charts_have_whole_danish_numbers_and_the_legend_above_the_bars():
    charts = report_charts(_data())
    for key, _title in TABLES:
        layout = charts[key]["layout"]
        assert layout["separators"] == ",."  # decimal comma, thousands point: 12.000
        assert layout["xaxis"]["tickformat"] == ",d"  # 10.000, not 10k
        assert layout["legend"]["yanchor"] == "bottom" and layout["legend"]["y"] >= 1  # above the plot area
        assert [t["name"] for t in charts[key]["data"]] == ["Samme periode sidste år", "Denne periode"]


def test_a_grid_map_shows_a_suppressed_cell_as_a_dot_and_colours_only_cells_above_the_threshold():
    """The page and the PDF draw the grid maps as the same SVG (not plotly), over the district outlines."""
    assert "grid-reports" not in report_charts(_data())
    root = ET.fromstring(grid_map(_data()["grids"][0]["cells"], title="Grid", threshold=50, outlines=[]))
    cells = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if "cell" in g.get("class", "").split()]
    assert [(g.find("{http://www.w3.org/2000/svg}text").text, g.get("class")) for g in cells] == [
        ("60", "cell above"), ("·", "cell")]
