"""Error answers: an outage of the database or the broker is "503, try again", not a 500 or a 400.

Django answers any unhandled exception with ``handler500`` and a ``BadRequest`` (such as a session
that could not be saved) with ``handler400``. Both look at the exception, and at the exceptions it
was raised from, for a lost connection: then the service is temporarily unavailable, and nothing the
request asked for was done (a view's writes are rolled back with its transaction), so the client is
told to try again (``Retry-After``). The 503 page is rendered without a request context — no context
processor, nothing that could reach the database that just failed.
"""
import sys

import kombu.exceptions
import redis.exceptions
from django import db
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

# Seconds a client should wait before trying again: a PostgreSQL restart or a broker failover.
RETRY_AFTER_SECONDS = 30

OUTAGES = (
    db.OperationalError,  # connection refused or lost, server shutting down or starting up
    db.InterfaceError,  # the connection was already closed
    kombu.exceptions.OperationalError,  # the broker cannot be reached when a task is queued
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def outage_of(exc: BaseException | None) -> BaseException | None:
    """The outage exception ``exc`` is, or was raised from (``raise ... from`` or during handling), else None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OUTAGES):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _language(request) -> str:
    # As DanishFirstLocaleMiddleware decides it, without relying on it having run.
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def service_unavailable(request) -> HttpResponse:
    """503 with Retry-After: a page for people, ``{"detail": ...}`` for the API."""
    with translation.override(_language(request)):
        message = _("The service is temporarily unavailable. Please try again in a moment.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            # Rendered without the request: no context processors (they read the user and the database).
            html = loader.get_template("503.html").render({"message": message,
                                                           "LANGUAGE_CODE": translation.get_language()})
            response = HttpResponse(html, status=503)
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """``handler500``: 503 for an outage, the ordinary 500 page for anything else."""
    if outage_of(sys.exc_info()[1]) is not None:
        return service_unavailable(request)
    if request.path.startswith("/api/"):
        with translation.override(_language(request)):
            return JsonResponse({"detail": _("Server error.")}, status=500)
    return defaults.server_error(request, template_name=template_name)


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    """``handler400``: a session that could not be saved because the database went away is an outage too."""
    if outage_of(exception) is not None:
        return service_unavailable(request)
    return defaults.bad_request(request, exception, template_name=template_name)
