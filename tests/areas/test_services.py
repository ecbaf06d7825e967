"""Loading Copenhagen's area hierarchy (``areas_load_copenhagen``) from fixtures/areas/copenhagen."""
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q
from shapely.geometry import shape

from areas.models import Area, AreaLevel
from areas.services import area_slug, areas_load_copenhagen

COPENHAGEN_DIR = Path(settings.BASE_DIR) / "fixtures" / "areas" / "copenhagen"

EXPECTED_COUNTS = {
    "city": 1,
    "bydel": 10,
    "local_committee": 12,
    "district": 35,
    "deprived_area": 5,
    "kvarter": 67,
    "rode": 399,
}
OFFICIAL_BYDELE = {
    "Indre By", "Østerbro", "Nørrebro", "Vesterbro-Kongens Enghave", "Valby", "Vanløse",
    "Brønshøj-Husum", "Bispebjerg", "Amager Øst", "Amager Vest",
}
# Every rode lies in exactly one area of each of these levels.
NESTED_LEVELS = [AreaLevel.CITY, AreaLevel.BYDEL, AreaLevel.LOCAL_COMMITTEE, AreaLevel.DISTRICT, AreaLevel.KVARTER]


def _copenhagen_areas():
    """Return the queryset of Copenhagen's (municipality 0101) areas."""
    return Area.objects.filter(municipality__code="0101")


def _counts() -> dict[str, int]:
    """Return the number of Copenhagen's areas per level, as stored."""
    rows = _copenhagen_areas().values("level").annotate(n=Count("id"))
    return {row["level"]: row["n"] for row in rows}


@pytest.fixture
def loaded(db) -> None:
    """Make sure the Copenhagen areas are in the test database.

    ``tests/conftest.py`` normally loads them once per session with the same
    loader; load them here only when they are missing (e.g. after a live-server
    test flushed the database). The tests below that are about loading itself
    call ``areas_load_copenhagen`` explicitly.
    """
    if not _copenhagen_areas().filter(level=AreaLevel.RODE).exists():
        areas_load_copenhagen(directory=COPENHAGEN_DIR)


@pytest.mark.django_db
def test_fresh_load_creates_every_level():
    """Loading into a database without Copenhagen areas creates exactly the expected areas."""
    _copenhagen_areas().delete()
    assert _counts() == {}

    counts = areas_load_copenhagen(directory=COPENHAGEN_DIR)

    assert counts == EXPECTED_COUNTS
    assert _counts() == EXPECTED_COUNTS


@pytest.mark.django_db
def test_counts_per_level(loaded):
    """The loader reports and stores 1 city, 10 bydele, 12 + 35 + 5 + 67 areas and 399 roder."""
    assert areas_load_copenhagen(directory=COPENHAGEN_DIR) == EXPECTED_COUNTS
    assert _counts() == EXPECTED_COUNTS


@pytest.mark.django_db
def test_loading_twice_is_idempotent(loaded):
    """A second load updates in place: same counts, same primary keys, same container links."""
    ids_before = set(_copenhagen_areas().values_list("id", flat=True))
    links_before = Area.containers.through.objects.count()

    counts = areas_load_copenhagen(directory=COPENHAGEN_DIR)

    assert counts == EXPECTED_COUNTS
    assert _counts() == EXPECTED_COUNTS
    assert set(_copenhagen_areas().values_list("id", flat=True)) == ids_before
    assert Area.containers.through.objects.count() == links_before


@pytest.mark.django_db
def test_city_and_bydele(loaded):
    """The city is the root; the bydele carry the 10 official names and bydel_nr codes."""
    city = _copenhagen_areas().get(level=AreaLevel.CITY)
    assert (city.code, city.name, city.parent) == ("0101", "København", None)
    bydele = _copenhagen_areas().filter(level=AreaLevel.BYDEL)
    assert {b.name for b in bydele} == OFFICIAL_BYDELE
    assert {b.code for b in bydele} == {str(n) for n in range(1, 11)}
    assert all(b.parent_id == city.id for b in bydele)
    # Joined on bydel_nr, not on the file's id (Vanløse has id 30).
    assert bydele.get(code="6").name == "Vanløse"
    assert city.area_m2 == pytest.approx(sum(b.area_m2 for b in bydele))
    assert "Københavns Kommune, CC BY 4.0" in city.source


@pytest.mark.django_db
def test_intermediate_levels_have_a_bydel_parent(loaded):
    """Every local committee, district and deprived area hangs under a bydel; kvarterer under a committee."""
    for level in (AreaLevel.LOCAL_COMMITTEE, AreaLevel.DISTRICT, AreaLevel.DEPRIVED_AREA):
        areas = _copenhagen_areas().filter(level=level).select_related("parent")
        assert areas.exists()
        assert all(a.parent is not None and a.parent.level == AreaLevel.BYDEL for a in areas), level
    kvarterer = _copenhagen_areas().filter(level=AreaLevel.KVARTER).select_related("parent")
    assert all(k.parent.level == AreaLevel.LOCAL_COMMITTEE for k in kvarterer)
    assert _copenhagen_areas().get(level=AreaLevel.DISTRICT, code="9").name == "Distrikt 9 (Nørrebro)"
    assert _copenhagen_areas().get(level=AreaLevel.LOCAL_COMMITTEE, code="9").name == "Brønshøj-Husum"
    deprived = _copenhagen_areas().get(level=AreaLevel.DEPRIVED_AREA, code="amager-sundby")
    assert (deprived.name, deprived.parent.name) == ("Amager/Sundby", "Amager Vest")


