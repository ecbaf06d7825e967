"""API tokens: django-rest-knox stores only a hash of each token, with an expiry."""
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from accounts.roles import API_CLIENT, is_api_client

MAX_TTL = timedelta(days=365)


@transaction.atomic
def api_token_issue(*, username: str, ttl: timedelta) -> tuple[str, datetime]:
    """Create a token for an active API-client user; returns the clear token (shown once) and its expiry."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValueError(f"No active user {username!r}.")
    if not is_api_client(user):
        raise ValueError(f"User {username!r} does not have the API-client role.")
    if not timedelta(days=1) <= ttl <= MAX_TTL:
        raise ValueError("A token lives between 1 and 365 days.")
    instance, token = AuthToken.objects.create(user=user, expiry=ttl)
    return token, instance.expiry


def api_clients_of(coordinator):
    """The API-client users a coordinator manages tokens for: those of the coordinator's municipality."""
    users = get_user_model().objects.filter(groups__name=API_CLIENT, is_active=True).order_by("username")
    if coordinator.is_superuser:
        return users
    return users.filter(municipality_id=coordinator.municipality_id)


def tokens_of(coordinator):
    """Unexpired tokens of those users (never the token itself: only its first characters)."""
    return (AuthToken.objects.filter(user__in=api_clients_of(coordinator), expiry__gt=timezone.now())
            .select_related("user").order_by("user__username", "-created"))


@transaction.atomic
def api_token_revoke(*, coordinator, token_key: str) -> int:
    """Delete a token of one of the coordinator's API clients; returns how many were deleted."""
    deleted, _ = tokens_of(coordinator).filter(token_key=token_key).delete()
    return deleted
