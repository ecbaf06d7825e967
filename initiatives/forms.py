"""Forms of the coordinators' manage pages.

Every choice of a related row is narrowed to the programme being edited (and its
municipality), so a coordinator is never offered another municipality's rows.
Each edit form carries the version it was opened on (``operations.locking``).
The forms only parse input; the services save it.
"""
from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator

from . import selectors
from .models import BudgetLine, EffectGoal, FocusArea, Initiative, Programme


class VersionedForm(forms.ModelForm):
    """A model form with the hidden lock version; ``changed_values`` gives what the service should write."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class InitiativeForm(VersionedForm):
    class Meta:
        model = Initiative
        fields = ["name", "key", "administration", "status", "focus_areas", "effect_goals", "funding_status",
                  "funding_source", "description", "target_age_min", "target_age_max", "area_text", "source"]
        widgets = {"focus_areas": forms.CheckboxSelectMultiple, "effect_goals": forms.CheckboxSelectMultiple,
                   "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = selectors.administrations_of(programme)
        self.fields["focus_areas"].queryset = programme.focus_areas.order_by("number")
        self.fields["effect_goals"].queryset = programme.effect_goals.order_by("number")


class BudgetLineForm(VersionedForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "kind", "amount_tdkk", "price_level_year", "note"]
        help_texts = {"amount_tdkk": _("In thousands of DKK, e.g. 1250.5 for 1,250,500 DKK."),
                      "price_level_year": _("The year whose prices the amount is in.")}


class FocusAreaForm(VersionedForm):
    class Meta:
        model = FocusArea
        fields = ["number", "title", "vision", "hypothesis", "target_group", "effect_goals"]
        widgets = {"effect_goals": forms.CheckboxSelectMultiple,
                   **{f: forms.Textarea(attrs={"rows": 3}) for f in ("vision", "hypothesis", "target_group")}}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effect_goals"].queryset = programme.effect_goals.order_by("number")


class EffectGoalForm(VersionedForm):
    class Meta:
        model = EffectGoal
        fields = ["number", "text", "responsible", "direction", "unit", "baseline_year", "baseline_value",
                  "target_value", "target_text", "deadline", "data_source"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"deadline": _("The end of the target period.")}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = selectors.administrations_of(programme)


class IndicatorForm(VersionedForm):
    """An indicator's definition; its formula is checked (and its values recomputed) by the indicators app."""

    class Meta:
        model = Indicator
        fields = ["number", "focus_area", "text", "responsible", "co_responsible", "direction", "unit", "formula",
                  "target_value", "target_year"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "co_responsible": forms.CheckboxSelectMultiple}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = programme.focus_areas.order_by("number")
        self.fields["responsible"].queryset = selectors.administrations_of(programme)
        self.fields["co_responsible"].queryset = selectors.administrations_of(programme)


class DeleteForm(forms.Form):
    """Confirms a deletion of the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
