"""Key-figure charts for the page: stored report figures -> pandas -> plotly figure JSON."""
import json

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .sections import TABLES, area_level_of, table_title

CURRENT = "#1f5aa6"
PREVIOUS = "#7f9cc0"


def _paired_bars(rows: list[dict], title: str) -> dict:
    df = pd.DataFrame(rows[:15], columns=["label", "current", "previous"])
    fig = go.Figure([
        go.Bar(y=df["label"], x=df["previous"], name=_("Same period last year"), orientation="h",
               marker_color=PREVIOUS),
        go.Bar(y=df["label"], x=df["current"], name=_("This period"), orientation="h", marker_color=CURRENT),
    ])
    fig.update_layout(barmode="group", height=max(220, 34 * len(df) + 90), margin={"t": 40, "l": 10, "r": 10},
                      yaxis={"autorange": "reversed", "automargin": True},
                      xaxis={"tickformat": ",d"},  # whole numbers with the separators below: 5.000, not 5k
                      # Above the plot, in the top margin, so it never covers the longest bar.
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "xanchor": "left", "x": 0},
                      separators=",.")
    return json.loads(fig.to_json())


def report_charts(data: dict) -> dict:
    """One figure per table, keyed by section.

    The grid maps are not plotly figures: the page shows the same SVG as the
    PDF (``exports.draw_grid_maps``), drawn over the district outlines.
    """
    level = area_level_of(data)
    return {key: _paired_bars([r for r in data["tables"][key]["rows"]], str(table_title(key, title, level)))
            for key, title in TABLES if not data["tables"][key].get("no_data")}
