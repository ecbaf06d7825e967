"""Reads for the users page, scoped to the coordinator's own municipality.

``users_visible_to`` is the one scoping rule for managing users: a coordinator
sees the users of their own municipality, never superusers (who are kept from
the shell and the admin); a superuser sees everyone.
"""
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from .models import User
from .roles import ROLE_LABELS


def users_visible_to(user) -> QuerySet[User]:
    qs = User.objects.select_related("administration", "municipality").prefetch_related("groups")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    if not user.municipality_id:
        return qs.none()
    return qs.filter(municipality_id=user.municipality_id, is_superuser=False)


def user_list(*, user) -> QuerySet[User]:
    return users_visible_to(user).order_by("-is_active", "username")


def lockouts_visible_to(user) -> list[dict]:
    """Users of the coordinator's municipality who are locked out now (django-axes), with their failure count.

    A lockout is per username and address; the page shows the user, how many
    failed logins and when the last one was, never the address. Two queries.
    """
    usernames = users_visible_to(user).values_list("username", flat=True)
    attempts = AccessAttempt.objects.filter(username__in=usernames)
    cool_off = get_cool_off()
    if cool_off is not None:  # older attempts no longer lock anyone out
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    attempts = (attempts.values("username").annotate(failures=Max("failures_since_start"), last=Max("attempt_time"))
                .filter(failures__gte=settings.AXES_FAILURE_LIMIT).order_by("username"))
    by_name = {u.username: u for u in users_visible_to(user).filter(username__in=[a["username"] for a in attempts])}
    return [{"user": by_name[a["username"]], "failures": a["failures"], "last": a["last"]}
            for a in attempts if a["username"] in by_name]


def user_history(target) -> list[dict]:
    """The user's audit history; a role (a group) is named by its label."""
    from auditlog.models import LogEntry

    from operations.history import history_rows

    return history_rows(LogEntry.objects.get_for_object(target), object_labels=ROLE_LABELS)
