"""Endpoints of indicators and indicator values.

Reads start from the scoping selectors; writes call the same services as the
form and the upload (permission checks included), so the API cannot do what
the pages may not.
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from areas.api.selectors import areas_visible_to
from indicators import selectors, services
from indicators.filters import IndicatorFilterSet, IndicatorValueFilterSet, ReportingCalendarFilterSet

from .common import ApiViewMixin, CanUseApi
from .serializers import (
    IndicatorSerializer,
    IndicatorValueSerializer,
    IndicatorValueWriteSerializer,
    ReportingCompletenessSerializer,
)


def _drf_error(exc: DjangoValidationError) -> ValidationError:
    """A service's refusal as a 400: field errors by field, anything else as one ``detail`` string (the
    schema's error body)."""
    if hasattr(exc, "error_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"detail": " ".join(str(m) for m in exc.messages)})


class IndicatorViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Indicator definitions (seed 001, annex 1 §5, Table 2, and any a municipality adds)."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    ordering_fields = ["number"]

    def get_queryset(self):
        return (selectors.indicators_visible_to(self.request.user)
                .select_related("programme", "focus_area", "responsible").prefetch_related("co_responsible")
                .order_by("programme", "number"))


# What ``IndicatorValueSerializer`` reads, and nothing else (``supersedes`` is shown as its id).
VALUE_LIST_COLUMNS = (
    "id", "indicator_id", "area_id", "period_type", "period_start", "value", "source", "note", "status",
    "revision", "supersedes_id", "superseded_at", "is_computed", "is_demo", "entered_at", "submitted_at",
    "approved_at", "indicator__number", "indicator__counts_persons", "area__level", "area__code", "area__name")


class ValueWritePermission(CanUseApi):
    """Reading: every API role. Creating: administration reporters (the service checks the indicator).
    Approving: coordinators."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "action", None) == "approve":
            return request.user.has_perm("indicators.approve_values")
        return request.user.has_perm("indicators.enter_values")


class IndicatorValueViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Indicator values, every revision; ``published=true`` gives each period's published figure only.

    A reporter POSTs a value for an indicator of their administration: it is
    saved as a draft, or as a new revision when the period's value is already
    approved. ``submit`` hands a draft to the coordinators; a coordinator's
    ``approve`` publishes it.
    """

    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet
    permission_classes = [ValueWritePermission]
    ordering_fields = ["period_start", "value", "revision", "indicator__number", "area__code", "entered_at"]

    def get_queryset(self):
        # Ordered by the columns of the unique index (indicator, area, period, revision), so a page is an
        # index walk of ``limit`` rows however big the table is; ordering by the indicator's number and the
        # area's code (other tables) would sort every visible row on every page. Only the columns the
        # serializer shows are read: the area's boundary (GeoJSON, up to tens of kB) is not.
        return (selectors.indicator_values_visible_to(self.request.user)
                .select_related("indicator", "area").only(*VALUE_LIST_COLUMNS)
                .order_by("indicator_id", "area_id", "period_type", "period_start", "revision"))

    @extend_schema(request=IndicatorValueWriteSerializer, responses={201: IndicatorValueSerializer})
    def create(self, request, *args, **kwargs):
        user = request.user
        indicators = selectors.indicators_visible_to(user).filter(formula="").filter(
            Q(responsible_id=user.administration_id) | Q(co_responsible=user.administration_id)).distinct()
        write = IndicatorValueWriteSerializer(data=request.data, indicators=indicators,
                                              areas=areas_visible_to(user))
        write.is_valid(raise_exception=True)
        d = write.validated_data
        period_type, period_start = d["period"]
        try:
            value = services.indicator_value_save(
                user=user, indicator=d["indicator"], area=d["area"], period_type=period_type,
                period_start=period_start, value=d["value"], source=d["source"], note=d.get("note", ""))
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        return Response(IndicatorValueSerializer(value).data, status=status.HTTP_201_CREATED)

    def _transition(self, service):
        value = self.get_object()
        try:
            value = service(user=self.request.user, value=value)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        value.refresh_from_db()
        return Response(IndicatorValueSerializer(value).data)

    @extend_schema(request=None, responses={200: IndicatorValueSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft for approval (reporter of the responsible administration)."""
        return self._transition(services.indicator_value_submit)

    @extend_schema(request=None, responses={200: IndicatorValueSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted value (coordinator); a revision replaces the published figure."""
        return self._transition(services.indicator_value_approve)


class ReportingCompletenessViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Reporting completeness and on-time rate per indicator with a reporting calendar (as of today).

    Filter by ``programme``, ``administration`` (the owner's code), ``indicator`` (number) or ``period_type``;
    sum ``expected``, ``reported`` and ``on_time`` over an administration's rows for its own rates.
    """

    serializer_class = ReportingCompletenessSerializer
    filterset_class = ReportingCalendarFilterSet
    ordering_fields = ["indicator__number", "due_days"]

    def get_queryset(self):
        return (selectors.reporting_calendars_visible_to(self.request.user)
                .select_related("indicator__programme", "indicator__responsible")
                .order_by("indicator__programme_id", "indicator__number"))
