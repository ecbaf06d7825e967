"""Read-only API of safety walks, findings and actions, scoped by the same selectors as the pages."""
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, viewsets

from indicators.api.common import ApiViewMixin

from .. import selectors
from ..filters import ActionFilterSet, FindingFilterSet, SafetyWalkFilterSet
from .serializers import ActionSerializer, FindingSerializer, SafetyWalkSerializer


class CanReadSafetyWalks(permissions.BasePermission):
    """Every role of the municipality reads (``safetywalks.view``); nobody writes through the API."""

    message = _("Your role does not give access to safety walks.")

    def has_permission(self, request, view):
        return (request.method in permissions.SAFE_METHODS and request.user.is_authenticated
                and request.user.has_perm("safetywalks.view"))


class SafetyWalkViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Safety walks of the user's municipality; filter by ``area``, ``year``, ``leader``."""

    serializer_class = SafetyWalkSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadSafetyWalks]
    filterset_class = SafetyWalkFilterSet
    ordering_fields = ["date", "id"]

    def get_queryset(self):
        return (selectors.walks_visible_to(self.request.user).select_related("area")
                .prefetch_related("organisations").order_by("-date", "-id"))


class FindingViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Findings of the walks; filter by ``walk``, ``area``, ``kind``, ``category``."""

    serializer_class = FindingSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadSafetyWalks]
    filterset_class = FindingFilterSet
    ordering_fields = ["id"]

    def get_queryset(self):
        return selectors.findings_visible_to(self.request.user).select_related("walk").order_by("id")


class ActionViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Actions of the findings; filter by ``area``, ``status``, ``organisation``, ``walk``, ``overdue``."""

    serializer_class = ActionSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadSafetyWalks]
    filterset_class = ActionFilterSet
    ordering_fields = ["deadline", "id"]

    def get_queryset(self):
        return selectors.action_list(user=self.request.user)
