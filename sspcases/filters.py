"""FilterSet of SSP concerns: the concern list filters on non-personal columns only (names never in a URL)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Concern, ConcernSource, ConcernStatus


class ConcernFilterSet(django_filters.FilterSet):
    """Filter by status, source and reference."""

    status = django_filters.ChoiceFilter(choices=ConcernStatus.choices, label=_("Status"), empty_label=_("All"))
    source = django_filters.ChoiceFilter(choices=ConcernSource.choices, label=_("Registered by"),
                                         empty_label=_("All"))
    reference = django_filters.CharFilter(lookup_expr="icontains", label=_("Reference"))

    class Meta:
        model = Concern
        fields = ["status", "source", "reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs.setdefault("class", "form-control" if name == "reference" else "form-select")
