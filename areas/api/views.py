"""Read-only area endpoint: the area hierarchy of the user's municipality, with GeoJSON on request."""
import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from areas.models import Area, AreaLevel
from indicators.api.common import ApiViewMixin
from initiatives.filters import IntegerFilter

from .selectors import areas_visible_to
from .serializers import AreaGeometrySerializer, AreaSerializer

GEOMETRY = OpenApiParameter("geometry", OpenApiTypes.BOOL, description="Include the boundary as GeoJSON.")


class AreaFilterSet(django_filters.FilterSet):
    """Areas by level, code, parent, and name."""

    level = django_filters.ChoiceFilter(choices=AreaLevel.choices, label=_("Level"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))
    parent = IntegerFilter(field_name="parent_id", label=_("Parent area (id)"))

    class Meta:
        model = Area
        fields = ["level", "code", "parent", "q"]


@extend_schema_view(list=extend_schema(parameters=[GEOMETRY]), retrieve=extend_schema(parameters=[GEOMETRY]))
class AreaViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Areas at every level (city, bydel, local-committee area, district, …)."""

    filterset_class = AreaFilterSet
    ordering_fields = ["level", "code", "name"]

    def _with_geometry(self) -> bool:
        return self.request.query_params.get("geometry", "").lower() in ("1", "true", "yes")

    def get_serializer_class(self):
        return AreaGeometrySerializer if self._with_geometry() else AreaSerializer

    def get_queryset(self):
        qs = areas_visible_to(self.request.user).select_related("municipality", "parent").order_by("level", "code")
        return qs if self._with_geometry() else qs.defer("geometry")
