from rest_framework.routers import SimpleRouter

from .views import ActionViewSet, FindingViewSet, SafetyWalkViewSet

router = SimpleRouter()
router.register("walks", SafetyWalkViewSet, basename="safetywalk")
router.register("findings", FindingViewSet, basename="safetywalk-finding")
router.register("actions", ActionViewSet, basename="safetywalk-action")
urlpatterns = router.urls
