"""API tokens: django-rest-knox stores only a hash of each token, with an expiry."""
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from knox.models import AuthToken

from accounts.roles import is_api_client

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
