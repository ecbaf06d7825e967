from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("administrations", views.AdministrationViewSet, basename="administration")
router.register("focus-areas", views.FocusAreaViewSet, basename="focus-area")
router.register("effect-goals", views.EffectGoalViewSet, basename="effect-goal")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("budget-lines", views.BudgetLineViewSet, basename="budget-line")
urlpatterns = router.urls
