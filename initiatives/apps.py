from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Programme and initiatives")

    def ready(self):
        # Every change to the programme is audited with its before and after values (django-auditlog);
        # the manage pages show these entries as each object's history. The lock counter is no change.
        from auditlog.registry import auditlog

        from . import permissions  # noqa: F401 - the rules predicates
        from .models import BudgetLine, EffectGoal, FocusArea, Initiative, Programme

        auditlog.register(Programme)
        auditlog.register(FocusArea, exclude_fields=["version"], m2m_fields={"effect_goals"})
        auditlog.register(EffectGoal, exclude_fields=["version"])
        auditlog.register(Initiative, exclude_fields=["version"], m2m_fields={"focus_areas", "effect_goals"})
        auditlog.register(BudgetLine, exclude_fields=["version"])
