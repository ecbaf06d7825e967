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
    from . import saml

    return saml.login(request, provider=provider)
