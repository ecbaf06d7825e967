"""Issue #16 item 6: Albertslund as a full second tenant.

Its own demo user for each role, its outline (DAGI 2014) as its municipality-level area, a programme page that
says plainly that the strategy has no budget figures, and modules switched on per municipality: the menu shows
only what the municipality runs, every menu link answers, and a module it does not run answers 404 with the
reason — on pages and in the API.
"""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.services import DEMO_PASSWORD, DEMO_USERS, demo_users_create
from areas.models import Area, AreaLevel
from initiatives.models import Module, Municipality
from initiatives.services import ProgrammeFileError, programme_load, programme_load_file

pytestmark = pytest.mark.django_db
PROGRAMMES = Path(settings.BASE_DIR) / "fixtures" / "programmes"
NAV = re.compile(r'<nav class="navbar.*?</nav>', re.S)
HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def albertslund(copenhagen):
    programme = programme_load_file(path=PROGRAMMES / "albertslund.yaml").programme
    call_command("load_areas", stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo_users_create()
    return programme


def _nav_links(html: str) -> list[str]:
    return [h for h in HREF.findall(NAV.search(html).group(0)) if h.startswith("/") and not h.startswith("/i18n")]


def test_the_programme_files_say_which_modules_each_municipality_runs(albertslund):
    assert set(Municipality.objects.get(code="0101").modules) == set(Module.values)
    assert albertslund.municipality.modules == [Module.INDICATORS, Module.KEY_FIGURES, Module.SAFETY_WALKS,
                                                Module.SSP_CASES]


def test_an_unknown_module_in_a_programme_file_is_refused():
    data = {"municipality": {"code": "0999", "name": "Prøvekommune", "modules": ["indicators", "casino"]}}
    with pytest.raises(ProgrammeFileError, match="casino"):
        programme_load(data=data)
    assert not Municipality.objects.filter(code="0999").exists()


def test_albertslund_has_its_own_demo_user_for_each_role_and_they_log_in(albertslund, client):
    people = {u.username: u for u in albertslund.municipality.users.filter(is_demo=True)}
    assert sorted(roles.roles_of(u)[0] for u in people.values()) == sorted(roles.ROLES)
    assert set(people) == {name for name, *_ in DEMO_USERS["0165"]}
    assert all(u.email == f"{u.username}@example.org" for u in people.values())
    response = client.post(reverse("login"), {"username": "demo-alb-koordinator", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("initiatives:dashboard")


def test_albertslunds_outline_is_its_municipality_level_area(albertslund):
    area = Area.objects.get(municipality=albertslund.municipality, level=AreaLevel.CITY)
    assert (area.code, area.name) == ("0165", "Albertslund")
    assert area.geometry["type"] in ("Polygon", "MultiPolygon") and "DAGI" in area.source
    lon, lat = area.geometry["coordinates"][0][0] if area.geometry["type"] == "Polygon" else \
        area.geometry["coordinates"][0][0][0]
    assert 12.2 < lon < 12.5 and 55.6 < lat < 55.75  # west of Copenhagen
    call_command("load_areas", stdout=open("/dev/null", "w"))  # noqa: SIM115 — loading again updates in place
    assert Area.objects.filter(municipality=albertslund.municipality).count() == 1


def test_a_programme_without_amounts_says_so_instead_of_an_empty_chart(albertslund):
    client = Client()
    client.force_login(albertslund.municipality.users.get(username="demo-alb-koordinator"))
    html = client.get(reverse("initiatives:dashboard")).content.decode()
    assert 'id="no-budget"' in html and 'id="budget-chart"' not in html and "plotly" not in html
    assert "Strategi" in html  # the initiatives are still listed under their focus areas


def test_copenhagen_keeps_its_budget_chart(coordinator, client):
    client.force_login(coordinator)
    html = client.get(reverse("initiatives:dashboard")).content.decode()
    assert 'id="budget-chart"' in html and 'id="no-budget"' not in html


@pytest.mark.parametrize("username", [name for name, *_ in DEMO_USERS["0165"]])
def test_albertslund_users_see_only_their_modules_and_every_menu_link_answers(albertslund, username):
    client = Client()
    client.force_login(albertslund.municipality.users.get(username=username))
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    html = home.content.decode()
    # the API client's start page is Swagger UI, without the menu: any page of the site shows it (a 403 too)
    links = _nav_links(html if NAV.search(html) else client.get(reverse("initiatives:dashboard")).content.decode())
    for off in ("/exit/", "/safety-index/", "/evaluations/", "/partners/"):
        assert not any(link.startswith(off) for link in links), (username, links)
    for link in links:
        response = client.get(link, follow=True)  # the brand link goes to the start page, which redirects
        assert response.status_code == 200, (username, link, response.status_code)
        assert b'id="module-not-used"' not in response.content
    if username in ("demo-alb-exit", "demo-alb-databeskyttelse"):
        assert 'id="role-not-used"' in html  # their work is in the exit programme, which Albertslund does not run
    if username == "demo-alb-ssp":  # no exit programme: the SSP consultant starts at their SSP single cases
        assert home.redirect_chain[-1][0] == reverse("sspcases:series_list")
        assert 'id="role-not-used"' not in html
    if username == "demo-alb-koordinator":
        assert reverse("crimestats:report_list") in links and reverse("indicators:dashboard") in links
        assert reverse("safetywalks:walk_list") in links and reverse("sspcases:statistics") in links


@pytest.mark.parametrize("url_name,module", [
    ("exitprogram:case_list", "Exitprogram"), ("exitprogram:statistics", "Exitprogram"),
    ("exitprogram:access_log", "Exitprogram"), ("tryghedsindeks:map", "Tryghedsindeks"),
    ("evaluations:index", "Selvevalueringer"), ("partners:pack", "Partnere"), ("partners:partner_list", "Partnere"),
])
def test_a_module_albertslund_does_not_run_answers_404_with_the_reason(albertslund, url_name, module):
    client = Client()
    for username in ("demo-alb-koordinator", "demo-alb-ssp", "demo-alb-databeskyttelse"):
        client.force_login(albertslund.municipality.users.get(username=username))
        response = client.get(reverse(url_name))
        assert response.status_code == 404
        text = response.content.decode()
        assert 'id="module-not-used"' in text and module in text and "Albertslund Kommune" in text


def test_the_api_of_a_module_albertslund_does_not_run_answers_404_with_the_reason(albertslund):
    client = Client()
    client.force_login(albertslund.municipality.users.get(username="demo-alb-api"))
    for url in ("/api/v1/exit/statistics/", "/api/v1/safety-index/results/", "/api/v1/evaluations/evaluations/",
                "/api/v1/partners/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "module_not_used" and "Albertslund Kommune" in response.json()["detail"]
    assert client.get("/api/v1/effect-goals/").status_code == 200  # a module it runs


@pytest.mark.parametrize("url_name", ["exitprogram:statistics", "tryghedsindeks:map", "evaluations:index",
                                      "crimestats:report_list", "indicators:dashboard"])
def test_copenhagen_runs_every_module(coordinator, client, url_name):
    client.force_login(coordinator)
    assert client.get(reverse(url_name)).status_code == 200
