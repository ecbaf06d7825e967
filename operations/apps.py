from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What running the application across hosts needs: shared file storage, job liveness, health."""

    name = "operations"
    verbose_name = _("Operations")
