"""Forms of SSP single cases. Field checks here; the meeting and carry-over rules live in services."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts import roles as r
from exitprogram import cpr as cprlib
from exitprogram.models import CrimeLevel, Track

from .models import Action, ClosureOutcome, ConcernSource, MeetingSeries, Owner


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _Styled:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput) or isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class SeriesForm(_Styled, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120,
                           initial=_("SSP and police single-case meeting"))
    start_date = forms.DateField(label=_("First meeting"), widget=DateInput())
    interval_days = forms.IntegerField(label=_("Days between meetings"), min_value=1, max_value=92, initial=14)
    police_unit = forms.CharField(label=_("Police unit"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ConcernForm(_Styled, forms.Form):
    series = forms.ModelChoiceField(label=_("Meeting series"), queryset=MeetingSeries.objects.none())
    source = forms.ChoiceField(label=_("Registered by"), choices=ConcernSource.choices)
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput())
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    cpr = forms.CharField(label=_("CPR number"), max_length=11, required=False,
                          help_text=_("If known. Otherwise give the age."),
                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=30, required=False)
    description = forms.CharField(label=_("The concern"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, series_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series_qs
        if series_qs.count() == 1:
            self.fields["series"].initial = series_qs.first()
        self._style()

    def clean_cpr(self):
        value = self.cleaned_data["cpr"].strip()
        if value:
            cprlib.validate_cpr(value)
        return value

    def clean(self):
        data = super().clean()
        if not data.get("cpr") and data.get("age") is None and not self.has_error("cpr"):
            self.add_error("age", _("Give the age, or the CPR number."))
        return data


class _Versioned(forms.Form):
    """The meeting's version when the page was opened (``operations.locking``); not a number is a conflict."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)


class MoveForm(_Styled, _Versioned):
    new_date = forms.DateField(label=_("New date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason for moving"), max_length=200)
    conflict_attributes = {"new_date": "held_on", "reason": "move_reason"}  # operations.locking.conflict_rows

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class CancelForm(_Styled, _Versioned):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)
    conflict_attributes = {"reason": "cancel_reason"}  # operations.locking.conflict_rows

    def __init__(self, *args, **kwargs):
        # on the page beside the move form, whose fields have the same names: ids of its own, so each label
        # names its own field (``id_reason`` twice sent the cancellation's reason to the move form)
        kwargs.setdefault("auto_id", "id_cancel_%s")
        super().__init__(*args, **kwargs)
        self._style()


class HoldForm(_Styled, _Versioned):
    ssp_participants = UserChoices(label=_("SSP participants"), queryset=get_user_model().objects.none(),
                                   required=False, widget=forms.CheckboxSelectMultiple)
    police_participants = forms.CharField(label=_("Police participants"), max_length=300, required=False,
                                          help_text=_("Names and unit of the police officers present (staff)."))

    def __init__(self, *args, municipality_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ssp_participants"].queryset = get_user_model().objects.filter(
            is_active=True, municipality_id=municipality_id, groups__name=r.SSP_CONSULTANT).order_by(
            "first_name", "last_name")
        self._style()


class ItemForm(_Styled, forms.Form):
    """What the meeting decided about one concern. Field names are prefixed per concern on the agenda page."""

    decision = forms.CharField(label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.ChoiceField(label=_("Action"), choices=Action.choices)
    owner = forms.ChoiceField(label=_("Owner"), choices=Owner.choices)
    owner_name = forms.CharField(label=_("Owner's name"), max_length=120, required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    closes_concern = forms.BooleanField(label=_("Close the concern"), required=False,
                                        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    closure_outcome = forms.ChoiceField(label=_("Outcome (when closed)"), required=False,
                                        choices=[("", "–"), *ClosureOutcome.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ConvertForm(_Styled, forms.Form):
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices)
    crime_level = forms.ChoiceField(label=_("Crime level"), choices=CrimeLevel.choices)
    cpr = forms.CharField(label=_("CPR number"), max_length=11, required=False,
                          help_text=_("Only needed when the concern has none."),
                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))
    age_override_reason = forms.CharField(label=_("Reason for age outside 18–25"), max_length=300, required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, needs_cpr: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_cpr:
            del self.fields["cpr"]
        self._style()

    def clean_cpr(self):
        value = self.cleaned_data["cpr"].strip()
        if not value:
            raise forms.ValidationError(_("The exit programme needs the CPR number."))
        cprlib.validate_cpr(value)
        return value
