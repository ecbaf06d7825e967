"""Reads of safety walks. Every read starts from ``tenancy.scoped`` (the user's municipality) and from the
role check: a user who may not read safety walks gets nothing, on pages, in the API and in exports alike."""
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from areas.models import Area
from sikkerby import tenancy

from .models import Action, ActionEvent, ActionStatus, Finding, Organisation, SafetyWalk


def _may_view(user) -> bool:
    return user is not None and user.is_authenticated and user.has_perm("safetywalks.view")


def walks_visible_to(user) -> QuerySet:
    """The safety walks of the user's municipality, if their role reads safety walks."""
    qs = tenancy.scoped(SafetyWalk.objects.all(), user)
    return qs if _may_view(user) else qs.none()


def findings_visible_to(user) -> QuerySet:
    qs = tenancy.scoped(Finding.objects.all(), user)
    return qs if _may_view(user) else qs.none()


def actions_visible_to(user) -> QuerySet:
    qs = tenancy.scoped(Action.objects.all(), user)
    return qs if _may_view(user) else qs.none()


def organisations_visible_to(user) -> QuerySet:
    qs = tenancy.scoped(Organisation.objects.all(), user)
    return qs if _may_view(user) else qs.none()


def areas_for_walks(user) -> QuerySet:
    """The areas a walk may be planned in: every area of the user's municipality (its own outline included)."""
    return tenancy.scoped(Area.objects.all(), user).exclude(level="rode").order_by("level", "name")


def walk_list(*, user) -> QuerySet:
    """Walks with their area and counts of findings and of actions not done (two annotations, one query)."""
    return (walks_visible_to(user).select_related("area")
            .annotate(finding_count=Count("findings", distinct=True),
                      open_action_count=Count("findings__actions", filter=~Q(findings__actions__status="done"),
                                              distinct=True))
            .order_by("-date", "-id"))


def walk_detail(*, user, pk: int) -> SafetyWalk:
    """One walk with everything its page and report show, in a fixed number of queries."""
    actions = Action.objects.select_related("responsible", "closed_by").order_by("deadline", "id")
    return (walks_visible_to(user).select_related("area", "municipality", "created_by")
            .prefetch_related("organisations",
                              Prefetch("findings", queryset=Finding.objects.order_by("id").prefetch_related(
                                  Prefetch("actions", queryset=actions))))
            .get(pk=pk))


def action_list(*, user) -> QuerySet:
    """Actions with their finding, walk, area and organisation (no query per row)."""
    return (actions_visible_to(user)
            .select_related("finding__walk__area", "responsible", "closed_by")
            .order_by("deadline", "id"))


def open_actions_summary(*, actions: QuerySet, today: date) -> dict:
    """Actions not done, counted per area (and housing area) and per organisation, with how many are overdue."""
    open_actions = actions.exclude(status=ActionStatus.DONE)
    overdue = Q(deadline__lt=today)
    per_area = (open_actions.values("finding__walk__area__name", "finding__walk__housing_area")
                .annotate(open=Count("id"), overdue=Count("id", filter=overdue))
                .order_by("finding__walk__area__name", "finding__walk__housing_area"))
    per_organisation = (open_actions.values("responsible__name")
                        .annotate(open=Count("id"), overdue=Count("id", filter=overdue))
                        .order_by("responsible__name"))
    return {
        "per_area": [{"area": r["finding__walk__area__name"], "housing_area": r["finding__walk__housing_area"],
                      "open": r["open"], "overdue": r["overdue"]} for r in per_area],
        "per_organisation": [{"organisation": r["responsible__name"], "open": r["open"], "overdue": r["overdue"]}
                             for r in per_organisation],
    }


def action_history(*, action: Action) -> QuerySet:
    return ActionEvent.objects.filter(action=action).select_related("by").order_by("at", "id")
