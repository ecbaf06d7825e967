"""Forms of the Tryghedsindeks pages: importing inputs and computing a year."""
from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import AreaLevel
from operations import uploads

from .models import SafetyIndexMethod


class InputImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"),
                           help_text=_("One row per area and year; the columns are described below."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        uploads.check_size(size=f.size, kind="safety_inputs")  # before the file is read
        if not f.name.lower().endswith((".csv", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("The file must be a CSV (.csv) or Excel (.xlsx) file."))
        return f


class ComputeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Area level"), choices=AreaLevel.choices, initial=AreaLevel.DISTRICT)
    method = forms.ModelChoiceField(label=_("Method version"), queryset=SafetyIndexMethod.objects.all(),
                                    empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].label_from_instance = lambda m: m.version
        newest = SafetyIndexMethod.objects.order_by("-valid_from", "-version").first()
        if newest is not None:
            self.fields["method"].initial = newest.pk
