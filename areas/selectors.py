"""Reads of the areas app: a municipality's area outlines, simplified for maps."""
import json
import uuid

import numpy as np
import shapely
from django.core.cache import cache
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

from .models import Area, AreaLevel

# Degrees (about 20 m north-south, 35 m east-west here): far below a pixel of a 1×1 km grid map,
# and it cuts Copenhagen's ten bydele from ~200 kB of coordinates to a few kB.
OUTLINE_TOLERANCE = 0.0003
# Loading boundaries clears the cache (areas_load_*); the timeout bounds a stale copy kept by a
# process-local cache in another process.
OUTLINE_CACHE_SECONDS = 6 * 3600


def outlines_cache_key(*, municipality_id: int, level: str) -> str:
    return f"areas:outlines:{municipality_id}:{level}"


def area_outlines(*, municipality_id: int, level: str) -> list[dict]:
    """The municipality's areas of ``level`` as simplified outlines: ``name``, ``rings`` and ``label``.

    ``rings`` are every ring (outer and holes) of every polygon as lists of
    (lon, lat); ``label`` is a point well inside the largest polygon, where its
    name can be written. Simplified once and kept in the cache (one query on a
    miss, none after); an empty list when the municipality has no areas of the
    level (e.g. Albertslund, which has only its outline). Outlines are reference geography for maps,
    the same for every user, so they are not scoped to one.
    """
    key = outlines_cache_key(municipality_id=municipality_id, level=level)
    outlines = cache.get(key)
    if outlines is None:
        outlines = []
        rows = (Area.objects.filter(municipality_id=municipality_id, level=level, geometry__isnull=False)
                .order_by("code").values_list("name", "geometry"))
        for name, geometry in rows:
            geom = shape(geometry).simplify(OUTLINE_TOLERANCE, preserve_topology=True)
            polygons = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon" and not g.is_empty]
            if not polygons:
                continue
            rings = [[(round(x, 5), round(y, 5)) for x, y in ring.coords]
                     for p in polygons for ring in (p.exterior, *p.interiors)]
            label = polylabel(max(polygons, key=lambda p: p.area), tolerance=0.0005)
            outlines.append({"name": name, "rings": rings, "label": (round(label.x, 5), round(label.y, 5))})
        cache.set(key, outlines, OUTLINE_CACHE_SECONDS)
    return outlines


# Display only (the choropleth maps): about 10 m of simplification keeps the page small; the stored
# boundaries are untouched.
DISPLAY_TOLERANCE = 0.0001


def display_cache_key(*, municipality_id: int, level: str) -> str:
    return f"areas:display:{municipality_id}:{level}"


def display_geometry(geometry: dict) -> dict:
    """A lighter copy of a GeoJSON boundary for a map (simplified, 5 decimals)."""
    geom = shape(geometry).simplify(DISPLAY_TOLERANCE, preserve_topology=True)
    geom = shapely.transform(geom, lambda xy: np.round(xy, 5))
    return json.loads(json.dumps(mapping(geom)))


def area_display_shapes(*, municipality_id: int, level: str) -> dict[int, dict]:
    """The municipality's areas of ``level`` with a boundary, ready for a choropleth, by area id.

    Each: ``geometry`` (simplified GeoJSON, ``display_geometry``), ``centroid`` (lon, lat), ``size`` (its
    area in square degrees, to weigh centroids) and ``bounds`` (min lon, min lat, max lon, max lat).
    Simplifying the ~230 boundaries of a level took over a second; it is done once per municipality and
    level and kept in the cache (one query on a miss, none after), and dropped with the outlines when the
    boundaries are loaded again (``outlines_forget``).
    """
    key = display_cache_key(municipality_id=municipality_id, level=level)
    shapes = cache.get(key)
    if shapes is None:
        shapes = {}
        rows = Area.objects.filter(municipality_id=municipality_id, level=level,
                                   geometry__isnull=False).values_list("id", "geometry")
        for pk, geometry in rows:
            display = display_geometry(geometry)
            geom = shape(display)
            shapes[pk] = {"geometry": display, "centroid": (geom.centroid.x, geom.centroid.y),
                          "size": geom.area, "bounds": geom.bounds}
        cache.set(key, shapes, OUTLINE_CACHE_SECONDS)
    return shapes


def display_generation(*, municipality_id: int) -> str:
    """A token that changes whenever the municipality's boundaries are loaded again (``outlines_forget``):
    part of the cache key of anything drawn from the display shapes, such as a cached map figure."""
    key = f"areas:display-generation:{municipality_id}"
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(key, token, None)
        token = cache.get(key, token)
    return token


def outlines_forget(*, municipality_id: int) -> None:
    """Drop the cached outlines and display shapes of every level of a municipality (its boundaries were
    loaded again)."""
    cache.delete_many([key(municipality_id=municipality_id, level=level)
                       for level in AreaLevel.values for key in (outlines_cache_key, display_cache_key)]
                      + [f"areas:display-generation:{municipality_id}"])
