"""The safety-index map does not decode or simplify boundaries per request (issue #17): the display shapes of
a level are simplified once and cached, the figure is cached under its inputs, and loading boundaries again
drops both."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area
from areas.selectors import area_display_shapes, outlines_forget
from tryghedsindeks.services import safety_index_compute, safety_index_publish

from .factories import SafetyIndexInputFactory, district, method_v1


@pytest.fixture
def published(copenhagen):
    for code in ("1", "2", "3"):
        SafetyIndexInputFactory(area=district(code))
    return safety_index_publish(run=safety_index_compute(municipality=copenhagen.municipality, year=2010,
                                                         level="district", method=method_v1()))


def _reads_boundaries(queries) -> bool:
    return any('"areas_area"."geometry"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_the_map_reads_boundaries_once_then_from_the_cache(client, coordinator, published):
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as first:
        html = client.get(reverse("tryghedsindeks:map")).content.decode()
    assert 'id="safety-map"' in html and _reads_boundaries(first)
    with CaptureQueriesContext(connection) as second:
        again = client.get(reverse("tryghedsindeks:map")).content.decode()
    assert not _reads_boundaries(second)
    assert again.split('id="safety-map-data"')[1][:2000] == html.split('id="safety-map-data"')[1][:2000]


@pytest.mark.django_db
def test_each_category_trace_carries_only_its_own_areas(client, coordinator, published):
    import json
    client.force_login(coordinator)
    html = client.get(reverse("tryghedsindeks:map")).content.decode()
    data = html.split('id="safety-map-data" type="application/json">')[1].split("</script>")[0]
    figure = json.loads(data)
    for trace in figure["data"]:
        assert sorted(f["id"] for f in trace["geojson"]["features"]) == sorted(trace["locations"])
    assert sum(len(t["locations"]) for t in figure["data"]) == 3


@pytest.mark.django_db
def test_loading_boundaries_again_drops_the_cached_display_shapes(copenhagen, published,
                                                                  django_assert_num_queries):
    municipality_id = copenhagen.municipality.pk
    with django_assert_num_queries(1):
        shapes = area_display_shapes(municipality_id=municipality_id, level="district")
    with django_assert_num_queries(0):
        assert area_display_shapes(municipality_id=municipality_id, level="district") == shapes
    area = district("1")
    Area.objects.filter(pk=area.pk).update(geometry={"type": "Polygon", "coordinates": [
        [[12.5, 55.6], [12.51, 55.6], [12.51, 55.61], [12.5, 55.6]]]})
    outlines_forget(municipality_id=municipality_id)  # what loading the boundaries again does
    with django_assert_num_queries(1):
        fresh = area_display_shapes(municipality_id=municipality_id, level="district")
    assert fresh[area.pk]["geometry"]["coordinates"][0][0] == [12.5, 55.6]
