"""The Django admin belongs to the platform operators (superusers); everything a coordinator does is in the app.

The admin sees every municipality's rows (it is outside the per-municipality rule of ``sikkerby.tenancy`` on
purpose, for the people who run the platform), so nobody else may enter it: staff status and model
permissions are not enough. A non-superuser is sent to the admin's login page, whose form refuses them too
(with Django's own "not a staff account" message) instead of logging them in.
"""
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


class SuperuserAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                                  params={"username": self.username_field.verbose_name})


class SuperuserAdminSite(admin.AdminSite):
    login_form = SuperuserAuthenticationForm

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_superuser
