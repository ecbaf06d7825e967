"""Serializers of indicators and their values. Writes go through ``indicators.services``."""
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from areas.models import Area
from indicators import selectors
from indicators.models import (
    Indicator,
    IndicatorValue,
    ReportingCalendar,
    ValueStatus,
    parse_period,
    period_label,
    value_is_suppressed,
)
from sikkerby.api_serializers import ValuesRepresentation
from sikkerby.databasis import DataBasisField


class IndicatorSerializer(serializers.ModelSerializer):
    focus_area = serializers.IntegerField(source="focus_area.number", read_only=True)
    responsible = serializers.CharField(source="responsible.code", read_only=True)
    co_responsible = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    programme = serializers.CharField(source="programme.slug", read_only=True)
    is_computed = serializers.BooleanField(read_only=True)
    counts_persons = serializers.BooleanField(
        read_only=True, help_text="The values are numbers of people: an approved value below the small-count "
                                  "threshold is null with suppressed true.")

    class Meta:
        model = Indicator
        fields = ["id", "programme", "number", "text", "focus_area", "responsible", "co_responsible", "direction",
                  "unit", "counts_persons", "formula", "is_computed", "target_value", "target_year"]


def _suppressed(row) -> bool:
    return value_is_suppressed(row["status"], row["indicator__counts_persons"], row["value"])


class IndicatorValueSerializer(ValuesRepresentation, serializers.ModelSerializer):
    """One revision of a value. ``period`` is 2011, 2011-Q2 or 2011-03."""

    # The model's properties, from the columns they rest on (lists are read as values() rows).
    values_computed = {
        "period": (("period_type", "period_start"), lambda r: period_label(r["period_type"], r["period_start"])),
        "is_published": (("status", "superseded_at"),
                         lambda r: r["status"] == ValueStatus.APPROVED and r["superseded_at"] is None),
        "value": (("status", "indicator__counts_persons", "value"), lambda r: None if _suppressed(r) else r["value"]),
        "suppressed": (("status", "indicator__counts_persons", "value"), _suppressed),
    }

    indicator_number = serializers.IntegerField(source="indicator.number", read_only=True)
    area_level = serializers.CharField(source="area.level", read_only=True)
    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    period = serializers.CharField(read_only=True)
    is_published = serializers.BooleanField(read_only=True)
    revision_of = serializers.PrimaryKeyRelatedField(source="supersedes", read_only=True, allow_null=True)
    data_basis = DataBasisField(source="is_demo", help_text="real, demo or synthetic: what the value rests on")
    value = serializers.DecimalField(
        source="shown_value", max_digits=16, decimal_places=4, read_only=True, allow_null=True,
        help_text="The value; null when it is suppressed (see suppressed).")
    suppressed = serializers.BooleanField(
        source="is_suppressed", read_only=True,
        help_text="True when the value is hidden: an approved value of an indicator that counts persons "
                  "(counts_persons) below the small-count threshold (5). Open revisions (draft, submitted) are "
                  "shown as entered to the reporters and coordinators who may see them.")

    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "indicator_number", "area", "area_level", "area_code", "area_name", "period",
                  "period_type", "period_start", "value", "suppressed", "source", "note", "status", "revision", "revision_of",
                  "is_published", "superseded_at", "is_computed", "is_demo", "data_basis", "entered_at",
                  "submitted_at", "approved_at"]
        read_only_fields = fields


class IndicatorValueWriteSerializer(serializers.Serializer):
    """A value to save as a draft (or a revision of an approved one) for the reporter's administration."""

    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.none())
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.none())
    period = serializers.CharField(max_length=7, help_text="2011, 2011-Q2 or 2011-03")
    value = serializers.DecimalField(max_digits=16, decimal_places=4, min_value=Decimal("-999999999999"),
                                     max_value=Decimal("999999999999"))
    source = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def __init__(self, *args, indicators=None, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if indicators is not None:
            self.fields["indicator"].queryset = indicators
        if areas is not None:
            self.fields["area"].queryset = areas

    def validate_period(self, value):
        try:
            return parse_period(value)
        except ValueError as exc:
            raise serializers.ValidationError(_("Write a year (2011), a quarter (2011-Q2) or a month (2011-03).")) from exc


class _CompletenessListSerializer(serializers.ListSerializer):
    """Computes the figures of a whole page (or CSV chunk) of calendars at once: one query, not one per row."""

    def to_representation(self, data):
        calendars = list(data.all() if hasattr(data, "all") else data)
        self.child.context["status"] = {row["calendar"].pk: row for row in selectors.reporting_status(
            calendars=calendars, today=self.child.context.get("today") or timezone.localdate())}
        return super().to_representation(calendars)


class ReportingCompletenessSerializer(serializers.ModelSerializer):
    """One indicator's reporting calendar with its completeness and on-time rate as of today.

    ``completeness`` and ``on_time_rate`` are percentages of the periods due so far (null when none is due);
    ``overdue_periods`` are the due periods with no submitted value.
    """

    indicator = serializers.IntegerField(source="indicator.number", read_only=True)
    indicator_id = serializers.IntegerField(read_only=True)
    programme = serializers.CharField(source="indicator.programme.slug", read_only=True)
    administration = serializers.CharField(source="indicator.responsible.code", read_only=True,
                                           help_text="The owner administration (code).")
    first_period = serializers.SerializerMethodField()
    expected = serializers.SerializerMethodField(help_text="Periods due so far.")
    reported = serializers.SerializerMethodField(help_text="Periods due so far with a submitted value.")
    on_time = serializers.SerializerMethodField(help_text="Periods reported by their due date.")
    completeness = serializers.SerializerMethodField(help_text="reported / expected in percent; null if none due.")
    on_time_rate = serializers.SerializerMethodField(help_text="on_time / expected in percent; null if none due.")
    overdue_periods = serializers.SerializerMethodField()

    class Meta:
        model = ReportingCalendar
        list_serializer_class = _CompletenessListSerializer
        fields = ["id", "indicator_id", "indicator", "programme", "administration", "period_type", "first_period",
                  "due_days", "escalate_after_days", "expected", "reported", "on_time", "completeness",
                  "on_time_rate", "overdue_periods"]

    def _row(self, obj) -> dict:
        status = self.context.get("status")
        if status is None or obj.pk not in status:
            status = self.context["status"] = {obj.pk: selectors.reporting_status(
                calendars=[obj], today=self.context.get("today") or timezone.localdate())[0]}
        return status[obj.pk]

    def get_first_period(self, obj) -> str:
        return period_label(obj.period_type, obj.first_period_start)

    def get_expected(self, obj) -> int:
        return self._row(obj)["expected"]

    def get_reported(self, obj) -> int:
        return self._row(obj)["reported"]

    def get_on_time(self, obj) -> int:
        return self._row(obj)["on_time"]

    def get_completeness(self, obj) -> int | None:
        return self._row(obj)["completeness"]

    def get_on_time_rate(self, obj) -> int | None:
        return self._row(obj)["on_time_rate"]

    def get_overdue_periods(self, obj) -> list[str]:
        return [p["period"] for p in self._row(obj)["overdue"]]
