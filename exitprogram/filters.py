"""FilterSet of exit cases: one class for the case list (and any future API over the user's own cases).

Names and CPR numbers are encrypted and never travel in a URL, so the list
filters on non-personal columns only; a CPR lookup is a POST (``case_find``).
"""
import django_filters
from django.utils.translation import gettext_lazy as _

from .models import ExitCase, Phase, Track


class ExitCaseFilterSet(django_filters.FilterSet):
    """Filter by phase, track and case reference."""

    phase = django_filters.ChoiceFilter(choices=Phase.choices, label=_("Phase"), empty_label=_("All phases"))
    track = django_filters.ChoiceFilter(choices=Track.choices, label=_("Track"), empty_label=_("Both tracks"))
    reference = django_filters.CharFilter(lookup_expr="icontains", label=_("Case reference"))

    class Meta:
        model = ExitCase
        fields = ["phase", "track", "reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs.setdefault("class", "form-control" if name == "reference" else "form-select")
