"""An outage of the database or the broker answers 503 with Retry-After (a page, or JSON under /api/); a bug 500.

The database is made unreachable for real: the default connection is pointed at a closed port (PostgreSQL)
or at a file in a folder that does not exist (SQLite), so the request fails where it first needs the
database — loading the session. The broker is a Redis URL on a closed port.
"""
import pytest
from django.db import DatabaseError, OperationalError, connection
from django.test import Client, RequestFactory, override_settings

from sikkerby import errors

from .outage_urls import closed_port


@pytest.fixture
def unreachable_database(django_db_blocker, tmp_path):
    """The default connection, outside any test transaction, pointed where no database is."""
    saved_settings, saved_raw = dict(connection.settings_dict), connection.connection
    # Set aside, not closed: closing SQLite's in-memory test database would delete it.
    connection.connection = None
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    else:
        connection.settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        connection.connection = saved_raw


def _client(language=None):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-the-database-would-have-to-look-up"
    if language:
        client.cookies["django_language"] = language
    return client


def test_database_outage_answers_503_page_in_danish(unreachable_database):
    with pytest.raises(OperationalError):
        connection.ensure_connection()  # the database really is unreachable
    response = _client().get("/key-figures/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    html = response.content.decode()
    assert "Midlertidigt utilgængelig" in html and "Prøv igen om lidt." in html
    assert response["Content-Language"] == "da"


def test_database_outage_answers_503_in_english_when_chosen(unreachable_database):
    response = _client("en").post("/key-figures/uneasy-areas/", {"year": 2024})
    assert response.status_code == 503
    assert "temporarily unavailable" in response.content.decode()


def test_database_outage_on_the_api_answers_json_503(unreachable_database):
    response = _client().get("/api/v1/key-figures/reports/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": "Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt."}


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.outage_urls")
def test_broker_outage_answers_503():
    response = Client(raise_request_exception=False).get("/test-outage/broker/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    api = Client(raise_request_exception=False).get("/api/v1/test-outage/broker/")
    assert api.status_code == 503 and "detail" in api.json()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.outage_urls")
def test_a_bug_is_still_a_500_with_its_own_page():
    response = Client(raise_request_exception=False).get("/test-outage/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Serverfejl" in response.content.decode()


def test_a_session_lost_to_an_outage_is_503_not_400():
    """SessionMiddleware turns a failed session save into SessionInterrupted (400); raised from an outage, 503."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted

    def interrupted(cause: Exception) -> SessionInterrupted:
        update_error, exc = UpdateError(), SessionInterrupted("The request's session was deleted.")
        update_error.__context__, exc.__context__ = cause, update_error  # as raised in except blocks
        return exc

    request = RequestFactory().post("/key-figures/uneasy-areas/")
    assert errors.bad_request(request, interrupted(OperationalError("server closed the connection unexpectedly"))).status_code == 503
    assert errors.bad_request(request, interrupted(DatabaseError("Forced update did not affect any rows."))).status_code == 400


def test_every_outage_class_is_recognised_through_its_chain():
    import kombu.exceptions
    import redis.exceptions
    from django.db import InterfaceError

    for exc in (OperationalError(), InterfaceError(), kombu.exceptions.OperationalError(),
                redis.exceptions.ConnectionError(), redis.exceptions.TimeoutError()):
        wrapped = RuntimeError("wrapper")
        wrapped.__context__ = exc
        assert errors.outage_of(wrapped) is exc
    assert errors.outage_of(ValueError()) is None
