from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Self-evaluations and closure reports")

    def ready(self):
        from auditlog.registry import auditlog

        from . import (
            measures,  # noqa: F401  registers effect goal 4's measure
            permissions,  # noqa: F401  registers the rules permissions
        )
        from . import models as m

        # Every write (and, through auditlog's ``accessed`` signal, every read
        # of a detail page) is logged.
        for model in (m.EvaluationRound, m.Evaluation, m.EvaluationEvent, m.MonitoringReport,
                      m.PrioritisationRound, m.Prioritisation, m.PrioritisationEntry, m.ClosureReport):
            if not auditlog.contains(model):
                auditlog.register(model)
