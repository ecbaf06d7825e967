"""Serializers of the programme models for the REST API (read only; programme data holds no personal data)."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.measures import GoalStatus
from initiatives.models import Administration, BudgetLine, EffectGoal, FocusArea, Initiative, Programme
from sikkerby.databasis import DataBasis


class ProgrammeSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "slug", "name", "municipality", "municipality_name", "vision", "start_year", "end_year",
                  "source"]


class AdministrationSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)

    class Meta:
        model = Administration
        fields = ["id", "municipality", "code", "name"]


class FocusAreaSerializer(serializers.ModelSerializer):
    effect_goals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = FocusArea
        fields = ["id", "programme", "number", "title", "vision", "hypothesis", "target_group", "effect_goals"]


class BudgetLineSerializer(serializers.ModelSerializer):
    amount_tdkk = serializers.DecimalField(max_digits=14, decimal_places=3, coerce_to_string=True, read_only=True,
                                          help_text="Thousands of DKK at the price level of price_level_year.")

    class Meta:
        model = BudgetLine
        fields = ["id", "initiative", "year", "kind", "amount_tdkk", "price_level_year", "note"]


class InitiativeSerializer(serializers.ModelSerializer):
    administration = serializers.CharField(source="administration.code", read_only=True)
    focus_areas = serializers.SerializerMethodField()
    budget_lines = BudgetLineSerializer(many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = ["id", "programme", "key", "name", "administration", "status", "focus_areas", "funding_status",
                  "funding_source", "description", "target_age_min", "target_age_max", "area_text", "source",
                  "budget_lines"]

    def get_focus_areas(self, obj) -> list[int]:
        return [fa.number for fa in obj.focus_areas.all()]


class MeasurementPointSerializer(serializers.Serializer):
    period = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class EffectGoalSerializer(serializers.ModelSerializer):
    """An effect goal with its current status, computed from its data by its registered measure."""

    responsible = serializers.CharField(source="responsible.code", read_only=True)
    status = serializers.SerializerMethodField()
    current_value = serializers.SerializerMethodField()
    n = serializers.SerializerMethodField()
    as_of = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()
    series = serializers.SerializerMethodField()
    data_basis = serializers.SerializerMethodField()
    target_period_start = serializers.SerializerMethodField()
    target_period_end = serializers.SerializerMethodField()
    final = serializers.SerializerMethodField()
    value_unit = serializers.SerializerMethodField()
    target_line = serializers.SerializerMethodField()
    target_label = serializers.SerializerMethodField()
    baseline_period = serializers.SerializerMethodField()
    baseline_measured = serializers.SerializerMethodField()

    class Meta:
        model = EffectGoal
        fields = ["id", "programme", "number", "text", "responsible", "direction", "unit", "baseline_year",
                  "baseline_value", "target_value", "target_kind", "target_text", "period_start", "deadline",
                  "data_source", "measure", "status", "final", "target_period_start", "target_period_end",
                  "current_value", "value_unit", "n", "as_of", "explanation", "target_line", "target_label",
                  "baseline_period", "baseline_measured", "series", "data_basis"]
        # A list of points does not fit a CSV row: CSV clients get it at /indicators/goals/<id>/series.csv.
        csv_exclude = ["series"]

    def _m(self, obj):
        from indicators.goals import effect_goal_measure

        cache = self.context.setdefault("_measurements", {})
        if obj.pk not in cache:
            cache[obj.pk] = effect_goal_measure(obj)
        return cache[obj.pk]

    @extend_schema_field(serializers.ChoiceField(choices=GoalStatus.choices))
    def get_status(self, obj):
        return str(self._m(obj).status)

    def get_current_value(self, obj) -> str | None:
        v = self._m(obj).value
        return None if v is None else str(v)

    def get_n(self, obj) -> int | None:
        return self._m(obj).n

    def get_as_of(self, obj) -> str | None:
        d = self._m(obj).as_of
        return d.isoformat() if d else None

    def get_explanation(self, obj) -> str:
        return str(self._m(obj).explanation)

    def _period(self, obj):
        return self._m(obj).period or obj.target_period()

    @extend_schema_field(serializers.DateField())
    def get_target_period_start(self, obj):
        """The first day of the period the status is computed within (``period_start``, else the baseline year)."""
        return self._period(obj)[0].isoformat()

    @extend_schema_field(serializers.DateField())
    def get_target_period_end(self, obj):
        """The last day of that period (the deadline, else the programme's last day)."""
        return self._period(obj)[1].isoformat()

    def get_final(self, obj) -> bool:
        """Whether the deadline has passed, so the status is final (met or not met)."""
        return self._m(obj).final

    def get_value_unit(self, obj) -> str:
        """The unit of current_value, series and target_line (e.g. charges for goal 1, whose goal unit is %)."""
        return self._m(obj).unit_for(obj)

    def get_target_line(self, obj) -> str | None:
        """The target in value_unit (goal 1: 98 % of the baseline year's count); null when there is none."""
        from indicators.goals import goal_target_line

        v = goal_target_line(obj, self._m(obj))
        return None if v is None else str(v)

    def get_target_label(self, obj) -> str:
        return str(self._m(obj).target_label)

    def get_baseline_period(self, obj) -> str | None:
        """The period of the baseline the data hold (null: none measured)."""
        b = self._m(obj).baseline
        return None if b is None else str(b[0])

    def get_baseline_measured(self, obj) -> str | None:
        """The baseline value the data hold, in value_unit."""
        b = self._m(obj).baseline
        return None if b is None or b[1] is None else str(b[1])

    @extend_schema_field(serializers.ChoiceField(choices=DataBasis.choices))
    def get_data_basis(self, obj):
        """real, demo or synthetic: what the status and value rest on."""
        return str(self._m(obj).data_basis)

    @extend_schema_field(MeasurementPointSerializer(many=True))
    def get_series(self, obj):
        return [{"period": str(p), "value": None if v is None else str(v)} for p, v in self._m(obj).series]
