"""The exit programme (seed 001, annex 2): exit cases of 18–25-year-olds and their four phases.

Personal data (name, CPR number, the baseline, meeting and plan texts, notes)
is held in encrypted fields (``sikkerby.encryption``); the keys come from the
environment (``FIELD_ENCRYPTION_KEYS``, rotatable), never the database. Counts and
categories needed for the statistics (phase, track, channel, age at referral,
closure reason, follow-up result) are plain columns, so anonymising a case
(``services.case_anonymise``) keeps effect goal 2 intact.

Mentors are users assigned to a case (``ExitCase.mentor``) with the
administration that anchors the mentor relation (SOF 18+, BIF or BUF): the
mentor needs to read the case they support, and a user gives them a login,
an audit identity and nothing else — no role group is needed.

Every read and write of a case writes an ``AccessLog`` row, which the
application cannot change or delete.
"""
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikkerby.encryption import EncryptedCharField, EncryptedTextField

from . import cpr as cprlib


class Phase(models.TextChoices):
    IDENTIFICATION = "identification", _("1 Identification")
    COORDINATION = "coordination", _("2 Coordination")
    INCLUSION = "inclusion", _("3 Inclusion")
    CLOSED = "closed", _("4 Closure")


PHASE_ORDER = [Phase.IDENTIFICATION, Phase.COORDINATION, Phase.INCLUSION, Phase.CLOSED]


class EntryChannel(models.TextChoices):
    """The entry channels of annex 2, phase 1."""

    LOCAL_SSP = "local_ssp", _("Local SSP")
    SOCIALCENTER = "socialcenter", _("Socialcenter København")
    UU_GUIDANCE = "uu_guidance", _("U&U guidance")
    BUF = "buf", _("Children and Youth Administration (BUF)")
    JOBCENTER = "jobcenter", _("Jobcenter (BIF)")
    POLICE = "police", _("Police interview or PolSpot intelligence")
    STREET_WORKERS = "street_workers", _("Street workers")
    OWN_INITIATIVE = "own_initiative", _("The young person's own initiative")
    PLUS_CENTER = "plus_center", _("Plus Center")
    PRISON = "prison", _("Prison and Probation Service")
    SPORTS_CLUB = "sports_club", _("Sports club")
    # Annex 2's identification figure: "Øvrige Fritids- og ungdomsklubber".
    YOUTH_CLUBS = "youth_clubs", _("Other leisure and youth clubs")
    OTHER = "other", _("Other")


class Track(models.TextChoices):
    """The SSP+ consultant's screening: general serious crime, or gang-related (exit expert attached)."""

    GENERAL = "general", _("General serious crime (SSP+ consultant's track)")
    GANG = "gang", _("Gang-related (exit expert)")


class CrimeLevel(models.TextChoices):
    """Annex 2's definitions: serious crime = SSP level 3, person-dangerous crime = SSP level 4."""

    SERIOUS = "serious", _("Serious crime (SSP level 3)")
    PERSON_DANGEROUS = "person_dangerous", _("Person-dangerous crime (SSP level 4)")


class ClosureReason(models.TextChoices):
    SELF_RELIANT = "self_reliant", _("Self-reliant (programme completed)")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    MOVED_AWAY = "moved_away", _("Moved away")
    OTHER = "other", _("Other")


class Occupation(models.TextChoices):
    """Education/employment status at the 2-year follow-up."""

    EDUCATION = "education", _("In education")
    EMPLOYMENT = "employment", _("In employment")
    BOTH = "both", _("In education and employment")
    NEITHER = "neither", _("Neither")
    UNKNOWN = "unknown", _("Unknown")


class LifeArea(models.TextChoices):
    """The five areas of the needs assessment (annex 2, phase 2)."""

    ECONOMY = "economy", _("Economy")
    HOUSING = "housing", _("Housing")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    SOCIAL = "social", _("Social relations and skills")


