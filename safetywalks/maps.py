"""The walk map: the area's outline, the route and the findings drawn as inline SVG, north up.

No map tiles and no map library: the pages run under a CSP without outside hosts, and an outline with the
route is what a walk needs. The projection is equirectangular around the map's middle latitude (a few
kilometres, so the distortion is negligible); ``walkmap.js`` reads the same parameters from the ``<svg>`` to turn
a click into a latitude and longitude. Every position can also be typed, so the map is never the only way.
"""
import math
from dataclasses import dataclass, field

from shapely.geometry import shape

from areas.selectors import display_geometry

WIDTH = 800.0
PAD = 0.06  # of the span, on every side
FOCUS_SPAN = 0.006  # degrees of longitude (about 400 m here): the least a map of a walk shows
FOCUS_PAD = 0.2


@dataclass
class Marker:
    number: int
    x: float
    y: float
    unsafe: bool
    label: str


@dataclass
class WalkMap:
    min_lon: float
    max_lat: float
    kx: float  # SVG units per degree of longitude
    ky: float  # SVG units per degree of latitude
    height: float
    outline: str = ""
    route: str = ""
    markers: list[Marker] = field(default_factory=list)
    width: float = WIDTH

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return round((lon - self.min_lon) * self.kx, 1), round((self.max_lat - lat) * self.ky, 1)


def _rings(geometry: dict) -> list[list[tuple[float, float]]]:
    geom = shape(display_geometry(geometry))
    polygons = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon" and not g.is_empty]
    return [list(ring.coords) for p in polygons for ring in (p.exterior, *p.interiors)]


def walk_map(*, area, route_points=(), findings=()) -> WalkMap | None:
    """The map of an area with a route ((lat, lon) pairs) and findings; None when there is nothing to place.

    With a route or findings the map shows them (a walk covers a few hundred metres of a municipality that may
    be kilometres across: Albertslund's only area is its outline) and the outline is cut at the map's edge;
    without, it shows the whole area, to draw the route on.
    """
    rings = []
    if area is not None and area.geometry and area.geometry.get("type") in ("Polygon", "MultiPolygon"):
        rings = _rings(area.geometry)
    walked = [(lon, lat) for lat, lon in route_points] + [(float(f.longitude), float(f.latitude)) for f in findings]
    points = walked or [(lon, lat) for ring in rings for lon, lat in ring]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    least = FOCUS_SPAN if walked else 0.002
    span_lon, span_lat = max(max(lons) - min(lons), least), max(max(lats) - min(lats), least * 0.6)
    mid_lon, mid_lat = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    pad = 1 + 2 * (FOCUS_PAD if walked else PAD)
    min_lon, max_lon = mid_lon - span_lon * pad / 2, mid_lon + span_lon * pad / 2
    min_lat, max_lat = mid_lat - span_lat * pad / 2, mid_lat + span_lat * pad / 2
    shrink = math.cos(math.radians((min_lat + max_lat) / 2))
    kx = WIDTH / (max_lon - min_lon)
    ky = kx / shrink
    m = WalkMap(min_lon=min_lon, max_lat=max_lat, kx=kx, ky=ky, height=round((max_lat - min_lat) * ky, 1))
    m.outline = " ".join("M " + " L ".join("{} {}".format(*m.xy(lat, lon)) for lon, lat in ring) + " Z"
                         for ring in rings)
    m.route = " ".join("{},{}".format(*m.xy(lat, lon)) for lat, lon in route_points)
    for number, f in enumerate(findings, start=1):
        x, y = m.xy(float(f.latitude), float(f.longitude))
        m.markers.append(Marker(number=number, x=x, y=y, unsafe=f.kind == "unsafe", label=str(f)))
    return m
