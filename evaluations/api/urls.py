from rest_framework.routers import SimpleRouter

from .views import ClosureReportViewSet, EvaluationViewSet

router = SimpleRouter()
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("closures", ClosureReportViewSet, basename="closure")
urlpatterns = router.urls
