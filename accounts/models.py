"""Users of Sikker By.

Roles are groups (see ``accounts.roles``). The user carries the scope a role
works within: the municipality, and for administration reporters and exit
experts the administration.
"""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person (or, for the API-client role, a system) using Sikker By."""

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="users", verbose_name=_("municipality"))
    administration = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="users", verbose_name=_("administration"))
    is_demo = models.BooleanField(_("demo user"), default=False,
                                  help_text=_("Created by the demo loader; never exists in production."))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
