"""Services of the areas app: loading a municipality's area hierarchy.

Copenhagen's boundary files and their caveats are described in
``fixtures/areas/README.md``.
"""
import json
import re
from pathlib import Path

import numpy as np
import shapely
from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from initiatives.models import Municipality

from .models import Area, AreaLevel
from .selectors import outlines_forget

ATTRIBUTION = "Københavns Kommune, CC BY 4.0"
COPENHAGEN_CODE = "0101"
COPENHAGEN_MUNICIPALITY_NAME = "Københavns Kommune"
COPENHAGEN_CITY_NAME = "København"

# Stored coordinates are snapped to 6 decimals (about 0.1 m): plenty for
# display and aggregation, and it keeps the database small.
COORDINATE_DECIMALS = 6
# The city outline is only for display: simplify it lightly (about 6-11 m).
CITY_SIMPLIFY_TOLERANCE = 0.0001

BYDEL_FILE = "bydel.geojson"
LOCAL_COMMITTEE_FILE = "lokaludvalg.geojson"
DISTRICT_FILE = "distrikter.geojson"
DEPRIVED_AREA_FILE = "udsatte_byomraader.geojson"
KVARTER_FILE = "kvarterer.geojson"
RODE_FILE = "rode.geojson"

_DERIVED = "roder dissolved by the data curator"
_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u"})


class AreaDataError(ValueError):
    """A boundary file is inconsistent (e.g. a rode names a bydel that does not exist)."""


