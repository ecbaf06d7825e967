"""Areas for the REST API; the boundary (GeoJSON) only when asked for, since it is large."""
from rest_framework import serializers

from areas.models import Area


class AreaSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)
    parent_level = serializers.CharField(source="parent.level", read_only=True, allow_null=True, default=None)
    municipality = serializers.CharField(source="municipality.code", read_only=True)

    class Meta:
        model = Area
        fields = ["id", "municipality", "level", "code", "name", "parent", "parent_level", "parent_code",
                  "area_m2", "source"]


class AreaGeometrySerializer(AreaSerializer):
    geometry = serializers.JSONField(read_only=True, help_text="GeoJSON geometry (WGS84 lon/lat).")

    class Meta(AreaSerializer.Meta):
        fields = [*AreaSerializer.Meta.fields, "geometry"]
