"""Safety-index pages: who may see them, what they show, import/compute/publish through the pages, query counts."""
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import roles
from tests.factories import ProgrammeFactory, UserFactory
from tryghedsindeks.models import RunStatus, SafetyIndexInput, SafetyIndexRun
from tryghedsindeks.services import IMPORT_COLUMNS

from .factories import SafetyIndexInputFactory, district, method_v1

ALL_ROLES = [None, *roles.ROLES]
READERS = {roles.COORDINATOR, roles.ADMIN_REPORTER}


@pytest.fixture
def demo(copenhagen):
    method_v1()
    call_command("load_demo_safety_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return copenhagen.municipality


def _pages():
    return {"map": reverse("tryghedsindeks:map"), "compare": reverse("tryghedsindeks:compare"),
            "goal": reverse("tryghedsindeks:goal"), "method": reverse("tryghedsindeks:method"),
            "area": reverse("tryghedsindeks:area_detail", args=[district("1").pk])}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page_name", ["map", "compare", "goal", "method", "area", "manage"])
def test_permission_matrix(client, copenhagen, user_of_role, role, page_name):
    url = reverse("tryghedsindeks:manage") if page_name == "manage" else _pages()[page_name]
    user = user_of_role(role)
    if user:
        client.force_login(user)
    response = client.get(url)
    allowed = {roles.COORDINATOR} if page_name == "manage" else READERS
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.django_db
def test_map_lists_every_district_with_a_category_and_says_demo(client, coordinator, demo):
    client.force_login(coordinator)
    response = client.get(reverse("tryghedsindeks:map"), {"year": 2010})
    html = response.content.decode()
    assert html.count('data-category="') == 35
    assert html.count('data-category="markant"') == 5
    assert 'id="demo-notice"' in html and 'id="safety-map-data"' in html
    assert response.context["city"].area.level == "city"
    script = response.context["map_json"]
    fig = json.loads(script[script.index(">") + 1:script.rindex("</script>")])
    assert sum(len(t["locations"]) for t in fig["data"]) == 35
    # One trace (legend entry) per category, in Danish, in the order of need.
    assert [t["name"] for t in fig["data"]] == ["markant", "intensiveret", "ordinær", "reduceret", "minimal"]
    filtered = client.get(reverse("tryghedsindeks:map"), {"year": 2010, "category": "markant"}).content.decode()
    assert filtered.count('data-category="') == 5


@pytest.mark.django_db
def test_map_without_results_explains_itself(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("tryghedsindeks:map"), {"level": "rode", "year": "x"}).content.decode()
    assert 'id="safety-map"' not in html and "alert-info" in html


@pytest.mark.django_db
def test_map_query_count_does_not_grow_with_areas(client, coordinator, copenhagen, django_assert_max_num_queries):
    from tryghedsindeks.services import safety_index_compute, safety_index_publish
    SafetyIndexInputFactory(area=district("1"))
    run = safety_index_publish(run=safety_index_compute(municipality=copenhagen.municipality, year=2010,
                                                        level="district", method=method_v1()))
    client.force_login(coordinator)
    # 14 since #16 (the municipality's modules read for the menu and the module middleware); what matters
    # is the second assertion: the count does not grow with the areas drawn.
    with django_assert_max_num_queries(14) as small:
        client.get(reverse("tryghedsindeks:map"))
    SafetyIndexRun.objects.filter(pk=run.pk).update(status=RunStatus.DRAFT)
    for code in range(2, 36):
        SafetyIndexInputFactory(area=district(str(code)))
    safety_index_publish(run=safety_index_compute(municipality=copenhagen.municipality, year=2011 - 1,
                                                  level="district", method=method_v1()))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("tryghedsindeks:map"))


@pytest.mark.django_db
def test_area_page_explains_the_category(client, coordinator, demo):
    client.force_login(coordinator)
    response = client.get(reverse("tryghedsindeks:area_detail", args=[district("9").pk]), {"year": 2010})
    assert len(response.context["trend"]) == 8  # 2010–2015 and 2024–2025 (docs/demo.md)
    chosen = response.context["chosen"]
    assert chosen.run.year == 2010
    rows = response.context["explanation"]
    assert len(rows) == 5
    assert sum(r["contribution"] for r in rows).quantize(chosen.score) == chosen.score
    assert chosen.run.inputs_sha256 in response.content.decode()


