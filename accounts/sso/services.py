"""Writes for single sign-on: a sign-in through a municipality's identity provider, registering a provider.

Every sign-in (OpenID Connect or SAML) ends in ``sso_user_sign_in``: the provider has vouched for the
subject and its claims or attributes; this decides who the user is in Sikker By and what they may do.
"""
import logging

from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Administration, Municipality

from .. import roles as r
from ..models import ExternalIdentity, IdentityProvider, User
from .mapping import access_from_values, attribute_values

logger = logging.getLogger(__name__)


class SsoRefused(Exception):
    """A sign-in the provider accepted but Sikker By refuses; ``message`` is shown to the person."""

    def __init__(self, message, *, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason  # for the log: a fixed word, nothing personal


def _first(value):
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def sso_user_sign_in(*, provider: IdentityProvider, subject: str, claims: dict) -> User:
    """The user a provider's sign-in stands for, created at the first sign-in and updated at every one.

    The role(s) and the administration come from the provider's claims through its role mapping; the
    municipality is always the provider's. The user gets no usable password. Refused (``SsoRefused``) when
    the provider sent no subject, when no rule of the mapping gives a role, when the user is deactivated
    here, when the subject is already linked to a user of another municipality, and when a new user's
    username is already taken — by a local account or by a user of another provider or municipality, whom
    this provider cannot speak for. The sign-in and every change of role or administration are written to
    the audit log. A known user whom the provider no longer gives a role loses their roles here too.
    """
    try:
        with transaction.atomic():
            return _sign_in(provider=provider, subject=subject, claims=claims)
    except _NoRoleAnyMore as no_role:
        with transaction.atomic():
            _set_access(User.objects.select_for_update().get(pk=no_role.user_id), provider=provider,
                        roles=[], administration=None)
        raise SsoRefused(_("Your identity provider gives you no role in Sikker By. Ask your administrator."),
                         reason="no_role") from None


class _NoRoleAnyMore(Exception):
    def __init__(self, user_id):
        self.user_id = user_id


def _sign_in(*, provider, subject, claims) -> User:
    if not provider.enabled:
        raise SsoRefused(_("This identity provider is switched off."), reason="provider_disabled")
    subject = (subject or "").strip()
    if not subject:
        raise SsoRefused(_("The identity provider did not say who you are."), reason="no_subject")
    try:
        values = attribute_values(claims, provider.role_attribute, fmt=provider.role_attribute_format,
                                  cvr=provider.cvr)
    except ValueError:
        raise SsoRefused(_("The identity provider sent a role attribute Sikker By cannot read."),
                         reason="bad_role_attribute") from None
    access = access_from_values(values, provider.role_mapping)

    identity = (ExternalIdentity.objects.select_for_update().select_related("user")
                .filter(provider=provider, subject=subject).first())
    if identity is not None:
        user = identity.user
        if user.municipality_id not in (None, provider.municipality_id):
            raise SsoRefused(_("Your user belongs to another municipality."), reason="other_municipality")
        if not user.is_active:
            raise SsoRefused(_("Your user is deactivated in Sikker By."), reason="inactive")
    if not access.roles:
        if identity is not None:
            raise _NoRoleAnyMore(identity.user_id)
        raise SsoRefused(_("Your identity provider gives you no role in Sikker By. Ask your administrator."),
                         reason="no_role")
    administration = None
    if access.administration_code:
        administration = Administration.objects.filter(municipality=provider.municipality,
                                                       code=access.administration_code).first()
    created = identity is None
    if created:
        username = str(_first(claims.get(provider.username_attribute)) or subject)[:150] \
            if provider.username_attribute else subject[:150]
        if User.objects.filter(username__iexact=username).exists():
            raise SsoRefused(_("A user with your username already exists in Sikker By under another sign-in. "
                               "Ask your administrator."), reason="username_taken")
        user = User(username=username, municipality=provider.municipality)
        user.set_unusable_password()
        user.save()
        # The user's "created" audit row is django-auditlog's own (User is registered in AccountsConfig);
        # the sign-in row below says that this sign-in created it.
        identity = ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
    user = identity.user
    _update_profile(user, provider=provider, claims=claims)
    _set_access(user, provider=provider, roles=access.roles, administration=administration)
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    LogEntry.objects.log_create(user, force_log=True, action=LogEntry.Action.ACCESS,
                                additional_data={"sign_in": provider.slug, "protocol": provider.protocol,
                                                 "created": created})
    logger.info("sso sign-in: provider=%s user=%s created=%s", provider.slug, user.pk, created)
    return user


def _update_profile(user: User, *, provider: IdentityProvider, claims: dict) -> None:
    given, family = _first(claims.get("given_name")), _first(claims.get("family_name"))
    if not (given or family) and _first(claims.get("name")):
        given, _sep, family = str(_first(claims["name"])).rpartition(" ")
        if not given:
            given, family = family, ""
    user.first_name = str(given or "")[:150]
    user.last_name = str(family or "")[:150]
    user.email = str(_first(claims.get("email")) or "")[:254]
    # The provider's municipality is authoritative; SSO users never have a password here.
    user.municipality = provider.municipality
    user.set_unusable_password()
    user.save()


def _set_access(user: User, *, provider: IdentityProvider, roles: list[str], administration) -> None:
    """Give the user exactly these roles and this administration; log what changed."""
    old_roles = r.roles_of(user)
    old_administration = user.administration.code if user.administration_id else None
    new_administration = administration.code if administration else None
    changes = {}
    if old_roles != roles:
        user.groups.set(Group.objects.filter(name__in=roles))
        changes["roles"] = [", ".join(old_roles), ", ".join(roles)]
    if old_administration != new_administration:
        user.administration = administration
        user.save(update_fields=["administration"])
        changes["administration"] = [old_administration, new_administration]
    if changes:
        LogEntry.objects.log_create(user, force_log=True, action=LogEntry.Action.UPDATE, changes=changes,
                                    additional_data={"by_identity_provider": provider.slug})


@transaction.atomic
def identity_provider_register(*, municipality_code: str, slug: str, **fields) -> IdentityProvider:
    """Create or update the identity provider ``slug`` of a municipality (validated)."""
    municipality = Municipality.objects.filter(code=municipality_code).first()
    if municipality is None:
        raise ValueError(f"No municipality with the code {municipality_code}.")
    provider = IdentityProvider.objects.filter(slug=slug).first() or IdentityProvider(slug=slug)
    if provider.pk and provider.municipality_id != municipality.pk:
        raise ValueError("The provider belongs to another municipality; give it another short name.")
    provider.municipality = municipality
    for name, value in fields.items():
        setattr(provider, name, value)
    provider.full_clean()
    provider.save()
    return provider
