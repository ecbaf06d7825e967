"""Read-only endpoints of the programme models; every queryset starts from the scoping selectors."""
from rest_framework import viewsets

from indicators.api.common import ApiViewMixin
from initiatives import selectors
from initiatives.filters import (
    BudgetLineFilterSet,
    EffectGoalFilterSet,
    FocusAreaFilterSet,
    InitiativeApiFilterSet,
)
from initiatives.models import Administration, BudgetLine, EffectGoal, FocusArea

from . import serializers


class ProgrammeViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Programmes of the user's municipality."""

    serializer_class = serializers.ProgrammeSerializer
    ordering_fields = ["start_year", "slug"]
    filterset_fields = ["slug"]

    def get_queryset(self):
        return selectors.programmes_visible_to(self.request.user).order_by("start_year", "slug")


class AdministrationViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Administrations (forvaltninger) of the user's municipality."""

    serializer_class = serializers.AdministrationSerializer
    ordering_fields = ["code"]
    filterset_fields = ["code"]

    def get_queryset(self):
        return (Administration.objects.filter(municipality__programmes__in=selectors.programmes_visible_to(
            self.request.user)).distinct().select_related("municipality").order_by("code"))


class FocusAreaViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.FocusAreaSerializer
    filterset_class = FocusAreaFilterSet
    ordering_fields = ["programme", "number"]

    def get_queryset(self):
        return (FocusArea.objects.filter(programme__in=selectors.programmes_visible_to(self.request.user))
                .prefetch_related("effect_goals").order_by("programme", "number"))


class EffectGoalViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Effect goals with their status, value and series as computed by each goal's measure."""

    serializer_class = serializers.EffectGoalSerializer
    filterset_class = EffectGoalFilterSet
    ordering_fields = ["programme", "number", "deadline"]

    def get_queryset(self):
        return (EffectGoal.objects.filter(programme__in=selectors.programmes_visible_to(self.request.user))
                .select_related("responsible").order_by("programme", "number"))


class InitiativeViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Initiatives with their focus areas and yearly budget lines (1,000 DKK, with the price-level year)."""

    serializer_class = serializers.InitiativeSerializer
    filterset_class = InitiativeApiFilterSet
    ordering_fields = ["name", "key", "administration__code"]

    def get_queryset(self):
        return (selectors.initiatives_visible_to(self.request.user).select_related("administration")
                .prefetch_related("focus_areas", "budget_lines").order_by("programme", "administration__code", "name"))


class BudgetLineViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Budget lines: one year's amount of one initiative, in 1,000 DKK at a stated price level."""

    serializer_class = serializers.BudgetLineSerializer
    filterset_class = BudgetLineFilterSet
    ordering_fields = ["year", "amount_tdkk", "initiative"]

    def get_queryset(self):
        return (BudgetLine.objects.filter(initiative__in=selectors.initiatives_visible_to(self.request.user))
                .order_by("initiative", "year", "kind"))
