"""Writes for users and roles."""
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

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

DEMO_USERS = [
    # username, role, administration code, first name
    ("demo-koordinator", r.COORDINATOR, "ØKF", "Demo Koordinator"),
    ("demo-ssp", r.SSP_CONSULTANT, "BIF", "Demo SSP+-konsulent"),
    ("demo-exit", r.EXIT_EXPERT, "SOF", "Demo Exit-ekspert"),
    ("demo-rapportoer", r.ADMIN_REPORTER, "BUF", "Demo Rapportør (BUF)"),
    ("demo-api", r.API_CLIENT, None, "Demo API-klient"),
    ("demo-mentor", r.MENTOR, "SOF", "Demo Mentor"),
]


@transaction.atomic
def demo_users_create(*, municipality_code: str = "0101") -> list[User]:
    """Create (or reset) one clearly marked demo user per role.

    Each gets an address on example.org (reserved for examples, RFC 2606), so the reminders the
    pages promise are really sent (to the local mail backend) and can be seen. Refused unless the
    settings allow demo data: production never has them.
    """
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo users are not allowed with these settings.")
    roles_ensure()
    municipality = Municipality.objects.get(code=municipality_code)
    users = []
    for username, role, admin_code, first_name in DEMO_USERS:
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
