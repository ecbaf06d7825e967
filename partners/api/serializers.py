"""Serializers of the partners API (read only). Fields are listed, never ``__all__``; no contact persons."""
from rest_framework import serializers

from sikkerby.databasis import DataBasisField

from ..models import Partner, PartnerInitiative, ProgressEntry


class PartnerInitiativeSerializer(serializers.ModelSerializer):
    """An initiative the partner runs or funds in a year; ``amount_tdkk`` in 1,000 DKK at ``price_level_year``."""

    initiative_key = serializers.CharField(source="initiative.key", read_only=True)
    initiative_name = serializers.CharField(source="initiative.name", read_only=True)

    class Meta:
        model = PartnerInitiative
        fields = ["initiative", "initiative_key", "initiative_name", "year", "role", "amount_tdkk",
                  "price_level_year", "note"]
        read_only_fields = fields


class PartnerSerializer(serializers.ModelSerializer):
    initiatives = PartnerInitiativeSerializer(source="involvements", many=True, read_only=True)
    data_basis = DataBasisField(source="is_demo", help_text="real or demo")

    class Meta:
        model = Partner
        fields = ["id", "name", "sector", "description", "website", "is_active", "initiatives", "data_basis"]
        read_only_fields = fields


class ProgressEntrySerializer(serializers.ModelSerializer):
    """One initiative's monthly progress entry; ``month`` is the month's first day."""

    initiative_key = serializers.CharField(source="initiative.key", read_only=True)
    initiative_name = serializers.CharField(source="initiative.name", read_only=True)
    administration = serializers.CharField(source="initiative.administration.code", read_only=True)
    data_basis = DataBasisField(source="is_demo", help_text="real or demo")

    class Meta:
        model = ProgressEntry
        fields = ["id", "initiative", "initiative_key", "initiative_name", "administration", "month", "status",
                  "narrative", "figures", "risks", "next_steps", "updated_at", "data_basis"]
        read_only_fields = fields
