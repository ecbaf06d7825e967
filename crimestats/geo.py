"""Where a point lies: its rode (point-in-polygon over a prepared STRtree) and its 1×1 km grid cell.

The grid is a local equirectangular projection with standard parallel
55.68° N (Copenhagen): x = lon · 111.320 km · cos(55.68°), y = lat · 110.574 km;
a cell is (floor(x), floor(y)) in km. Within the municipality the scale error
is below 0.2 %, far under the cell size, and the cell ids need no projection
library. ``cell_centre`` turns a cell back into lon/lat for maps.
"""
import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape

from areas.models import Area, AreaLevel

LAT0 = 55.68
KM_PER_DEG_LON = 111.320 * math.cos(math.radians(LAT0))
KM_PER_DEG_LAT = 110.574


def grid_cells(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (x, y) cell ids in km of each point."""
    return (np.floor(lon * KM_PER_DEG_LON).astype(np.int64), np.floor(lat * KM_PER_DEG_LAT).astype(np.int64))


def cell_centre(x: int, y: int) -> tuple[float, float]:
    """lon/lat of a cell's centre."""
    return ((x + 0.5) / KM_PER_DEG_LON, (y + 0.5) / KM_PER_DEG_LAT)


@dataclass
class RodeIndex:
    """The roder of a municipality in an STRtree, with each rode's bydel and deprived area."""

    tree: shapely.STRtree
    geoms: list
    rode_ids: np.ndarray
    bydel_ids: np.ndarray  # -1 = none
    deprived_ids: np.ndarray  # -1 = none
    names: list[str]

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index into ``rode_ids`` of the rode holding each point, -1 outside every rode (vectorised)."""
        points = shapely.points(lon, lat)
        found = np.full(len(points), -1, dtype=np.int64)
        if len(points):
            src, hit = self.tree.query(points, predicate="within")
            found[src] = hit
        return found


def rode_index(*, municipality) -> RodeIndex:
    """Build the index of a municipality's roder (two queries)."""
    roder = list(Area.objects.filter(municipality=municipality, level=AreaLevel.RODE)
                 .order_by("id").values_list("id", "name", "geometry"))
    through = Area.containers.through.objects.filter(
        from_area__in=[r[0] for r in roder],
        to_area__level__in=[AreaLevel.BYDEL, AreaLevel.DEPRIVED_AREA],
    ).values_list("from_area_id", "to_area_id", "to_area__level")
    bydel, deprived = {}, {}
    for rode_id, container_id, level in through:
        (bydel if level == AreaLevel.BYDEL else deprived)[rode_id] = container_id
    geoms = [shape(g) for _id, _n, g in roder]
    for g in geoms:
        shapely.prepare(g)
    ids = np.array([r[0] for r in roder], dtype=np.int64)
    return RodeIndex(
        tree=shapely.STRtree(geoms), geoms=geoms, rode_ids=ids,
        bydel_ids=np.array([bydel.get(i, -1) for i in ids], dtype=np.int64),
        deprived_ids=np.array([deprived.get(i, -1) for i in ids], dtype=np.int64),
        names=[r[1] for r in roder],
    )
