"""FilterSets of the programme models: the same classes serve the pages and the API."""
import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Administration, FocusArea, FundingStatus, Initiative, InitiativeStatus


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
