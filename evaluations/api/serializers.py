"""Serializers of the evaluations API (read only). Fields are listed, never ``__all__``."""
from rest_framework import serializers

from sikkerby.databasis import DataBasisField

from ..models import ANSWER_FIELDS, ClosureReport, Evaluation


class EvaluationSerializer(serializers.ModelSerializer):
    """One evaluation with every answer; amounts in 1,000 DKK at ``price_level_year``."""

    round_year = serializers.IntegerField(source="round.year", read_only=True)
    initiative_key = serializers.CharField(source="initiative.key", read_only=True)
    initiative_name = serializers.CharField(source="initiative.name", read_only=True)
    administration = serializers.CharField(source="administration.code", read_only=True)
    # Scores 1–5 (empty: the dimension does not apply); plain integers, not one enum per dimension.
    education_score = serializers.IntegerField(read_only=True, allow_null=True)
    family_score = serializers.IntegerField(read_only=True, allow_null=True)
    social_score = serializers.IntegerField(read_only=True, allow_null=True)
    leisure_score = serializers.IntegerField(read_only=True, allow_null=True)
    crime_score = serializers.IntegerField(read_only=True, allow_null=True)
    data_basis = DataBasisField(source="round.is_demo", help_text="real or demo: whether the round is demo data")

    class Meta:
        model = Evaluation
        fields = ["id", "round", "round_year", "initiative", "initiative_key", "initiative_name", "administration",
                  "status", "version", "submitted_at", "data_basis", *ANSWER_FIELDS]
        read_only_fields = fields


class ClosureReportSerializer(serializers.ModelSerializer):
    administration = serializers.CharField(source="administration.code", read_only=True)
    # A closure is reported for a registered area or described in ``area_text``: the name may be null.
    area_name = serializers.CharField(source="area.name", read_only=True, allow_null=True, default=None)
    data_basis = DataBasisField(source="is_demo", help_text="real or demo")

    class Meta:
        model = ClosureReport
        fields = ["id", "administration", "institution", "area", "area_name", "area_text", "extent", "closed_from",
                  "closed_to", "services_affected", "reason", "actions_taken", "reported_at", "data_basis"]
        read_only_fields = fields
