"""Sessions: 30 minutes idle and you are out; active, you stay; and the session is written before the view.

The expiry is pushed forward by ``SessionRefreshMiddleware`` in the request phase, at most once a
``SESSION_REFRESH_INTERVAL``; a view that does not touch the session causes no session write after it,
so a committed write can no longer be followed by a failing session save (answered 400).
"""
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crimestats.models import UneasyAreasAddendum
from sikkerby.middleware import SessionRefreshMiddleware

DASHBOARD = "initiatives:dashboard"
KEY = SessionRefreshMiddleware.KEY


def _last_activity(client, *, seconds_ago: int) -> str:
    """Make the client's session look as if it was last refreshed ``seconds_ago`` (and expires accordingly)."""
    key = client.session.session_key
    store = SessionStore(session_key=key)
    store[KEY] = int(time.time()) - seconds_ago
    store.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=seconds_ago) + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    return key


@pytest.mark.django_db
def test_a_session_idle_longer_than_the_timeout_is_logged_out(client, coordinator):
    client.force_login(coordinator)
    _last_activity(client, seconds_ago=settings.SESSION_COOKIE_AGE + 1)
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_a_session_active_within_the_timeout_stays_and_is_extended(client, coordinator):
    client.force_login(coordinator)
    key = _last_activity(client, seconds_ago=settings.SESSION_COOKIE_AGE - 30)  # 30 s left
    before = timezone.now()  # measured before the request, so a slow request on a busy machine cannot fail it
    assert client.get(reverse(DASHBOARD)).status_code == 200
    expires = Session.objects.get(session_key=key).expire_date
    assert expires >= before + timedelta(seconds=settings.SESSION_COOKIE_AGE - 1)


def _session_writes(queries) -> list[int]:
    return [i for i, q in enumerate(queries)
            if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]]


def _addendum_post(client, year):
    return client.post(reverse("crimestats:addendum_edit"), {
        "year": year, "quarter": 1, "interrogations_12_17": 7, "ssp_single_cases": 3, "ssp_assessment": "ok"})


@pytest.mark.django_db
def test_recently_refreshed_session_is_not_written_by_a_get_or_a_post(client, coordinator):
    client.force_login(coordinator)
    _last_activity(client, seconds_ago=5)
    with CaptureQueriesContext(connection) as get_queries:
        response = client.get(reverse("crimestats:addendum_edit"))
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as post_queries:
        response = _addendum_post(client, 2031)
    assert response.status_code == 302
    assert UneasyAreasAddendum.objects.filter(year=2031).exists()
    assert _session_writes(get_queries.captured_queries) == []
    assert _session_writes(post_queries.captured_queries) == []
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # nothing to send back either


@pytest.mark.django_db
def test_a_due_refresh_is_written_before_the_view_and_not_after_it(client, coordinator):
    client.force_login(coordinator)
    _last_activity(client, seconds_ago=settings.SESSION_REFRESH_INTERVAL + 1)
    with CaptureQueriesContext(connection) as ctx:
        response = _addendum_post(client, 2032)
    assert response.status_code == 302
    queries = ctx.captured_queries
    writes = _session_writes(queries)
    view_write = next(i for i, q in enumerate(queries) if "crimestats_uneasyareasaddendum" in q["sql"]
                      and q["sql"].lstrip().upper().startswith("INSERT"))
    assert len(writes) == 1 and writes[0] < view_write
    # the next request, within the interval, writes nothing
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("crimestats:addendum_edit"))
    assert _session_writes(ctx.captured_queries) == []


@pytest.mark.django_db
def test_login_and_logout_still_write_the_session(client, coordinator):
    response = client.post(reverse("login"), {"username": coordinator.username, "password": "pw-for-tests-123"})
    assert response.status_code == 302
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_anonymous_visitors_get_no_session(client):
    client.get(reverse("login"))
    assert Session.objects.count() == 0
