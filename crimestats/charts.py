"""Key-figure charts for the page: stored report figures -> pandas -> plotly figure JSON."""
import json

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .exports import grid_maps
from .geo import cell_centre
from .sections import TABLES

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


def _grid(cells: list[dict], threshold: int) -> dict:
    """The 1×1 km grid as a heatmap: one tile per cell with its count, red above the threshold."""
    if not cells:
        return {}
    xs = range(min(c["x"] for c in cells), max(c["x"] for c in cells) + 1)
    ys = range(min(c["y"] for c in cells), max(c["y"] for c in cells) + 1)
    at = {(c["x"], c["y"]): c for c in cells}
    z = [[(1 if at[(x, y)]["above"] else 0) if (x, y) in at else None for x in xs] for y in ys]
    text = [[("·" if at[(x, y)]["count"] is None else str(at[(x, y)]["count"])) if (x, y) in at else ""
             for x in xs] for y in ys]
    hover = [[f"{cell_centre(x, y)[1]:.3f}° N, {cell_centre(x, y)[0]:.3f}° E" for x in xs] for y in ys]
    fig = go.Figure(go.Heatmap(
        x=list(xs), y=list(ys), z=z, text=text, texttemplate="%{text}", textfont={"size": 10},
        customdata=hover, hovertemplate="%{customdata}: %{text}<extra></extra>", zmin=0, zmax=1,
        colorscale=[[0, "#dfe8f3"], [1, "#f2a99f"]], showscale=False, xgap=1, ygap=1))
    fig.update_layout(height=max(320, 36 * len(ys) + 40), margin={"t": 10, "l": 10, "r": 10, "b": 10},
                      xaxis={"visible": False, "scaleanchor": "y", "constrain": "domain"},
                      yaxis={"visible": False}, plot_bgcolor="white")
    return json.loads(fig.to_json())


def report_charts(data: dict) -> dict:
    """One figure per table plus one per grid map (``grid-reports``, ``grid-events``), keyed by section."""
    out = {key: _paired_bars([r for r in data["tables"][key]["rows"]], str(title)) for key, title in TABLES}
    for g in grid_maps(data):
        out[f"grid-{g['key']}"] = _grid(g["cells"], g["threshold"])
    return out
