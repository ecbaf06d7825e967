"""Tryghedsindeks charts: selector output -> pandas -> plotly figure JSON.

The map is a plotly ``Choroplethmap`` with ``map_style="white-bg"``: no map
tiles and no CDN, only the areas' own boundaries, so it works offline.
"""
import hashlib
import json
from decimal import Decimal

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from django.core.cache import cache
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from areas.selectors import area_display_shapes, display_generation

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


def category_map(results, shapes: dict[int, dict]) -> dict:
    """Choropleth of the five categories for the given results (areas with a boundary).

    ``shapes`` are the areas' display shapes by id (``areas.selectors.area_display_shapes``, simplified
    once and cached), so drawing the map does not decode or simplify any boundary.
    """
    labels = dict(SafetyCategory.choices)
    rows, features, drawn = [], [], []
    for r in results:
        display = shapes.get(r.area_id)
        if display is None:
            continue
        drawn.append(display)
        features.append({"type": "Feature", "id": str(r.area_id), "geometry": display["geometry"],
                         "properties": {"name": r.area.name}})
        rows.append({"id": str(r.area_id), "name": r.area.name, "category": str(labels[r.category]),
                     "score": float(r.score), "uncertain": _("yes") if r.uncertain else _("no")})
    order = [str(labels[c]) for c in SafetyCategory]
    df = pd.DataFrame(rows, columns=["id", "name", "category", "score", "uncertain"])
    center, zoom = COPENHAGEN_CENTER, 10.6
    if drawn:
        # Area-weighted centre of the areas: small outlying islets do not pull the view sideways.
        total = sum(d["size"] for d in drawn) or 1.0
        center = {"lat": sum(d["centroid"][1] * d["size"] for d in drawn) / total,
                  "lon": sum(d["centroid"][0] * d["size"] for d in drawn) / total}
        x0, y0 = min(d["bounds"][0] for d in drawn), min(d["bounds"][1] for d in drawn)
        x1, y1 = max(d["bounds"][2] for d in drawn), max(d["bounds"][3] for d in drawn)
        if max(x1 - x0, (y1 - y0) * 1.8) < 0.08:  # a small selection (one bydel, a few estates): zoom in
            zoom = 12.0
    # The figure is built without the boundaries, which are put into its JSON afterwards: plotly validates
    # and deep-copies a figure's GeoJSON several times over (over a second for ~230 areas).
    fig = px.choropleth_map(
        df, geojson={"type": "FeatureCollection", "features": []}, locations="id", color="category",
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
    figure = json.loads(fig.to_json())
    by_id = {f["id"]: f for f in features}
    for trace in figure["data"]:  # one trace per category: each gets the boundaries of its own areas
        trace["geojson"] = {"type": "FeatureCollection",
                            "features": [by_id[i] for i in trace.get("locations", []) if i in by_id]}
    return figure


MAP_CACHE_SECONDS = 6 * 3600


def category_map_cached(results, *, municipality_id: int, level: str) -> str:
    """``category_map`` of the results as the JSON the page embeds, kept in the cache under what it is drawn from.

    The cache holds the finished ``<script type="application/json" id="safety-map-data">`` element (Django's
    ``json_script``), so a warm request neither unpickles the figure's dict nor encodes it again.

    Building the figure with plotly costs a few hundred milliseconds whatever the data; a run's results do
    not change once computed, so the figure is kept under a key made of every drawn row (area, name,
    category, score, uncertain), the language and the boundaries' generation (new when they are loaded
    again, ``areas.selectors.display_generation``): a changed input is a new key, never a stale map.
    """
    rows = [(r.area_id, r.area.name, r.category, str(r.score), r.uncertain) for r in results]
    digest = hashlib.sha256(repr((rows, level, get_language(),
                                  display_generation(municipality_id=municipality_id))).encode()).hexdigest()
    key = f"tryghedsindeks:mapscript:{municipality_id}:{digest}"
    text = cache.get(key)
    if text is None:
        figure = category_map(results, area_display_shapes(municipality_id=municipality_id, level=level))
        text = str(json_script(figure, "safety-map-data"))
        cache.set(key, text, MAP_CACHE_SECONDS)
    return mark_safe(text)  # noqa: S308 - json_script's own output, kept as text in the cache


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
