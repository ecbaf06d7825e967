"""API tokens: django-rest-knox stores only a hash of each token, with an expiry."""
import binascii
from datetime import datetime, timedelta
from hmac import compare_digest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

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


class ApiTokenAuthentication(TokenAuthentication):
    """knox's token authentication without its per-request sweep of the user's other tokens.

    knox reads every token of the user on every request to delete the expired ones (``_cleanup_token``): one
    query a request that a list page of 50 rows pays on top of its own. Here a request looks only at its own
    token — an expired one is refused, exactly as knox does (knox's delete of it is rolled back with the
    refused request's transaction under ``ATOMIC_REQUESTS``) — and expired tokens are
    deleted by ``api_tokens_purge_expired``, which beat runs daily (``operations.tasks``). An expired token
    is refused either way; what changes is only when a token nobody presents any more is removed.
    """

    def authenticate_credentials(self, token):
        """knox's check of the token, reading the user's role names in the same query (PostgreSQL).

        The permission checks (``rules.is_group_member``) read a user's group names once per user object
        into ``_group_names_cache``; on PostgreSQL the token's query fills it, so an API request costs one
        query before its data instead of two. Other databases keep the separate query.
        """
        msg = _("Invalid token.")
        token = token.decode("utf-8")
        tokens = AuthToken.objects.filter(token_key=token[:CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        if connection.vendor == "postgresql":
            from django.contrib.postgres.expressions import ArraySubquery
            tokens = tokens.annotate(group_names=ArraySubquery(
                Group.objects.filter(user=OuterRef("user_id")).values("name")))
        for auth_token in tokens:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(msg) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                if hasattr(auth_token, "group_names"):
                    auth_token.user._group_names_cache = set(auth_token.group_names)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=TokenAuthentication, username=username, source="auth_token")
            return True
        return False


def api_tokens_purge_expired(*, now: datetime | None = None) -> int:
    """Delete every expired API token; returns how many. Beat runs it daily."""
    deleted, _ = AuthToken.objects.filter(expiry__lt=now or timezone.now()).delete()
    return deleted
