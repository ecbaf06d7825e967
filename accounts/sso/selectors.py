"""Reads for single sign-on."""
from django.db.models import QuerySet

from ..models import IdentityProvider


def identity_providers_for_login() -> QuerySet[IdentityProvider]:
    """The enabled providers the login page offers, by municipality."""
    return (IdentityProvider.objects.filter(enabled=True).select_related("municipality")
            .order_by("municipality__name", "name"))
