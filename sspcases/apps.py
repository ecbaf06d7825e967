from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SspcasesConfig(AppConfig):
    name = "sspcases"
    verbose_name = _("SSP single cases")

    def ready(self):
        from . import permissions  # noqa: F401 — registers the rules predicates
