"""Danish first: the language is Danish unless the user chose another in the language menu.

Django's ``LocaleMiddleware`` would follow the browser's Accept-Language,
so a public servant with an English browser would get English screens they
never asked for. Here only the explicit choice (the language cookie set by
``set_language``) switches away from ``LANGUAGE_CODE``.
"""
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