@pytest.mark.django_db
def test_area_of_another_municipality_is_not_found(client, copenhagen):
    outsider = UserFactory(municipality=ProgrammeFactory().municipality, role=roles.COORDINATOR)
    client.force_login(outsider)
    assert client.get(reverse("tryghedsindeks:area_detail", args=[district("1").pk])).status_code == 404


@pytest.mark.django_db
def test_compare_and_goal_pages(client, coordinator, demo):
    client.force_login(coordinator)
    response = client.get(reverse("tryghedsindeks:compare"), {"a": 2010, "b": 2015})
    rows = response.context["rows"]
    assert len(rows) == 36  # 35 districts and the city
    assert response.context["improved"] >= 4
    response = client.get(reverse("tryghedsindeks:goal"))
    progress = response.context["progress"]
    assert progress["n"] == 5 and progress["years"] == [2010, 2011, 2012, 2013, 2014, 2015]
    assert response.context["measurement"].n == 5
    assert 'id="goal-status"' in response.content.decode()
    assert 'id="demo-notice"' in response.content.decode()


def _csv(*rows):
    return ("\n".join([",".join(IMPORT_COLUMNS), *rows]) + "\n").encode()


@pytest.mark.django_db
def test_import_through_the_page_all_or_nothing(client, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile
    client.force_login(coordinator)
    bad = SimpleUploadedFile("tryg.csv", _csv("district,1,2010,200,12,40,95,70,1500,10000",
                                              "district,1,2011,200,12,40,95,170,1500,10000"))
    response = client.post(reverse("tryghedsindeks:manage"), {"action": "import", "file": bad})
    assert response.status_code == 400
    assert response.context["import_errors"][0].startswith("Linje 3")
    assert not SafetyIndexInput.objects.exists()
    good = SimpleUploadedFile("tryg.csv", _csv("district,1,2010,200,12,40,95,70,1500,10000"))
    response = client.post(reverse("tryghedsindeks:manage"), {"action": "import", "file": good})
    assert response.status_code == 302 and SafetyIndexInput.objects.count() == 1


@pytest.mark.django_db
def test_compute_publish_verify_through_the_page(client, coordinator, django_capture_on_commit_callbacks):
    SafetyIndexInputFactory(area=district("1"))
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("tryghedsindeks:manage"), {
            "action": "compute", "year": 2010, "level": "district", "method": method_v1().pk})
    assert response.status_code == 302 and len(callbacks) == 1
    run = SafetyIndexRun.objects.get()
    assert run.status == RunStatus.DRAFT and run.computed_by == coordinator
    client.post(reverse("tryghedsindeks:run_verify", args=[run.pk]))
    client.post(reverse("tryghedsindeks:run_publish", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED and run.published_by == coordinator
    # Publishing twice is refused with a message, not an error page.
    response = client.post(reverse("tryghedsindeks:run_publish", args=[run.pk]), follow=True)
    assert response.status_code == 200 and "alert-error" in response.content.decode()


@pytest.mark.django_db
def test_compute_with_bad_input_keeps_the_form(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("tryghedsindeks:manage"), {"action": "compute", "year": "19x",
                                                              "level": "district", "method": method_v1().pk})
    assert response.status_code == 400
    assert response.context["compute_form"].errors["year"]
    assert 'value="19x"' in response.content.decode()


@pytest.mark.django_db
def test_publish_needs_post_and_the_manager_role(client, reporter, coordinator):
    SafetyIndexInputFactory(area=district("1"))
    from tryghedsindeks.services import safety_index_compute
    run = safety_index_compute(municipality=coordinator.municipality, year=2010, level="district",
                               method=method_v1())
    client.force_login(coordinator)
    assert client.get(reverse("tryghedsindeks:run_publish", args=[run.pk])).status_code == 405
    client.force_login(reporter)
    assert client.post(reverse("tryghedsindeks:run_publish", args=[run.pk])).status_code == 403
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT



@pytest.mark.django_db
def test_compute_that_would_be_refused_is_explained_not_queued(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("tryghedsindeks:manage"), {
            "action": "compute", "year": 2019, "level": "district", "method": method_v1().pk})
    assert response.status_code == 400 and callbacks == []
    assert "Der er ingen grunddata for 2019" in response.content.decode()
    assert not SafetyIndexRun.objects.exists()


@pytest.mark.django_db
def test_openapi_schema_includes_the_results_endpoint(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200 and b"/api/v1/safety-index/results/" in response.content
