"""SSP single-case meetings (enkeltsagsbehandling, seed 003): the SSP unit and the police meet every 14 days.

A municipality keeps a ``MeetingSeries`` (start date, interval of 14 days) whose ``SingleCaseMeeting`` rows
are its calendar; a meeting can be moved. A ``Concern`` is a worry about one young person (often under 18)
registered by the police or SSP. Every meeting's agenda is every open concern; what the meeting decided for a
concern (the action, its owner and deadline) is an ``AgendaItem``. A concern that is not closed appears on the
next meeting's agenda with its earlier items (its history) until a meeting closes it.

Personal data is protected as the exit programme's is, by the same code: names, CPR number, the description
and every decision are encrypted (``sikkerby.encryption``), the CPR number is validated, hashed and masked by
``exitprogram.cpr``, every read and write writes a row to the exit programme's append-only ``AccessLog``
(``exitprogram.services.access_log_record``: a data-subject request finds a person's SSP concerns too), and
closed concerns are anonymised after a retention period (``services.concerns_anonymise_due``). Counts and
categories (source, age, action, dates) are plain columns, so the key-figure report's count survives
anonymisation. Concerns are addressed by UUID and a non-personal reference; no name or CPR is in a URL or log.

Police officers are staff, not citizens, and no role of the system fits them (they do not sign in): the police
participants of a meeting are recorded as text on the meeting (``police_participants``).
"""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from exitprogram import cpr as cprlib
from sikkerby.encryption import EncryptedCharField, EncryptedTextField

DEFAULT_INTERVAL_DAYS = 14


class MeetingSeries(models.Model):
    """A municipality's series of SSP–police single-case meetings, every ``interval_days`` from ``start_date``."""

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT,
                                     related_name="ssp_meeting_series", verbose_name=_("municipality"))
    name = models.CharField(_("name"), max_length=120)
    start_date = models.DateField(_("first meeting"))
    interval_days = models.PositiveSmallIntegerField(_("days between meetings"), default=DEFAULT_INTERVAL_DAYS)
    police_unit = models.CharField(_("police unit"), max_length=120, blank=True,
                                   help_text=_("The police district or station that takes part."))
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("single-case meeting series")
        verbose_name_plural = _("single-case meeting series")
        ordering = ["start_date", "pk"]
        default_permissions = ()
        constraints = [models.CheckConstraint(condition=models.Q(interval_days__gte=1, interval_days__lte=92),
                                              name="ssp_series_interval_range")]

    def __str__(self):
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class SingleCaseMeeting(models.Model):
    """One meeting of a series: number ``number`` falls on ``scheduled_on``; ``held_on`` is the (moved) date."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveIntegerField(_("number"))
    scheduled_on = models.DateField(_("scheduled date"))
    held_on = models.DateField(_("date"))
    move_reason = models.CharField(_("reason for moving"), max_length=200, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    ssp_participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                              verbose_name=_("SSP participants"))
    police_participants = models.CharField(_("police participants"), max_length=300, blank=True,
                                           help_text=_("Names and unit of the police officers present (staff)."))
    # The optimistic lock (``operations.locking``): moving, holding, cancelling and reinstating a meeting each
    # carry the version their form was opened on, so two colleagues' changes never silently overwrite each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("single-case meeting")
        verbose_name_plural = _("single-case meetings")
        ordering = ["held_on", "number"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="uniq_ssp_meeting_number")]

    def __str__(self):
        return f"{self.series_id}#{self.number} {self.held_on}"

    @property
    def is_moved(self) -> bool:
        return self.held_on != self.scheduled_on


class ConcernSource(models.TextChoices):
    """Who brought the concern to the meeting (seed 003: concerns known to the police or the municipality)."""

    POLICE = "police", _("Police")
    SSP = "ssp", _("SSP")
    SCHOOL = "school", _("School (SSP staff or school social worker)")
    SOCIAL = "social", _("Social services")
    OTHER = "other", _("Other")


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ClosureOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved: no further concern")
    EXIT_PROGRAMME = "exit_programme", _("Referred to the exit programme")
    SOCIAL_SERVICES = "social_services", _("Handed over to social services")
    OTHER = "other", _("Other")


class Concern(models.Model):
    """A concern about one young person, registered by police or SSP, handled at the meetings until closed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT,
                                     related_name="ssp_concerns", verbose_name=_("municipality"))
    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="concerns",
                               verbose_name=_("meeting series"))
    # -- the young person (encrypted) --
    first_name = EncryptedCharField(_("first name"), max_length=100, blank=True, null=True)
    last_name = EncryptedCharField(_("last name"), max_length=100, blank=True, null=True)
    cpr = EncryptedCharField(_("CPR number"), max_length=11, blank=True, null=True)
    cpr_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    age = models.PositiveSmallIntegerField(_("age when registered"), null=True, blank=True)
    description = EncryptedTextField(_("the concern"), blank=True, null=True)
    # -- registration (plain: the statistics need them) --
    source = models.CharField(_("registered by"), max_length=20, choices=ConcernSource.choices)
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_outcome = models.CharField(_("outcome"), max_length=20, choices=ClosureOutcome.choices, blank=True)
    exit_case = models.OneToOneField("exitprogram.ExitCase", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="ssp_concern", verbose_name=_("exit case"))
    is_fictional = models.BooleanField(_("fictional (demo) concern"), default=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SSP concern")
        verbose_name_plural = _("SSP concerns")
        ordering = ["registered_on", "reference"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=models.Q(closed_on__isnull=True) |
                                   models.Q(closed_on__gte=models.F("registered_on")),
                                   name="ssp_concern_closed_after_registered"),
        ]
        indexes = [models.Index(fields=["municipality", "status"], name="ssp_concern_status_idx")]

    def __str__(self):
        return self.reference

    @property
    def cpr_masked(self) -> str:
        return cprlib.mask(self.cpr)

    @property
    def display_name(self) -> str:
        if self.anonymised_at:
            return str(_("(anonymised)"))
        return f"{self.first_name or ''} {self.last_name or ''}".strip() or "–"

    @property
    def is_minor(self) -> bool:
        return self.age is not None and self.age < 18

    @property
    def is_open(self) -> bool:
        return self.status == ConcernStatus.OPEN

    def clean(self):
        if self.series_id and self.municipality_id and self.series.municipality_id != self.municipality_id:
            raise ValidationError({"series": _("The meeting series belongs to another municipality.")})


