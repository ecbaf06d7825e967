"""Indicator and effect-goal charts: series -> pandas -> plotly figure (as JSON for the page).

Every chart has its numbers in a table beside it and a CSV download; the
figure only adds the picture: the series, the target line and an arrow for
the desired direction (for an effect goal also its baseline and target period).
"""
import json
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

ARROWS = {"falling": "↓", "rising": "↑"}


def direction_label(direction: str) -> str:
    return {"falling": _("desired direction: falling ↓"), "rising": _("desired direction: rising ↑")}.get(
        direction, _("no desired direction"))


def time_series_chart(points: list[tuple[str, Decimal | None]], *, title: str, unit: str, direction: str,
                      target: Decimal | None = None, target_label: str = "",
                      baseline: tuple[str, Decimal] | None = None, period: tuple | None = None) -> dict:
    """A line of (period, value) points with a dashed target line; plotly figure JSON.

    For an effect goal, ``period`` (first and last day of its target period) shades the years of the series
    within it and names it in the title, the target line spans those years, and ``baseline`` (period label,
    value) marks the baseline the data hold.
    """
    df = pd.DataFrame(points, columns=["period", "value"])
    df["value"] = pd.to_numeric(df["value"].map(lambda v: None if v is None else float(v)))
    labels = [str(p) for p in df["period"]]
    inside = labels
    if period is not None:
        first, last = period[0].year, period[1].year
        inside = [p for p in labels if p[:4].isdigit() and first <= int(p[:4]) <= last]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=df["period"], y=df["value"], mode="lines+markers", name=_("Value"),
                             line={"color": "#0b5394", "width": 3}, marker={"size": 8}))
    if target is not None and len(df):
        span = inside or labels
        fig.add_trace(go.Scatter(x=[span[0], span[-1]], y=[float(target)] * 2, mode="lines",
                                 name=target_label or _("Target"),
                                 line={"color": "#b45f06", "dash": "dash", "width": 2}))
    if baseline is not None and baseline[1] is not None and str(baseline[0]) in labels:
        fig.add_trace(go.Scatter(x=[baseline[0]], y=[float(baseline[1])], mode="markers",
                                 name=_("Baseline %(period)s") % {"period": baseline[0]},
                                 marker={"color": "#1e6b35", "size": 12, "symbol": "diamond"}))
    text = f"{title} — {direction_label(direction)}"
    if period is not None:
        text += " · " + _("target period %(start)s–%(end)s") % {"start": period[0].year, "end": period[1].year}
        if inside:  # the years of the target period, shaded (category axis: index ± ½)
            fig.add_vrect(x0=labels.index(inside[0]) - 0.5, x1=labels.index(inside[-1]) + 0.5,
                          fillcolor="#b45f06", opacity=0.08, line_width=0, layer="below")
    fig.update_layout(
        title={"text": text, "font": {"size": 14}},
        xaxis={"type": "category", "title": _("Period")}, yaxis={"title": unit or _("Value")},
        legend={"orientation": "h", "y": -0.3}, margin={"t": 50, "l": 60, "r": 10, "b": 40}, height=340,
        separators=",.")
    return json.loads(fig.to_json())


def area_bar_chart(rows: list[dict], *, title: str, unit: str) -> dict:
    """One period's values per area as horizontal bars."""
    df = pd.DataFrame(rows, columns=["area", "value"])
    df["value"] = df["value"].astype(float)
    fig = go.Figure(go.Bar(x=df["value"], y=df["area"], orientation="h", marker={"color": "#0b5394"}))
    fig.update_layout(title={"text": title, "font": {"size": 14}}, xaxis={"title": unit or _("Value")},
                      yaxis={"autorange": "reversed"}, margin={"t": 50, "l": 160, "r": 10},
                      height=max(260, 28 * len(df) + 100), separators=",.")
    return json.loads(fig.to_json())
