"""Key-figure charts for the page: stored report figures -> pandas -> plotly figure JSON."""
import json

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

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
    fig.update_layout(barmode="group", height=max(260, 34 * len(df) + 100), margin={"t": 30, "l": 10, "r": 10},
                      yaxis={"autorange": "reversed", "automargin": True}, legend={"orientation": "h", "y": 1.08},
                      separators=",.")
    return json.loads(fig.to_json())


def _grid(cells: list[dict], threshold: int) -> dict:
    if not cells:
        return {}
    df = pd.DataFrame(cells)
    centres = [cell_centre(x, y) for x, y in zip(df["x"], df["y"], strict=True)]
    df["lon"] = [c[0] for c in centres]
    df["lat"] = [c[1] for c in centres]
    df["text"] = [("·" if pd.isna(n) else str(int(n))) for n in df["count"]]
    fig = go.Figure(go.Scatter(
        x=df["x"], y=df["y"], mode="markers+text", text=df["text"], textfont={"size": 9},
        marker={"symbol": "square", "size": 26, "color": ["#f2b8b0" if a else "#dfe8f3" for a in df["above"]],
                "line": {"width": 1, "color": ["#a5281b" if a else "#8aa" for a in df["above"]]}},
        hovertext=[f"{lat:.3f}° N, {lon:.3f}° E" for lon, lat in zip(df["lon"], df["lat"], strict=True)],
    ))
    fig.update_layout(height=520, margin={"t": 10, "l": 10, "r": 10, "b": 10},
                      xaxis={"visible": False, "scaleanchor": "y"}, yaxis={"visible": False}, showlegend=False)
    return json.loads(fig.to_json())


def report_charts(data: dict) -> dict:
    """One figure per table plus the grid map, keyed by section."""
    out = {key: _paired_bars([r for r in data["tables"][key]["rows"]], str(title)) for key, title in TABLES}
    out["grid"] = _grid(data["grid"]["cells"], data["grid"]["threshold"])
    return out
