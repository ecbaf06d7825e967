"""Forms of the partners app. Every field is labelled; a form keeps the input on error."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Partner, PartnerContact, PartnerInitiative, ProgressEntry, ProgressStatus


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else (
            "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control")
        widget.attrs.setdefault("class", css)


class _MarksErrors:
    """Marks each field in error with ``aria-invalid`` so a screen reader says so on the field itself."""

    def is_valid(self):
        valid = super().is_valid()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"
        return valid


class PartnerForm(_MarksErrors, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "sector", "description", "website", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "job_title", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class InvolvementForm(forms.ModelForm):
    """What a partner does in an initiative in a year; the initiatives offered are the programme's own."""

    class Meta:
        model = PartnerInitiative
        fields = ["initiative", "year", "role", "amount_tdkk", "price_level_year", "note"]

    def __init__(self, *args, initiatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives
        self.fields["amount_tdkk"].localize = True
        self.fields["amount_tdkk"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        _style(self)


class ProgressEntryForm(_MarksErrors, forms.ModelForm):
    """A month's progress entry; the status is a radio group (a word and a symbol, never colour alone)."""

    status = forms.ChoiceField(choices=ProgressStatus.choices, widget=forms.RadioSelect, label=_("Status"))

    class Meta:
        model = ProgressEntry
        fields = ["status", "narrative", "figures", "risks", "next_steps"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("narrative", "figures", "risks",
                                                                        "next_steps")}
        help_texts = {
            "narrative": _("A few sentences on what happened this month. Numbers, never names."),
            "figures": _("The numbers behind the status, e.g. participants, incidents, hours."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