@pytest.mark.django_db
def test_every_rode_has_one_container_per_nested_level(loaded):
    """Each rode is in exactly one city, bydel, local committee, district and kvarter, and at most one deprived area."""
    roder = _copenhagen_areas().filter(level=AreaLevel.RODE).annotate(
        **{f"n_{level}": Count("containers", filter=Q(containers__level=level)) for level in AreaLevel.values}
    )
    assert roder.count() == 399
    for rode in roder:
        for level in NESTED_LEVELS:
            assert getattr(rode, f"n_{level}") == 1, (rode.code, level)
        assert getattr(rode, f"n_{AreaLevel.DEPRIVED_AREA}") <= 1
        assert getattr(rode, f"n_{AreaLevel.RODE}") == 0


@pytest.mark.django_db
def test_rode_containers_follow_the_rode_attributes(loaded):
    """Containers come from the rode's own codes: its parent kvarter, "Indre by" joined to "Indre By", outliers kept."""
    containers: dict[int, set[int]] = {}
    links = Area.containers.through.objects.filter(from_area__level=AreaLevel.RODE)
    for rode_id, container_id in links.values_list("from_area_id", "to_area_id"):
        containers.setdefault(rode_id, set()).add(container_id)
    roder = _copenhagen_areas().filter(level=AreaLevel.RODE).values_list(
        "id", "parent__level", "parent_id", "parent__parent_id")
    for rode_id, parent_level, kvarter_id, committee_id in roder:
        assert parent_level == AreaLevel.KVARTER
        assert {kvarter_id, committee_id} <= containers[rode_id]  # its kvarter and that kvarter's committee
    indre_by = _copenhagen_areas().get(level=AreaLevel.BYDEL, name="Indre By")
    assert indre_by.members.filter(level=AreaLevel.RODE).count() == 67
    # Rode 263 (Brønshøj-Husum) is an outlier of district 7, whose majority bydel is Østerbro.
    outlier = _copenhagen_areas().get(level=AreaLevel.RODE, code="263")
    levels = dict(outlier.containers.values_list("level", "name"))
    assert levels[AreaLevel.BYDEL] == "Brønshøj-Husum"
    assert levels[AreaLevel.DISTRICT] == "Distrikt 7 (Østerbro)"


@pytest.mark.django_db
def test_deprived_areas_contain_n_roder(loaded):
    """Each deprived area contains as many roder as ``n_roder`` in udsatte_byomraader.geojson (71 in all)."""
    with open(COPENHAGEN_DIR / "udsatte_byomraader.geojson", encoding="utf-8") as fh:
        expected = {area_slug(f["properties"]["udsat_byomraade"]): f["properties"]["n_roder"]
                    for f in json.load(fh)["features"]}
    assert expected == {"amager-sundby": 9, "nordvest-ryparken": 25, "noerrebro": 17,
                        "tingbjerg-husum": 7, "valby-sydhavnen": 13}
    deprived = _copenhagen_areas().filter(level=AreaLevel.DEPRIVED_AREA).annotate(
        n_roder=Count("members", filter=Q(members__level=AreaLevel.RODE))
    )
    assert {a.code: a.n_roder for a in deprived} == expected


@pytest.mark.django_db
def test_every_geometry_is_valid(loaded):
    """Every stored boundary is a non-empty, valid (multi)polygon, including the 2 repaired roder."""
    for area in _copenhagen_areas():
        geom = shape(area.geometry)
        assert geom.geom_type in ("Polygon", "MultiPolygon"), area
        assert not geom.is_empty and geom.is_valid, (area.level, area.code)
    for code in ("262", "278"):  # invalid (self-intersecting) in rode.geojson
        assert shape(_copenhagen_areas().get(level=AreaLevel.RODE, code=code).geometry).is_valid


def test_area_slug():
    """Slugs are ASCII, with Danish letters transliterated and separators turned into hyphens."""
    assert area_slug("Amager/Sundby") == "amager-sundby"
    assert area_slug("Nørrebro") == "noerrebro"
    assert area_slug(" Tingbjerg/Husum ") == "tingbjerg-husum"


@pytest.mark.django_db
def test_load_areas_command_prints_counts():
    """``manage.py load_areas`` loads the default fixtures and prints the count of each level."""
    out = StringIO()
    call_command("load_areas", stdout=out)
    for level, count in EXPECTED_COUNTS.items():
        assert f"{level}: {count}\n" in out.getvalue()
    assert _counts() == EXPECTED_COUNTS
