"""Tryghedsindeks charts: selector output -> pandas -> plotly figure JSON.

The map is a plotly ``Choroplethmap`` with ``map_style="white-bg"``: no map
tiles and no CDN, only the areas' own boundaries, so it works offline.
"""
import json
from decimal import Decimal

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import shapely
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape

from .models import SafetyCategory

# ColorBrewer RdBu (5 classes, colour-blind safe), with a light grey for "ordinær" so that the
# middle class stays visible on the white map; the category is also in the hover text and table.
CATEGORY_COLOURS = {
    SafetyCategory.MARKANT: "#ca0020",
    SafetyCategory.INTENSIVERET: "#f4a582",
    SafetyCategory.ORDINAER: "#d9d9d9",
    SafetyCategory.REDUCERET: "#92c5de",
    SafetyCategory.MINIMAL: "#0571b0",
}
COPENHAGEN_CENTER = {"lat": 55.675, "lon": 12.565}


# Display only: about 10 m of simplification keeps the page small (the stored boundaries are untouched).
DISPLAY_TOLERANCE = 0.0001


def display_geometry(geometry: dict) -> dict:
    """A lighter copy of a GeoJSON boundary for the map (simplified, 5 decimals)."""
    geom = shape(geometry).simplify(DISPLAY_TOLERANCE, preserve_topology=True)
    geom = shapely.transform(geom, lambda xy: np.round(xy, 5))
    return json.loads(json.dumps(mapping(geom)))


def _bounds(features: list[dict]) -> tuple[float, float, float, float]:
    xs, ys = [], []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for f in features:
        walk(f["geometry"]["coordinates"])
    return min(xs), min(ys), max(xs), max(ys)


def category_map(results) -> dict:
    """Choropleth of the five categories for the given results (areas with a boundary)."""
    labels = dict(SafetyCategory.choices)
    rows, features = [], []
    for r in results:
        if not r.area.geometry:
            continue
        features.append({"type": "Feature", "id": str(r.area_id), "geometry": display_geometry(r.area.geometry),
                         "properties": {"name": r.area.name}})
        rows.append({"id": str(r.area_id), "name": r.area.name, "category": str(labels[r.category]),
                     "score": float(r.score), "uncertain": _("yes") if r.uncertain else _("no")})
    order = [str(labels[c]) for c in SafetyCategory]
    df = pd.DataFrame(rows, columns=["id", "name", "category", "score", "uncertain"])
    center, zoom = COPENHAGEN_CENTER, 10.6
    if features:
        # Area-weighted centre of the areas: small outlying islets do not pull the view sideways.
        shapes = [shape(f["geometry"]) for f in features]
        total = sum(g.area for g in shapes) or 1.0
        center = {"lat": sum(g.centroid.y * g.area for g in shapes) / total,
                  "lon": sum(g.centroid.x * g.area for g in shapes) / total}
        x0, y0, x1, y1 = _bounds(features)
        if max(x1 - x0, (y1 - y0) * 1.8) < 0.08:  # a small selection (one bydel, a few estates): zoom in
            zoom = 12.0
    fig = px.choropleth_map(
        df, geojson={"type": "FeatureCollection", "features": features}, locations="id", color="category",
        category_orders={"category": order},
        color_discrete_map={str(labels[c]): CATEGORY_COLOURS[c] for c in SafetyCategory},
        hover_name="name", hover_data={"id": False, "score": ":.2f", "uncertain": True},
        labels={"category": _("Category of need"), "score": _("Score"), "uncertain": _("Uncertain")},
        map_style="white-bg", center=center, zoom=zoom, opacity=0.85,
    )
    fig.update_traces(marker_line_width=1, marker_line_color="#333333")
    fig.update_layout(margin={"t": 10, "l": 0, "r": 0, "b": 0}, height=560, separators=",.",
                      legend={"title": {"text": _("Category of need")}, "yanchor": "top", "y": 0.98,
                              "xanchor": "right", "x": 0.99, "bgcolor": "rgba(255,255,255,0.9)"})
    return json.loads(fig.to_json())


def trend_chart(trend, thresholds: list) -> dict:
    """An area's score per year, over shaded bands of the five categories (of the newest method)."""
    years = [r.run.year for r in trend]
    scores = [float(r.score) for r in trend]
    fig = go.Figure()
    labels = dict(SafetyCategory.choices)
    bounds = [(code, float(Decimal(b))) for code, b in thresholds]
    upper = 100.0
    for code, lower in [*bounds, ("markant", 0.0)]:
        fig.add_hrect(y0=lower, y1=upper, fillcolor=CATEGORY_COLOURS[code], opacity=0.25, line_width=0,
                      annotation_text=str(labels[code]), annotation_position="top left")
        upper = lower
    fig.add_trace(go.Scatter(x=years, y=scores, mode="lines+markers", name=_("Score"),
                             line={"color": "#1a1a1a", "width": 3}, marker={"size": 9}))
    fig.update_layout(height=420, margin={"t": 20, "l": 60, "r": 20, "b": 40}, separators=",.",
                      yaxis={"title": _("Score (0–100, higher is safer)"), "range": [0, 100]},
                      xaxis={"title": _("Year"), "dtick": 1}, showlegend=False)
    return json.loads(fig.to_json())
