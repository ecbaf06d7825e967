from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrimestatsConfig(AppConfig):
    name = "crimestats"
    verbose_name = _("Crime key figures")
