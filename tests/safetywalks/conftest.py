"""Albertslund as a tenant with its outline and demo users; a walk of its with a finding."""
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from accounts import roles
from accounts.services import demo_users_create
from areas.models import Area
from areas.services import areas_load_municipality_outline
from initiatives.models import Programme
from initiatives.services import programme_load_file
from safetywalks import services
from tests.factories import UserFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture
def albertslund(copenhagen) -> Programme:
    programme = Programme.objects.filter(slug="albertslund-2015-2020").first() or programme_load_file(
        path=FIXTURES / "programmes" / "albertslund.yaml").programme
    if not Area.objects.filter(municipality=programme.municipality).exists():
        areas_load_municipality_outline(path=FIXTURES / "areas" / "albertslund" / "kommune.geojson", code="0165")
    demo_users_create()
    return programme


@pytest.fixture
def alb_area(albertslund) -> Area:
    return Area.objects.get(municipality=albertslund.municipality, level="city")


def _alb_user(albertslund, role, admin_code=None):
    administration = albertslund.municipality.administrations.get(code=admin_code) if admin_code else None
    return UserFactory(municipality=albertslund.municipality, administration=administration, role=role)


@pytest.fixture
def alb_coordinator(albertslund):
    return _alb_user(albertslund, roles.COORDINATOR, "KPE")


@pytest.fixture
def alb_reporter(albertslund):
    return _alb_user(albertslund, roles.ADMIN_REPORTER, "SSP")


@pytest.fixture
def alb_ssp(albertslund):
    return _alb_user(albertslund, roles.SSP_CONSULTANT, "SSP")


@pytest.fixture
def alb_orgs(alb_coordinator):
    return [services.organisation_create(user=alb_coordinator, name="Københavns Vestegns Politi", kind="police"),
            services.organisation_create(user=alb_coordinator, name="Vej og Park", kind="municipality")]


@pytest.fixture
def alb_walk(alb_coordinator, alb_area, alb_orgs):
    walk = services.walk_create(
        user=alb_coordinator, area=alb_area, housing_area="Hyldespjældet", date=date(2025, 9, 17), leader="police",
        organisations=alb_orgs, route=services.route_geojson([(55.66, 12.35), (55.661, 12.351)]))
    return walk


@pytest.fixture
def alb_finding(alb_walk, alb_coordinator):
    return services.finding_create(user=alb_coordinator, walk=alb_walk, kind="unsafe", category="lighting",
                                   latitude="55.660500", longitude="12.350500", description="Mørk sti",
                                   proposed_action="Nye lamper")
