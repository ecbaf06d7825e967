"""FilterSets of the evaluations app (pages and, later, the API use the same classes)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from initiatives.filters import IntegerFilter, YearFilter
from initiatives.models import Administration, FocusArea
from initiatives.selectors import programmes_visible_to

from .models import ClosureReport, Evaluation, EvaluationStatus


class EvaluationFilterSet(django_filters.FilterSet):
    """Filter a round's evaluations by administration, status, focus area and initiative name."""

    administration = django_filters.ModelChoiceFilter(
        queryset=Administration.objects.none(), label=_("Administration"), empty_label=_("All administrations"))
    status = django_filters.ChoiceFilter(choices=EvaluationStatus.choices, label=_("Status"),
                                         empty_label=_("Any status"))
    focus_area = django_filters.ModelChoiceFilter(
        field_name="initiative__focus_areas", queryset=FocusArea.objects.none(), label=_("Focus area"),
        empty_label=_("All focus areas"))
    q = django_filters.CharFilter(field_name="initiative__name", lookup_expr="icontains", label=_("Name contains"))
    # API only (the round page is already one round).
    round = IntegerFilter(field_name="round_id", label=_("Round"))
    year = YearFilter(field_name="round__year", label=_("Year"))

    class Meta:
        model = Evaluation
        fields = ["administration", "status", "focus_area", "q", "round", "year"]

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if programme is not None:
            self.filters["administration"].queryset = Administration.objects.filter(
                municipality_id=programme.municipality_id).order_by("code")
            self.filters["focus_area"].queryset = programme.focus_areas.order_by("number")
        elif user is not None:
            self.filters["administration"].queryset = Administration.objects.filter(
                municipality_id=user.municipality_id).order_by("code")
            self.filters["focus_area"].queryset = FocusArea.objects.filter(
                programme__in=programmes_visible_to(user)).order_by("programme", "number")
        for name, field in self.form.fields.items():
            field.widget.attrs.setdefault("class", "form-control" if name == "q" else "form-select")


class ClosureReportFilterSet(django_filters.FilterSet):
    """Filter closure reports by administration and the year the closure began."""

    administration = django_filters.ModelChoiceFilter(
        queryset=Administration.objects.none(), label=_("Administration"), empty_label=_("All administrations"))
    year = YearFilter(field_name="closed_from", lookup_expr="year", label=_("Year"))

    class Meta:
        model = ClosureReport
        fields = ["administration", "year"]

    def __init__(self, *args, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipality_id is None and getattr(self.request, "user", None) is not None:
            municipality_id = self.request.user.municipality_id
        self.filters["administration"].queryset = Administration.objects.filter(
            municipality_id=municipality_id).order_by("code")
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if hasattr(field, "queryset") else "form-control")
