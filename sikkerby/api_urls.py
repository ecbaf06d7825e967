"""The REST API under /api/v1/: each app adds its router here."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("evaluations/", include("evaluations.api.urls")),
    path("key-figures/", include("crimestats.api.urls")),
    path("safety-index/", include("tryghedsindeks.api.urls")),
    path("", include("indicators.api.urls")),
    path("exit/", include("exitprogram.api.urls")),
]
