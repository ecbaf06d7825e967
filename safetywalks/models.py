"""Safety walks (tryghedsvandringer, seed 003): a walk through a housing area, the places found safe or unsafe on
it, and the actions that make the unsafe places safer, followed until done.

Only organisations and staff roles are recorded — never the names of residents who took part. People appear
only as the users who planned a walk or closed an action.
"""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    POLICE = "police", _("police")
    MUNICIPALITY = "municipality", _("municipality")
    HOUSING_ASSOCIATION = "housing_association", _("housing association")
    OTHER = "other", _("other organisation")


class WalkLeader(models.TextChoices):
    """Who leads the walk: typically the police, but it may be the municipality or the housing association."""

    POLICE = "police", _("police")
    MUNICIPALITY = "municipality", _("municipality")
    HOUSING_ASSOCIATION = "housing_association", _("housing association")


class Organisation(models.Model):
    """An organisation of one municipality that takes part in walks or is responsible for actions.

    An organisation or a unit (the police, a department, a housing association), never a private person.
    """

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.CASCADE,
                                     related_name="safety_walk_organisations", verbose_name=_("municipality"))
    name = models.CharField(_("name"), max_length=200,
                            help_text=_("An organisation or unit, never the name of a resident."))
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="uniq_walk_organisation")]

    def __str__(self):
        return self.name


class SafetyWalk(models.Model):
    """One safety walk in a housing area on a date, led by the police, the municipality or the housing
    association; its route is a GeoJSON LineString (WGS84 lon/lat)."""

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.CASCADE,
                                     related_name="safety_walks", verbose_name=_("municipality"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="safety_walks",
                             verbose_name=_("area"))
    housing_area = models.CharField(_("housing area"), max_length=200,
                                    help_text=_("The estate or housing area walked, e.g. a housing association's "
                                                "section."))
    date = models.DateField(_("date"))
    leader = models.CharField(_("led by"), max_length=20, choices=WalkLeader.choices, default=WalkLeader.POLICE)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="walks",
                                           verbose_name=_("participating organisations"))
    route = models.JSONField(_("route (GeoJSON LineString)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("planned by"))
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("safety walk")
        verbose_name_plural = _("safety walks")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["municipality", "date"])]

    def __str__(self):
        return f"{self.housing_area} {self.date:%Y-%m-%d}"

    def clean(self):
        if self.area_id and self.municipality_id and self.area.municipality_id != self.municipality_id:
            raise ValidationError({"area": _("Choose an area of your own municipality.")})

    @property
    def route_points(self) -> list[tuple[float, float]]:
        """The route as (lat, lon) pairs, in walking order."""
        if not self.route:
            return []
        return [(lat, lon) for lon, lat in self.route.get("coordinates", [])]


class FindingKind(models.TextChoices):
    UNSAFE = "unsafe", _("unsafe place")
    SAFE = "safe", _("safe place")


class FindingCategory(models.TextChoices):
    LIGHTING = "lighting", _("lighting")
    VEGETATION = "vegetation", _("vegetation")
    LITTER = "litter", _("litter")
    VANDALISM = "vandalism", _("vandalism")
    TRAFFIC = "traffic", _("traffic")
    OTHER = "other", _("other")


class Finding(models.Model):
    """A place pointed out on a walk as safe or unsafe, with its position, what was seen and what is proposed."""

    walk = models.ForeignKey(SafetyWalk, on_delete=models.CASCADE, related_name="findings",
                             verbose_name=_("safety walk"))
    kind = models.CharField(_("safe or unsafe"), max_length=10, choices=FindingKind.choices,
                            default=FindingKind.UNSAFE)
    category = models.CharField(_("category"), max_length=20, choices=FindingCategory.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    description = models.TextField(_("description"))
    proposed_action = models.TextField(_("proposed action"), blank=True)
    photo = models.FileField(_("photo"), upload_to="safetywalks/photos/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["walk", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(latitude__gte=-90, latitude__lte=90)
                                   & models.Q(longitude__gte=-180, longitude__lte=180), name="finding_on_earth"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_category_display()}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class Action(models.Model):
    """What one organisation does about a finding by a deadline, followed from open through in progress to done."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions",
                                verbose_name=_("finding"))
    description = models.TextField(_("action"))
    responsible = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="actions",
                                    verbose_name=_("responsible organisation"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(status="done", done_on__isnull=False)
                           | (~models.Q(status="done") & models.Q(done_on__isnull=True))),
                name="action_done_has_date"),
        ]

    def __str__(self):
        return self.description[:60]

    def is_overdue(self, today) -> bool:
        return self.status != ActionStatus.DONE and self.deadline < today


class ActionEvent(models.Model):
    """One change of an action's status: who, when, from what to what, and why (append-only)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events", verbose_name=_("action"))
    from_status = models.CharField(_("from"), max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ActionStatus.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("by"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("action event")
        verbose_name_plural = _("action events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"


class ActionReminderLevel(models.TextChoices):
    DUE_SOON = "due_soon", _("deadline in a week")
    OVERDUE = "overdue", _("deadline passed")


class ActionReminder(models.Model):
    """One e-mail about one action at one level, never sent twice: the municipality's coordinators are told a
    week before an action's deadline and the day after it, while the action is not done
    (``services.action_reminders_send``; the organisations themselves have no login)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("action"))
    level = models.CharField(_("level"), max_length=10, choices=ActionReminderLevel.choices)
    sent_on = models.DateField(_("sent on"))
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                        verbose_name=_("recipients"))

    class Meta:
        verbose_name = _("action reminder")
        verbose_name_plural = _("action reminders")
        ordering = ["sent_on", "id"]
        constraints = [models.UniqueConstraint(fields=["action", "level"], name="uniq_action_reminder_level")]

    def __str__(self):
        return f"{self.action_id} {self.level} {self.sent_on}"
