"""The results API: filters, roles, scoping, drafts, query counts, 4xx not 500."""
import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts import roles
from tests.factories import ProgrammeFactory, UserFactory
from tryghedsindeks.services import safety_index_compute

from .factories import SafetyIndexInputFactory, district, method_v1

URL = "/api/v1/safety-index/results/"


@pytest.fixture
def demo(copenhagen):
    method_v1()
    call_command("load_demo_safety_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return copenhagen.municipality


@pytest.fixture
def api(api_client_user):
    client = APIClient()
    client.force_authenticate(api_client_user)
    return client


@pytest.mark.django_db
def test_filters_by_year_level_category_and_method(api, demo):
    data = api.get(URL, {"year": 2010, "level": "district", "area_level": "district", "limit": 500}).json()
    assert data["count"] == 35
    row = data["results"][0]
    assert {"year", "level", "method_version", "inputs_sha256", "area_code", "score", "category",
            "category_label", "uncertain", "contains_demo_data"} <= set(row)
    assert row["method_version"] == "1.0" and row["contains_demo_data"] is True
    markant = api.get(URL, {"year": 2010, "category": "markant"}).json()
    assert markant["count"] == 5 and {r["category"] for r in markant["results"]} == {"markant"}
    assert api.get(URL, {"method_version": "9.9"}).json()["count"] == 0
    assert api.get(URL, {"year": 2012, "area_code": "0101"}).json()["results"][0]["area_level"] == "city"
    assert api.get(URL, {"uncertain": "true", "year": 2010}).json()["count"] >= 1


@pytest.mark.django_db
def test_bad_filters_answer_400(api, demo):
    response = api.get(URL, {"year": "twenty-ten"})
    assert response.status_code == 400 and "year" in response.json()
    assert api.get(URL, {"category": "awful"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [
    (None, 403), (roles.COORDINATOR, 200), (roles.ADMIN_REPORTER, 200), (roles.API_CLIENT, 200),
    (roles.SSP_CONSULTANT, 403), (roles.EXIT_EXPERT, 403),
])
def test_roles(copenhagen, user_of_role, role, status):
    client = APIClient()
    user = user_of_role(role)
    if user:
        client.force_authenticate(user)
    assert client.get(URL).status_code in ({401, 403} if role is None else {status})


@pytest.mark.django_db
def test_other_municipality_and_drafts_are_invisible(api, demo, coordinator):
    outsider = UserFactory(municipality=ProgrammeFactory().municipality, role=roles.API_CLIENT)
    client = APIClient()
    client.force_authenticate(outsider)
    assert client.get(URL).json()["count"] == 0
    some = api.get(URL, {"year": 2010}).json()["results"][0]
    assert client.get(f"{URL}{some['id']}/").status_code == 404
    SafetyIndexInputFactory(area=district("1"), year=2020)
    safety_index_compute(municipality=demo, year=2020, level="district", method=method_v1())
    assert api.get(URL, {"year": 2020}).json()["count"] == 0
    assert api.get(URL, {"year": 2020, "status": "draft"}).json()["count"] == 0
    client.force_authenticate(coordinator)
    assert client.get(URL, {"year": 2020, "status": "draft"}).json()["count"] == 2  # district 1 and the city


@pytest.mark.django_db
def test_list_query_count_is_constant(api, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as few:
        api.get(URL, {"year": 2010, "limit": 2})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(URL, {"limit": 300}).json()["results"]) == 36 * 8  # 8 demo years (docs/demo.md)


@pytest.mark.django_db
def test_api_is_read_only(api, demo):
    assert api.post(URL, {}).status_code == 405


@pytest.mark.django_db
def test_every_list_row_is_what_the_serializer_gives_for_the_object(api, demo):
    """The list is read as values() rows (``ValuesRepresentation``); each row equals the model serializer's."""
    import json

    from rest_framework.utils.encoders import JSONEncoder

    from tryghedsindeks.api.serializers import SafetyIndexResultSerializer
    from tryghedsindeks.models import SafetyIndexResult

    rows = api.get(URL, {"limit": 1000}).json()["results"]
    assert rows and {r["category_label"] for r in rows} - {""}
    objects = SafetyIndexResult.objects.select_related("run__method", "area").in_bulk([r["id"] for r in rows])
    for row in rows:
        expected = SafetyIndexResultSerializer(objects[row["id"]]).data
        assert row == json.loads(json.dumps(expected, cls=JSONEncoder))
