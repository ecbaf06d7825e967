"""The project's own app configs: the tenancy system check, the ``any_of`` lookup, and the admin site for
platform operators."""
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.core import checks


class SikkerByConfig(AppConfig):
    name = "sikkerby"
    verbose_name = "Sikker By"

    def ready(self):
        from . import lookups, tenancy  # noqa: F401 - lookups registers field__any_of

        checks.register(tenancy.check_every_model_declared, checks.Tags.models)


class SuperuserAdminConfig(AdminConfig):
    """``django.contrib.admin`` with ``sikkerby.admin_site.SuperuserAdminSite`` as ``admin.site``."""

    default_site = "sikkerby.admin_site.SuperuserAdminSite"
