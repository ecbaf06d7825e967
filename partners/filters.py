"""FilterSets of the partners app: the same classes serve the pages and the API."""
import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from initiatives.filters import IntegerFilter, YearFilter
from initiatives.models import Administration

from .models import Partner, PartnerRole, ProgressEntry, ProgressStatus, Sector
from .selectors import parse_month


class PartnerFilterSet(django_filters.FilterSet):
    """Filter partners by sector, activity and name."""

    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"), empty_label=_("All sectors"))
    is_active = django_filters.BooleanFilter(label=_("Active partner"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))
    initiative = IntegerFilter(field_name="involvements__initiative_id", label=_("Initiative"), distinct=True)
    role = django_filters.ChoiceFilter(field_name="involvements__role", choices=PartnerRole.choices,
                                       label=_("Role"), distinct=True)

    class Meta:
        model = Partner
        fields = ["sector", "is_active", "q", "initiative", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs.setdefault("class", "form-control" if name in ("q", "initiative") else "form-select")


class MonthField(forms.CharField):
    """A month as ``YYYY-MM``; anything else is a 400 in the API and an error on the page."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise ValidationError(_("Give the month as YYYY-MM, e.g. 2025-06."), code="invalid")
        return month


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class ProgressEntryFilterSet(django_filters.FilterSet):
    """Filter monthly progress entries by month (or a span of months), status, administration and initiative."""

    month = MonthFilter(field_name="month", label=_("Month (YYYY-MM)"))
    month_from = MonthFilter(field_name="month", lookup_expr="gte", label=_("From month (YYYY-MM)"))
    month_to = MonthFilter(field_name="month", lookup_expr="lte", label=_("To month (YYYY-MM)"))
    year = YearFilter(field_name="month", lookup_expr="year", label=_("Year"))
    status = django_filters.ChoiceFilter(choices=ProgressStatus.choices, label=_("Status"),
                                         empty_label=_("Any status"))
    administration = django_filters.ModelChoiceFilter(
        field_name="initiative__administration", queryset=Administration.objects.none(),
        label=_("Administration"), empty_label=_("All administrations"))
    initiative = IntegerFilter(field_name="initiative_id", label=_("Initiative"))
    partner = IntegerFilter(field_name="initiative__partner_involvements__partner_id", label=_("Partner"),
                            distinct=True)

    class Meta:
        model = ProgressEntry
        fields = ["month", "month_from", "month_to", "year", "status", "administration", "initiative", "partner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["administration"].queryset = Administration.objects.filter(
                municipality_id=user.municipality_id).order_by("code")
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if hasattr(field, "choices") else "form-control")
