"""Tryghedsindeks API: results, filterable by year, area level, category and method version."""
from rest_framework import permissions, viewsets

from ..filters import SafetyIndexResultFilterSet
from ..selectors import safety_results_visible_to
from .serializers import SafetyIndexResultSerializer


class CanReadIndex(permissions.BasePermission):
    message = "Your role may not read the safety index."

    def has_permission(self, request, view):
        return request.user.has_perm("tryghedsindeks.api_read")


class SafetyIndexResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Results of the Tryghedsindeks runs of your municipality (published only unless ?status=draft,
    which coordinators may ask for)."""

    serializer_class = SafetyIndexResultSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadIndex]
    filterset_class = SafetyIndexResultFilterSet
    ordering_fields = ["score", "run__year", "area__code"]
    ordering = ["run__year", "run__level", "area__level", "area__code"]

    def get_queryset(self):
        qs = safety_results_visible_to(self.request.user).select_related("run__method", "area")
        if not self.request.user.has_perm("tryghedsindeks.manage_index"):
            qs = qs.filter(run__status="published")
        elif self.request.query_params.get("status") != "draft":
            qs = qs.filter(run__status="published")
        return qs
