"""The REST API: who may call which endpoint, filters, CSV, writes through the services, query counts."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import roles
from areas.models import Area
from indicators.models import Indicator, IndicatorValue, ValueStatus
from indicators.tokens import api_token_issue
from initiatives.models import Initiative
from tests.factories import BudgetLineFactory, InitiativeFactory, ProgrammeFactory, UserFactory

from .factories import IndicatorValueFactory, city

LISTS = ["programmes", "administrations", "focus-areas", "effect-goals", "initiatives", "budget-lines", "areas",
         "indicators", "indicator-values"]
API_ROLES = {roles.COORDINATOR, roles.ADMIN_REPORTER, roles.API_CLIENT}


def url(name, pk=None, action=None):
    return f"/api/v1/{name}/" + (f"{pk}/" if pk else "") + (f"{action}/" if action else "")


@pytest.fixture
def api():
    return APIClient()


def _body(response) -> str:
    """The text of a response; a list as CSV is streamed."""
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def _as(api, user):
    if user:
        api.force_authenticate(user)
    return api


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *roles.ROLES])
@pytest.mark.parametrize("endpoint", LISTS)
def test_read_permission_per_role_per_endpoint(api, user_of_role, role, endpoint):
    response = _as(api, user_of_role(role)).get(url(endpoint))
    if role is None:
        assert response.status_code == 401
    elif role in API_ROLES:
        assert response.status_code == 200 and response.json()["results"] or endpoint == "indicator-values"
    else:
        assert response.status_code == 403 and response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *roles.ROLES])
@pytest.mark.parametrize("endpoint", [e for e in LISTS if e != "indicator-values"])
def test_programme_endpoints_are_read_only_for_everyone(api, user_of_role, role, endpoint):
    response = _as(api, user_of_role(role)).post(url(endpoint), {}, format="json")
    assert response.status_code in (401, 403, 405)


@pytest.fixture
def ind5(copenhagen):
    return Indicator.objects.get(programme=copenhagen, number=5)


def _payload(ind, area, **kw):
    return {"indicator": ind.pk, "area": area.pk, "period": "2011", "value": "7.5", "source": "BUF", **kw}


@pytest.mark.django_db
@pytest.mark.parametrize("role, expected", [(None, 401), (roles.COORDINATOR, 403), (roles.API_CLIENT, 403),
                                            (roles.SSP_CONSULTANT, 403), (roles.EXIT_EXPERT, 403),
                                            (roles.ADMIN_REPORTER, 201)])
def test_value_write_permission_per_role(api, user_of_role, copenhagen, ind5, role, expected):
    response = _as(api, user_of_role(role)).post(url("indicator-values"), _payload(ind5, city(copenhagen)),
                                                 format="json")
    assert response.status_code == expected
    assert IndicatorValue.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.django_db
def test_reporter_writes_only_own_administrations_values_through_the_same_validation(api, reporter, copenhagen):
    _as(api, reporter)
    gang = Indicator.objects.get(programme=copenhagen, number=1)  # ØKF's
    response = api.post(url("indicator-values"), _payload(gang, city(copenhagen)), format="json")
    assert response.status_code == 400 and "indicator" in response.json()
    ind5 = Indicator.objects.get(programme=copenhagen, number=5)
    for bad, field in [({"period": "2011-Q9"}, "period"), ({"value": "abc"}, "value"), ({"source": ""}, "source"),
                       ({"area": 999999}, "area"), ({"value": "1e20"}, "value")]:
        response = api.post(url("indicator-values"), {**_payload(ind5, city(copenhagen)), **bad}, format="json")
        assert response.status_code == 400 and field in response.json(), bad
    assert IndicatorValue.objects.count() == 0


@pytest.mark.django_db
def test_write_submit_approve_revise_over_the_api(api, reporter, coordinator, copenhagen, ind5):
    _as(api, reporter)
    created = api.post(url("indicator-values"), _payload(ind5, city(copenhagen)), format="json").json()
    assert created["status"] == "draft" and created["revision"] == 1 and created["period"] == "2011"
    assert api.post(url("indicator-values", created["id"], "approve")).status_code == 403  # reporters don't approve
    assert api.post(url("indicator-values", created["id"], "submit")).json()["status"] == "submitted"
    assert api.post(url("indicator-values", created["id"], "submit")).status_code == 400  # not a draft any more
    _as(api, coordinator)
    approved = api.post(url("indicator-values", created["id"], "approve")).json()
    assert approved["status"] == "approved" and approved["is_published"]
    _as(api, reporter)
    revision = api.post(url("indicator-values"), _payload(ind5, city(copenhagen), value="7.7"), format="json").json()
    assert revision["revision"] == 2 and revision["revision_of"] == created["id"]
    published = api.get(url("indicator-values"), {"published": "true", "indicator": 5}).json()
    assert [r["value"] for r in published["results"]] == ["7.5000"]  # still the published figure


@pytest.mark.django_db
def test_api_client_sees_only_approved_values(api, api_client_user, copenhagen, ind5):
    IndicatorValueFactory(indicator=ind5, area=city(copenhagen))
    IndicatorValueFactory(indicator=ind5, area=city(copenhagen), period_start=date(2011, 1, 1),
                          status=ValueStatus.DRAFT, approved_at=None)
    rows = _as(api, api_client_user).get(url("indicator-values")).json()["results"]
    assert [r["status"] for r in rows] == ["approved"]


@pytest.fixture
def values(copenhagen):
    """Values of indicators 5 (BUF) and 9 (ØKF) for the city and one bydel, 2010–2012, one revised."""
    area = city(copenhagen)
    bydel = Area.objects.get(municipality=copenhagen.municipality, level="bydel", code="1")
    ind5, ind9 = (Indicator.objects.get(programme=copenhagen, number=n) for n in (5, 9))
    rows = []
    for ind in (ind5, ind9):
        for a in (area, bydel):
            for year in (2010, 2011, 2012):
                rows.append(IndicatorValueFactory(indicator=ind, area=a, period_start=date(year, 1, 1),
                                                  value=Decimal(year - 2000)))
    old = rows[0]
    old.superseded_at = "2013-01-01T00:00Z"
    old.save()
    IndicatorValueFactory(indicator=ind5, area=area, period_start=date(2010, 1, 1), revision=2, supersedes=old,
                          value=Decimal("10.5"))
    IndicatorValueFactory(indicator=ind5, area=area, period_type="quarter", period_start=date(2011, 4, 1),
                          value=Decimal("3"))
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("params, expected", [
    ({}, 14),
    ({"indicator": 5}, 8),
    ({"area_level": "bydel"}, 6),
    ({"area_code": "0101"}, 8),
    ({"period_from": "2011"}, 9),
    ({"period_to": "2010"}, 5),
    ({"period_from": "2011", "period_to": "2011-Q4"}, 5),
    ({"period_type": "quarter"}, 1),
    ({"administration": "BUF"}, 8),
    ({"administration": "ØKF"}, 6),
    ({"focus_area": 4}, 6),
    ({"status": "approved"}, 14),
    ({"published": "true"}, 13),
    ({"published": "false"}, 1),
    ({"programme": "sikker-by-2010"}, 14),
])
def test_value_filters(api, coordinator, values, params, expected):
    response = _as(api, coordinator).get(url("indicator-values"), params)
    assert response.status_code == 200 and response.json()["count"] == expected, params


@pytest.mark.django_db
def test_area_filter_by_id(api, coordinator, values, copenhagen):
    response = _as(api, coordinator).get(url("indicator-values"), {"area": city(copenhagen).pk})
    assert response.json()["count"] == 8


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"period_from": "2011-13"}, {"area_level": "planet"}, {"status": "x"},
                                    {"indicator": "five"}, {"period_type": "week"}])
def test_bad_filters_get_400_with_the_reason(api, coordinator, params):
    response = _as(api, coordinator).get(url("indicator-values"), params)
    assert response.status_code == 400 and set(response.json()) == set(params)


@pytest.mark.django_db
def test_ordering_and_pagination(api, coordinator, values):
    _as(api, coordinator)
    data = api.get(url("indicator-values"), {"ordering": "-value", "limit": 2}).json()
    # Not the last page: the whole result is not counted unless asked (a COUNT(*) costs a table scan).
    assert data["count"] is None and len(data["results"]) == 2 and data["next"] and data["previous"] is None
    assert [r["value"] for r in data["results"]] == ["12.0000", "12.0000"]
    assert api.get(url("indicator-values"), {"limit": 2, "count": "true"}).json()["count"] == 14
    last = api.get(url("indicator-values"), {"limit": 2, "offset": 12}).json()
    assert last["count"] == 14 and last["next"] is None and "offset=10" in last["previous"]
    assert api.get(url("indicator-values"), {"count": "maybe"}).status_code == 400


@pytest.mark.django_db
def test_csv_output_of_every_series(api, api_client_user, values):
    response = _as(api, api_client_user).get(url("indicator-values"), {"format": "csv", "published": "true",
                                                                       "limit": 10000})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = _body(response).splitlines()
    assert lines[0].startswith("id,indicator,indicator_number,area,area_level,area_code,area_name,period,")
    assert len(lines) == 14
    accept = api.get(url("indicators"), HTTP_ACCEPT="text/csv")
    assert accept["Content-Type"].startswith("text/csv") and len(_body(accept).splitlines()) == 14


@pytest.mark.django_db
@pytest.mark.parametrize("params, expected", [
    ({"programme": "sikker-by-2010"}, 13), ({"focus_area": 1}, 3), ({"administration": "BUF"}, 4),
    ({"direction": "falling"}, 7), ({"number": 13}, 1)])
def test_indicator_filters(api, api_client_user, params, expected):
    assert _as(api, api_client_user).get(url("indicators"), params).json()["count"] == expected


@pytest.mark.django_db
def test_programme_endpoint_filters(api, api_client_user, copenhagen):
    _as(api, api_client_user)
    sof = copenhagen.municipality.administrations.get(code="SOF")
    assert api.get(url("initiatives"), {"administration": sof.pk, "status": "existing"}).json()["count"] == 21
    fa5 = copenhagen.focus_areas.get(number=5)
    assert api.get(url("initiatives"), {"focus_area": fa5.pk}).json()["count"] == fa5.initiatives.count()
    assert api.get(url("initiatives"), {"administration": 999999}).status_code == 400
    assert api.get(url("budget-lines"), {"year": 2010, "administration": "BUF", "kind": "operations",
                                         "limit": 1000}).json()["count"] == 41
    goals = api.get(url("effect-goals"), {"programme": copenhagen.pk}).json()["results"]
    assert [(g["number"], g["status"]) for g in goals] == [(n, "not_measurable") for n in (1, 2, 3, 4)]
    assert api.get(url("focus-areas"), {"programme": copenhagen.pk}).json()["count"] == 6
    assert api.get(url("administrations"), {"code": "BUF"}).json()["count"] == 1
    areas = api.get(url("areas"), {"level": "bydel"}).json()
    assert areas["count"] == 10 and "geometry" not in areas["results"][0]
    with_geo = api.get(url("areas"), {"level": "city", "geometry": "true"}).json()["results"][0]
    assert with_geo["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.django_db
def test_other_municipality_sees_nothing_of_copenhagen(api, copenhagen, values):
    other = ProgrammeFactory()
    outsider = UserFactory(municipality=other.municipality, role=roles.API_CLIENT)
    _as(api, outsider)
    for endpoint in LISTS:
        data = api.get(url(endpoint)).json()
        assert all(r.get("programme") in (None, other.pk, other.slug) for r in data["results"]), endpoint
    assert api.get(url("indicator-values")).json()["count"] == 0
    assert api.get(url("indicator-values", values[0].pk)).status_code == 404
    ini = Initiative.objects.filter(programme=copenhagen).first()
    assert api.get(url("initiatives", ini.pk)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["indicator-values", "initiatives", "budget-lines", "indicators", "areas"])
def test_list_query_count_does_not_grow_with_rows(api, coordinator, copenhagen, endpoint,
                                                  django_assert_max_num_queries):
    _as(api, coordinator)
    IndicatorValueFactory(indicator=Indicator.objects.get(programme=copenhagen, number=1), area=city(copenhagen),
                          period_start=date(2000, 1, 1))
    api.get(url(endpoint))
    with django_assert_max_num_queries(20) as baseline:
        api.get(url(endpoint), {"limit": 1000})
    n = len(baseline.captured_queries)
    area = city(copenhagen)
    for ind in Indicator.objects.filter(programme=copenhagen)[:5]:
        for year in range(2005, 2015):
            IndicatorValueFactory(indicator=ind, area=area, period_start=date(year, 1, 1))
    admin = copenhagen.municipality.administrations.get(code="BUF")
    for _ in range(10):
        BudgetLineFactory(initiative=InitiativeFactory(programme=copenhagen, administration=admin), year=2011)
    with django_assert_max_num_queries(n):
        api.get(url(endpoint), {"limit": 1000})


@pytest.mark.django_db
def test_token_authentication_with_expiry(copenhagen, api_client_user, reporter):
    token, expiry = api_token_issue(username=api_client_user.username, ttl=timedelta(days=30))
    stored = AuthToken.objects.get(user=api_client_user)
    assert token not in (stored.digest, stored.token_key) and token.startswith(stored.token_key)  # hashed
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(url("indicators")).status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get(url("indicators")).status_code == 401
    AuthToken.objects.filter(pk=stored.pk).update(expiry=stored.created)  # expired
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(url("indicators")).status_code == 401
    with pytest.raises(ValueError):
        api_token_issue(username=reporter.username, ttl=timedelta(days=30))  # not an API client


@pytest.mark.django_db
def test_issue_api_token_command(copenhagen, api_client_user, capsys):
    call_command("issue_api_token", api_client_user.username, "--days", "7")
    out = capsys.readouterr().out
    assert "Authorization: Token" in out and AuthToken.objects.filter(user=api_client_user).count() == 1


@pytest.mark.django_db
def test_throttling_answers_429_with_retry_after(api, api_client_user, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    cache.clear()
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "3/minute")
    _as(api, api_client_user)
    codes = [api.get(url("indicators")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = api.get(url("indicators"))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0 and response.json()["detail"]
    cache.clear()


@pytest.mark.django_db
def test_csv_cells_cannot_smuggle_spreadsheet_formulas(api, api_client_user, copenhagen):
    ind5 = Indicator.objects.get(programme=copenhagen, number=5)
    IndicatorValueFactory(indicator=ind5, area=city(copenhagen), source="=HYPERLINK(\"http://x\")",
                          value=Decimal("-5"))
    body = _body(_as(api, api_client_user).get(url("indicator-values"), {"format": "csv"}))
    assert "'=HYPERLINK" in body and ",-5.0000," in body


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *roles.ROLES])
def test_token_page_is_for_coordinators(client, user_of_role, role):
    user = user_of_role(role)
    if user:
        client.force_login(user)
    response = client.get("/indicators/api-tokens/")
    assert response.status_code == (200 if role == roles.COORDINATOR else 302 if role is None else 403)


@pytest.mark.django_db
def test_coordinator_issues_and_revokes_a_token(client, coordinator, api_client_user, copenhagen):
    outsider = UserFactory(municipality=ProgrammeFactory().municipality, role=roles.API_CLIENT)
    client.force_login(coordinator)
    form = client.get("/indicators/api-tokens/").context["form"]
    assert list(form.fields["user"].queryset) == [api_client_user]  # not the other municipality's client
    response = client.post("/indicators/api-tokens/", {"user": api_client_user.pk, "days": 30})
    token = response.context["issued"]["token"]
    assert response["Cache-Control"] == "no-store" and token in response.content.decode()
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get(url("indicators")).status_code == 200
    assert token not in client.get("/indicators/api-tokens/").content.decode()  # shown once
    assert client.post("/indicators/api-tokens/", {"user": outsider.pk, "days": 30}).context["form"].errors
    key = AuthToken.objects.get(user=api_client_user).token_key
    client.post("/indicators/api-tokens/", {"revoke": key})
    assert not AuthToken.objects.filter(user=api_client_user).exists()
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get(url("indicators")).status_code == 401


@pytest.mark.django_db
def test_effect_goal_api_gives_the_final_status_and_the_goal_period(api, copenhagen, api_client_user, monkeypatch):
    """Goal 4 with a closure in 2011: after its deadline (2013) the API says not_met, final, within 2010–2013,
    and every field is in the published schema."""
    from drf_spectacular.generators import SchemaGenerator

    from evaluations.measures import institution_closures
    from indicators import measures
    from indicators.measures import GoalStatus
    from tests.evaluations.factories import ClosureReportFactory

    monkeypatch.setitem(measures._REGISTRY, "institution_closures", institution_closures)
    ClosureReportFactory(administration=copenhagen.municipality.administrations.get(code="BUF"),
                         closed_from=date(2011, 5, 3))
    goals = _as(api, api_client_user).get(url("effect-goals"), {"programme": copenhagen.pk}).json()["results"]
    goal4 = next(g for g in goals if g["number"] == 4)
    assert (goal4["status"], goal4["final"], goal4["current_value"]) == ("not_met", True, "1")
    assert (goal4["target_period_start"], goal4["target_period_end"]) == ("2010-01-01", "2013-12-31")
    assert (goal4["period_start"], goal4["target_line"], goal4["value_unit"]) == ("2010-01-01", "0", "nedlukninger")
    goal1 = next(g for g in goals if g["number"] == 1)
    assert (goal1["status"], goal1["target_kind"], goal1["target_line"]) == ("not_measurable", "change_percent", None)
    schema = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    assert set(goal4) <= set(schema["EffectGoal"]["properties"])
    assert any(set(s.get("enum", [])) == set(GoalStatus.values) for s in schema.values())  # not_met included
