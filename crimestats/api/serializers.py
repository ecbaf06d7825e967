"""Key-figure reports for REST clients: metadata in the list, every (suppressed) figure in the detail."""
from rest_framework import serializers

from ..models import KeyFigureReport


class KeyFigureReportSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code")

    class Meta:
        model = KeyFigureReport
        fields = ["id", "municipality", "period_start", "period_end", "label", "version", "status", "produced_at",
                  "published_at"]


class KeyFigureReportDetailSerializer(KeyFigureReportSerializer):
    figures = serializers.JSONField(source="data")

    class Meta(KeyFigureReportSerializer.Meta):
        fields = [*KeyFigureReportSerializer.Meta.fields, "figures"]