def area_slug(name: str) -> str:
    """Return an ASCII slug of an area name: "Amager/Sundby" -> "amager-sundby", "Nørrebro" -> "noerrebro"."""
    text = name.strip().lower().translate(_DANISH_LETTERS)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _features(directory: Path, filename: str) -> list[dict]:
    """Return the features of one GeoJSON file in ``directory``."""
    with open(Path(directory) / filename, encoding="utf-8") as fh:
        return json.load(fh)["features"]


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the (multi)polygon parts of a geometry (make_valid may add stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def _geojson(geom: BaseGeometry, *, where: str) -> dict:
    """Return a valid geometry as a GeoJSON dict (lists, JSON-ready) with coordinates on a 6-decimal grid.

    Invalid input is repaired with ``make_valid``; snapping to the grid uses
    ``set_precision``, which keeps the result valid.
    """
    if not geom.is_valid:
        geom = _polygonal(shapely.make_valid(geom))
    geom = shapely.set_precision(geom, 10**-COORDINATE_DECIMALS)
    # set_precision already yields 6-decimal values; rounding again only guards against float noise.
    geom = shapely.transform(geom, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    if geom.is_empty or not geom.is_valid:
        raise AreaDataError(f"{where}: the geometry is empty or invalid after rounding")
    return json.loads(json.dumps(mapping(geom)))


def _source(filename: str, note: str = "") -> str:
    """Return the ``source`` text of an area: file, how it was made, and the attribution."""
    return f"{filename} ({note}); {ATTRIBUTION}" if note else f"{filename}; {ATTRIBUTION}"


def _lookup(index: dict, key, what: str, where: str):
    """Return ``index[key]`` or raise an ``AreaDataError`` naming what was missing."""
    try:
        return index[key]
    except KeyError:
        raise AreaDataError(f"{where}: unknown {what} {key!r}") from None


@transaction.atomic
def areas_load_copenhagen(*, directory: Path) -> dict[str, int]:
    """Load (or update) Copenhagen's area hierarchy from the boundary files in ``directory``.

    Creates the municipality 0101 if needed, then the city, 10 bydele, 12
    local-committee areas, 35 districts, 5 deprived areas, 67 kvarterer and
    399 roder, each keyed on (municipality, level, code), so loading again
    updates in place. Each rode gets its full set of ``containers``.
    Returns the number of areas loaded per level.
    """
    municipality, _ = Municipality.objects.get_or_create(
        code=COPENHAGEN_CODE, defaults={"name": COPENHAGEN_MUNICIPALITY_NAME}
    )
    counts: dict[str, int] = {}

    def upsert(level: str, code: str, **fields) -> Area:
        """update_or_create one area of ``level`` with ``code`` in this municipality."""
        area, _ = Area.objects.update_or_create(municipality=municipality, level=level, code=code,
                                                defaults=fields)
        counts[str(level)] = counts.get(str(level), 0) + 1
        return area

    # --- city and bydele (official layer) -----------------------------------
    bydel_features = _features(directory, BYDEL_FILE)
    city_geom = shapely.union_all([shape(f["geometry"]) for f in bydel_features])
    city_geom = city_geom.simplify(CITY_SIMPLIFY_TOLERANCE, preserve_topology=True)
    city = upsert(
        AreaLevel.CITY, COPENHAGEN_CODE, name=COPENHAGEN_CITY_NAME, parent=None,
        geometry=_geojson(city_geom, where="city"),
        area_m2=float(sum(f["properties"]["areal_m2"] for f in bydel_features)),
        source=_source(BYDEL_FILE, "union of the 10 bydele, simplified"),
    )
    bydele: dict[int, Area] = {}  # by bydel_nr (NOT the file's id)
    for f in bydel_features:
        p = f["properties"]
        nr = int(p["bydel_nr"])
        bydele[nr] = upsert(
            AreaLevel.BYDEL, str(nr), name=p["navn"].strip(), parent=city,
            geometry=_geojson(shape(f["geometry"]), where=f"bydel {nr}"),
            area_m2=float(p["areal_m2"]), source=_source(BYDEL_FILE, "WFS k101:bydel"),
        )
    bydel_by_name = {b.name.casefold(): b for b in bydele.values()}  # rode.geojson writes "Indre by"

    def derived(filename: str, level: str, code_of, name_of) -> dict[str, Area]:
        """Load one dissolved layer whose parent is its (majority) bydel; return areas by code."""
        areas = {}
        for f in _features(directory, filename):
            p = f["properties"]
            code = code_of(p)
            bydel = _lookup(bydele, int(p["bydel_nr"]), "bydel_nr", f"{filename} {code}")
            areas[code] = upsert(
                level, code, name=name_of(p, bydel), parent=bydel,
                geometry=_geojson(shape(f["geometry"]), where=f"{filename} {code}"),
                area_m2=float(p["areal_m2_approx"]), source=_source(filename, _DERIVED),
            )
        return areas

    committees = derived(LOCAL_COMMITTEE_FILE, AreaLevel.LOCAL_COMMITTEE,
                         lambda p: str(p["lokaludvalgnr"]), lambda p, b: p["lokaludvalgnavn"].strip())
    districts = derived(DISTRICT_FILE, AreaLevel.DISTRICT,
                        lambda p: str(p["distrikt_nr"]), lambda p, b: f"Distrikt {p['distrikt_nr']} ({b.name})")
    deprived = derived(DEPRIVED_AREA_FILE, AreaLevel.DEPRIVED_AREA,
                       lambda p: area_slug(p["udsat_byomraade"]), lambda p, b: p["udsat_byomraade"].strip())

    # --- kvarterer: parent is the local committee ----------------------------
    kvarterer: dict[str, Area] = {}
    for f in _features(directory, KVARTER_FILE):
        p = f["properties"]
        code = str(p["kvarternr"])
        kvarterer[code] = upsert(
            AreaLevel.KVARTER, code, name=p["kvarternavn"].strip(),
            parent=_lookup(committees, str(p["lokaludvalgnr"]), "lokaludvalgnr", f"kvarter {code}"),
            geometry=_geojson(shape(f["geometry"]), where=f"kvarter {code}"),
            area_m2=float(p["areal_m2_approx"]), source=_source(KVARTER_FILE, _DERIVED),
        )

    # --- roder: one bulk upsert on (municipality, level, code), then containers --
    roder: list[Area] = []
    containers_of: dict[str, list[Area]] = {}
    rode_source = _source(RODE_FILE, "WFS k101:rode")
    for f in _features(directory, RODE_FILE):
        p = f["properties"]
        code = str(p["rode_nr"])
        where = f"rode {code}"
        kvarter = _lookup(kvarterer, str(p["kvarternr"]), "kvarternr", where)
        containers = [
            city,
            _lookup(bydel_by_name, p["bydel"].strip().casefold(), "bydel", where),
            _lookup(committees, str(p["lokaludvalgnr"]), "lokaludvalgnr", where),
            _lookup(districts, str(p["distrikt_nr"]), "distrikt_nr", where),
            kvarter,
        ]
        if p.get("udsat_byomraade"):
            containers.append(_lookup(deprived, area_slug(p["udsat_byomraade"]), "udsat_byomraade", where))
        if code in containers_of:
            raise AreaDataError(f"{where}: rode_nr occurs twice in {RODE_FILE}")
        containers_of[code] = containers
        roder.append(Area(
            municipality=municipality, level=AreaLevel.RODE, code=code, name=p["rodenavn"].strip(),
            parent=kvarter, geometry=_geojson(shape(f["geometry"]), where=where),
            area_m2=float(p["areal_m2"]), source=rode_source,
        ))
    Area.objects.bulk_create(
        roder, batch_size=200, update_conflicts=True,
        unique_fields=["municipality", "level", "code"],
        update_fields=["name", "parent", "geometry", "area_m2", "source"],
    )
    counts[str(AreaLevel.RODE)] = len(roder)

    rode_ids = dict(
        Area.objects.filter(municipality=municipality, level=AreaLevel.RODE, code__in=containers_of)
        .values_list("code", "id")
    )
    through = Area.containers.through
    through.objects.filter(from_area_id__in=rode_ids.values()).delete()
    through.objects.bulk_create(
        [through(from_area_id=rode_ids[code], to_area_id=c.pk)
         for code, containers in containers_of.items() for c in containers],
        batch_size=500,
    )
    transaction.on_commit(lambda: outlines_forget(municipality_id=municipality.pk))
    return {level: counts.get(level, 0) for level in AreaLevel.values}


DAGI_ATTRIBUTION = "Geodatastyrelsen / SDFI, DAGI"
DAGI_KOMMUNE_FILE = "kommune.geojson"


@transaction.atomic
def areas_load_municipality_outline(*, path: Path, code: str) -> Area:
    """Load (or update) a municipality's outline from a DAGI kommune layer as its municipality-level area.

    For a municipality that has no finer areas of its own (Albertslund): the file is a GeoJSON
    FeatureCollection of DAGI kommuner (``komkode``, ``komnavn``), of which the feature with ``code`` is
    loaded. DAGI 2014 outlines are drawn at 1:500,000 — fit for a map of the whole municipality, not streets.
    """
    features = [f for f in _features(Path(path).parent, Path(path).name)
                if str(f["properties"].get("komkode")) == code]
    if len(features) != 1:
        raise AreaDataError(f"{Path(path).name}: {len(features)} features with komkode {code!r}, expected 1")
    feature = features[0]
    name = feature["properties"]["komnavn"].strip()
    municipality, _ = Municipality.objects.get_or_create(code=code, defaults={"name": f"{name} Kommune"})
    area, _ = Area.objects.update_or_create(
        municipality=municipality, level=AreaLevel.CITY, code=code,
        defaults={"name": name, "parent": None, "geometry": _geojson(shape(feature["geometry"]), where=f"kommune {code}"),
                  "area_m2": None, "source": f"{Path(path).name} (DAGI 2014, 1:500.000); {DAGI_ATTRIBUTION}"},
    )
    transaction.on_commit(lambda: outlines_forget(municipality_id=municipality.pk))
    return area
