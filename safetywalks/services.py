"""Writes of safety walks: plan a walk, record findings, assign actions and move them to done.

Each service checks the role (``safetywalks.manage``) and that every row it links belongs to the user's own
municipality, validates with ``full_clean()`` inside a transaction, and records who did it. An action's status
changes only through ``action_set_status`` (the transition table below), which keeps the history.
"""
import io
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from initiatives.models import Module
from operations.uploads import check_size
from sikkerby import tenancy

from .models import (
    Action,
    ActionEvent,
    ActionReminder,
    ActionReminderLevel,
    ActionStatus,
    Finding,
    Organisation,
    SafetyWalk,
)

# Allowed status changes. Done can be reopened (to in progress) when it was closed by mistake; the history keeps
# both changes.
TRANSITIONS = {
    ActionStatus.OPEN: {ActionStatus.IN_PROGRESS, ActionStatus.DONE},
    ActionStatus.IN_PROGRESS: {ActionStatus.OPEN, ActionStatus.DONE},
    ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
}
PHOTO_MAX_SIDE = 2000  # pixels; a photo of a place needs no more, and re-encoding drops its metadata


def _require_manager(user) -> None:
    if not user.is_authenticated or user.municipality_id is None or not user.has_perm("safetywalks.manage"):
        raise PermissionDenied(_("Your role cannot plan safety walks or manage their actions."))


def _own(obj, user, field: str) -> None:
    if obj is not None and not tenancy.belongs_to(obj, user.municipality_id):
        raise ValidationError({field: [_("Choose one of your own municipality's.")]})


def route_geojson(points: list[tuple[float, float]]) -> dict | None:
    """(lat, lon) points in walking order as a GeoJSON LineString (lon, lat); None for no route."""
    if not points:
        return None
    if len(points) < 2:
        raise ValidationError({"route": [_("A route needs at least two points.")]})
    for lat, lon in points:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationError({"route": [_("A point of the route is not a latitude and longitude.")]})
    return {"type": "LineString", "coordinates": [[round(lon, 6), round(lat, 6)] for lat, lon in points]}


@transaction.atomic
def organisation_create(*, user, name: str, kind: str, is_demo: bool = False) -> Organisation:
    """Add an organisation (never a person) that takes part in walks or is responsible for actions."""
    _require_manager(user)
    org = Organisation(municipality_id=user.municipality_id, name=name.strip(), kind=kind, is_demo=is_demo)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def walk_create(*, user, area, housing_area: str, date: date, leader: str, organisations=(), route=None,
                notes: str = "", is_demo: bool = False) -> SafetyWalk:
    """Plan a safety walk in an area of the user's municipality."""
    _require_manager(user)
    _own(area, user, "area")
    for org in organisations:
        _own(org, user, "organisations")
    walk = SafetyWalk(municipality_id=user.municipality_id, area=area, housing_area=housing_area, date=date,
                      leader=leader, route=route, notes=notes, created_by=user, is_demo=is_demo)
    walk.full_clean()
    walk.save()
    walk.organisations.set(organisations)
    return walk


@transaction.atomic
def walk_update(*, user, walk: SafetyWalk, area, housing_area: str, date: date, leader: str, organisations=(),
                route=None, notes: str = "") -> SafetyWalk:
    """Change a planned walk (its route drawn afterwards, a new date)."""
    _require_manager(user)
    walk = tenancy.scoped(SafetyWalk.objects.select_for_update(), user).get(pk=walk.pk)
    _own(area, user, "area")
    for org in organisations:
        _own(org, user, "organisations")
    walk.area, walk.housing_area, walk.date, walk.leader = area, housing_area, date, leader
    walk.route, walk.notes = route, notes
    walk.full_clean()
    walk.save()
    walk.organisations.set(organisations)
    return walk


def photo_clean(uploaded) -> ContentFile:
    """The upload as a fresh JPEG or PNG without its metadata (camera, position, time), at most
    ``PHOTO_MAX_SIDE`` pixels on its longest side; refuses files too large or not an image."""
    check_size(size=uploaded.size, kind="safety_walk_photo")
    try:
        image = Image.open(uploaded)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError({"photo": [_("The file is not a photo (JPEG, PNG or WebP).")]}) from exc
    if image.format not in ("JPEG", "PNG", "WEBP"):
        raise ValidationError({"photo": [_("The file is not a photo (JPEG, PNG or WebP).")]})
    image = ImageOps.exif_transpose(image)
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P"):
        image.save(out, format="PNG")
        ext = "png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85)
        ext = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")


@transaction.atomic
def finding_create(*, user, walk: SafetyWalk, kind: str, category: str, latitude, longitude, description: str,
                   proposed_action: str = "", photo=None) -> Finding:
    """Record a safe or unsafe place pointed out on a walk; the photo goes through Django's storage API."""
    _require_manager(user)
    _own(walk, user, "walk")
    finding = Finding(walk=walk, kind=kind, category=category, latitude=latitude, longitude=longitude,
                      description=description, proposed_action=proposed_action, created_by=user)
    finding.full_clean(exclude=["photo"])
    if photo is not None:
        cleaned = photo_clean(photo)
        finding.photo.save(cleaned.name, cleaned, save=False)
    finding.save()
    return finding


