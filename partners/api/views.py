"""Read-only API of partners and monthly progress entries, scoped by the same selectors as the pages."""
from django.db.models import Prefetch
from rest_framework import permissions, viewsets

from .. import selectors
from ..filters import PartnerFilterSet, ProgressEntryFilterSet
from .serializers import PartnerSerializer, ProgressEntrySerializer


class CanUsePartnersApi(permissions.BasePermission):
    """Coordinators, administration reporters and API clients (``partners.api``); others get 403."""

    def has_permission(self, request, view):
        return request.user.has_perm("partners.api")


class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """Partners of the user's municipality with the initiatives they run or fund; filter by ``sector``,
    ``is_active``, ``q`` (name), ``initiative`` and ``role``."""

    serializer_class = PartnerSerializer
    permission_classes = [permissions.IsAuthenticated, CanUsePartnersApi]
    filterset_class = PartnerFilterSet
    ordering_fields = ["id", "name", "sector"]

    def get_queryset(self):
        user = self.request.user
        return (selectors.partners_visible_to(user).order_by("id").prefetch_related(Prefetch(
            "involvements", queryset=selectors.involvements_visible_to(user).select_related("initiative")
            .order_by("-year", "initiative__name"))))


class ProgressEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Monthly progress entries; filter by ``month`` / ``month_from`` / ``month_to`` (YYYY-MM), ``year``,
    ``status``, ``administration``, ``initiative`` and ``partner``."""

    serializer_class = ProgressEntrySerializer
    permission_classes = [permissions.IsAuthenticated, CanUsePartnersApi]
    filterset_class = ProgressEntryFilterSet
    ordering_fields = ["id", "month", "status"]

    def get_queryset(self):
        return (selectors.progress_entries_visible_to(self.request.user)
                .select_related("initiative__administration").order_by("-month", "id"))
