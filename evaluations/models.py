"""Self-evaluations, monitoring reports, prioritisation rounds and closure reports.

Seed 001, annex 1 §6 asks for one common standard by which every initiative
evaluates itself once a year, so no project reports twice; annex 5 asks each
administration to name its most and least effective initiatives; effect goal 4
makes every administration report each institution closure during unrest.

Nothing here is about named people: the forms ask about initiatives, and the
help texts tell reporters to give numbers, never names (see docs/evaluations.md).
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The Rambøll concept's five dimensions (annex 1 §6.1). Each evaluation has a
# score and an indicator per dimension; an empty score means "does not apply".
DIMENSIONS = (
    ("education", _("Education/job")),
    ("family", _("Family relations")),
    ("social", _("Social and personal competences")),
    ("leisure", _("Leisure")),
    ("crime", _("Crime")),
)
SCORE_CHOICES = [
    (1, _("1 – no effect")),
    (2, _("2 – little effect")),
    (3, _("3 – some effect")),
    (4, _("4 – clear effect")),
    (5, _("5 – strong effect")),
]


class EvaluationRound(models.Model):
    """A yearly self-evaluation round of one programme, with its deadline.

    Opening a round gives every initiative running that year exactly one
    ``Evaluation`` (see ``services.evaluation_round_open``).
    """

    programme = models.ForeignKey("initiatives.Programme", on_delete=models.PROTECT,
                                  related_name="evaluation_rounds", verbose_name=_("programme"))
    year = models.PositiveSmallIntegerField(_("year evaluated"),
                                            validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    deadline = models.DateField(_("deadline"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("self-evaluation round")
        verbose_name_plural = _("self-evaluation rounds")
        ordering = ["programme", "-year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="uniq_evaluation_round_year")]

    def __str__(self):
        return self.title or str(_("Self-evaluation %(year)s") % {"year": self.year})


class EvaluationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for changes")
    ACCEPTED = "accepted", _("accepted")


# Answers a reporter gives; the same list drives the form, the required-field
# check on submit, the prefill from last year and the Excel export.
ANSWER_FIELDS = (
    "purpose", "period_start", "period_end", "target_group", "area_text", "benefit", "reached_count",
    "effects", "challenges", "anchoring", "methods", "budget_tdkk", "spent_tdkk", "price_level_year",
    *[f"{d}_{part}" for d, _label in DIMENSIONS for part in ("score", "indicator")],
)
REQUIRED_ON_SUBMIT = (
    "purpose", "period_start", "period_end", "target_group", "area_text", "benefit", "reached_count",
    "effects", "challenges", "anchoring", "methods", "budget_tdkk", "spent_tdkk", "price_level_year",
)
# Prefilled from last year's evaluation of the same initiative (the period and
# the economy change every year, so they are not carried over).
PREFILL_FIELDS = ("purpose", "target_group", "area_text", "methods", "anchoring",
                  *[f"{d}_indicator" for d, _label in DIMENSIONS])


_DIMENSION_LABELS = dict(DIMENSIONS)


def _score(code):
    return models.PositiveSmallIntegerField(
        _DIMENSION_LABELS[code], choices=SCORE_CHOICES, null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)])


def _indicator(code):
    return models.CharField(_("indicator used"), max_length=300, blank=True,
                            help_text=_DIMENSION_LABELS[code])


class Evaluation(models.Model):
    """One initiative's self-evaluation in one round, owned by the initiative's administration.

    Answers are nullable/blank so that a draft can be saved at any time; the
    required answers are checked only on submit (``services.evaluation_submit``).
    ``unsaved_input`` keeps what the reporter typed into a field that did not
    parse (e.g. letters in a number), so nothing typed is lost. ``lock_version``
    is the optimistic lock of the form (``operations.locking``): a draft save
    based on an older version is refused, never written over a colleague's.
    """

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="evaluations",
                              verbose_name=_("round"))
    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.PROTECT, related_name="evaluations",
                                   verbose_name=_("initiative"))
    administration = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT,
                                       related_name="evaluations", verbose_name=_("administration"))
    status = models.CharField(_("status"), max_length=12, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.NOT_STARTED)
    version = models.PositiveIntegerField(_("version"), default=0,
                                          help_text=_("Raised on every submission."))
    lock_version = models.PositiveIntegerField(
        _("edit version"), default=0,
        help_text=_("Raised on every saved draft: the optimistic lock that keeps two people from overwriting "
                    "each other's answers."))

    purpose = models.TextField(_("purpose"), blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    area_text = models.CharField(_("area (district)"), max_length=300, blank=True)
    benefit = models.TextField(_("how the target group benefited"), blank=True)
    reached_count = models.PositiveIntegerField(_("number of people reached"), null=True, blank=True)
    effects = models.TextField(_("effects achieved"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    anchoring = models.TextField(_("anchoring after the grant ends"), blank=True)
    methods = models.TextField(_("methods and how they worked"), blank=True)
    budget_tdkk = models.DecimalField(_("budget (1,000 DKK)"), max_digits=14, decimal_places=3, null=True,
                                      blank=True, validators=[MinValueValidator(Decimal("0"))])
    spent_tdkk = models.DecimalField(_("spent (1,000 DKK)"), max_digits=14, decimal_places=3, null=True,
                                     blank=True, validators=[MinValueValidator(Decimal("0"))])
    price_level_year = models.PositiveSmallIntegerField(
        _("price level year"), null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    education_score = _score("education")
    education_indicator = _indicator("education")
    family_score = _score("family")
    family_indicator = _indicator("family")
    social_score = _score("social")
    social_indicator = _indicator("social")
    leisure_score = _score("leisure")
    leisure_indicator = _indicator("leisure")
    crime_score = _score("crime")
    crime_indicator = _indicator("crime")

    unsaved_input = models.JSONField(_("input not yet valid"), default=dict, blank=True)
    prefilled_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("prefilled from"))
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("last saved by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-evaluation")
        verbose_name_plural = _("self-evaluations")
        ordering = ["round", "administration__code", "initiative__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "initiative"], name="uniq_evaluation_per_round"),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True) | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="evaluation_period_ordered"),
        ]

    def __str__(self):
        return f"{self.initiative} ({self.round.year})"

    def clean(self):
        from django.core.exceptions import ValidationError
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})

    def answers(self) -> dict:
        """The answers as plain JSON-able values (for version snapshots)."""
        out = {}
        for name in ANSWER_FIELDS:
            value = getattr(self, name)
            out[name] = value.isoformat() if hasattr(value, "isoformat") else (
                str(value) if isinstance(value, Decimal) else value)
        return out


class EvaluationEventKind(models.TextChoices):
    CREATED = "created", _("created")
    SAVED = "saved", _("draft saved")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    ACCEPTED = "accepted", _("accepted")


class EvaluationEvent(models.Model):
    """One step in an evaluation's history: who did what, when, with which comment.

    Submissions keep a snapshot of all answers, so every submitted version can
    be read again after it was returned and changed.
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=EvaluationEventKind.choices)
    from_status = models.CharField(_("from status"), max_length=12, choices=EvaluationStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, choices=EvaluationStatus.choices)
    version = models.PositiveIntegerField(_("version"), default=0)
    comment = models.TextField(_("comment"), blank=True)
    snapshot = models.JSONField(_("answers at this point"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                              verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation event")
        verbose_name_plural = _("evaluation events")
        ordering = ["evaluation", "at", "id"]

    def __str__(self):
        return f"{self.evaluation_id} {self.kind} {self.at:%Y-%m-%d}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("before the deadline")
    OVERDUE = "overdue", _("overdue")


class EvaluationReminder(models.Model):
    """A reminder e-mail sent to one reporter on one date, so a re-run never sends it twice."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("sent on"))
    kind = models.CharField(_("kind"), max_length=8, choices=ReminderKind.choices)
    outstanding = models.PositiveIntegerField(_("evaluations outstanding"))

    class Meta:
        verbose_name = _("evaluation reminder")
        verbose_name_plural = _("evaluation reminders")
        constraints = [models.UniqueConstraint(fields=["round", "recipient", "sent_on"], name="uniq_reminder_day")]

    def __str__(self):
        return f"{self.round} → {self.recipient_id} {self.sent_on}"


class MonitoringReport(models.Model):
    """The lighter ongoing monitoring report (annex 1 §6.1) an initiative can file at any time."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.PROTECT,
                                   related_name="monitoring_reports", verbose_name=_("initiative"))
    administration = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT,
                                       related_name="monitoring_reports", verbose_name=_("administration"))
    reported_on = models.DateField(_("status as of"))
    progress = models.TextField(_("progress on activities, results and short-term effects"))
    risks = models.TextField(_("main risks and how they are handled"))
    proposed_changes = models.TextField(_("proposed changes to success criteria, activities or effects"),
                                        blank=True)
    anchoring = models.TextField(_("how the initiative and its methods are anchored in the organisation"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("filed by"))
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return f"{self.initiative} {self.reported_on}"


class PrioritisationRound(models.Model):
    """A prioritisation round (annex 5): each administration ranks its most and least effective initiatives."""

    programme = models.ForeignKey("initiatives.Programme", on_delete=models.PROTECT,
                                  related_name="prioritisation_rounds", verbose_name=_("programme"))
    title = models.CharField(_("title"), max_length=200)
    budget_year = models.PositiveSmallIntegerField(_("budget year shown"))
    deadline = models.DateField(_("deadline"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prioritisation round")
        verbose_name_plural = _("prioritisation rounds")
        ordering = ["programme", "-deadline"]

    def __str__(self):
        return self.title


class Ranking(models.TextChoices):
    MOST = "most", _("most effective")
    LEAST = "least", _("least effective")


class Prioritisation(models.Model):
    """One administration's answer in a prioritisation round."""

    round = models.ForeignKey(PrioritisationRound, on_delete=models.CASCADE, related_name="prioritisations")
    administration = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT,
                                       related_name="prioritisations", verbose_name=_("administration"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("prioritisation")
        verbose_name_plural = _("prioritisations")
        constraints = [models.UniqueConstraint(fields=["round", "administration"], name="uniq_prioritisation")]

    def __str__(self):
        return f"{self.round} – {self.administration}"


class PrioritisationEntry(models.Model):
    """One initiative named as most or least effective, at a rank, with the reason."""

    prioritisation = models.ForeignKey(Prioritisation, on_delete=models.CASCADE, related_name="entries")
    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("initiative"))
    ranking = models.CharField(_("ranking"), max_length=5, choices=Ranking.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), validators=[MinValueValidator(1), MaxValueValidator(6)])
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("prioritisation entry")
        verbose_name_plural = _("prioritisation entries")
        ordering = ["prioritisation", "ranking", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["prioritisation", "initiative"], name="uniq_prioritised_once"),
            models.UniqueConstraint(fields=["prioritisation", "ranking", "rank"], name="uniq_prioritised_rank"),
        ]

    def __str__(self):
        return f"{self.get_ranking_display()} {self.rank}: {self.initiative}"


class ClosureExtent(models.TextChoices):
    FULL = "full", _("fully closed")
    PARTIAL = "partial", _("partly closed")


class ClosureReport(models.Model):
    """A municipal institution or service closed (fully or partly) because of unrest or crisis (effect goal 4).

    Administrations must report every closure (annex 1 §4, focus area 6); the
    effect goal is met while there are none in the goal period.
    """

    administration = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT,
                                       related_name="closure_reports", verbose_name=_("administration"))
    institution = models.CharField(_("institution or service"), max_length=300)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("area"))
    area_text = models.CharField(_("place as described"), max_length=300, blank=True)
    extent = models.CharField(_("extent"), max_length=8, choices=ClosureExtent.choices, default=ClosureExtent.FULL)
    closed_from = models.DateField(_("closed from"))
    closed_to = models.DateField(_("closed to"), null=True, blank=True,
                                 help_text=_("Leave empty while the institution is still closed."))
    services_affected = models.TextField(_("services affected"))
    reason = models.TextField(_("reason (the unrest or crisis)"))
    actions_taken = models.TextField(_("actions taken"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("reported by"))
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("closure report")
        verbose_name_plural = _("closure reports")
        ordering = ["-closed_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_to__isnull=True) | models.Q(closed_to__gte=models.F("closed_from")),
                name="closure_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.institution} {self.closed_from}"

    def clean(self):
        from django.core.exceptions import ValidationError
        errors = {}
        if self.closed_to and self.closed_from and self.closed_to < self.closed_from:
            errors["closed_to"] = _("The closure cannot end before it starts.")
        if not self.area_id and not self.area_text.strip():
            errors["area"] = _("Choose the area or describe the place.")
        if errors:
            raise ValidationError(errors)
