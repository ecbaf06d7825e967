"""sso_user_sign_in: who a provider's sign-in is in Sikker By, and when it is refused.

The whole flow against a real provider is in test_oidc.py; here the service's rules, one by one.
"""
import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from accounts import roles
from accounts.models import ExternalIdentity, IdentityProvider, User
from accounts.sso.services import SsoRefused, identity_provider_register, sso_user_sign_in
from tests.factories import AdministrationFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

MAPPING = [{"value": "kk-koordinator", "role": roles.COORDINATOR, "administration": "ØKF"},
           {"value": "kk-ssp", "role": roles.SSP_CONSULTANT, "administration": "BIF"}]


@pytest.fixture
def kk_provider(copenhagen):
    return identity_provider_register(
        municipality_code="0101", slug="kk", name="Københavns Kommune", protocol="oidc",
        issuer="https://login.kk.example", client_id="sikkerby", client_secret="s", role_mapping=MAPPING)


@pytest.fixture
def alb_provider():
    alb = MunicipalityFactory(code="0165", name="Albertslund Kommune")
    AdministrationFactory(municipality=alb, code="BUK")
    return identity_provider_register(
        municipality_code="0165", slug="alb", name="Albertslund Kommune", protocol="oidc",
        issuer="https://login.alb.example", client_id="sikkerby", client_secret="s",
        role_mapping=[{"value": "alb-koordinator", "role": roles.COORDINATOR, "administration": "BUK"}])


def test_the_providers_municipality_wins_over_any_claim(kk_provider):
    user = sso_user_sign_in(provider=kk_provider, subject="s-1", claims={
        "preferred_username": "anna", "groups": ["kk-koordinator"], "municipality": "0165"})
    assert user.municipality.code == "0101" and user.administration.code == "ØKF"
    assert not user.has_usable_password()


def test_a_subject_linked_to_another_municipality_is_refused(kk_provider, alb_provider):
    user = sso_user_sign_in(provider=kk_provider, subject="s-1", claims={"groups": ["kk-ssp"]})
    user.municipality = alb_provider.municipality  # moved here by hand
    user.save()
    with pytest.raises(SsoRefused) as refused:
        sso_user_sign_in(provider=kk_provider, subject="s-1", claims={"groups": ["kk-ssp"]})
    assert refused.value.reason == "other_municipality"


def test_a_local_account_cannot_be_taken_over_by_a_provider(kk_provider, coordinator):
    with pytest.raises(SsoRefused) as refused:
        sso_user_sign_in(provider=kk_provider, subject="x", claims={
            "preferred_username": coordinator.username.upper(), "groups": ["kk-koordinator"]})
    assert refused.value.reason == "username_taken"
    assert coordinator.has_usable_password() and not ExternalIdentity.objects.exists()


def test_deactivated_here_stays_out_and_a_disabled_provider_lets_no_one_in(kk_provider):
    user = sso_user_sign_in(provider=kk_provider, subject="s-1", claims={"groups": ["kk-ssp"]})
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(SsoRefused, match="inactive"):
        sso_user_sign_in(provider=kk_provider, subject="s-1", claims={"groups": ["kk-ssp"]})
    IdentityProvider.objects.filter(pk=kk_provider.pk).update(enabled=False)
    kk_provider.refresh_from_db()
    with pytest.raises(SsoRefused, match="provider_disabled"):
        sso_user_sign_in(provider=kk_provider, subject="s-2", claims={"groups": ["kk-ssp"]})


def test_no_role_no_entry_and_no_user_made(kk_provider):
    with pytest.raises(SsoRefused, match="no_role"):
        sso_user_sign_in(provider=kk_provider, subject="s-1", claims={"groups": ["elsewhere"]})
    assert not User.objects.filter(external_identity__subject="s-1").exists()


def test_sign_in_and_role_changes_are_audited(kk_provider):
    user = sso_user_sign_in(provider=kk_provider, subject="s-1", claims={"groups": ["kk-ssp"]})
    sso_user_sign_in(provider=kk_provider, subject="s-1", claims={"groups": ["kk-koordinator"]})
    entries = LogEntry.objects.get_for_object(user)  # this user's rows, not every model's row with the same pk
    assert entries.filter(action=LogEntry.Action.ACCESS).count() == 2
    assert entries.filter(action=LogEntry.Action.CREATE).count() == 1
    assert [e.additional_data["created"] for e in entries.filter(action=LogEntry.Action.ACCESS)
            .order_by("timestamp", "pk")] == [True, False]
    latest = entries.filter(action=LogEntry.Action.UPDATE, additional_data__has_key="by_identity_provider") \
        .latest("timestamp")
    assert latest.changes_dict == {"roles": [roles.SSP_CONSULTANT, roles.COORDINATOR],
                                   "administration": ["BIF", "ØKF"]}


def test_register_command_stores_the_secret_encrypted_and_validates(copenhagen, monkeypatch, capsys):
    monkeypatch.setenv("KK_SECRET", "the-client-secret")
    call_command("register_identity_provider", "kk-entra", "--municipality", "0101",
                 "--name", "Københavns Kommune", "--issuer", "https://login.microsoftonline.com/tenant/v2.0",
                 "--client-id", "abc", "--client-secret-env", "KK_SECRET",
                 "--map", "3f2a-group-id=coordinator:ØKF", "--map", "77aa=admin_reporter:BUF")
    provider = IdentityProvider.objects.get(slug="kk-entra")
    assert provider.client_secret == "the-client-secret"
    assert provider.role_mapping[0] == {"value": "3f2a-group-id", "role": "coordinator", "administration": "ØKF"}
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_secret FROM accounts_identityprovider WHERE id = %s", [provider.pk])
        assert "the-client-secret" not in cursor.fetchone()[0]
    with pytest.raises(CommandError, match="role"):
        call_command("register_identity_provider", "kk-bad", "--municipality", "0101", "--name", "x",
                     "--issuer", "https://x.example", "--client-id", "a", "--client-secret-env", "KK_SECRET",
                     "--map", "g=superuser")
    with pytest.raises(CommandError, match="cvr"):
        call_command("register_identity_provider", "kk-kombit", "--municipality", "0101", "--name", "x",
                     "--protocol", "saml", "--entity-id", "https://saml.adgangsstyring.stoettesystemerne.dk",
                     "--metadata-url", "https://x.example/metadata", "--role-format", "oio_bpp",
                     "--role-attribute", "dk:gov:saml:attribute:Privileges_intermediate")


def test_the_login_page_lists_the_providers(client, kk_provider, alb_provider):
    IdentityProvider.objects.filter(pk=alb_provider.pk).update(enabled=False)
    html = client.get(reverse("login")).content.decode()
    assert "Log ind med Københavns Kommune" in html and 'href="/sso/kk/login/"' in html
    assert "Albertslund" not in html
    assert client.get("/sso/alb/login/").status_code == 404


@override_settings(PASSWORD_LOGIN_ENABLED=False)
def test_without_password_login_only_superusers_may_use_a_password(client, coordinator):
    response = client.post(reverse("login"), {"username": coordinator.username, "password": "pw-for-tests-123"})
    assert "_auth_user_id" not in client.session and response.status_code == 200
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.post(reverse("login"), {"username": admin.username, "password": "pw-for-tests-123"})
    assert client.session["_auth_user_id"] == str(admin.pk)
