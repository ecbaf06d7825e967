"""Read-only API of the key-figure reports (coordinators and API clients of the municipality)."""
from auditlog.signals import accessed
from rest_framework import permissions, viewsets

from .. import selectors
from ..filters import KeyFigureReportFilterSet
from ..models import KeyFigureReport
from .serializers import KeyFigureReportDetailSerializer, KeyFigureReportSerializer


class CanReadKeyFigures(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("crimestats.api_key_figures")


class KeyFigureReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Produced ØU key-figure reports; the detail holds every figure (small counts already suppressed)."""

    permission_classes = [permissions.IsAuthenticated, CanReadKeyFigures]
    filterset_class = KeyFigureReportFilterSet
    ordering_fields = ["period_end", "version"]

    def get_queryset(self):
        qs = selectors.key_figure_reports_visible_to(self.request.user).order_by("-period_end", "-version")
        if self.action == "retrieve":  # the figures, still without the PDF and the workbook
            qs = qs.defer(None).defer("pdf", "xlsx")
        return qs

    def get_serializer_class(self):
        return KeyFigureReportDetailSerializer if self.action == "retrieve" else KeyFigureReportSerializer

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        accessed.send(KeyFigureReport, instance=self.get_object())
        return response
