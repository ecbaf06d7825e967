from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators and effect goals")

    def ready(self):
        # The permission predicates; not named rules.py, so that no directory on sys.path shadows the
        # ``rules`` package when a command runs from inside the app (makemessages).
        from auditlog.registry import auditlog

        from . import permissions  # noqa: F401
        from .models import Indicator, IndicatorValue, ValueUpload

        auditlog.register(IndicatorValue)
        auditlog.register(Indicator, exclude_fields=["version"], m2m_fields={"co_responsible"})
        auditlog.register(ValueUpload, exclude_fields=["rows"])