class Action(models.TextChoices):
    """What a meeting decides to do about a concern (seed 003 names parent and youth orders as tools)."""

    PARENT_TALK = "parent_talk", _("Talk with the parents")
    YOUTH_TALK = "youth_talk", _("Talk with the young person")
    PARENT_ORDER = "parent_order", _("Parental order (forældrepålæg)")
    YOUTH_ORDER = "youth_order", _("Youth order (ungepålæg)")
    SCHOOL = "school", _("Involve the school's SSP staff or social worker")
    SOCIAL_NOTIFICATION = "social_notification", _("Notify social services")
    EXIT_PROGRAMME = "exit_programme", _("Refer to the exit programme")
    MONITOR = "monitor", _("Keep an eye on it")
    NONE = "none", _("No action")


class Owner(models.TextChoices):
    SSP = "ssp", _("SSP")
    POLICE = "police", _("Police")
    SCHOOL = "school", _("School")
    SOCIAL = "social", _("Social services")
    OTHER = "other", _("Other")


class AgendaItem(models.Model):
    """What one meeting decided about one concern: the decision, the action, its owner and deadline."""

    meeting = models.ForeignKey(SingleCaseMeeting, on_delete=models.CASCADE, related_name="items")
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="items")
    decision = EncryptedTextField(_("decision"), blank=True, null=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    owner = models.CharField(_("owner"), max_length=20, choices=Owner.choices)
    owner_name = models.CharField(_("owner's name"), max_length=120, blank=True,
                                  help_text=_("The staff member who carries out the action."))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    closes_concern = models.BooleanField(_("close the concern"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting__held_on", "pk"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["meeting", "concern"], name="uniq_ssp_item_per_meeting")]

    def __str__(self):
        return f"{self.meeting_id}/{self.concern_id}: {self.action}"
