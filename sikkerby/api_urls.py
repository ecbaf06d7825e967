"""The REST API under /api/v1/: each app adds its router here."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as its own file (?script), so the page runs under
    # the CSP's script-src 'self' without 'unsafe-inline'; the assets come from drf-spectacular-sidecar.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
         name="redoc"),
    path("evaluations/", include("evaluations.api.urls")),
    path("key-figures/", include("crimestats.api.urls")),
    path("safety-index/", include("tryghedsindeks.api.urls")),
    path("", include("indicators.api.urls")),
    path("exit/", include("exitprogram.api.urls")),
]
