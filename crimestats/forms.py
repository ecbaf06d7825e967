"""Forms of the key-figure pages: request a report, upload a police extract, enter the uneasy-areas addendum."""
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ExtractKind, UneasyAreasAddendum
from .periods import Period, quarter_period, year_to_date


class ReportRequestForm(forms.Form):
    """A quarter, or the year to a date."""

    KIND_CHOICES = [("quarter", _("A quarter")), ("ytd", _("Year to date"))]
    kind = forms.ChoiceField(label=_("Period"), choices=KIND_CHOICES, initial="quarter")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, required=False,
                                     choices=[(q, f"K{q}") for q in range(1, 5)])
    to_date = forms.DateField(label=_("Up to and including"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == "quarter":
            if not data.get("year") or not data.get("quarter"):
                raise forms.ValidationError(_("Choose the year and the quarter."))
            period = quarter_period(data["year"], data["quarter"])
        else:
            if not data.get("to_date"):
                raise forms.ValidationError(_("Choose the date the year-to-date period runs to."))
            period = year_to_date(data["to_date"])
        if period.end > timezone.localdate():
            raise forms.ValidationError(_("The period must not end in the future."))
        data["period"] = period
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]


class PoliceImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of extract"), choices=ExtractKind.choices)
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    synthetic = forms.BooleanField(label=_("The file is synthetic demonstration data"), required=False)


class AddendumForm(forms.ModelForm):
    class Meta:
        model = UneasyAreasAddendum
        fields = ["year", "quarter", "interrogations_12_17", "ssp_single_cases", "ssp_assessment"]
        widgets = {"ssp_assessment": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = date.today().year
