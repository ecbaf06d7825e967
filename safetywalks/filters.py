"""FilterSets of safety walks: the same classes serve the pages and the API (a bad value is a 400 there).

Choice querysets are the user's own municipality's rows (through the selectors), so an id of another
municipality is refused as an invalid choice rather than silently matching nothing.
"""
import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from initiatives.filters import YearFilter

from . import selectors
from .models import (
    Action,
    ActionStatus,
    Finding,
    FindingCategory,
    FindingKind,
    Organisation,
    SafetyWalk,
    WalkLeader,
)


def _scoped_choices(filterset, names: dict) -> None:
    user = getattr(filterset.request, "user", None)
    for name, choices in names.items():
        filterset.filters[name].queryset = choices(user) if user is not None else \
            filterset.filters[name].queryset.none()
    for field in filterset.form.fields.values():
        field.widget.attrs.setdefault("class", "form-select" if hasattr(field, "choices") else "form-control")


class SafetyWalkFilterSet(django_filters.FilterSet):
    """Walks by area, year and who led them."""

    area = django_filters.ModelChoiceFilter(queryset=Area.objects.none(), label=_("Area"),
                                            empty_label=_("All areas"))
    year = YearFilter(field_name="date", lookup_expr="year", label=_("Year"))
    leader = django_filters.ChoiceFilter(choices=WalkLeader.choices, label=_("Led by"), empty_label=_("Anyone"))

    class Meta:
        model = SafetyWalk
        fields = ["area", "year", "leader"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _scoped_choices(self, {"area": selectors.areas_for_walks})


class FindingFilterSet(django_filters.FilterSet):
    """Findings by walk, area, safe/unsafe and category."""

    walk = django_filters.ModelChoiceFilter(queryset=SafetyWalk.objects.none(), label=_("Safety walk"),
                                            empty_label=_("All walks"))
    area = django_filters.ModelChoiceFilter(field_name="walk__area", queryset=Area.objects.none(),
                                            label=_("Area"), empty_label=_("All areas"))
    kind = django_filters.ChoiceFilter(choices=FindingKind.choices, label=_("Safe or unsafe"),
                                       empty_label=_("Safe and unsafe"))
    category = django_filters.ChoiceFilter(choices=FindingCategory.choices, label=_("Category"),
                                           empty_label=_("All categories"))

    class Meta:
        model = Finding
        fields = ["walk", "area", "kind", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _scoped_choices(self, {"walk": selectors.walks_visible_to, "area": selectors.areas_for_walks})


class ActionFilterSet(django_filters.FilterSet):
    """Actions by area, status, responsible organisation, walk and whether they are overdue."""

    area = django_filters.ModelChoiceFilter(field_name="finding__walk__area", queryset=Area.objects.none(),
                                            label=_("Area"), empty_label=_("All areas"))
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status"), empty_label=_("Any status"))
    organisation = django_filters.ModelChoiceFilter(
        field_name="responsible", queryset=Organisation.objects.none(), label=_("Responsible organisation"),
        empty_label=_("All organisations"))
    walk = django_filters.ModelChoiceFilter(field_name="finding__walk", queryset=SafetyWalk.objects.none(),
                                            label=_("Safety walk"), empty_label=_("All walks"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = Action
        fields = ["area", "status", "organisation", "walk", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _scoped_choices(self, {"area": selectors.areas_for_walks, "organisation": selectors.organisations_visible_to,
                               "walk": selectors.walks_visible_to})

    def filter_overdue(self, queryset, name, value):
        late = queryset.exclude(status=ActionStatus.DONE).filter(deadline__lt=timezone.localdate())
        if value is None:
            return queryset
        return late if value else queryset.exclude(pk__in=late.values("pk"))
