"""Writes for users and roles: the role groups, the demo users, and the coordinators' user administration.

A coordinator invites, changes, deactivates and unlocks the users of their own
municipality (``user_invite`` … ``user_unlock``); each service checks that the
target belongs to the actor's municipality, whatever the page did. Changes to a
user are audited by django-auditlog (registered in ``AccountsConfig.ready``);
an unlock, which changes no field of the user, is recorded as an event.
"""
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from initiatives.models import Administration, Municipality

from . import roles as r
from .models import User

# No role has model permissions or staff status: the Django admin is for superusers (platform operators)
# only (sikkerby.admin_site); everything a role does, it does in the application's own pages.


@transaction.atomic
def roles_ensure() -> None:
    """Create the role groups (idempotent); admin permissions an earlier version gave them are taken away."""
    for role in r.ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.clear()


DEMO_PASSWORD = "demo-sikkerby-2010"  # noqa: S105 — documented demo login, refused in production settings

DEMO_USERS = {
    # municipality code: [(username, role, administration code, name)]
    "0101": [
        ("demo-koordinator", r.COORDINATOR, "ØKF", "Demo Koordinator"),
        ("demo-ssp", r.SSP_CONSULTANT, "BIF", "Demo SSP+-konsulent"),
        ("demo-exit", r.EXIT_EXPERT, "SOF", "Demo Exit-ekspert"),
        ("demo-rapportoer", r.ADMIN_REPORTER, "BUF", "Demo Rapportør (BUF)"),
        ("demo-api", r.API_CLIENT, None, "Demo API-klient"),
        ("demo-databeskyttelse", r.DATA_PROTECTION, "ØKF", "Demo Databeskyttelse"),
        ("demo-mentor", r.MENTOR, "SOF", "Demo Mentor"),
    ],
    # Albertslund's own administrations (fixtures/programmes/albertslund.yaml); it runs the effect goals and
    # the key figures only, so its case workers and data-protection user find no exit programme.
    "0165": [
        ("demo-alb-koordinator", r.COORDINATOR, "KPE", "Demo Koordinator (Albertslund)"),
        ("demo-alb-ssp", r.SSP_CONSULTANT, "SSP", "Demo SSP-konsulent (Albertslund)"),
        ("demo-alb-exit", r.EXIT_EXPERT, "SOFA", "Demo Exit-ekspert (Albertslund)"),
        ("demo-alb-rapportoer", r.ADMIN_REPORTER, "SSP", "Demo Rapportør (Albertslund, SSP)"),
        ("demo-alb-api", r.API_CLIENT, None, "Demo API-klient (Albertslund)"),
        ("demo-alb-databeskyttelse", r.DATA_PROTECTION, "KPE", "Demo Databeskyttelse (Albertslund)"),
        ("demo-alb-mentor", r.MENTOR, "SOFA", "Demo Mentor (Albertslund)"),
    ],
}


@transaction.atomic
def demo_users_create(*, municipality_code: str | None = None) -> list[User]:
    """Create (or reset) one clearly marked demo user per role, in each demo municipality that is loaded.

    ``municipality_code`` limits it to one municipality (which must be loaded). Each user gets an address on
    example.org (reserved for examples, RFC 2606), so the reminders the pages promise are really sent (to the
    local mail backend) and can be seen. Refused unless the settings allow demo data: production never has them.
    """
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo users are not allowed with these settings.")
    roles_ensure()
    if municipality_code is not None:
        municipalities = [Municipality.objects.get(code=municipality_code)]
    else:  # every demo municipality whose programme is loaded (Copenhagen at least)
        municipalities = list(Municipality.objects.filter(code__in=DEMO_USERS).order_by("code"))
        if not any(m.code == "0101" for m in municipalities):
            raise Municipality.DoesNotExist("Load Copenhagen's programme first (manage.py load_programme).")
    users = []
    for municipality in municipalities:
        for username, role, admin_code, first_name in DEMO_USERS[municipality.code]:
            administration = (Administration.objects.get(municipality=municipality, code=admin_code)
                              if admin_code else None)
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={"first_name": first_name, "last_name": "(DEMO)", "municipality": municipality,
                          "email": f"{username}@example.org",
                          "administration": administration, "is_demo": True, "is_active": True,
                          "is_staff": False},
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            users.append(user)
    return users


# --- the coordinators' user administration ------------------------------------------
def _check_scope(*, actor: User, target: User | None = None, administration: Administration | None = None) -> None:
    if not actor.is_superuser:
        if target is not None and (target.is_superuser or target.municipality_id != actor.municipality_id):
            raise PermissionDenied("Not a user of your municipality.")
    municipality_id = target.municipality_id if target is not None else actor.municipality_id
    if administration is not None and administration.municipality_id != municipality_id:
        raise ValidationError({"administration": _("Choose an administration of the user's municipality.")})


def _role_set(user: User, role: str) -> None:
    if role not in r.ROLES:
        raise ValidationError({"role": _("Choose one of the roles.")})
    # A role is one group; other groups of the user (none today) are left alone.
    user.groups.remove(*Group.objects.filter(name__in=r.ROLES).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))


def invitation_link(*, user: User, base_url: str) -> str:
    """The set-password link of an invitation: Django's password-reset token, valid PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])


@transaction.atomic
def user_invite(*, actor: User, username: str, email: str, first_name: str, last_name: str, role: str,
                administration: Administration | None, base_url: str) -> User:
    """Create a user of the actor's municipality with one role and e-mail them a link to choose a password.

    The user has no usable password until they follow the link. The e-mail is
    sent after the transaction commits, so a failed save sends nothing.
    """
    _check_scope(actor=actor, administration=administration)
    user = User(username=username, email=email, first_name=first_name, last_name=last_name,
                municipality_id=actor.municipality_id, administration=administration, is_active=True)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _role_set(user, role)
    link = invitation_link(user=user, base_url=base_url)
    context = {"user": user, "link": link, "inviter": actor.get_full_name() or actor.username,
               "role": r.ROLE_LABELS[role]}
    subject = _("Your access to Sikker By")
    body = render_to_string("registration/invitation_email.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, role: str, administration: Administration | None,
                first_name: str, last_name: str, email: str) -> User:
    """Change a user's name, e-mail, role and administration (a coordinator cannot change their own role)."""
    _check_scope(actor=actor, target=user, administration=administration)
    if user.pk == actor.pk and role not in r.roles_of(user):
        raise ValidationError({"role": _("You cannot change your own role; ask another coordinator.")})
    user.first_name, user.last_name, user.email, user.administration = first_name, last_name, email, administration
    user.full_clean(exclude=["password"])
    user.save()
    _role_set(user, role)
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (the user can no longer log in; nothing they did is deleted) or reactivate a user."""
    _check_scope(actor=actor, target=user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate yourself."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """End a lockout after failed logins (django-axes), from every address; returns the attempts removed.

    Audited as an event on the user: who unlocked whom and when.
    """
    from auditlog.models import LogEntry

    _check_scope(actor=actor, target=user)
    removed = axes_reset(username=user.username)
    if removed:
        LogEntry.objects.log_create(user, action=LogEntry.Action.UPDATE, actor=actor,
                                    changes={"lockout": ["locked", "unlocked"]})
    return removed
