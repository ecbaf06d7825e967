"""What a figure rests on: real data, demo data or synthetic data — one label for every output.

The data records it (``IndicatorValue.is_demo``, ``ExitCase.is_fictional``,
``SafetyIndexRun.contains_demo_data``, ``EvaluationRound.is_demo``,
``ClosureReport.is_demo``, ``PoliceImport.synthetic``); every page, export and
API row that shows a figure carries the basis of the data it was computed
from, through the one template tag (``{% data_basis %}`` in
``operations/templatetags/databasis.py``), the one serializer field
(``DataBasisField``) or the PDF's page header. Real reference data (the
programmes' annexes, STRAF11, the areas) is ``real`` and never labelled.
Who looks (a demo user or not) does not change the label.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataBasis(models.TextChoices):
    REAL = "real", _("real data")
    DEMO = "demo", _("demo data")
    SYNTHETIC = "synthetic", _("synthetic data")


def basis(*, demo: bool = False, synthetic: bool = False) -> str:
    """The basis of a figure computed from data that is (partly) demo and/or synthetic."""
    if synthetic:
        return DataBasis.SYNTHETIC
    return DataBasis.DEMO if demo else DataBasis.REAL


def combine(*bases: str | None) -> str:
    """The basis of a figure resting on several: synthetic over demo over real."""
    got = {b for b in bases if b}
    if DataBasis.SYNTHETIC in got:
        return DataBasis.SYNTHETIC
    return DataBasis.DEMO if DataBasis.DEMO in got else DataBasis.REAL


def label(value: str | None) -> str:
    """The words shown beside a figure ("" for real data)."""
    if value == DataBasis.SYNTHETIC:
        return str(_("Synthetic data – not real figures"))
    if value == DataBasis.DEMO:
        return str(_("Demo data – not real figures"))
    return ""


def _serializer_field():
    from drf_spectacular.utils import extend_schema_field
    from rest_framework import serializers

    # the schema says what the field holds: one of the three bases (not the boolean flag it is read from)
    @extend_schema_field(serializers.ChoiceField(choices=DataBasis.choices))
    class DataBasisField(serializers.ReadOnlyField):
        """The basis of an API row ("real", "demo" or "synthetic") from its source flag or basis."""

        def to_representation(self, value):
            if isinstance(value, bool):
                return str(basis(demo=value))
            return str(value or DataBasis.REAL)

    return DataBasisField


DataBasisField = _serializer_field()
