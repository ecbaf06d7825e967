from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyWalksConfig(AppConfig):
    name = "safetywalks"
    verbose_name = _("Safety walks")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models as m
        from . import permissions  # noqa: F401  registers the rules permissions

        # Every write is logged (who planned, changed or closed what).
        for model in (m.Organisation, m.SafetyWalk, m.Finding, m.Action, m.ActionEvent):
            if not auditlog.contains(model):
                auditlog.register(model)
