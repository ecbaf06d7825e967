"""Serializers of the safety-walks API (read only). Fields are listed, never ``__all__``; no person is named
(the users who planned or closed are left out: the organisations are what the API is about)."""
from django.urls import reverse
from rest_framework import serializers

from sikkerby.databasis import DataBasisField

from ..models import Action, Finding, SafetyWalk


class SafetyWalkSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    organisations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    route = serializers.JSONField(read_only=True, help_text="GeoJSON LineString (lon, lat), or null")
    data_basis = DataBasisField(source="is_demo", help_text="real or demo")

    class Meta:
        model = SafetyWalk
        fields = ["id", "area", "area_name", "housing_area", "date", "leader", "organisations", "route", "notes",
                  "data_basis"]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    photo_url = serializers.SerializerMethodField(help_text="The page serving the photo (same access), or null")
    data_basis = DataBasisField(source="walk.is_demo", help_text="real or demo")

    class Meta:
        model = Finding
        fields = ["id", "walk", "kind", "category", "latitude", "longitude", "description", "proposed_action",
                  "photo_url", "data_basis"]
        read_only_fields = fields

    def get_photo_url(self, obj) -> str | None:
        return reverse("safetywalks:finding_photo", args=[obj.pk]) if obj.photo else None


class ActionSerializer(serializers.ModelSerializer):
    walk = serializers.IntegerField(source="finding.walk_id", read_only=True)
    area = serializers.IntegerField(source="finding.walk.area_id", read_only=True)
    responsible_name = serializers.CharField(source="responsible.name", read_only=True)
    data_basis = DataBasisField(source="finding.walk.is_demo", help_text="real or demo")

    class Meta:
        model = Action
        fields = ["id", "finding", "walk", "area", "description", "responsible", "responsible_name", "deadline",
                  "status", "done_on", "data_basis"]
        read_only_fields = fields
