from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrimestatsConfig(AppConfig):
    name = "crimestats"
    verbose_name = _("Crime key figures")

    def ready(self):
        from auditlog.registry import auditlog

        from . import measures, permissions  # noqa: F401  (registers the goal-1 measure and the permissions)
        from .models import KeyFigureReport, PoliceImport, UneasyAreasAddendum

        auditlog.register(KeyFigureReport, exclude_fields=["pdf", "xlsx", "data", "progress"])
        auditlog.register(PoliceImport, exclude_fields=["rows_read", "errors"])
        auditlog.register(UneasyAreasAddendum)
