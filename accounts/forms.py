"""Forms of the users page: invite a user, change one. Choices are narrowed to the coordinator's municipality."""
from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from initiatives.models import Administration

from . import roles as r
from .models import User


def _role_choices():
    return [("", "—")] + [(name, label) for name, label in r.ROLE_LABELS.items()]


class _UserFields(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), help_text=_("The invitation and password resets are sent here."))
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices)
    administration = forms.ModelChoiceField(label=_("Administration"), queryset=Administration.objects.none(),
                                            required=False, empty_label=_("None (the whole municipality)"))

    def __init__(self, *args, municipality_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = Administration.objects.filter(
            municipality_id=municipality_id).order_by("code")


class InviteForm(_UserFields):
    username = forms.CharField(label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()],
                               help_text=_("What the user types to log in. Letters, digits and @/./+/-/_ only."))
    field_order = ["username", "first_name", "last_name", "email", "role", "administration"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username


class UserEditForm(_UserFields):
    pass
