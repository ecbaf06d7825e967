"""SAML 2.0 sign-in through a municipality's provider, on top of djangosaml2 (pysaml2).

djangosaml2 reads one SP configuration from the settings, or from a ``SAML_CONFIG_LOADER``; here the views
get ``sp_config`` as their loader, which builds the configuration of the provider row named in the
address (``/sso/saml/<slug>/…``): Sikker By's entity id and assertion consumer service for that
provider, and that provider's metadata only — so an assertion from any other identity provider does not
verify. Assertions must be signed. With ``SAML_SP_KEY_FILE`` and ``SAML_SP_CERT_FILE`` set, Sikker By signs
its requests and can receive encrypted assertions (KOMBIT requires both). The user is decided by
``sso_user_sign_in`` with the NameID (or ``subject_attribute``) as subject and the attributes as claims.
"""
import logging
import shutil

import saml2
import saml2.response
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from djangosaml2 import views as saml_views
from djangosaml2.backends import Saml2Backend
from saml2.config import SPConfig

from ..models import IdentityProvider
from .services import SsoRefused, sso_user_sign_in

logger = logging.getLogger(__name__)


def _provider(request) -> IdentityProvider:
    provider = getattr(request, "sso_provider", None)
    if provider is None:
        slug = request.resolver_match.kwargs.get("slug")
        provider = IdentityProvider.objects.filter(slug=slug, enabled=True,
                                                   protocol=IdentityProvider.Protocol.SAML).first()
        if provider is None:
            raise Http404
        request.sso_provider = provider
    return provider


def sp_config(request) -> SPConfig:
    """djangosaml2's configuration for the provider the request is about."""
    provider = _provider(request)
    metadata = ({"inline": [provider.saml_metadata_xml]} if provider.saml_metadata_xml
                else {"remote": [{"url": provider.saml_metadata_url}]})
    signing = bool(getattr(settings, "SAML_SP_KEY_FILE", "") and getattr(settings, "SAML_SP_CERT_FILE", ""))
    config = {
        "entityid": request.build_absolute_uri(reverse("accounts:sso_saml_metadata", args=[provider.slug])),
        "xmlsec_binary": shutil.which("xmlsec1"),
        "allow_unknown_attributes": True,
        "metadata": metadata,
        "service": {"sp": {
            "name": "Sikker By",
            "endpoints": {"assertion_consumer_service": [
                (request.build_absolute_uri(reverse("accounts:sso_saml_acs", args=[provider.slug])),
                 saml2.BINDING_HTTP_POST)]},
            "allow_unsolicited": False,
            "want_assertions_signed": True,
            "want_response_signed": False,
            "authn_requests_signed": signing,
            "idp": [provider.saml_entity_id],
        }},
    }
    if signing:
        config.update({"key_file": settings.SAML_SP_KEY_FILE, "cert_file": settings.SAML_SP_CERT_FILE,
                       "encryption_keypairs": [{"key_file": settings.SAML_SP_KEY_FILE,
                                                "cert_file": settings.SAML_SP_CERT_FILE}]})
    conf = SPConfig()
    conf.load(config)
    return conf


class ProviderSaml2Backend(Saml2Backend):
    """Authentication backend for an assertion from a municipality's SAML provider."""

    def authenticate(self, request, session_info=None, attribute_mapping=None, create_unknown_user=True,
                     assertion_info=None, **kwargs):
        provider = getattr(request, "sso_provider", None)
        if provider is None or session_info is None:
            return None
        if session_info.get("issuer") != provider.saml_entity_id:
            logger.warning("sso: SAML assertion for %s from another issuer", provider.slug)
            return None
        claims = dict(session_info.get("ava") or {})
        if provider.subject_attribute:
            subject = (claims.get(provider.subject_attribute) or [""])[0]
        else:
            name_id = session_info.get("name_id")
            subject = getattr(name_id, "text", None) or ""
        try:
            return sso_user_sign_in(provider=provider, subject=str(subject), claims=claims)
        except SsoRefused as refused:
            logger.warning("sso sign-in refused: provider=%s reason=%s", provider.slug, refused.reason)
            request.sso_refusal = refused.message
            return None

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


BACKEND = f"{ProviderSaml2Backend.__module__}.{ProviderSaml2Backend.__qualname__}"


class LoginView(saml_views.LoginView):
    config_loader_path = staticmethod(sp_config)


class MetadataView(saml_views.MetadataView):
    config_loader_path = staticmethod(sp_config)


class AcsView(saml_views.AssertionConsumerServiceView):
    """The assertion consumer service of one provider (djangosaml2's, with our refusals and no personal log)."""

    config_loader_path = staticmethod(sp_config)

    def post(self, request, *args, **kwargs):
        _provider(request)
        try:
            return super().post(request)
        except saml2.response.StatusInvalidAuthnResponseStatement:
            # pysaml2 raises this one past djangosaml2's handling: e.g. a response addressed to another
            # provider's consumer service (another municipality's) — refused, not a server error.
            logger.warning("sso: SAML response for %s not addressed to it", request.sso_provider.slug)
            return self.handle_acs_failure(request)

    def authenticate_user(self, request, session_info, attribute_mapping, create_unknown_user, assertion_info):
        # The backend directly (not auth.authenticate): a refusal is no password guess for django-axes, and
        # djangosaml2's own version logs the whole session info (personal data) when it refuses.
        user = ProviderSaml2Backend().authenticate(request, session_info=session_info,
                                                   assertion_info=assertion_info)
        if user is None:
            raise PermissionDenied("refused")
        auth.login(request, user, backend=BACKEND)
        request.session["sso_provider"] = request.sso_provider.pk
        return user

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        messages.warning(request, getattr(request, "sso_refusal", None)
                         or _("%(provider)s did not let you in.") % {"provider": request.sso_provider.name})
        return HttpResponseRedirect(reverse("login"))

    def custom_redirect(self, user, relay_state, session_info):
        return None if relay_state else resolve_url("home")


def login(request, *, provider: IdentityProvider):
    """Send the browser to the provider with an AuthnRequest (redirect binding)."""
    request.sso_provider = provider
    try:
        return LoginView.as_view()(request)
    except Exception:  # unreachable metadata, a broken metadata document, an unknown entity id
        logger.warning("sso: SAML provider %s unreachable or misconfigured", provider.slug, exc_info=True)
        messages.warning(request, _("%(provider)s cannot be reached just now. Try again in a moment.")
                         % {"provider": provider.name})
        return HttpResponseRedirect(reverse("login"))
