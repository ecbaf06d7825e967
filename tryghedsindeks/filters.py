"""FilterSets of the Tryghedsindeks: the same class serves the results pages and the API."""
import django_filters
from django.utils.translation import gettext_lazy as _

from areas.models import AreaLevel
from initiatives.filters import YearFilter

from .models import RunStatus, SafetyCategory, SafetyIndexResult


class SafetyIndexResultFilterSet(django_filters.FilterSet):
    """Filter results by year, area level, category, method version, area code, uncertainty and status."""

    year = YearFilter(field_name="run__year", label=_("Year"))
    level = django_filters.ChoiceFilter(field_name="run__level", choices=AreaLevel.choices,
                                        label=_("Area level"), empty_label=_("All levels"))
    area_level = django_filters.ChoiceFilter(field_name="area__level", choices=AreaLevel.choices,
                                             label=_("Level of the area itself"), empty_label=_("All levels"))
    category = django_filters.ChoiceFilter(choices=SafetyCategory.choices, label=_("Category"),
                                           empty_label=_("All categories"))
    method_version = django_filters.CharFilter(field_name="run__method__version", label=_("Method version"))
    area_code = django_filters.CharFilter(field_name="area__code", label=_("Area code"))
    uncertain = django_filters.BooleanFilter(label=_("Uncertain"))
    status = django_filters.ChoiceFilter(field_name="run__status", choices=RunStatus.choices, label=_("Status"),
                                         empty_label=_("Any status"))

    class Meta:
        model = SafetyIndexResult
        fields = ["year", "level", "area_level", "category", "method_version", "area_code", "uncertain", "status"]
