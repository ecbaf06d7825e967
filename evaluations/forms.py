"""Forms of the evaluations app. They parse input; the services decide what is allowed."""
from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area, AreaLevel

from .models import (
    ANSWER_FIELDS,
    DIMENSIONS,
    ClosureReport,
    Evaluation,
    EvaluationRound,
    MonitoringReport,
    PrioritisationRound,
    Ranking,
)
from .selectors import administrations_for_closures

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_NAMES = _("Give numbers and descriptions, never names or other details that identify a young person.")


class AmountField(forms.DecimalField):
    """A decimal that accepts the Danish way of writing it: "1.250,5" and "1250,5" as well as "1250.5"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if hasattr(value, "normalize") and value == value.to_integral_value():
            return str(value.quantize(1))
        if hasattr(value, "normalize"):
            return format(value.normalize(), "f")
        return value


class EvaluationRoundForm(forms.ModelForm):
    class Meta:
        model = EvaluationRound
        fields = ["year", "deadline", "title"]
        widgets = {"deadline": DATE}


class EvaluationForm(forms.ModelForm):
    """Every answer optional: a draft is saved whatever its state; ``evaluation_submit`` checks completeness.

    Numbers are typed in text inputs (``inputmode``) so that what a reporter
    typed is shown back to them even when it does not parse. ``lock_version``
    is the version of the evaluation the form was opened on (the optimistic lock).
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Evaluation
        fields = list(ANSWER_FIELDS)
        field_classes = {"budget_tdkk": AmountField, "spent_tdkk": AmountField}
        widgets = {
            "period_start": DATE, "period_end": DATE,
            "reached_count": forms.TextInput(attrs={"inputmode": "numeric"}),
            "budget_tdkk": forms.TextInput(attrs={"inputmode": "decimal"}),
            "spent_tdkk": forms.TextInput(attrs={"inputmode": "decimal"}),
            "price_level_year": forms.TextInput(attrs={"inputmode": "numeric"}),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in (
                "purpose", "target_group", "benefit", "effects", "challenges", "anchoring", "methods")},
        }
        help_texts = {
            "benefit": NO_NAMES,
            "reached_count": _("How many in the target group took part or were reached during the period."),
            "budget_tdkk": _("In thousands of DKK, e.g. 1250,5."),
            "price_level_year": _("The year whose prices the amounts are in."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        for code, _label in DIMENSIONS:
            self.fields[f"{code}_score"].label = _("Score")
            self.fields[f"{code}_score"].choices = [("", _("Does not apply")), *self.fields[f"{code}_score"].choices[1:]]
            self.fields[f"{code}_indicator"].label = _("Indicator used")
            self.fields[f"{code}_indicator"].help_text = ""
        if not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version

    def based_on_version(self):
        """The version the reporter's form was opened on, as posted (``None`` when the form did not say)."""
        raw = self.data.get(self.add_prefix("lock_version"), "")
        return raw if str(raw).strip() else None

    def dimension_rows(self):
        return [(code, label, self[f"{code}_score"], self[f"{code}_indicator"]) for code, label in DIMENSIONS]

    def parsed_and_unparsed(self) -> tuple[dict, dict]:
        """The values that parsed, and the raw text of the fields that did not (call after ``is_valid``)."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors and k != "lock_version"}
        unparsed = {k: self.data.get(self.add_prefix(k), "") for k in self.errors
                    if k in self.fields and k != "lock_version"}
        return data, unparsed


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment to the administration"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


class MonitoringReportForm(forms.ModelForm):
    class Meta:
        model = MonitoringReport
        fields = ["initiative", "reported_on", "progress", "risks", "proposed_changes", "anchoring"]
        widgets = {"reported_on": DATE, **{n: forms.Textarea(attrs={"rows": 3}) for n in (
            "progress", "risks", "proposed_changes", "anchoring")}}
        help_texts = {"progress": NO_NAMES}

    def __init__(self, *args, initiatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")


class ClosureReportForm(forms.ModelForm):
    class Meta:
        model = ClosureReport
        fields = ["administration", "institution", "extent", "area", "area_text", "closed_from", "closed_to",
                  "services_affected", "reason", "actions_taken"]
        widgets = {"closed_from": DATE, "closed_to": DATE, **{n: forms.Textarea(attrs={"rows": 3}) for n in (
            "services_affected", "reason", "actions_taken")}}
        help_texts = {"reason": NO_NAMES, "area_text": _("If the area is not in the list, describe the place.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = administrations_for_closures(user)
        if user.administration_id and not self.is_bound:
            self.initial.setdefault("administration", user.administration_id)
        self.fields["area"].queryset = Area.objects.filter(
            municipality_id=user.municipality_id,
            level__in=[AreaLevel.BYDEL, AreaLevel.DISTRICT, AreaLevel.DEPRIVED_AREA]).order_by("level", "name")
        self.fields["area"].required = False
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")


class ReopenForm(forms.Form):
    closed_to = forms.DateField(label=_("Reopened on"), widget=DATE)


class PrioritisationRoundForm(forms.ModelForm):
    class Meta:
        model = PrioritisationRound
        fields = ["title", "budget_year", "deadline"]
        widgets = {"deadline": DATE}


RANKING_CHOICES = [("", _("Not named")), *Ranking.choices]


class PrioritisationForm(forms.Form):
    """One row per own initiative: not named / most / least effective, rank and reason."""

    def __init__(self, *args, initiatives=(), initial_entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_entries = initial_entries or {}
        self.initiatives = list(initiatives)
        for ini in self.initiatives:
            entry = initial_entries.get(ini.pk)
            self.fields[f"ranking_{ini.pk}"] = forms.ChoiceField(
                label=_("Ranking"), choices=RANKING_CHOICES, required=False,
                initial=entry.ranking if entry else "", widget=forms.Select(attrs={"class": "form-select"}))
            self.fields[f"rank_{ini.pk}"] = forms.IntegerField(
                label=_("Rank"), required=False, min_value=1, max_value=6, initial=entry.rank if entry else None,
                widget=forms.NumberInput(attrs={"class": "form-control", "min": 1, "max": 6}))
            self.fields[f"reason_{ini.pk}"] = forms.CharField(
                label=_("Reason"), required=False, initial=entry.reason if entry else "",
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

    def rows(self):
        return [(ini, self[f"ranking_{ini.pk}"], self[f"rank_{ini.pk}"], self[f"reason_{ini.pk}"])
                for ini in self.initiatives]

    def entries(self) -> list[dict]:
        out = []
        for ini in self.initiatives:
            ranking = self.cleaned_data.get(f"ranking_{ini.pk}")
            if ranking:
                out.append({"initiative_id": ini.pk, "ranking": ranking,
                            "rank": self.cleaned_data.get(f"rank_{ini.pk}"),
                            "reason": self.cleaned_data.get(f"reason_{ini.pk}") or ""})
        return out
