"""The Django admin belongs to the platform operators (superusers); everything a coordinator does is in the app.

The admin sees every municipality's rows (it is outside the per-municipality rule of ``sikkerby.tenancy`` on
purpose, for the people who run the platform), so nobody else may enter it: staff status and model
permissions are not enough. A non-superuser gets the admin's login page, which refuses them too.
"""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(admin.AdminSite):
    site_header = _("Sikker By — platform administration")
    site_title = _("Sikker By administration")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_superuser
