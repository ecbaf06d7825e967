"""FilterSets of the programme models: the same classes serve the pages and the API."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from .models import (
    Administration,
    BudgetKind,
    BudgetLine,
    EffectGoal,
    FocusArea,
    FundingStatus,
    Initiative,
    InitiativeStatus,
    Programme,
)


class InitiativeFilterSet(django_filters.FilterSet):
    """Filter initiatives by administration, focus area, funding status, status and name.

    Choice querysets are narrowed to the programme passed as ``programme``.
    """

    administration = django_filters.ModelChoiceFilter(
        queryset=Administration.objects.none(), label=_("Administration"), empty_label=_("All administrations"))
    focus_area = django_filters.ModelChoiceFilter(
        field_name="focus_areas", queryset=FocusArea.objects.none(), label=_("Focus area"),
        empty_label=_("All focus areas"))
    funding_status = django_filters.ChoiceFilter(
        choices=FundingStatus.choices, label=_("Funding status"), empty_label=_("Any funding status"))
    status = django_filters.ChoiceFilter(
        choices=InitiativeStatus.choices, label=_("Status"), empty_label=_("Existing and new"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))

    class Meta:
        model = Initiative
        fields = ["administration", "focus_area", "funding_status", "status", "q"]

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programme is not None:
            self.filters["administration"].queryset = Administration.objects.filter(
                municipality_id=programme.municipality_id).order_by("code")
            self.filters["focus_area"].queryset = programme.focus_areas.order_by("number")
        for name, field in self.form.fields.items():
            css = "form-select" if name != "q" else "form-control"
            field.widget.attrs.setdefault("class", css)


# --- the REST API (added by the indicators/API issue) -------------------------
@extend_schema_field({"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1})
class IntegerFilter(django_filters.NumberFilter):
    """A whole number within the database's range: ``?year=1e200`` is answered 400, never 500 (and the schema
    says integer, not number)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**31))
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


class YearFilter(IntegerFilter):
    """A calendar year 1900–2100: out-of-range years are answered 400, never a date overflow (500)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class InitiativeApiFilterSet(InitiativeFilterSet):
    """``InitiativeFilterSet`` for the API: the same filters, plus the programme, for any of the user's programmes."""

    programme = django_filters.ModelChoiceFilter(queryset=None, label=_("Programme"))

    class Meta(InitiativeFilterSet.Meta):
        fields = ["programme", *InitiativeFilterSet.Meta.fields]

    def __init__(self, *args, **kwargs):
        from .selectors import programmes_visible_to

        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        programmes = programmes_visible_to(user) if user else Programme.objects.none()
        self.filters["programme"].queryset = programmes
        self.filters["administration"].queryset = Administration.objects.filter(
            municipality__programmes__in=programmes).distinct()
        self.filters["focus_area"].queryset = FocusArea.objects.filter(programme__in=programmes)
        for name in ("programme", "administration", "focus_area"):  # the form was built by the parent already
            self.form.fields[name].queryset = self.filters[name].queryset


def _programme_queryset(request):
    from .selectors import programmes_visible_to

    return programmes_visible_to(request.user) if request is not None else Programme.objects.none()


class FocusAreaFilterSet(django_filters.FilterSet):
    """Focus areas by programme and number."""

    programme = django_filters.ModelChoiceFilter(queryset=_programme_queryset, label=_("Programme"))
    number = IntegerFilter()

    class Meta:
        model = FocusArea
        fields = ["programme", "number"]


class EffectGoalFilterSet(django_filters.FilterSet):
    """Effect goals by programme, number and responsible administration (code)."""

    programme = django_filters.ModelChoiceFilter(queryset=_programme_queryset, label=_("Programme"))
    administration = django_filters.CharFilter(field_name="responsible__code", label=_("Administration"))
    focus_area = IntegerFilter(field_name="focus_areas", label=_("Focus area"))
    number = IntegerFilter()

    class Meta:
        model = EffectGoal
        fields = ["programme", "number", "administration", "focus_area"]


class BudgetLineFilterSet(django_filters.FilterSet):
    """Budget lines by programme, initiative, administration (code), focus area, year range and kind."""

    programme = django_filters.ModelChoiceFilter(field_name="initiative__programme", queryset=_programme_queryset,
                                                 label=_("Programme"))
    administration = django_filters.CharFilter(field_name="initiative__administration__code",
                                               label=_("Administration"))
    focus_area = IntegerFilter(field_name="initiative__focus_areas", label=_("Focus area"))
    initiative = IntegerFilter(field_name="initiative_id")
    year = IntegerFilter()
    year_from = IntegerFilter(field_name="year", lookup_expr="gte")
    year_to = IntegerFilter(field_name="year", lookup_expr="lte")
    kind = django_filters.ChoiceFilter(choices=BudgetKind.choices, label=_("Kind"))

    class Meta:
        model = BudgetLine
        fields = ["programme", "initiative", "administration", "focus_area", "year", "year_from", "year_to", "kind"]
