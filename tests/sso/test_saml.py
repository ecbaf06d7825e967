"""Single sign-on through a municipality's SAML 2.0 provider — a real one (pysaml2) in its own process,
sending KOMBIT's OIO-BPP privilege list."""
import re
from html import unescape
from urllib.parse import urljoin

import pytest
import requests
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import ExternalIdentity, User
from accounts.sso.services import identity_provider_register
from initiatives.models import Administration, Municipality

from .conftest import SAML_SLUG
from .test_mapping import CVR_KK, CVR_OTHER, privilege_list

pytestmark = pytest.mark.django_db(transaction=True)

# The first request to the live server imports every view module: on a busy 2-core machine, seconds.
HTTP_TIMEOUT = 60
PRIVILEGES = "dk:gov:saml:attribute:Privileges_intermediate"
COORDINATOR = "http://sikkerby.dk/roles/usersystemrole/koordinator/1"
REPORTER = "http://sikkerby.dk/roles/usersystemrole/rapportoer/1"


@pytest.fixture
def kk_saml(saml_idp, db):
    kk, _ = Municipality.objects.get_or_create(code="0101", defaults={"name": "Københavns Kommune"})
    for code in ("ØKF", "BUF"):
        Administration.objects.get_or_create(municipality=kk, code=code, defaults={"name": code})
    for role in roles.ROLES:
        Group.objects.get_or_create(name=role)
    return identity_provider_register(
        municipality_code="0101", slug=SAML_SLUG, name="Københavns Kommune (KOMBIT)", protocol="saml",
        saml_entity_id=saml_idp.entity_id, saml_metadata_url=saml_idp.metadata_url, subject_attribute="",
        username_attribute="", role_attribute=PRIVILEGES, role_attribute_format="oio_bpp", cvr=CVR_KK,
        role_mapping=[{"value": COORDINATOR, "role": roles.COORDINATOR, "administration": "ØKF"},
                      {"value": REPORTER, "role": roles.ADMIN_REPORTER, "administration": "BUF"}])


def account(privileges: dict):
    return {"password": "pw", "name_id": "kk-0042",
            "attributes": {PRIVILEGES: [privilege_list(privileges)], "email": ["karen@kk.example"]}}


def sign_in(live_server):
    session = requests.Session()
    form = session.get(f"{live_server.url}/sso/{SAML_SLUG}/login/", timeout=HTTP_TIMEOUT)
    assert form.status_code == 200 and 'name="password"' in form.text, form.text[:300]
    key = re.search(r'name="key" value="([^"]+)"', form.text).group(1)
    posted = session.post(urljoin(form.url, "/login"), data={"key": key, "login": "karen", "password": "pw"},
                          timeout=HTTP_TIMEOUT)
    assert posted.status_code == 200, posted.text[-1500:]
    action = unescape(re.search(r'action="([^"]+)"', posted.text).group(1))
    fields = {unescape(n): unescape(v) for n, v in re.findall(r'name="([^"]+)" value="([^"]*)"', posted.text)}
    back = session.post(action, data=fields, timeout=HTTP_TIMEOUT)
    return session, back


def test_saml_sign_in_with_oio_bpp_privileges_and_a_changed_privilege(live_server, saml_idp, kk_saml):
    saml_idp.set_accounts({"karen": account({CVR_KK: [COORDINATOR], CVR_OTHER: [REPORTER]})})
    session, back = sign_in(live_server)
    user = ExternalIdentity.objects.get(provider=kk_saml, subject="kk-0042").user
    assert roles.roles_of(user) == [roles.COORDINATOR] and user.administration.code == "ØKF"
    assert user.municipality.code == "0101" and not user.has_usable_password()
    assert back.url.startswith(live_server.url) and not back.url.endswith("/login/")

    # KOMBIT's administrator moves the privilege; another municipality's privileges never count.
    saml_idp.set_accounts({"karen": account({CVR_KK: [REPORTER], CVR_OTHER: [COORDINATOR]})})
    sign_in(live_server)
    user = User.objects.get(pk=user.pk)
    assert roles.roles_of(user) == [roles.ADMIN_REPORTER] and user.administration.code == "BUF"

    saml_idp.set_accounts({"karen": account({CVR_OTHER: [COORDINATOR, REPORTER]})})
    session, back = sign_in(live_server)
    assert back.url.endswith("/login/") and "ingen rolle" in back.text
    assert roles.roles_of(User.objects.get(pk=user.pk)) == []


def test_an_assertion_for_one_municipality_is_refused_at_anothers_consumer_service(live_server, saml_idp, kk_saml):
    """Even from the same (shared, KOMBIT-like) identity provider: the audience is Copenhagen's Sikker By."""
    alb, _ = Municipality.objects.get_or_create(code="0165", defaults={"name": "Albertslund Kommune"})
    identity_provider_register(
        municipality_code="0165", slug="alb-saml", name="Albertslund Kommune", protocol="saml",
        saml_entity_id=saml_idp.entity_id, saml_metadata_url=saml_idp.metadata_url, subject_attribute="",
        role_attribute=PRIVILEGES, role_attribute_format="oio_bpp", cvr=CVR_OTHER,
        role_mapping=[{"value": COORDINATOR, "role": roles.COORDINATOR}])
    saml_idp.set_accounts({"karen": account({CVR_KK: [COORDINATOR], CVR_OTHER: [COORDINATOR]})})
    session = requests.Session()
    form = session.get(f"{live_server.url}/sso/{SAML_SLUG}/login/", timeout=HTTP_TIMEOUT)
    key = re.search(r'name="key" value="([^"]+)"', form.text).group(1)
    posted = session.post(urljoin(form.url, "/login"), data={"key": key, "login": "karen", "password": "pw"},
                          timeout=HTTP_TIMEOUT)
    fields = {unescape(n): unescape(v) for n, v in re.findall(r'name="([^"]+)" value="([^"]*)"', posted.text)}
    back = session.post(f"{live_server.url}/sso/saml/alb-saml/acs/", data=fields, timeout=HTTP_TIMEOUT)
    assert back.url.endswith("/login/")
    assert not ExternalIdentity.objects.exists() and not User.objects.filter(municipality=alb).exists()
