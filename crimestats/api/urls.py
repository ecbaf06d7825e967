from rest_framework.routers import SimpleRouter

from .views import KeyFigureReportViewSet

router = SimpleRouter()
router.register("reports", KeyFigureReportViewSet, basename="keyfigure-report")
urlpatterns = router.urls
