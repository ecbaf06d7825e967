from rest_framework.routers import SimpleRouter

from .views import PartnerViewSet, ProgressEntryViewSet

router = SimpleRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("progress-entries", ProgressEntryViewSet, basename="progress-entry")
urlpatterns = router.urls
