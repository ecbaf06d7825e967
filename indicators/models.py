"""Indicators (nøgletal) that show whether the programme moves towards its effect goals.

The foundation holds the definitions (seed 001, annex 1 §5, Table 2). This
module adds what the follow-up needs: values per indicator, period and area
with a draft → submitted → approved workflow and revisions that keep the
published figure visible, formula indicators, and file uploads that are
previewed before they are applied.
"""
import re
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Direction
from sikkerby import privacy


class Indicator(models.Model):
    """An indicator of one focus area, followed by one lead administration (others may share it).

    An indicator is either entered (values typed or uploaded by the
    responsible administrations) or computed: ``formula`` is an arithmetic
    expression over other indicators of the same programme, named ``I<number>``
    (e.g. ``I9 / I14 * 1000`` for a rate per 1,000 inhabitants). Computed values
    are derived from the inputs' published values, so a definition change
    recomputes them instead of having them typed again.
    """

    programme = models.ForeignKey("initiatives.Programme", on_delete=models.CASCADE, related_name="indicators")
    focus_area = models.ForeignKey("initiatives.FocusArea", on_delete=models.CASCADE, related_name="indicators",
                                   verbose_name=_("focus area"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    responsible = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT,
                                    related_name="indicators", verbose_name=_("responsible administration"))
    co_responsible = models.ManyToManyField("initiatives.Administration", blank=True,
                                            related_name="co_indicators",
                                            verbose_name=_("also responsible"))
    direction = models.CharField(_("desired direction"), max_length=10, choices=Direction.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    counts_persons = models.BooleanField(
        _("counts persons"), default=False,
        help_text=_("The values are numbers of people (young people, gang members, the unemployed): a published "
                    "value below the small-count threshold is shown as suppressed."))
    formula = models.CharField(
        _("formula"), max_length=200, blank=True,
        help_text=_("Leave empty for entered values. Otherwise an expression over other indicators, "
                    "e.g. I9 / I14 * 1000."))
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False,
                                          help_text="Optimistic lock (operations.locking): bumped on every edit.")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="uniq_indicator_number")]

    def __str__(self):
        return f"{self.number}. {self.text}"

    @property
    def is_computed(self) -> bool:
        return bool(self.formula.strip())


class PeriodType(models.TextChoices):
    YEAR = "year", _("year")
    QUARTER = "quarter", _("quarter")
    MONTH = "month", _("month")


class ValueStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")


PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$", re.I)


def parse_period(text: str) -> tuple[str, date]:
    """``2011`` → (year, 2011-01-01); ``2011-Q2`` → (quarter, 2011-04-01); ``2011-03`` → (month, 2011-03-01).

    Raises ``ValueError`` for anything else.
    """
    m = PERIOD_RE.match((text or "").strip())
    if not m or not 1990 <= int(m["year"]) <= 2100:
        raise ValueError(text)
    year = int(m["year"])
    if m["quarter"]:
        return PeriodType.QUARTER, date(year, 3 * int(m["quarter"]) - 2, 1)
    if m["month"]:
        return PeriodType.MONTH, date(year, int(m["month"]), 1)
    return PeriodType.YEAR, date(year, 1, 1)


def period_label(period_type: str, start: date) -> str:
    """The inverse of ``parse_period``."""
    if period_type == PeriodType.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if period_type == PeriodType.MONTH:
        return f"{start.year}-{start.month:02d}"
    return str(start.year)


def value_is_suppressed(status: str, counts_persons: bool, value) -> bool:
    """``IndicatorValue.is_suppressed`` from the columns it rests on (also for rows read with ``values()``)."""
    return status == ValueStatus.APPROVED and counts_persons and privacy.is_suppressed(value)


