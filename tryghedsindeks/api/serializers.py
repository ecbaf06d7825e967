"""Serializers of the Tryghedsindeks API (read only)."""
from rest_framework import serializers

from sikkerby.api_serializers import ValuesRepresentation, choice_label

from ..models import SafetyIndexResult


class SafetyIndexResultSerializer(ValuesRepresentation, serializers.ModelSerializer):
    """One area's score and category in one run, with the component scores and the run's provenance."""

    values_computed = {"category_label": choice_label(SafetyIndexResult, "category")}

    year = serializers.IntegerField(source="run.year")
    level = serializers.CharField(source="run.level")
    method_version = serializers.CharField(source="run.method.version")
    run_status = serializers.CharField(source="run.status")
    inputs_sha256 = serializers.CharField(source="run.inputs_sha256")
    contains_demo_data = serializers.BooleanField(source="run.contains_demo_data")
    area_code = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    area_level = serializers.CharField(source="area.level")
    category_label = serializers.CharField(source="get_category_display")

    class Meta:
        model = SafetyIndexResult
        fields = ["id", "year", "level", "method_version", "run_status", "inputs_sha256", "contains_demo_data",
                  "area_code", "area_name", "area_level", "score", "category", "category_label", "uncertain",
                  "uncertainty_reasons", "respondents", "police_rate", "victimisation_score",
                  "perceived_crime_subscore", "safe_day_score", "safe_evening_score", "police_score"]
        read_only_fields = fields
