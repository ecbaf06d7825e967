"""Forms of the indicators app: entering one value, uploading a file, reviewing values."""
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Area, AreaLevel

from .models import Indicator, PeriodType, parse_period

ENTRY_LEVELS = [AreaLevel.CITY, AreaLevel.BYDEL, AreaLevel.LOCAL_COMMITTEE, AreaLevel.DISTRICT,
                AreaLevel.DEPRIVED_AREA, AreaLevel.KVARTER]


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_level_display()})"


class ValueForm(forms.Form):
    """One value of an indicator the reporter's administration is responsible for."""

    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), label=_("Indicator"))
    area = AreaChoiceField(queryset=Area.objects.none(), label=_("Area"))
    period = forms.CharField(label=_("Period"), max_length=7,
                             help_text=_("A year (2011), a quarter (2011-Q2) or a month (2011-03)."))
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4, localize=True)
    source = forms.CharField(label=_("Source"), max_length=300,
                             help_text=_("Where the figure comes from, e.g. the register and extraction date."))
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The optimistic lock: empty for a new value, else the version of the open draft being edited.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, programme, **kwargs):
        super().__init__(*args, **kwargs)
        own = Q(responsible_id=user.administration_id) | Q(co_responsible=user.administration_id)
        self.fields["indicator"].queryset = (Indicator.objects.filter(programme=programme, formula="")
                                             .filter(own).distinct().order_by("number"))
        self.fields["area"].queryset = Area.objects.filter(
            municipality_id=programme.municipality_id, level__in=ENTRY_LEVELS).order_by("level", "name")

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("Write a year (2011), a quarter (2011-Q2) or a month (2011-03).")) from exc


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"),
                           help_text=_("Columns: indicator, area_level, area_code, period, value, source, note."))


class AreaLevelForm(forms.Form):
    level = forms.ChoiceField(label=_("Area level"), choices=AreaLevel.choices, required=False)


class TokenForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, label=_("API client"))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = clients


class ReportingCalendarForm(forms.Form):
    """When an indicator is due: its period type, the first expected period and the day rules."""

    period_type = forms.ChoiceField(label=_("Period type"), choices=PeriodType.choices)
    first_period = forms.CharField(label=_("First expected period"), max_length=7,
                                   help_text=_("A year (2024), a quarter (2024-Q1) or a month (2024-01), of the "
                                               "period type chosen."))
    due_days = forms.IntegerField(label=_("Due days after the period ends"), min_value=0, max_value=730)
    escalate_after_days = forms.IntegerField(
        label=_("Escalate to the coordinators after further days"), min_value=0, max_value=365)

    def clean(self):
        data = super().clean()
        if data.get("first_period") and data.get("period_type"):
            try:
                kind, start = parse_period(data["first_period"])
            except ValueError:
                self.add_error("first_period", _("Write a year (2024), a quarter (2024-Q1) or a month (2024-01)."))
                return data
            if kind != data["period_type"]:
                self.add_error("first_period", _("The first period must be of the period type chosen."))
            data["first_period_start"] = start
        return data
