"""Users of Sikker By.

Roles are groups (see ``accounts.roles``). The user carries the scope a role
works within: the municipality, and for administration reporters and exit
experts the administration.
"""
import re

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


class IdentityProvider(models.Model):
    """A municipality's own identity provider (OS2faktor, AD FS, Entra ID, KOMBIT's context handler).

    Danish municipalities let a supplier's system in only through their identity provider, with roles
    assigned there. Each row is one provider, configured as data by a superuser (admin or
    ``manage.py register_identity_provider``): OpenID Connect (issuer, client id and secret) or SAML 2.0
    (the provider's metadata). ``role_mapping`` maps a value of ``role_attribute`` — a group, or a privilege
    of the OIO-BPP privilege list KOMBIT sends — to a role and an administration code. The provider's
    municipality is authoritative: no claim can place a user in another municipality. See docs/sso.md.
    """

    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    class AttributeFormat(models.TextChoices):
        VALUES = "values", _("List of values (groups, roles)")
        OIO_BPP = "oio_bpp", _("OIO-BPP privilege list (KOMBIT)")

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT,
                                     related_name="identity_providers", verbose_name=_("municipality"))
    slug = models.SlugField(_("short name"), max_length=60, unique=True,
                            help_text=_("Used in the provider's login and callback addresses."))
    name = models.CharField(_("name shown on the login page"), max_length=120,
                            help_text=_("For example “Københavns Kommune”: the button says “Log in with …”."))
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    # OpenID Connect
    issuer = models.URLField(_("issuer (OpenID Connect)"), blank=True,
                             help_text=_("The provider's configuration is read from "
                                         "ISSUER/.well-known/openid-configuration."))
    client_id = models.CharField(_("client id (OpenID Connect)"), max_length=255, blank=True)
    client_secret = EncryptedTextField(_("client secret (OpenID Connect)"), blank=True, null=True)
    scopes = models.CharField(_("scopes (OpenID Connect)"), max_length=255, default="openid profile email")
    # SAML 2.0
    saml_entity_id = models.CharField(_("identity provider entity id (SAML)"), max_length=255, blank=True)
    saml_metadata_url = models.URLField(_("metadata address (SAML)"), blank=True)
    saml_metadata_xml = models.TextField(_("metadata XML (SAML)"), blank=True,
                                         help_text=_("Used instead of the address when filled in."))
    # What the provider sends
    subject_attribute = models.CharField(
        _("subject claim or attribute"), max_length=255, default="sub",
        help_text=_("The user's permanent identifier at the provider (OpenID Connect: “sub”; SAML: empty for "
                    "the NameID)."), blank=True)
    username_attribute = models.CharField(
        _("username claim or attribute"), max_length=255, blank=True, default="preferred_username",
        help_text=_("The username a new user gets; the subject when empty or missing."))
    role_attribute = models.CharField(_("role claim or attribute"), max_length=255, default="groups")
    role_attribute_format = models.CharField(_("format of the role claim or attribute"), max_length=10,
                                             choices=AttributeFormat.choices, default=AttributeFormat.VALUES)
    cvr = models.CharField(
        _("CVR number (OIO-BPP)"), max_length=8, blank=True,
        help_text=_("The municipality's CVR number: only privileges scoped to it count. Required for OIO-BPP, "
                    "where one context handler (KOMBIT) serves every municipality."))
    role_mapping = models.JSONField(
        _("role mapping"), default=list, blank=True,
        help_text=_('A list of rules: [{"value": "group or privilege", "role": "coordinator", '
                    '"administration": "ØKF"}]. A user gets the roles of every rule their values match, and '
                    'the administration of the first matching rule that names one.'))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["municipality__name", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_protocol_display()})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .sso.mapping import role_mapping_errors

        errors = {}
        if self.protocol == self.Protocol.OIDC:
            for field in ("issuer", "client_id", "client_secret"):
                if not getattr(self, field):
                    errors[field] = _("Required for OpenID Connect.")
        elif self.protocol == self.Protocol.SAML:
            if not self.saml_entity_id:
                errors["saml_entity_id"] = _("Required for SAML.")
            if not (self.saml_metadata_url or self.saml_metadata_xml):
                errors["saml_metadata_url"] = _("Give the metadata address or the metadata XML.")
        if self.role_attribute_format == self.AttributeFormat.OIO_BPP and not re.fullmatch(r"\d{8}", self.cvr):
            errors["cvr"] = _("Give the municipality's 8-digit CVR number.")
        if self.municipality_id:
            mapping_errors = role_mapping_errors(self.role_mapping, municipality=self.municipality)
            if mapping_errors:
                errors["role_mapping"] = mapping_errors
        if errors:
            raise ValidationError(errors)


class ExternalIdentity(models.Model):
    """The link between a user and their identity at one identity provider (the provider's subject).

    A user signed in through a provider has exactly one; they have no usable password and cannot log in
    with one. The subject is the provider's permanent identifier, not necessarily anything readable.
    """

    provider = models.ForeignKey(IdentityProvider, on_delete=models.PROTECT, related_name="identities",
                                 verbose_name=_("identity provider"))
    subject = models.CharField(_("subject"), max_length=255)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="external_identity",
                                verbose_name=_("user"))
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="uniq_external_identity")]

    def __str__(self):
        return f"{self.provider.slug}: {self.user_id}"
