"""Serializers of the SSP single-case API: counts per quarter only, never a concern or a person."""
from rest_framework import serializers

from sikkerby.databasis import DataBasis

SUPPRESSED = "null = suppressed (fewer than the small-count threshold, default 5)."


class QuarterCountsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    meetings_held = serializers.IntegerField(help_text="Single-case meetings held (not people: never suppressed).")
    concerns_registered = serializers.IntegerField(allow_null=True, help_text=SUPPRESSED)
    registered_by_police = serializers.IntegerField(allow_null=True, help_text=SUPPRESSED)
    registered_under_18 = serializers.IntegerField(allow_null=True, help_text=SUPPRESSED)
    concerns_handled = serializers.IntegerField(
        allow_null=True, help_text="Concerns a held meeting decided on in the quarter (each once). " + SUPPRESSED)
    concerns_closed = serializers.IntegerField(allow_null=True, help_text=SUPPRESSED)
    referred_to_exit = serializers.IntegerField(allow_null=True, help_text=SUPPRESSED)
    data_basis = serializers.ChoiceField(choices=DataBasis.choices,
                                         help_text="real or demo: whether the row rests on fictional concerns.")
