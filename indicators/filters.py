"""FilterSets of indicators and indicator values, for the API (and any list page)."""
from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from areas.models import AreaLevel
from initiatives.filters import IntegerFilter
from initiatives.models import Direction

from .models import Indicator, IndicatorValue, PeriodType, ReportingCalendar, ValueStatus, parse_period

PERIOD_PARAMETER = {
    "type": "string",
    "pattern": r"^\d{4}(-Q[1-4]|-\d{2}(-\d{2})?)?$",
    "description": "A year (2011), a quarter (2011-Q2), a month (2011-03) or a date (2011-03-15): compared with "
                   "the first day of each value's period.",
    "example": "2011-Q2",
}


class PeriodField(forms.CharField):
    """A period (year, quarter or month: its first day) or an ISO date, as a date."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_period(value)[1]
        except ValueError:
            pass
        if len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise forms.ValidationError(_("Write a year (2011), a quarter (2011-Q2), a month (2011-03) or a date "
                                      "(2011-03-15)."))


@extend_schema_field(PERIOD_PARAMETER)
class PeriodFilter(django_filters.Filter):
    field_class = PeriodField


def _administration_filter(queryset, name, value):
    return queryset.filter(Q(**{f"{name}responsible__code": value}) | Q(**{f"{name}co_responsible__code": value})
                           ).distinct()


class IndicatorFilterSet(django_filters.FilterSet):
    """Indicators by programme, focus area (number), number, administration (code) and direction."""

    programme = django_filters.CharFilter(field_name="programme__slug", label=_("Programme (slug)"))
    focus_area = IntegerFilter(field_name="focus_area__number", label=_("Focus area (number)"))
    number = IntegerFilter()
    administration = django_filters.CharFilter(method="filter_administration", label=_("Administration (code)"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("Desired direction"))

    class Meta:
        model = Indicator
        fields = ["programme", "number", "focus_area", "administration", "direction"]

    def filter_administration(self, queryset, name, value):
        return _administration_filter(queryset, "", value)


class IndicatorValueFilterSet(django_filters.FilterSet):
    """Indicator values by indicator, area, area level, period range, administration, focus area and status."""

    programme = django_filters.CharFilter(field_name="indicator__programme__slug", label=_("Programme (slug)"))
    indicator = IntegerFilter(field_name="indicator__number", label=_("Indicator (number)"))
    indicator_id = IntegerFilter(field_name="indicator_id", label=_("Indicator (id)"))
    area = IntegerFilter(field_name="area_id", label=_("Area (id)"))
    area_code = django_filters.CharFilter(field_name="area__code", label=_("Area (code)"))
    area_level = django_filters.ChoiceFilter(field_name="area__level", choices=AreaLevel.choices,
                                             label=_("Area level"))
    period_type = django_filters.ChoiceFilter(choices=PeriodType.choices, label=_("Period type"))
    period_from = PeriodFilter(field_name="period_start", lookup_expr="gte", label=_("From period (e.g. 2010)"))
    period_to = PeriodFilter(field_name="period_start", lookup_expr="lte", label=_("To period (e.g. 2013-Q4)"))
    administration = django_filters.CharFilter(method="filter_administration", label=_("Administration (code)"))
    focus_area = IntegerFilter(field_name="indicator__focus_area__number",
                                             label=_("Focus area (number)"))
    status = django_filters.ChoiceFilter(choices=ValueStatus.choices, label=_("Status"))
    published = django_filters.BooleanFilter(method="filter_published",
                                             label=_("Only the published figure of each period"))

    class Meta:
        model = IndicatorValue
        fields = ["programme", "indicator", "indicator_id", "area", "area_code", "area_level", "period_type",
                  "period_from", "period_to", "administration", "focus_area", "status", "published"]

    def filter_administration(self, queryset, name, value):
        return _administration_filter(queryset, "indicator__", value)

    def filter_published(self, queryset, name, value):
        published = Q(status=ValueStatus.APPROVED, superseded_at__isnull=True)
        return queryset.filter(published) if value else queryset.exclude(published)


class ReportingCalendarFilterSet(django_filters.FilterSet):
    """Reporting calendars by programme, owner administration (code), indicator (number) and period type."""

    programme = django_filters.CharFilter(field_name="indicator__programme__slug", label=_("Programme (slug)"))
    administration = django_filters.CharFilter(field_name="indicator__responsible__code",
                                               label=_("Owner administration (code)"))
    indicator = IntegerFilter(field_name="indicator__number", label=_("Indicator (number)"))
    period_type = django_filters.ChoiceFilter(choices=PeriodType.choices, label=_("Period type"))

    class Meta:
        model = ReportingCalendar
        fields = ["programme", "administration", "indicator", "period_type"]