class ExitCase(models.Model):
    """One young person's course through the exit programme (exitforløb).

    Identified to users by an opaque UUID and a non-personal reference number,
    never by name or CPR number. ``version`` is the optimistic lock: every write
    to the case row must name the version it was based on.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("case reference"), max_length=20, unique=True)
    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT,
                                     related_name="exit_cases", verbose_name=_("municipality"))
    # -- the young person (encrypted) --
    first_name = EncryptedCharField(_("first name"), max_length=100, blank=True, null=True)
    last_name = EncryptedCharField(_("last name"), max_length=100, blank=True, null=True)
    cpr = EncryptedCharField(_("CPR number"), max_length=11, blank=True, null=True)
    cpr_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    age_at_referral = models.PositiveSmallIntegerField(_("age at referral"))
    age_override_reason = models.CharField(_("reason for age outside 18–25"), max_length=300, blank=True)
    is_fictional = models.BooleanField(_("fictional (demo) case"), default=False)
    # -- phase 1: referral and screening --
    referral_date = models.DateField(_("referral date"))
    entry_channel = models.CharField(_("entry channel"), max_length=20, choices=EntryChannel.choices)
    track = models.CharField(_("track"), max_length=10, choices=Track.choices)
    crime_level = models.CharField(_("crime level"), max_length=20, choices=CrimeLevel.choices)
    ssp_consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       related_name="exit_cases_responsible",
                                       verbose_name=_("responsible SSP+ consultant"))
    exit_expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="exit_cases_expert", verbose_name=_("exit expert"))
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="exit_cases_mentored", verbose_name=_("mentor"))
    mentor_anchor = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+",
                                      verbose_name=_("mentor anchored in"))
    # -- baseline at first contact (encrypted texts) --
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_economy = EncryptedTextField(_("economy"), blank=True, null=True)
    baseline_housing = EncryptedTextField(_("housing"), blank=True, null=True)
    baseline_education = EncryptedTextField(_("education"), blank=True, null=True)
    baseline_employment = EncryptedTextField(_("employment"), blank=True, null=True)
    baseline_social = EncryptedTextField(_("social relations"), blank=True, null=True)
    baseline_crime = EncryptedTextField(_("crime level"), blank=True, null=True)
    # -- state --
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.IDENTIFICATION)
    # -- phase 4: closure and evaluation --
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=20, choices=ClosureReason.choices,
                                      blank=True)
    evaluation = EncryptedTextField(_("evaluation against the baseline"), blank=True, null=True)
    evaluated_with_exit_expert = models.BooleanField(_("evaluated with the exit expert"), default=False)
    # -- the 2-year follow-up --
    followup_due = models.DateField(_("follow-up due"), null=True, blank=True)
    followup_done_on = models.DateField(_("follow-up recorded on"), null=True, blank=True)
    convicted_within_2y = models.BooleanField(_("convicted of serious or person-dangerous crime within 2 years"),
                                              null=True, blank=True)
    occupation_at_followup = models.CharField(_("education/employment at follow-up"), max_length=20,
                                              choices=Occupation.choices, blank=True)
    followup_reminded_on = models.DateField(null=True, blank=True, editable=False)
    # -- retention --
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exit case")
        verbose_name_plural = _("exit cases")
        ordering = ["-referral_date", "reference"]
        permissions = [("view_exit_statistics", "Can view exit-programme statistics")]
        default_permissions = ()  # no admin add/change/delete: cases are written through services only
        constraints = [
            models.CheckConstraint(condition=models.Q(closed_on__isnull=True) |
                                   models.Q(closed_on__gte=models.F("referral_date")),
                                   name="exit_case_closed_after_referral"),
        ]
        indexes = [models.Index(fields=["phase", "followup_due"], name="exit_case_followup_idx")]

    def __str__(self):
        return self.reference

    @property
    def cpr_masked(self) -> str:
        return cprlib.mask(self.cpr)

    @property
    def display_name(self) -> str:
        if self.anonymised_at:
            return str(_("(anonymised)"))
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_gang_case(self) -> bool:
        return self.track == Track.GANG

    @property
    def followup_is_due(self) -> bool:
        return bool(self.followup_due and self.followup_done_on is None and self.followup_due <= date.today())

    def clean(self):
        errors = {}
        if self.closed_on and self.referral_date and self.closed_on < self.referral_date:
            errors["closed_on"] = _("The closure date cannot be before the referral date.")
        if self.baseline_date and self.referral_date and self.baseline_date < self.referral_date:
            errors["baseline_date"] = _("The baseline date cannot be before the referral date.")
        if self.age_at_referral is not None and not (18 <= self.age_at_referral <= 25) \
                and not self.age_override_reason.strip() and not self.anonymised_at:
            errors["age_override_reason"] = _(
                "The young person is %(age)s at referral, outside the target group 18–25: give a reason "
                "for admitting them.") % {"age": self.age_at_referral}
        if self.track == Track.GANG and self.exit_expert_id and not self.exit_expert.groups.filter(
                name="exit_expert").exists():
            errors["exit_expert"] = _("The exit expert must be a user with the exit-expert role.")
        if self.mentor_id and not self.mentor_anchor_id:
            errors["mentor_anchor"] = _("Say which administration anchors the mentor.")
        if errors:
            raise ValidationError(errors)


class PhaseTransition(models.Model):
    """A phase change of a case: who, when, from, to and why (a step back always has a reason)."""

    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(_("reason"), blank=True, null=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.from_phase or '-'} -> {self.to_phase}"

    @property
    def is_step_back(self) -> bool:
        if not self.from_phase:
            return False
        return PHASE_ORDER.index(self.to_phase) < PHASE_ORDER.index(self.from_phase)


class Meeting(models.Model):
    """The needs-assessment meeting of phase 2 (or a later review), covering the five life areas."""

    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    participants = EncryptedTextField(_("participants"), null=True)
    economy = EncryptedTextField(_("economy"), blank=True, null=True)
    housing = EncryptedTextField(_("housing"), blank=True, null=True)
    education = EncryptedTextField(_("education"), blank=True, null=True)
    employment = EncryptedTextField(_("employment"), blank=True, null=True)
    social = EncryptedTextField(_("social relations and skills"), blank=True, null=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("needs-assessment meeting")
        verbose_name_plural = _("needs-assessment meetings")
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.held_on}"


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class PlanItem(models.Model):
    """One goal of the individual action plan: what, which life area, who is responsible, by when."""

    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="plan_items")
    goal = EncryptedTextField(_("goal"), null=True)
    area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    responsible = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("responsible administration"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PLANNED)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action-plan item")
        verbose_name_plural = _("action-plan items")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.area} {self.deadline}"


class Note(models.Model):
    """A follow-up note or plan revision written during the case."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Follow-up note")
        PLAN_REVISION = "plan_revision", _("Plan revision")
        STATUS = "status", _("Status change")

    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FOLLOW_UP)
    written_on = models.DateField(_("date"))
    text = EncryptedTextField(_("note"), null=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["written_on", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.kind} {self.written_on}"


class PoolCategory(models.TextChoices):
    """What annex 2 names the purchase pool for: services the administrations cannot provide."""

    TREATMENT = "treatment", _("Treatment")
    RELOCATION = "relocation", _("Relocation away from the city")
    SAFETY = "safety", _("Safety measures")
    OTHER = "other", _("Other")


class PoolExpense(models.Model):
    """A purchase from the exit pool for a gang case, reported per administration to the steering group.

    Money in thousands of DKK (three decimals = whole kroner) with its price-level year.
    """

    case = models.ForeignKey(ExitCase, on_delete=models.PROTECT, related_name="pool_expenses")
    spent_on = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=20, choices=PoolCategory.choices)
    description = EncryptedTextField(_("what was bought"), null=True)
    amount_tdkk = models.DecimalField(_("amount (1,000 DKK)"), max_digits=10, decimal_places=3)
    price_level_year = models.PositiveSmallIntegerField(_("price level (year)"))
    administration = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("administration"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("purchase-pool expense")
        verbose_name_plural = _("purchase-pool expenses")
        ordering = ["spent_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_tdkk__gt=0), name="pool_amount_positive")]

    def __str__(self):
        return f"{self.case_id}: {self.category} {self.amount_tdkk}"


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log cannot be changed.")

    def delete(self):
        raise PermissionError("The access log cannot be deleted.")


class AccessLog(models.Model):
    """Append-only audit row: who read or changed which case, when, what and why.

    ``save`` refuses updates, ``delete`` raises, the queryset refuses bulk
    update/delete, there is no admin, and on PostgreSQL a trigger (migration
    0002) refuses UPDATE and DELETE from any client. ``subject_hash`` is the
    CPR hash of the person concerned, so a data-subject access request finds
    every row about that person even after the case is anonymised. No CPR
    number or name is written here.

    ``purpose`` is one of ``Purpose``: the user chooses it for the reads of a
    session (case work unless they say otherwise); a data-subject export
    carries the requester's ``reason``. ``municipality`` is the organisation
    that read (the case's municipality, else the user's): a data-subject
    export answers from one municipality's rows only, and the citizen's copy
    names the organisation instead of the employee.
    """

    class Purpose(models.TextChoices):
        CASE_WORK = "case work", _("case work")
        FOLLOW_UP = "follow-up", _("follow-up")
        SUPERVISION = "supervision", _("supervision")
        DATA_SUBJECT_REQUEST = "data-subject access request", _("data-subject request")
        RETENTION = "retention rule", _("retention rule")

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        EXPORT = "export", _("exported")
        ANONYMISE = "anonymise", _("anonymised")
        SEARCH = "search", _("searched")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True,
                             db_constraint=False, related_name="+")
    username = models.CharField(max_length=150)
    case_uuid = models.UUIDField(null=True, db_index=True)
    case_reference = models.CharField(max_length=20, blank=True)
    subject_hash = models.CharField(max_length=64, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    what = models.CharField(max_length=200)
    purpose = models.CharField(max_length=200, choices=Purpose.choices)
    # db_default: rows written by other clients (the owner's tools, SQL) need not name it.
    reason = models.CharField(max_length=300, blank=True, default="", db_default="",
                              help_text=_("Why a data-subject export was made (the request's reference)."))
    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.DO_NOTHING, null=True,
                                     db_constraint=False, related_name="+")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access-log row")
        verbose_name_plural = _("access log")
        ordering = ["at", "pk"]
        default_permissions = ()

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.case_reference}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise PermissionError("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log cannot be deleted.")
