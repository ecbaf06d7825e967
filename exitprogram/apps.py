from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExitprogramConfig(AppConfig):
    name = "exitprogram"
    verbose_name = _("Exit programme")

    def ready(self):
        from indicators.measures import register

        from . import rules  # noqa: F401 — the predicates, also when rules' autodiscovery is not active
        from .measures import exit_no_conviction_2y

        register("exit_no_conviction_2y")(exit_no_conviction_2y)
