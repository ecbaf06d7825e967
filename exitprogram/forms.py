"""Forms for each step of an exit case. Field-level checks live here; the phase rules live in services."""
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import roles as r
from initiatives.models import Administration

from . import cpr as cprlib
from .models import (
    AccessLog,
    ClosureReason,
    CrimeLevel,
    EntryChannel,
    ExitCase,
    LifeArea,
    Meeting,
    Note,
    Occupation,
    Phase,
    PlanItem,
    PlanStatus,
    PoolCategory,
    Track,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _users_with_role(municipality_id, role):
    return get_user_model().objects.filter(is_active=True, municipality_id=municipality_id,
                                           groups__name=role).order_by("first_name", "last_name")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        if obj.administration_id:
            return f"{name} ({obj.administration.code})"
        return _("%(name)s (external)") % {"name": name}


BASELINE_LABELS = {
    "baseline_economy": _("Economy"),
    "baseline_housing": _("Housing"),
    "baseline_education": _("Education"),
    "baseline_employment": _("Employment"),
    "baseline_social": _("Social relations"),
    "baseline_crime": _("Crime"),
}


class _CaseFieldsMixin:
    """Shared choices and checks of the create and edit forms."""

    def _setup(self, municipality_id):
        self.fields["exit_expert"].queryset = _users_with_role(municipality_id, r.EXIT_EXPERT) \
            .select_related("administration")
        for name, label in BASELINE_LABELS.items():
            self.fields[name].label = label
            self.fields[name].widget = forms.Textarea(attrs={"rows": 2})
            self.fields[name].required = False

    def _check_common(self, cleaned):
        referral = cleaned.get("referral_date")
        baseline = cleaned.get("baseline_date")
        if referral and referral > date.today():
            self.add_error("referral_date", _("The referral date cannot be in the future."))
        if referral and baseline and baseline < referral:
            self.add_error("baseline_date", _("The baseline date cannot be before the referral date."))
        if cleaned.get("track") == Track.GANG and not cleaned.get("exit_expert"):
            self.add_error("exit_expert", _("A gang-related case needs an exit expert."))


class CaseCreateForm(_CaseFieldsMixin, forms.Form):
    """Phase 1: the referral, the screening and the baseline at first contact."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    cpr = forms.CharField(label=_("CPR number"), max_length=11, help_text=_("DDMMYY-SSSS"),
                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))
    referral_date = forms.DateField(label=_("Referral date"), widget=DateInput())
    entry_channel = forms.ChoiceField(label=_("Entry channel"), choices=EntryChannel.choices)
    crime_level = forms.ChoiceField(label=_("Crime level"), choices=CrimeLevel.choices)
    track = forms.ChoiceField(label=_("Screening"), choices=Track.choices, widget=forms.RadioSelect)
    exit_expert = UserChoiceField(label=_("Exit expert"), queryset=None, required=False,
                                  help_text=_("Required for gang-related cases."))
    age_override_reason = forms.CharField(label=_("Reason for admitting someone outside 18–25"), required=False,
                                          max_length=300)
    baseline_date = forms.DateField(label=_("Baseline date (first contact)"), required=False, widget=DateInput())
    baseline_economy = forms.CharField()
    baseline_housing = forms.CharField()
    baseline_education = forms.CharField()
    baseline_employment = forms.CharField()
    baseline_social = forms.CharField()
    baseline_crime = forms.CharField()

    def __init__(self, *args, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(municipality_id)

    def clean_cpr(self):
        value = self.cleaned_data["cpr"].strip()
        cprlib.validate_cpr(value)
        return cprlib.normalise(value)

    def clean(self):
        cleaned = super().clean()
        self._check_common(cleaned)
        cpr, referral = cleaned.get("cpr"), cleaned.get("referral_date")
        if cpr and referral:
            age = cprlib.age_on(cpr, referral)
            if not 18 <= age <= 25 and not (cleaned.get("age_override_reason") or "").strip():
                self.add_error("age_override_reason", _(
                    "The young person is %(age)s at referral, outside the target group 18–25: give a reason "
                    "for admitting them.") % {"age": age})
        return cleaned


class CaseEditForm(_CaseFieldsMixin, forms.ModelForm):
    """Details, screening, assignments (exit expert, mentor) and baseline of an open case."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    mentor = UserChoiceField(label=_("Mentor"), queryset=None, required=False)
    exit_expert = UserChoiceField(label=_("Exit expert"), queryset=None, required=False)

    class Meta:
        model = ExitCase
        fields = ["first_name", "last_name", "referral_date", "entry_channel", "crime_level", "track",
                  "exit_expert", "mentor", "mentor_anchor", "age_override_reason", "baseline_date",
                  "baseline_economy", "baseline_housing", "baseline_education", "baseline_employment",
                  "baseline_social", "baseline_crime"]
        widgets = {"referral_date": DateInput(), "baseline_date": DateInput(), "track": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        municipality_id = self.instance.municipality_id
        self._setup(municipality_id)
        # Only people registered as mentors (staff of SOF, BIF or BUF, or external mentors the
        # coordinator has registered with the mentor role) — not every member of staff; the one
        # already assigned stays selectable even if their role has since been taken away.
        mentors = Q(groups__name=r.MENTOR)
        if self.instance.mentor_id:
            mentors |= Q(pk=self.instance.mentor_id)
        self.fields["mentor"].queryset = get_user_model().objects.filter(
            mentors, is_active=True, municipality_id=municipality_id).distinct() \
            .select_related("administration").order_by("first_name", "last_name")
        self.fields["mentor"].help_text = _(
            "People with the mentor role. An external mentor is registered by the coordinator under "
            "Users, with the mentor role and no administration.")
        self.fields["mentor_anchor"].queryset = Administration.objects.filter(
            municipality_id=municipality_id, code__in=["SOF", "BIF", "BUF"]).order_by("code")
        self.fields["mentor_anchor"].help_text = _("SOF 18+, BIF or BUF.")
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        # The model's clean runs in the service (with the version check); here only the form's own checks.
        pass

    def clean(self):
        cleaned = super().clean()
        self._check_common(cleaned)
        if cleaned.get("mentor") and not cleaned.get("mentor_anchor"):
            self.add_error("mentor_anchor", _("Say which administration anchors the mentor."))
        return cleaned

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TransitionForm(forms.Form):
    """Move the case to another phase; a step back needs a reason."""

    to_phase = forms.ChoiceField(label=_("Move to phase"), choices=[], widget=forms.Select(attrs={"class": "form-select"}))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when the case steps back (e.g. after a relapse)."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_phase"].choices = [(p.value, p.label) for p in Phase if p != case.phase
                                           and p != Phase.CLOSED]
        if not self.is_bound:
            self.initial["version"] = case.version


class CloseForm(forms.Form):
    """Phase 4: closure with a reason and the evaluation against the baseline."""

    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    closure_reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices)
    evaluation = forms.CharField(label=_("Evaluation against the baseline"), widget=forms.Textarea(attrs={"rows": 4}))
    evaluated_with_exit_expert = forms.BooleanField(label=_("Evaluated together with the exit expert"),
                                                    required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class FollowUpForm(forms.Form):
    """The 2-year follow-up after closure."""

    done_on = forms.DateField(label=_("Follow-up date"), widget=DateInput())
    convicted = forms.TypedChoiceField(
        label=_("Convicted of serious or person-dangerous crime within the 2 years?"),
        choices=[("no", _("No")), ("yes", _("Yes"))], coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    occupation = forms.ChoiceField(label=_("Education/employment status"), choices=Occupation.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "participants", "economy", "housing", "education", "employment", "social"]
        widgets = {"held_on": DateInput(), **{f: forms.Textarea(attrs={"rows": 2}) for f in
                                              ["participants", "economy", "housing", "education", "employment",
                                               "social"]}}

    def _post_clean(self):
        pass


class PlanItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PlanItem
        fields = ["goal", "area", "responsible", "deadline", "status"]
        widgets = {"deadline": DateInput(), "goal": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Administration.objects.filter(
            municipality_id=municipality_id).order_by("code")
        self.fields["area"].choices = LifeArea.choices
        self.fields["status"].choices = PlanStatus.choices
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        pass


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["kind", "written_on", "text"]
        widgets = {"written_on": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class PoolExpenseForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=DateInput())
    category = forms.ChoiceField(label=_("Category"), choices=PoolCategory.choices)
    description = forms.CharField(label=_("What was bought"), widget=forms.Textarea(attrs={"rows": 2}))
    amount_tdkk = forms.DecimalField(label=_("Amount (1,000 DKK)"), min_value=0.001, max_digits=10,
                                     decimal_places=3, help_text=_("In thousands of kroner: 12.5 = 12,500 DKK."))
    administration = forms.ModelChoiceField(label=_("Paying administration"), queryset=None)
    approved_by = UserChoiceField(label=_("Approved by"), queryset=None)

    def __init__(self, *args, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = Administration.objects.filter(
            municipality_id=municipality_id).order_by("code")
        self.fields["approved_by"].queryset = get_user_model().objects.filter(
            is_active=True, municipality_id=municipality_id,
            groups__name__in=[r.EXIT_EXPERT, r.SSP_CONSULTANT, r.COORDINATOR]).distinct() \
            .select_related("administration").order_by("first_name", "last_name")


class AccessRequestForm(forms.Form):
    """A data-subject access request: the person's CPR number (posted, never in a URL)."""

    cpr = forms.CharField(label=_("CPR number of the person"), max_length=11,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))

    def clean_cpr(self):
        value = self.cleaned_data["cpr"].strip()
        cprlib.validate_cpr(value)
        return cprlib.normalise(value)


class ReadPurposeForm(forms.Form):
    """The purpose the user gives for the case reads that follow (kept in the session; default case work)."""

    purpose = forms.ChoiceField(label=_("Purpose of my look-ups"), choices=[
        (p.value, p.label) for p in (AccessLog.Purpose.CASE_WORK, AccessLog.Purpose.FOLLOW_UP,
                                     AccessLog.Purpose.SUPERVISION, AccessLog.Purpose.DATA_SUBJECT_REQUEST)])
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class DataSubjectExportForm(AccessRequestForm):
    """A data-subject access request: the CPR number, why, and which copy."""

    class Copy(models.TextChoices):
        CITIZEN = "citizen", _("Copy for the citizen: dates, purposes and the organisation")
        INTERNAL = "internal", _("Internal copy: also the employees and the case reference")

    reason = forms.CharField(label=_("Reason"), max_length=300, help_text=_(
        "The request's reference or the date it came in. No names or CPR numbers: the access log is not encrypted."))
    copy = forms.ChoiceField(label=_("Copy"), choices=Copy.choices, initial=Copy.CITIZEN,
                             widget=forms.RadioSelect)

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if cprlib.looks_like_cpr(value):
            raise forms.ValidationError(_("The reason must not contain a CPR number."))
        return value
