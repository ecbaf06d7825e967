"""The REST API under /api/v1/: each app adds its router here."""
from django.urls import include, path
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, in English unless ``?lang=da`` asks for Danish.

    Names in the schema (enum components, descriptions) come from translated labels; served in each caller's
    language, a client generated from it would get other class names depending on who downloaded it.
    """

    def _get_schema_response(self, request):
        if request.GET.get("lang"):  # drf-spectacular has already switched to it
            return super()._get_schema_response(request)
        with translation.override("en"):
            return super()._get_schema_response(request)


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as its own file (?script), so the page runs under
    # the CSP's script-src 'self' without 'unsafe-inline'; the assets come from drf-spectacular-sidecar.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
         name="redoc"),
    path("evaluations/", include("evaluations.api.urls")),
    path("safety-walks/", include("safetywalks.api.urls")),
    path("", include("partners.api.urls")),
    path("key-figures/", include("crimestats.api.urls")),
    path("safety-index/", include("tryghedsindeks.api.urls")),
    path("", include("indicators.api.urls")),
    path("exit/", include("exitprogram.api.urls")),
    path("ssp/", include("sspcases.api.urls")),
]
