"""Read-only API of evaluations and closure reports, scoped by the same selectors as the pages."""
from rest_framework import permissions, viewsets

from .. import selectors
from ..filters import ClosureReportFilterSet, EvaluationFilterSet
from .serializers import ClosureReportSerializer, EvaluationSerializer


class CanUseEvaluations(permissions.BasePermission):
    """Coordinators and administration reporters (``evaluations.use``); others get 403."""

    def has_permission(self, request, view):
        return request.user.has_perm("evaluations.use")


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    """Evaluations the user may see; filter by ``round``, ``administration``, ``status``, ``focus_area``, ``q``."""

    serializer_class = EvaluationSerializer
    permission_classes = [permissions.IsAuthenticated, CanUseEvaluations]
    filterset_class = EvaluationFilterSet
    ordering_fields = ["id", "status", "submitted_at"]

    def get_queryset(self):
        return (selectors.evaluations_visible_to(self.request.user)
                .select_related("round", "initiative", "administration").order_by("round", "id"))


class ClosureReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Closure reports the user may see (effect goal 4); filter by ``administration`` and ``year``."""

    serializer_class = ClosureReportSerializer
    permission_classes = [permissions.IsAuthenticated, CanUseEvaluations]
    filterset_class = ClosureReportFilterSet
    ordering_fields = ["closed_from", "id"]

    def get_queryset(self):
        return selectors.closure_list(user=self.request.user).order_by("-closed_from", "id")
