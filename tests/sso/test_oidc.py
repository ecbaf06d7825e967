"""Single sign-on through a municipality's OpenID Connect provider — a real one, in its own process.

Every sign-in goes through the real flow over HTTP: the login page's button, the provider's login form,
the code sent back to the callback, the token and userinfo endpoints, the ID token's signature.
"""
import re
from urllib.parse import urljoin

import pytest
import requests
from auditlog.models import LogEntry
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import ExternalIdentity, User
from accounts.sso.services import identity_provider_register
from initiatives.models import Administration, Municipality

pytestmark = pytest.mark.django_db(transaction=True)

# The first request to the live server imports every view module: on a busy 2-core machine, seconds.
HTTP_TIMEOUT = 60
PASSWORD = "idp-pw-for-tests"  # noqa: S105 — the test provider's own account store


@pytest.fixture
def municipalities(copenhagen):
    # Through ``copenhagen``: an earlier live-server test's flush may have emptied the database, and the
    # coordinator's start page needs Copenhagen's programme.
    kk, _ = Municipality.objects.get_or_create(code="0101", defaults={"name": "Københavns Kommune"})
    alb, _ = Municipality.objects.get_or_create(code="0165", defaults={"name": "Albertslund Kommune"})
    for municipality, codes in ((kk, ("ØKF", "BUF", "SOF")), (alb, ("BUK",))):
        for code in codes:
            Administration.objects.get_or_create(municipality=municipality, code=code, defaults={"name": code})
    for role in roles.ROLES:
        Group.objects.get_or_create(name=role)
    return {"kk": kk, "alb": alb}


@pytest.fixture
def registered(oidc_providers, municipalities):
    """Both test issuers registered as data, each for its own municipality."""
    rows = {}
    for name, municipality in municipalities.items():
        idp = oidc_providers[name]
        rows[name] = identity_provider_register(
            municipality_code=municipality.code, slug=f"{name}-oidc", name=municipality.name,
            protocol="oidc", issuer=idp.issuer, client_id=idp.client_id, client_secret=idp.client_secret,
            scopes="openid profile email groups", role_attribute="groups",
            role_mapping=[
                {"value": f"{name}-sikkerby-koordinator", "role": roles.COORDINATOR,
                 "administration": "ØKF" if name == "kk" else None},
                {"value": f"{name}-sikkerby-rapportoer-buf", "role": roles.ADMIN_REPORTER,
                 "administration": "BUF" if name == "kk" else None},
                {"value": f"{name}-sikkerby-rapportoer", "role": roles.ADMIN_REPORTER,
                 "administration": "BUK" if name == "alb" else None},
            ])
    return rows


def account(groups, name="Anna Hansen", email="anna@kk.example", username="anna"):
    return {"password": PASSWORD, "claims": {"name": name, "email": email, "preferred_username": username,
                                             "groups": groups}}


def sign_in(live_server, slug, login="anna", password=PASSWORD):
    """A browser's sign-in: the login page's button, the provider's form, back to Sikker By."""
    session = requests.Session()
    page = session.get(f"{live_server.url}/login/", timeout=HTTP_TIMEOUT)
    assert f'href="/sso/{slug}/login/"' in page.text
    form = session.get(f"{live_server.url}/sso/{slug}/login/", timeout=HTTP_TIMEOUT)
    assert form.status_code == 200 and 'name="password"' in form.text, form.text[:500]
    action = re.search(r'action="([^"]+)"', form.text).group(1)
    answer = session.post(urljoin(form.url, action), data={"login": login, "password": password}, timeout=HTTP_TIMEOUT)
    return session, answer


def signed_in_user(session, live_server):
    """The user the session is signed in as (None when it is not)."""
    response = session.get(f"{live_server.url}/", allow_redirects=False, timeout=HTTP_TIMEOUT)
    if response.status_code == 302 and response.headers["Location"].startswith("/login/"):
        return None
    from django.contrib.sessions.models import Session
    data = Session.objects.get(session_key=session.cookies.get("sessionid")).get_decoded()
    return User.objects.get(pk=data["_auth_user_id"])


def test_first_sign_in_creates_the_user_with_the_providers_role_and_no_password(live_server, registered,
                                                                               oidc_providers):
    oidc_providers["kk"].set_accounts({"anna": account(["kk-sikkerby-koordinator", "unrelated-group"])})
    session, answer = sign_in(live_server, "kk-oidc")
    assert answer.url.startswith(live_server.url) and answer.status_code == 200
    user = signed_in_user(session, live_server)
    assert user.username == "anna" and user.get_full_name() == "Anna Hansen"
    assert user.municipality.code == "0101" and user.administration.code == "ØKF"
    assert roles.roles_of(user) == [roles.COORDINATOR]
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    assert ExternalIdentity.objects.get(user=user).provider == registered["kk"]
    # The coordinator's start page answers: the session is real.
    assert session.get(f"{live_server.url}/", timeout=HTTP_TIMEOUT).url.endswith("/programme/")


