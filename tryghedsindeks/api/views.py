"""Tryghedsindeks API: results, filterable by year, area level, category and method version."""
from rest_framework import permissions, viewsets

from sikkerby.api_serializers import ValuesListMixin

from ..filters import SafetyIndexResultFilterSet
from ..selectors import safety_results_visible_to
from .serializers import SafetyIndexResultSerializer

RESULT_LIST_COLUMNS = (
    "id", "run_id", "area_id", "respondents", "police_rate", "victimisation_score", "perceived_crime_subscore",
    "safe_day_score", "safe_evening_score", "police_score", "score", "category", "uncertain",
    "uncertainty_reasons", "run__year", "run__level", "run__status", "run__inputs_sha256",
    "run__contains_demo_data", "run__method_id", "run__method__version", "area__code", "area__name",
    "area__level")


class CanReadIndex(permissions.BasePermission):
    message = "Your role may not read the safety index."

    def has_permission(self, request, view):
        return request.user.has_perm("tryghedsindeks.api_read")


class SafetyIndexResultViewSet(ValuesListMixin, viewsets.ReadOnlyModelViewSet):
    """Results of the Tryghedsindeks runs of your municipality (published only unless ?status=draft,
    which coordinators may ask for)."""

    serializer_class = SafetyIndexResultSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadIndex]
    filterset_class = SafetyIndexResultFilterSet
    ordering_fields = ["score", "run__year", "area__code"]
    # The unique index (run, area): a page is an index walk, not a sort of every result on four columns of
    # three tables. Runs come in the order they were computed, a run's areas in the order they were made.
    ordering = ["run", "area"]

    def get_queryset(self):
        # Only what the serializer shows: not the run's input snapshot, the method's parameters or the
        # area's boundary (all JSON, decoded per row).
        qs = (safety_results_visible_to(self.request.user).select_related("run__method", "area")
              .only(*RESULT_LIST_COLUMNS))
        if not self.request.user.has_perm("tryghedsindeks.manage_index"):
            qs = qs.filter(run__status="published")
        elif self.request.query_params.get("status") != "draft":
            qs = qs.filter(run__status="published")
        return qs
