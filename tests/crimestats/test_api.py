"""The key-figure API: scoped to the municipality, readable by coordinators and API clients, fixed queries."""

import pytest
from rest_framework.test import APIClient

from accounts import roles
from crimestats.models import KeyFigureReport
from crimestats.periods import quarter_period
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/key-figures/reports/"


def _report(municipality, q=1, version=1, **kw):
    p = quarter_period(2025, q)
    return KeyFigureReport.objects.create(municipality=municipality, period_start=p.start, period_end=p.end,
                                          label=p.label, version=version, **kw)


@pytest.fixture
def api(user_of_role):
    def make(role):
        client = APIClient()
        client.force_authenticate(user_of_role(role))
        return client
    return make


@pytest.mark.parametrize("role, status", [(roles.API_CLIENT, 200), (roles.COORDINATOR, 200),
                                          (roles.ADMIN_REPORTER, 403), (roles.EXIT_EXPERT, 403)])
def test_who_may_read(api, role, status, municipality):
    _report(municipality)
    assert api(role).get(URL).status_code == status


def test_anonymous_is_refused():
    assert APIClient().get(URL).status_code in (401, 403)


def test_list_is_scoped_and_filtered_and_detail_holds_the_figures(api, municipality):
    mine = _report(municipality, data={"tables": {"x": 1}}, status="done")
    _report(municipality, q=2, published_at="2025-07-02T10:00:00Z", status="done")
    _report(MunicipalityFactory())
    client = api(roles.API_CLIENT)
    body = client.get(URL).json()
    assert body["count"] == 2 and "figures" not in body["results"][0]
    assert [r["label"] for r in client.get(URL, {"published": "true"}).json()["results"]] == ["2025 K2"]
    assert client.get(URL, {"status": "nonsense"}).status_code == 400
    detail = client.get(f"{URL}{mine.pk}/").json()
    assert detail["figures"] == {"tables": {"x": 1}} and detail["municipality"] == "0101"


def test_another_municipalitys_report_is_not_found(api):
    other = _report(MunicipalityFactory())
    assert api(roles.API_CLIENT).get(f"{URL}{other.pk}/").status_code == 404


def test_the_list_does_not_grow_in_queries(api, municipality, django_assert_max_num_queries):
    client = api(roles.API_CLIENT)
    _report(municipality)
    with django_assert_max_num_queries(10) as baseline:
        client.get(URL)
    for q in (2, 3, 4):
        for v in (1, 2, 3):
            _report(municipality, q=q, version=v)
    with django_assert_max_num_queries(len(baseline)):
        assert client.get(URL).json()["count"] == 10
