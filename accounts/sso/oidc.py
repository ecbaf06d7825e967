"""OpenID Connect sign-in through a municipality's provider, on top of mozilla-django-oidc.

mozilla-django-oidc reads one provider from the settings; here every provider is a row
(``IdentityProvider``). The request view and the backend take their endpoints, client id, secret and
scopes from the row the flow was started for, through ``get_settings`` (the library reads all its settings
through it); the endpoints come from the provider's discovery document. The flow's state is tied to the
provider in the session, so the callback knows which provider it answers — and a code from any other
provider fails at the token endpoint of the right one. Beyond the library, the ID token's issuer and
audience are checked, and the user is decided by ``sso_user_sign_in``.
"""
import logging
from urllib.parse import parse_qs, urlsplit

import requests
from django.contrib import auth, messages
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from ..models import IdentityProvider
from .services import SsoRefused, sso_user_sign_in

logger = logging.getLogger(__name__)

SESSION_STATES = "sso_oidc_states"  # state -> IdentityProvider pk
SESSION_PROVIDER = "sso_provider"  # the provider the session was signed in through
DISCOVERY_TTL = 60 * 60
TIMEOUT = 10


class ProviderSettings:
    """``get_settings`` of the library, answered from one provider row before the Django settings."""

    provider: IdentityProvider | None = None

    def get_settings(self, attr, *args):
        provider = self.provider
        if provider is not None:
            config = discovery(provider)
            values = {
                "OIDC_OP_AUTHORIZATION_ENDPOINT": config["authorization_endpoint"],
                "OIDC_OP_TOKEN_ENDPOINT": config["token_endpoint"],
                "OIDC_OP_USER_ENDPOINT": config.get("userinfo_endpoint"),
                "OIDC_OP_JWKS_ENDPOINT": config["jwks_uri"],
                "OIDC_RP_CLIENT_ID": provider.client_id,
                "OIDC_RP_CLIENT_SECRET": provider.client_secret,
                "OIDC_RP_SCOPES": provider.scopes,
                "OIDC_RP_SIGN_ALGO": "RS256",
                "OIDC_USE_PKCE": True,
                "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:sso_oidc_callback",
                "OIDC_TIMEOUT": TIMEOUT,
            }
            if attr in values:
                return values[attr]
        return import_from_settings(attr, *args)


def discovery(provider: IdentityProvider) -> dict:
    """The provider's OpenID configuration (cached for an hour); its issuer must be the configured one."""
    key = f"sso:oidc-discovery:{provider.pk}:{provider.issuer}"
    config = cache.get(key)
    if config is None:
        response = requests.get(provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
                                timeout=TIMEOUT)
        response.raise_for_status()
        config = response.json()
        if config.get("issuer", "").rstrip("/") != provider.issuer.rstrip("/"):
            raise SuspiciousOperation("The discovery document names another issuer.")
        cache.set(key, config, DISCOVERY_TTL)
    return config


class ProviderBackend(ProviderSettings, OIDCAuthenticationBackend):
    """Authentication backend for the code returned by a municipality's OpenID Connect provider.

    Only called with ``sso_provider`` (the callback view passes it), so password logins never reach it.
    """

    def __init__(self, *args, **kwargs):
        # The library's __init__ reads a single provider from the settings; the provider comes per call.
        self.UserModel = auth.get_user_model()

    def authenticate(self, request, *, sso_provider: IdentityProvider, nonce: str, code_verifier: str | None):
        self.provider = sso_provider
        for name in ("OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT",
                     "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_RP_SIGN_ALGO"):
            setattr(self, name, self.get_settings(name))
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library checks signature and nonce only; the token must also be this provider's, for us.
        if payload.get("iss", "").rstrip("/") != self.provider.issuer.rstrip("/"):
            raise SuspiciousOperation("ID token from another issuer.")
        audience = payload.get("aud")
        if self.provider.client_id not in (audience if isinstance(audience, list) else [audience]):
            raise SuspiciousOperation("ID token for another client.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)  # Entra ID sends groups in the ID token only
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about another subject.")
            claims.update(userinfo)
        subject = claims.get(self.provider.subject_attribute or "sub")
        try:
            user = sso_user_sign_in(provider=self.provider, subject=str(subject or ""), claims=claims)
        except SsoRefused as refused:
            logger.warning("sso sign-in refused: provider=%s reason=%s", self.provider.slug, refused.reason)
            self.request.sso_refusal = refused.message
            return None
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class ProviderLoginView(ProviderSettings, OIDCAuthenticationRequestView):
    """Starts the code flow (with PKCE and a nonce) at the provider the login page's button names."""

    def __init__(self, *args, **kwargs):  # the library's reads a single provider from the settings
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request, provider: IdentityProvider):
        self.provider = provider
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, SuspiciousOperation):
            logger.warning("sso: provider %s unreachable or misconfigured", provider.slug)
            messages.warning(request, _("%(provider)s cannot be reached just now. Try again in a moment.")
                           % {"provider": provider.name})
            return HttpResponseRedirect(reverse("login"))
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        request.session[SESSION_STATES] = {**request.session.get(SESSION_STATES, {}), state: provider.pk}
        return response


def callback(request):
    """Where the provider sends the browser back with a code (or an error); one address for every provider."""
    state = request.GET.get("state", "")
    provider_pk = request.session.get(SESSION_STATES, {}).get(state)
    oidc_states = request.session.get("oidc_states", {})
    provider = IdentityProvider.objects.filter(pk=provider_pk, enabled=True,
                                               protocol=IdentityProvider.Protocol.OIDC).first()
    if provider is None or state not in oidc_states or request.GET.get("error") or "code" not in request.GET:
        return _failure(request, _("The sign-in was cancelled or has expired. Try again."))
    entry = oidc_states.pop(state)
    request.session["oidc_states"] = oidc_states
    request.session[SESSION_STATES] = {k: v for k, v in request.session[SESSION_STATES].items() if k != state}
    next_url = request.session.pop("oidc_login_next", None)
    try:
        # The backend directly, not auth.authenticate: a refused sign-in is no password guess, and must not
        # count towards django-axes' lockout of everyone behind the municipality's address.
        user = ProviderBackend().authenticate(request, sso_provider=provider, nonce=entry["nonce"],
                                              code_verifier=entry.get("code_verifier"))
    except (requests.RequestException, SuspiciousOperation) as exc:
        logger.warning("sso: sign-in through %s failed: %s", provider.slug, type(exc).__name__)
        user = None
    if user is None or not user.is_active:
        return _failure(request, getattr(request, "sso_refusal", None)
                        or _("%(provider)s did not let you in.") % {"provider": provider.name})
    auth.login(request, user, backend=f"{ProviderBackend.__module__}.{ProviderBackend.__qualname__}")
    request.session[SESSION_PROVIDER] = provider.pk
    return HttpResponseRedirect(next_url or resolve_url("home"))


def _failure(request, message):
    messages.warning(request, message)
    return HttpResponseRedirect(reverse("login"))
