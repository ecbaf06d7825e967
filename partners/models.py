"""Partners and the monthly progress report (issue #18; seed 000, Liverpool Citysafe).

Citysafe's 20+ partners — the municipality, police, fire service, health, public transport,
ambulance service and the night-time economy — meet once a month around a report that shows
progress or regress on each partner's efforts, so that effort and money go where they work.

- ``Partner``: an organisation working with one municipality's programme, by sector.
- ``PartnerContact``: the partner's contact persons (staff), for the coordinators only.
- ``PartnerInitiative``: an initiative the partner runs or funds, with its share of the budget
  (thousands of DKK at a price-level year, like ``initiatives.BudgetLine``).
- ``ProgressEntry``: one initiative's status for one month (progress / unchanged / regress),
  entered by the owning administration's reporters or a coordinator.
- ``ProgressReminder``: a reminder e-mail about missing entries, so a re-run never sends it twice.
- ``PartnerPackPdf``: the month's pack as a PDF, produced in the background.
"""
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from operations.jobs import BackgroundJob


class Sector(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    FIRE = "fire", _("Fire and rescue service")
    HEALTH = "health", _("Health (hospitals, region)")
    AMBULANCE = "ambulance", _("Ambulance service")
    TRANSPORT = "transport", _("Public transport")
    HOUSING = "housing", _("Housing associations")
    NIGHTLIFE = "nightlife", _("Private business (night-time economy)")
    CIVIL = "civil", _("Civil society")
    OTHER = "other", _("Other")


class Partner(models.Model):
    """An organisation that works with one municipality's crime-prevention programme (Citysafe's partners)."""

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT, related_name="partners",
                                     verbose_name=_("municipality"))
    name = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active partner"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["municipality", "sector", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="uniq_partner_name")]

    def __str__(self):
        return self.name


class PartnerContact(models.Model):
    """A contact person (staff) of a partner. Shown on the partner's page to coordinators only, never in the API."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts",
                                verbose_name=_("partner"))
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["partner", "name"]

    def __str__(self):
        return self.name


class PartnerRole(models.TextChoices):
    RUNS = "runs", _("runs")
    FUNDS = "funds", _("funds")
    RUNS_AND_FUNDS = "both", _("runs and funds")
    SUPPORTS = "supports", _("takes part")


class PartnerInitiative(models.Model):
    """A partner's part in one initiative in one year: running it, funding it, or both, with its budget share.

    ``amount_tdkk`` is the partner's share of the initiative's budget in thousands of DKK at
    ``price_level_year`` (as ``initiatives.BudgetLine``); empty when the partner adds no money.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="involvements",
                                verbose_name=_("partner"))
    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE,
                                   related_name="partner_involvements", verbose_name=_("initiative"))
    role = models.CharField(_("role"), max_length=10, choices=PartnerRole.choices, default=PartnerRole.RUNS)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    amount_tdkk = models.DecimalField(_("budget share (1,000 DKK)"), max_digits=14, decimal_places=3, null=True,
                                      blank=True, validators=[MinValueValidator(Decimal("0"))])
    price_level_year = models.PositiveSmallIntegerField(
        _("price level year"), null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("partner's initiative")
        verbose_name_plural = _("partners' initiatives")
        ordering = ["partner", "-year", "initiative__name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "initiative", "year"], name="uniq_partner_initiative_year"),
            models.CheckConstraint(condition=models.Q(amount_tdkk__isnull=True) | models.Q(price_level_year__isnull=False),
                                   name="partner_amount_has_price_level"),
        ]

    def __str__(self):
        return f"{self.partner} – {self.initiative} ({self.year})"

    def clean(self):
        errors = {}
        if self.amount_tdkk is not None and not self.price_level_year:
            errors["price_level_year"] = _("Give the price level year of the amount.")
        if (self.partner_id and self.initiative_id
                and self.initiative.programme.municipality_id != self.partner.municipality_id):
            errors["initiative"] = _("The initiative belongs to another municipality's programme.")
        if errors:
            raise ValidationError(errors)


class ProgressStatus(models.TextChoices):
    PROGRESS = "progress", _("progress")
    UNCHANGED = "unchanged", _("unchanged")
    REGRESS = "regress", _("regress")


# A symbol beside every colour, so that a colour-blind reader tells the statuses apart (WCAG 1.4.1).
STATUS_SYMBOLS = {ProgressStatus.PROGRESS: "▲", ProgressStatus.UNCHANGED: "●", ProgressStatus.REGRESS: "▼"}


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


class ProgressEntry(models.Model):
    """One initiative's monthly progress entry: status, a short narrative, the numbers, risks and next steps.

    One per initiative per month (``month`` is the first day of the month). Entered by a reporter of
    the initiative's administration or by a coordinator (``services.progress_entry_save``).
    """

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.PROTECT,
                                   related_name="progress_entries", verbose_name=_("initiative"))
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    status = models.CharField(_("status"), max_length=10, choices=ProgressStatus.choices)
    narrative = models.TextField(_("what happened this month"), max_length=2000)
    figures = models.TextField(_("the numbers behind it"), max_length=2000, blank=True)
    risks = models.TextField(_("risks"), max_length=2000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=2000, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("last saved by"))
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("monthly progress entry")
        verbose_name_plural = _("monthly progress entries")
        ordering = ["-month", "initiative__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "month"], name="uniq_progress_entry_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="progress_entry_first_of_month"),
        ]
        indexes = [models.Index(fields=["month", "initiative"])]

    def __str__(self):
        return f"{self.initiative} {self.month:%Y-%m}"

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS.get(self.status, "")


class ProgressReminder(models.Model):
    """A reminder e-mail about a month's missing progress entries sent to one reporter on one date."""

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("sent on"))
    outstanding = models.PositiveIntegerField(_("entries missing"))

    class Meta:
        verbose_name = _("progress reminder")
        verbose_name_plural = _("progress reminders")
        constraints = [models.UniqueConstraint(fields=["month", "recipient", "sent_on"],
                                               name="uniq_progress_reminder_day")]

    def __str__(self):
        return f"{self.month:%Y-%m} → {self.recipient_id} {self.sent_on}"


class PackStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("being produced")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class PartnerPackPdf(BackgroundJob):
    """The monthly partner-meeting pack of one month as a PDF, produced in the background (``operations.jobs``).

    Laying out every initiative's row of twelve status cells takes WeasyPrint several seconds, too long for
    a request; the page and the Excel workbook are made at once. The PDF is made from the entries as they
    are when it is produced (``produced_at``), read as the user who asked for it.
    """

    job_task = "partners.tasks.partner_pack_pdf_generate"

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("municipality"))
    programme = models.ForeignKey("initiatives.Programme", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("programme"))
    month = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=PackStatus.choices, default=PackStatus.PENDING)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    produced_at = models.DateTimeField(_("produced"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner report PDF")
        verbose_name_plural = _("partner report PDFs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.municipality_id} {self.month:%Y-%m} #{self.pk}"
