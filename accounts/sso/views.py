"""The addresses of single sign-on: start a sign-in at a provider; the protocols' return addresses."""
from django.http import Http404
from django.views.decorators.http import require_GET

from ..models import IdentityProvider
from . import oidc


@require_GET
def sso_login(request, slug):
    """Send the browser to the provider the login page's button names."""
    provider = IdentityProvider.objects.filter(slug=slug, enabled=True).select_related("municipality").first()
    if provider is None:
        raise Http404
    if provider.protocol == IdentityProvider.Protocol.OIDC:
        return oidc.ProviderLoginView.as_view()(request, provider=provider)
    # SAML 2.0 providers can be registered (the mapping, OIO-BPP included, is shared) but the SAML flow
    # itself is not built yet: docs/sso.md, "SAML 2.0".
    raise Http404
