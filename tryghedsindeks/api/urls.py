from rest_framework.routers import SimpleRouter

from .views import SafetyIndexResultViewSet

router = SimpleRouter()
router.register("results", SafetyIndexResultViewSet, basename="safety-index-result")
urlpatterns = router.urls