class IndicatorValue(models.Model):
    """One revision of an indicator's value for one area and period.

    A value is entered as a draft, submitted by its administration and
    approved by a coordinator; an approved revision is never changed again. A
    correction is a new revision (``revision`` + 1) of the same indicator, area
    and period; when it is approved the earlier one gets ``superseded_at`` but
    stays visible: revision 1 is the figure "as published", later approved
    revisions are "revised". The published value of a key is the approved
    revision that is not superseded.

    ``version`` is the optimistic lock of an open (draft or submitted)
    revision: a form that edits it names the version it was opened on, so two
    colleagues cannot overwrite each other's draft (``operations.locking``).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values",
                                  verbose_name=_("indicator"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="indicator_values",
                             verbose_name=_("area"))
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(_("period start"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=300)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ValueStatus.choices, default=ValueStatus.DRAFT)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    version = models.PositiveIntegerField(_("edit version"), default=1,
                                          help_text=_("Raised on every save of the draft (the optimistic lock)."))
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name=_("revises"))
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    is_computed = models.BooleanField(_("computed"), default=False)
    is_demo = models.BooleanField(_("demo value"), default=False,
                                  help_text=_("Created by the demo loader; never exists in production."))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # When this revision was first handed in (submitted). Unlike ``submitted_at`` it survives a return to
    # draft and a new submission: the reporting calendar's on-time rate counts the first hand-in.
    first_reported_at = models.DateTimeField(_("first reported"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "area", "period_type", "period_start", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area", "period_type", "period_start", "revision"],
                                    name="uniq_indicator_value_revision"),
            # At most one open (not yet approved) revision per indicator, area and period.
            models.UniqueConstraint(fields=["indicator", "area", "period_type", "period_start"],
                                    condition=~models.Q(status="approved"), name="uniq_indicator_value_open"),
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="indicator_value_revision_positive"),
        ]
        indexes = [models.Index(fields=["indicator", "status", "superseded_at"]),
                   # a period range of one indicator, whatever its area (the reporting calendar's completeness,
                   # the overview's latest periods): read in index order, not over the indicator's whole history
                   models.Index(fields=["indicator", "period_type", "period_start"], name="indicator_value_period")]

    def __str__(self):
        return f"{self.indicator.number} {self.area} {self.period}: {self.value}"

    @property
    def period(self) -> str:
        return period_label(self.period_type, self.period_start)

    @property
    def is_published(self) -> bool:
        return self.status == ValueStatus.APPROVED and self.superseded_at is None

    @property
    def is_suppressed(self) -> bool:
        """Whether the value is hidden (``sikkerby.privacy``): an approved count of persons below the threshold.

        Approved revisions (published or superseded) are what pages, charts,
        CSV and the API publish, so they are suppressed for every reader. An
        open revision (draft or submitted) is raw: only its administration's
        reporters, who enter it, and the coordinators, who approve it, can see
        it, and they must see what they check.
        """
        return value_is_suppressed(self.status, self.indicator.counts_persons, self.value)

    @property
    def shown_value(self):
        """The value, or None when it is suppressed."""
        return None if self.is_suppressed else self.value


class UploadStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    APPLIED = "applied", _("saved")
    DISCARDED = "discarded", _("discarded")


class ValueUpload(models.Model):
    """A CSV or Excel file of indicator values, validated whole and previewed before it is saved.

    ``rows`` holds the parsed, valid rows (never the file itself); a file with
    any bad row is not stored at all. Confirming applies every row in one
    transaction, after validating them again.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    programme = models.ForeignKey("initiatives.Programme", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=200)
    rows = models.JSONField(_("rows"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=UploadStatus.choices,
                              default=UploadStatus.PENDING)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("saved"), null=True, blank=True)

    class Meta:
        verbose_name = _("value upload")
        verbose_name_plural = _("value uploads")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


