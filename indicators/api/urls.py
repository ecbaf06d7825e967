"""All routers of the REST API under /api/v1/ (programme, area and indicator endpoints)."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("indicator-values", views.IndicatorValueViewSet, basename="indicator-value")
router.register("reporting-completeness", views.ReportingCompletenessViewSet, basename="reporting-completeness")

urlpatterns = [
    path("", include(router.urls)),
    path("", include("initiatives.api.urls")),
    path("", include("areas.api.urls")),
]
