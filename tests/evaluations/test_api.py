"""The read-only API: scoped like the pages, filterable, 4xx never 500, constant queries."""
import pytest
from rest_framework.test import APIClient

from accounts import roles
from evaluations.models import Evaluation

from .factories import ClosureReportFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluations/"


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize("role", [None, *roles.ROLES])
@pytest.mark.parametrize("path", ["evaluations/", "closures/"])
def test_permission_matrix(api, open_round, user_of_role, role, path):
    user = user_of_role(role)
    if user:
        api.force_authenticate(user)
    response = api.get(API + path)
    if role is None:
        assert response.status_code in (401, 403)
    elif role in (roles.COORDINATOR, roles.ADMIN_REPORTER):
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_reporter_gets_only_own_administration(api, open_round, reporter, coordinator):
    api.force_authenticate(reporter)
    data = api.get(API + "evaluations/", {"limit": 500}).json()
    assert data["count"] == 41 and {r["administration"] for r in data["results"]} == {"BUF"}
    sof = Evaluation.objects.filter(round=open_round, administration__code="SOF").first()
    assert api.get(f"{API}evaluations/{sof.pk}/").status_code == 404
    api.force_authenticate(coordinator)
    assert api.get(API + "evaluations/", {"round": open_round.pk}).json()["count"] == 85
    assert api.get(f"{API}evaluations/{sof.pk}/").json()["administration"] == "SOF"


def test_filters_and_bad_input(api, open_round, coordinator, copenhagen):
    api.force_authenticate(coordinator)
    sof = copenhagen.municipality.administrations.get(code="SOF")
    assert api.get(API + "evaluations/", {"administration": sof.pk}).json()["count"] == 21
    assert api.get(API + "evaluations/", {"status": "submitted"}).json()["count"] == 0
    bad = api.get(API + "evaluations/", {"status": "nonsense", "round": "x"})
    assert bad.status_code == 400 and "status" in bad.json()
    assert api.get(API + "closures/", {"year": "tyve"}).status_code == 400


def test_list_queries_do_not_grow_with_rows(api, open_round, coordinator, reporter, django_assert_max_num_queries):
    api.force_authenticate(coordinator)
    for _ in range(3):
        ClosureReportFactory(administration=reporter.administration, reported_by=reporter)
    with django_assert_max_num_queries(8):
        small = api.get(API + "closures/")
    for _ in range(30):
        ClosureReportFactory(administration=reporter.administration, reported_by=reporter)
    with django_assert_max_num_queries(8):
        big = api.get(API + "closures/")
    assert small.json()["count"] == 3 and big.json()["count"] == 33
    with django_assert_max_num_queries(10):
        assert len(api.get(API + "evaluations/", {"limit": 100}).json()["results"]) == 85
