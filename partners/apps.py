from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and the monthly progress report")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models as m
        from . import permissions  # noqa: F401  registers the rules permissions

        for model in (m.Partner, m.PartnerContact, m.PartnerInitiative, m.ProgressEntry):
            if not auditlog.contains(model):
                auditlog.register(model)