@transaction.atomic
def action_create(*, user, finding: Finding, description: str, responsible: Organisation, deadline: date) -> Action:
    """Assign what is to be done about a finding to one organisation, by a deadline (status open)."""
    _require_manager(user)
    _own(finding, user, "finding")
    _own(responsible, user, "responsible")
    action = Action(finding=finding, description=description, responsible=responsible, deadline=deadline)
    action.full_clean()
    action.save()
    ActionEvent.objects.create(action=action, from_status="", to_status=ActionStatus.OPEN, by=user)
    return action


@transaction.atomic
def action_set_status(*, user, action: Action, status: str, done_on: date | None = None,
                      comment: str = "") -> Action:
    """Move an action along the transition table; done records the date and who closed it."""
    _require_manager(user)
    action = tenancy.scoped(Action.objects.select_for_update(), user).get(pk=action.pk)
    if status not in TRANSITIONS.get(action.status, set()):
        raise ValidationError({"status": [_("An action cannot go from %(from)s to %(to)s.") % {
            "from": ActionStatus(action.status).label, "to": ActionStatus(status).label
            if status in ActionStatus.values else status}]})
    previous = action.status
    action.status = status
    if status == ActionStatus.DONE:
        done_on = done_on or timezone.localdate()
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": [_("The date it was done cannot be in the future.")]})
        action.done_on, action.closed_by = done_on, user
    else:
        action.done_on, action.closed_by = None, None
    action.full_clean()
    action.save(update_fields=["status", "done_on", "closed_by"])
    ActionEvent.objects.create(action=action, from_status=previous, to_status=status, by=user, comment=comment)
    return action


# --- reminders about actions' deadlines ---------------------------------------------------------------------------
REMIND_DAYS_BEFORE = 7


def action_reminders_due(*, on: date) -> list[tuple[Action, str]]:
    """(action, level) pairs to remind of on ``on``, in the municipalities that run safety walks: an action not done
    whose deadline is at most ``REMIND_DAYS_BEFORE`` days away (``due_soon``) or has passed (``overdue``), and that
    has not been reminded of at that level. An action that is already overdue when it is first seen (assigned with
    a passed deadline, or the task did not run for a week) gets the overdue reminder only. Two queries."""
    actions = (Action.objects.exclude(status=ActionStatus.DONE)
               .filter(deadline__lte=date.fromordinal(on.toordinal() + REMIND_DAYS_BEFORE))
               .exclude(reminders__level=ActionReminderLevel.OVERDUE)  # the last reminder an action gets
               .select_related("finding__walk__municipality", "finding__walk__area", "responsible")
               .prefetch_related("reminders").order_by("deadline", "id"))
    due = []
    for action in actions:
        if Module.SAFETY_WALKS not in (action.finding.walk.municipality.modules or []):
            continue
        sent = {r.level for r in action.reminders.all()}
        level = ActionReminderLevel.OVERDUE if action.deadline < on else ActionReminderLevel.DUE_SOON
        if level in sent:
            continue
        due.append((action, level))
    return due


@transaction.atomic
def action_reminders_send(*, on: date) -> list[ActionReminder]:
    """Tell each municipality's active coordinators (with an e-mail address) of its actions due within a week and
    overdue: one e-mail per coordinator per run listing them, and one ``ActionReminder`` row per action and level,
    ever (a re-run on the same or a later day sends nothing twice; the unique constraint backs it)."""
    from accounts.models import User
    from accounts.roles import COORDINATOR

    due = action_reminders_due(on=on)
    if not due:
        return []
    by_municipality: dict[int, list] = {}
    for action, level in due:
        by_municipality.setdefault(action.finding.walk.municipality_id, []).append((action, level))
    coordinators: dict[int, list] = {}
    for user in (User.objects.filter(is_active=True, municipality_id__in=by_municipality, groups__name=COORDINATOR)
                 .exclude(email="").order_by("username")):
        coordinators.setdefault(user.municipality_id, []).append(user)
    created = []
    for municipality_id, items in by_municipality.items():
        recipients = coordinators.get(municipality_id, [])
        for action, level in items:
            reminder = ActionReminder.objects.create(action=action, level=level, sent_on=on)
            reminder.recipients.set(recipients)
            created.append(reminder)
        if recipients:
            subject, body = _action_reminder_mail(items)
            for user in recipients:
                send_mail(subject, body, None, [user.email])
    return created


def _action_reminder_mail(items) -> tuple[str, str]:
    """Danish, as every e-mail of Sikker By; no personal data (actions are about places)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Sikker By: %(count)s safety-walk actions are due or overdue") % {"count": len(items)}
        lines = []
        for action, level in items:
            walk = action.finding.walk
            lines.append(_("- %(action)s (%(organisation)s, %(place)s): %(state)s %(deadline)s") % {
                "action": action.description[:80], "organisation": action.responsible.name,
                "place": walk.housing_area or walk.area.name,
                "state": _("overdue since") if level == ActionReminderLevel.OVERDUE else _("due"),
                "deadline": action.deadline.strftime("%d.%m.%Y")})
        intro = _("These actions agreed after safety walks are due within a week or overdue. Follow them up with "
                  "the responsible organisations; see Sikker By, Safety walks, Actions.")
    return subject, intro + "\n\n" + "\n".join(lines)
