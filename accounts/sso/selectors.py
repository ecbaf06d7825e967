"""Reads for single sign-on."""
from django.db.models import QuerySet

from ..models import IdentityProvider


def identity_providers_for_login() -> QuerySet[IdentityProvider]:
    """The enabled providers the login page offers, by municipality.

    Only OpenID Connect for now: the SAML flow is not built yet (docs/sso.md, "SAML 2.0").
    """
    return (IdentityProvider.objects.filter(enabled=True, protocol=IdentityProvider.Protocol.OIDC)
            .select_related("municipality")
            .order_by("municipality__name", "name"))
