from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TryghedsindeksConfig(AppConfig):
    name = "tryghedsindeks"
    verbose_name = _("Safety index (Tryghedsindeks)")
