"""Writes for users and roles."""
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from initiatives.models import Administration, Municipality

from . import roles as r
from .models import User

# Model permissions each role gets in the Django admin. Row-level scoping is
# not the admin's job: only coordinators (programme data) are staff.
ADMIN_PERMISSIONS = {
    r.COORDINATOR: {
        "initiatives": ["programme", "focusarea", "effectgoal", "initiative", "budgetline", "administration",
                        "municipality"],
        "indicators": ["indicator"],
        "areas": ["area"],
    },
}


@transaction.atomic
def roles_ensure() -> None:
    """Create the role groups and give them their admin permissions (idempotent)."""
    for role in r.ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for app_label, models in ADMIN_PERMISSIONS.get(role, {}).items():
            perms += list(Permission.objects.filter(content_type__app_label=app_label,
                                                    content_type__model__in=models))
        if perms:
            group.permissions.add(*perms)


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
                          "is_staff": role == r.COORDINATOR},
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            users.append(user)
    return users