def test_a_changed_group_in_the_provider_changes_the_role_at_the_next_sign_in(live_server, registered,
                                                                              oidc_providers):
    idp = oidc_providers["kk"]
    idp.set_accounts({"anna": account(["kk-sikkerby-koordinator"])})
    sign_in(live_server, "kk-oidc")
    user = User.objects.get(username="anna")
    assert roles.roles_of(user) == [roles.COORDINATOR]

    idp.set_accounts({"anna": account(["kk-sikkerby-rapportoer-buf"])})  # the administrator moves her
    session, _ = sign_in(live_server, "kk-oidc")
    user = signed_in_user(session, live_server)
    assert roles.roles_of(user) == [roles.ADMIN_REPORTER] and user.administration.code == "BUF"
    change = LogEntry.objects.filter(object_pk=str(user.pk), action=LogEntry.Action.UPDATE).latest("timestamp")
    assert change.changes_dict["roles"] == [roles.COORDINATOR, roles.ADMIN_REPORTER]
    assert LogEntry.objects.filter(object_pk=str(user.pk), action=LogEntry.Action.ACCESS).count() == 2

    idp.set_accounts({"anna": account(["unrelated-group"])})  # and then takes Sikker By away
    session, answer = sign_in(live_server, "kk-oidc")
    assert signed_in_user(session, live_server) is None
    assert "ingen rolle" in answer.text
    assert roles.roles_of(User.objects.get(pk=user.pk)) == []


def test_an_sso_user_cannot_log_in_with_a_password(live_server, registered, oidc_providers, client):
    oidc_providers["kk"].set_accounts({"anna": account(["kk-sikkerby-koordinator"])})
    sign_in(live_server, "kk-oidc")
    user = User.objects.get(username="anna")
    user.set_password("a-password-set-in-the-admin")  # even if someone gives her one
    user.save()
    response = client.post("/login/", {"username": "anna", "password": "a-password-set-in-the-admin"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_user_of_one_municipalitys_provider_cannot_enter_through_anothers(live_server, registered,
                                                                            oidc_providers):
    oidc_providers["kk"].set_accounts({"anna": account(["kk-sikkerby-koordinator"])})
    oidc_providers["alb"].set_accounts({"bo": account(["alb-sikkerby-rapportoer"], name="Bo Berg", username="bo")})
    # Copenhagen's Anna is unknown to Albertslund's provider: its login form refuses her.
    session, answer = sign_in(live_server, "alb-oidc", login="anna")
    assert answer.status_code == 401 and signed_in_user(session, live_server) is None
    # Albertslund's Bo gets into Albertslund, with Albertslund's administration, never Copenhagen's.
    session, _ = sign_in(live_server, "alb-oidc", login="bo")
    bo = signed_in_user(session, live_server)
    assert bo.municipality.code == "0165" and bo.administration.code == "BUK"
    assert roles.roles_of(bo) == [roles.ADMIN_REPORTER]

    # A user named "anna" at Albertslund's provider is not Copenhagen's Anna: refused, nothing changes.
    sign_in(live_server, "kk-oidc")
    copenhagen_anna = User.objects.get(username="anna")
    oidc_providers["alb"].set_accounts({"anna": account(["alb-sikkerby-koordinator"], email="anna@alb.example")})
    session, answer = sign_in(live_server, "alb-oidc", login="anna")
    assert signed_in_user(session, live_server) is None
    assert "findes allerede" in answer.text
    copenhagen_anna.refresh_from_db()
    assert copenhagen_anna.municipality.code == "0101" and copenhagen_anna.email == "anna@kk.example"
    assert ExternalIdentity.objects.filter(provider=registered["alb"], subject="anna").count() == 0


def test_a_code_from_another_municipalitys_provider_is_refused_at_the_callback(live_server, registered,
                                                                              oidc_providers):
    """The mix-up: a flow started for Copenhagen answered with a code Albertslund's provider issued."""
    oidc_providers["kk"].set_accounts({"anna": account(["kk-sikkerby-koordinator"])})
    oidc_providers["alb"].set_accounts({"bo": account(["alb-sikkerby-koordinator"], name="Bo Berg", username="bo")})
    victim = requests.Session()
    start = victim.get(f"{live_server.url}/sso/kk-oidc/login/", allow_redirects=False, timeout=HTTP_TIMEOUT)
    kk_state = re.search(r"state=([^&]+)", start.headers["Location"]).group(1)

    attacker = requests.Session()
    form = attacker.get(f"{live_server.url}/sso/alb-oidc/login/", timeout=HTTP_TIMEOUT)
    action = re.search(r'action="([^"]+)"', form.text).group(1)
    answer = attacker.post(urljoin(form.url, action), data={"login": "bo", "password": PASSWORD}, timeout=HTTP_TIMEOUT,
                           allow_redirects=False)
    while not answer.headers["Location"].startswith(live_server.url):
        answer = attacker.get(urljoin(answer.url, answer.headers["Location"]), allow_redirects=False, timeout=HTTP_TIMEOUT)
    alb_code = re.search(r"code=([^&]+)", answer.headers["Location"]).group(1)

    back = victim.get(f"{live_server.url}/sso/oidc/callback/", params={"code": alb_code, "state": kk_state},
                      timeout=HTTP_TIMEOUT)
    assert back.url.endswith("/login/")
    assert signed_in_user(victim, live_server) is None
    assert not User.objects.filter(username="bo").exists()
