"""API token authentication (``indicators.tokens.ApiTokenAuthentication``): a request reads its own token and
the user's roles, not every token of the user; expired tokens are refused and purged by beat's daily task."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import roles
from indicators.tokens import api_token_issue
from operations.tasks import api_tokens_purge_expired

URL = "/api/v1/indicator-values/?limit=5"


def _client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.django_db
def test_a_request_does_not_read_the_users_other_tokens(copenhagen, user_of_role):
    user = user_of_role(roles.API_CLIENT)
    token, _ = api_token_issue(username=user.username, ttl=timedelta(days=30))
    for _ in range(3):
        api_token_issue(username=user.username, ttl=timedelta(days=30))
    with CaptureQueriesContext(connection) as queries:
        assert _client(token).get(URL).status_code == 200
    token_queries = [q["sql"] for q in queries.captured_queries if "knox_authtoken" in q["sql"]]
    assert len(token_queries) == 1, token_queries  # its own token (with its user), nothing else
    assert '"knox_authtoken"."token_key" =' in token_queries[0]


@pytest.mark.django_db
def test_an_expired_token_is_refused(copenhagen, user_of_role):
    user = user_of_role(roles.API_CLIENT)
    token, _ = api_token_issue(username=user.username, ttl=timedelta(days=30))
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))
    response = _client(token).get(URL)
    assert response.status_code == 401
    # (Its deletion is rolled back with the refused request's transaction; the daily purge removes it.)
    assert api_tokens_purge_expired() == 1


@pytest.mark.django_db
def test_the_daily_purge_deletes_expired_tokens_only(copenhagen, user_of_role):
    user = user_of_role(roles.API_CLIENT)
    live, _ = api_token_issue(username=user.username, ttl=timedelta(days=30))
    api_token_issue(username=user.username, ttl=timedelta(days=30))
    api_token_issue(username=user.username, ttl=timedelta(days=30))
    newest = AuthToken.objects.filter(user=user).order_by("-created", "-pk")[:2]
    AuthToken.objects.filter(pk__in=[t.pk for t in newest]).update(expiry=timezone.now() - timedelta(days=1))
    assert api_tokens_purge_expired() == 2
    assert AuthToken.objects.filter(user=user).count() == 1
    assert _client(live).get(URL).status_code == 200
