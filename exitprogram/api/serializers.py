"""Serializers of the exit-programme statistics API: aggregates only, never a case or a person."""
from rest_framework import serializers

from sikkerby.databasis import DataBasis

DATA_BASIS_HELP = "real or demo: whether the row rests on fictional demo cases."


class YearRowSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Referral year.")
    cases = serializers.IntegerField(allow_null=True, help_text="null = suppressed (fewer than 5).")
    gang = serializers.IntegerField(allow_null=True)
    general = serializers.IntegerField(allow_null=True)
    open = serializers.IntegerField(allow_null=True)
    closed = serializers.IntegerField(allow_null=True)
    completed = serializers.IntegerField(allow_null=True)
    followed_up = serializers.IntegerField(allow_null=True)
    data_basis = serializers.ChoiceField(choices=DataBasis.choices, help_text=DATA_BASIS_HELP)


class ChannelRowSerializer(serializers.Serializer):
    channel = serializers.CharField()
    cases = serializers.IntegerField(allow_null=True)
    data_basis = serializers.ChoiceField(choices=DataBasis.choices, help_text=DATA_BASIS_HELP)


class PoolRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    administration = serializers.CharField()
    price_level_year = serializers.IntegerField()
    cases = serializers.IntegerField(allow_null=True)
    amount_tdkk = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True,
                                           help_text="Thousands of DKK; null when fewer than 5 cases.")
    data_basis = serializers.ChoiceField(choices=DataBasis.choices, help_text=DATA_BASIS_HELP)


class Goal2Serializer(serializers.Serializer):
    measure = serializers.CharField()
    target_percent = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    value_percent = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    cases = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    data_basis = serializers.ChoiceField(choices=DataBasis.choices, help_text=DATA_BASIS_HELP)


class ExitStatisticsSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    suppression_threshold = serializers.IntegerField()
    data_basis = serializers.ChoiceField(choices=DataBasis.choices, help_text=DATA_BASIS_HELP)
    goal2 = Goal2Serializer()
    by_referral_year = YearRowSerializer(many=True)
    by_entry_channel = ChannelRowSerializer(many=True)
    pool_by_administration = PoolRowSerializer(many=True)
