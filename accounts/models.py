"""Users of Sikker By.

Roles are groups (see ``accounts.roles``). The user carries the scope a role
works within: the municipality, and for administration reporters and exit
experts the administration.
"""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikkerby.encryption import EncryptedTextField


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


class EncryptionCanary(models.Model):
    """One row holding a known text in an encrypted field: proof that the configured keys fit the data.

    Written under the newest key when the database is migrated (or first used), re-encrypted with
    everything else by ``manage.py reencrypt_fields``. If the keys in the environment cannot decrypt it,
    the system check ``accounts.E101`` fails and the web app and the worker refuse to start
    (``accounts.encryption.verify_encryption_keys``). It holds nothing personal.
    """

    value = EncryptedTextField(_("known value"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("encryption canary")
        verbose_name_plural = _("encryption canaries")
        default_permissions = ()

    def __str__(self):
        return f"encryption canary {self.pk}"