# --- the reporting calendar (issue #18, part 4) ---------------------------------------------------------------
def period_end(period_type: str, start: date) -> date:
    """The last day of the period that starts on ``start``."""
    if period_type == PeriodType.MONTH:
        following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    elif period_type == PeriodType.QUARTER:
        month = start.month + 3
        following = date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    else:
        following = date(start.year + 1, 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def period_next(period_type: str, start: date) -> date:
    return date.fromordinal(period_end(period_type, start).toordinal() + 1)


def period_first_day(period_type: str, day: date) -> date:
    """The first day of the period of ``period_type`` that contains ``day``."""
    if period_type == PeriodType.MONTH:
        return date(day.year, day.month, 1)
    if period_type == PeriodType.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


class ReportingCalendar(models.Model):
    """When an entered indicator's owner administration (``Indicator.responsible``) must report it.

    Every period of ``period_type`` from ``first_period_start`` on is expected; a period is due
    ``due_days`` after it ends. A period not reported by then is overdue: the owner administration's
    reporters are reminded, and ``escalate_after_days`` later the municipality's coordinators are told
    (``services.reporting_reminders_send``). A period counts as reported when a revision of any area's value
    for it has been submitted (``IndicatorValue.first_reported_at``), whether approved yet or not.

    Periods due before ``reminders_from`` (the day the calendar was set up) are backlog: the reporting page
    shows them overdue, but nobody is e-mailed about them — a calendar set up today from 2010 does not remind
    and escalate sixteen years of periods on its first night. Moving ``first_period_start`` back later adds
    backlog the same way.
    """

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="reporting_calendar",
                                     verbose_name=_("indicator"))
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices,
                                   default=PeriodType.YEAR)
    first_period_start = models.DateField(_("first expected period"),
                                          help_text=_("The first day of the first period a value is expected for."))
    due_days = models.PositiveSmallIntegerField(_("due days after the period ends"), default=90)
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after further days"), default=30,
        help_text=_("Days after the due date before the coordinators are told of a value still missing."))
    reminders_from = models.DateField(
        _("reminders from"), default=timezone.localdate,
        help_text=_("Periods due before this day are shown as overdue but not reminded (the calendar's backlog)."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reporting calendar")
        verbose_name_plural = _("reporting calendars")
        ordering = ["indicator"]
        constraints = [
            models.CheckConstraint(condition=models.Q(due_days__lte=730) & models.Q(escalate_after_days__lte=365),
                                   name="reporting_calendar_days_bounded"),
        ]

    def __str__(self):
        return f"{self.indicator.number}: {self.get_period_type_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.first_period_start and self.period_type and \
                period_first_day(self.period_type, self.first_period_start) != self.first_period_start:
            errors["first_period_start"] = _("The first expected period must start on the first day of a period.")
        if self.indicator_id and self.indicator.is_computed:
            errors["indicator"] = _("A computed indicator is not reported, so it has no reporting calendar.")
        if errors:
            raise ValidationError(errors)

    def due_date(self, start: date) -> date:
        return date.fromordinal(period_end(self.period_type, start).toordinal() + self.due_days)

    def escalation_date(self, start: date) -> date:
        return date.fromordinal(self.due_date(start).toordinal() + self.escalate_after_days)

    def expected_periods(self, today: date) -> list[date]:
        """First days of the periods whose due date has passed by ``today``, oldest first."""
        out, start = [], self.first_period_start
        while self.due_date(start) < today:
            out.append(start)
            start = period_next(self.period_type, start)
        return out


class ReminderLevel(models.TextChoices):
    OWNER = "owner", _("reminder to the owner administration")
    ESCALATED = "escalated", _("escalated to the coordinators")


class ReportingReminder(models.Model):
    """One reminder about one overdue period of one indicator at one level; never sent twice.

    ``recipients`` are the users it was e-mailed to (the owner administration's reporters, or the
    municipality's coordinators when escalated); a row with none says the reminder reached nobody.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reporting_reminders",
                                  verbose_name=_("indicator"))
    administration = models.ForeignKey("initiatives.Administration", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("owner administration"))
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(_("period start"))
    level = models.CharField(_("level"), max_length=10, choices=ReminderLevel.choices)
    due_date = models.DateField(_("due date"))
    sent_on = models.DateField(_("sent on"))
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                        verbose_name=_("recipients"))

    class Meta:
        verbose_name = _("reporting reminder")
        verbose_name_plural = _("reporting reminders")
        ordering = ["-sent_on", "indicator", "period_start", "level"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period_type", "period_start", "level"],
                                               name="uniq_reporting_reminder")]

    def __str__(self):
        return f"{self.indicator_id} {self.period} {self.level}"

    @property
    def period(self) -> str:
        return period_label(self.period_type, self.period_start)
