from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TryghedsindeksConfig(AppConfig):
    name = "tryghedsindeks"
    verbose_name = _("Safety index (Tryghedsindeks)")

    def ready(self):
        from auditlog.registry import auditlog

        from . import measures, permissions  # noqa: F401  (register effect goal 3's measure and the perms)
        from .models import SafetyIndexImport, SafetyIndexInput, SafetyIndexMethod, SafetyIndexRun

        # Change log of every write (inputs, imports, runs, methods). Results are written only with their run.
        for model in (SafetyIndexInput, SafetyIndexImport, SafetyIndexMethod):
            auditlog.register(model)
        auditlog.register(SafetyIndexRun, exclude_fields=["inputs_snapshot"])
