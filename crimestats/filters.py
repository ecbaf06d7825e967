"""One FilterSet per model, used by the report list page and the API."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.filters import YearFilter

from .models import KeyFigureReport, ReportStatus


class KeyFigureReportFilterSet(django_filters.FilterSet):
    year = YearFilter(field_name="period_end__year", label=_("Year"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"),
                                         empty_label=_("All"))
    published = django_filters.BooleanFilter(field_name="published_at", lookup_expr="isnull", exclude=True,
                                             label=_("Published"),
                                             widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")),
                                                                          ("false", _("No"))]))

    class Meta:
        model = KeyFigureReport
        fields = ["year", "status", "published"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # on the report list beside the request form, which has a year field too: ids of its own, so each
        # label names its own field
        self.form.auto_id = "id_filter_%s"
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if is_select else "form-control")
