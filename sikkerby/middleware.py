"""Project middleware: the Danish-first language choice, and the session refresh before the view.

Danish first: the language is Danish unless the user chose another in the language menu.

Django's ``LocaleMiddleware`` would follow the browser's Accept-Language,
so a public servant with an English browser would get English screens they
never asked for. Here only the explicit choice (the language cookie set by
``set_language``) switches away from ``LANGUAGE_CODE``.
"""
import time

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .errors import outage_of


class DanishFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SessionRefreshMiddleware:
    """Keep an active session alive with at most one session write a minute, made before the view runs.

    Sessions end ``SESSION_COOKIE_AGE`` (30 minutes) after they were last saved. Saving on every
    request (``SESSION_SAVE_EVERY_REQUEST``) meant a write in the *response* phase, after the view's
    transaction (``ATOMIC_REQUESTS``) had committed: when that write failed — the database restarting —
    a committed change was answered "Bad Request (400)". Here the expiry is pushed forward in the
    request phase instead, when the last refresh is ``SESSION_REFRESH_INTERVAL`` seconds old or more;
    if that write fails, nothing has been done yet and the answer is 503. The response phase then
    saves the session only when the view changed it (login, logout).

    The idle timeout is therefore between ``SESSION_COOKIE_AGE - SESSION_REFRESH_INTERVAL`` and
    ``SESSION_COOKIE_AGE``: never longer. The cookie itself lasts until the browser closes
    (``SESSION_EXPIRE_AT_BROWSER_CLOSE``), so only the stored expiry needs refreshing.
    Place it right after ``SessionMiddleware``.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.refresh(request)
        return self.get_response(request)

    def refresh(self, request) -> None:
        # No cookie, no session: an anonymous visitor gets no session row from us.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return
        session = request.session
        now = int(time.time())
        last = session.get(self.KEY)  # loads the session; an unknown or expired key leaves it empty
        if session.session_key is None or session.is_empty():
            return
        if last is not None and 0 <= now - last < settings.SESSION_REFRESH_INTERVAL:
            return
        session[self.KEY] = now
        try:
            session.save()
        except UpdateError as exc:
            # The session backend turns every DatabaseError into UpdateError. A lost connection stays
            # an UpdateError raised from it, which sikkerby.errors answers with 503; a session deleted
            # meanwhile (logout in another tab) is what Django's SessionMiddleware calls it.
            if outage_of(exc) is not None:
                raise
            raise SessionInterrupted("The session was deleted before the request completed.") from exc
        session.modified = False  # saved: the response phase has nothing to write unless the view changes it
