"""Crime key figures for the Finance Committee (ØU): the data they rest on and the reports made from it.

Two kinds of source data:

* Statistics Denmark's public table STRAF11 (reported crimes by municipality,
  offence and quarter) with FOLK1A population — ``Straf11Figure``,
  ``MunicipalityPopulation``. Public, aggregated, not personal.
* Police extracts at incident level (not public): reports and other cases and
  incidents (``PoliceEvent``) and charges (``PoliceCharge``). These rows carry
  no name, CPR number, address or coordinates: the import maps each point to
  its rode, bydel, deprived area and 1×1 km grid cell and keeps only those
  (see ``docs/crimestats.md``).

A ``KeyFigureReport`` is one produced report for one period and version; once
published it is frozen (the services refuse to change it), and producing it
again makes a new version.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from operations.jobs import BackgroundJob


class Straf11Figure(models.Model):
    """Reported crimes in one area, offence group and quarter (DST STRAF11). Kilde: Danmarks Statistik."""

    area_code = models.CharField(_("DST area code"), max_length=3)
    area_name = models.CharField(_("area"), max_length=100)
    offence_code = models.CharField(_("offence code"), max_length=10)
    offence_label = models.CharField(_("offence"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    reported_crimes = models.PositiveIntegerField(_("reported crimes"))

    class Meta:
        verbose_name = _("STRAF11 figure")
        verbose_name_plural = _("STRAF11 figures")
        constraints = [models.UniqueConstraint(fields=["area_code", "offence_code", "year", "quarter"],
                                               name="uniq_straf11_figure")]
        indexes = [models.Index(fields=["offence_code", "year", "quarter"])]

    def __str__(self):
        return f"{self.area_name} {self.offence_code} {self.year}K{self.quarter}"


class MunicipalityPopulation(models.Model):
    """Population on the first day of a year's first quarter (DST FOLK1A). Kilde: Danmarks Statistik."""

    area_code = models.CharField(_("DST area code"), max_length=3)
    area_name = models.CharField(_("area"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [models.UniqueConstraint(fields=["area_code", "year"], name="uniq_population_year")]

    def __str__(self):
        return f"{self.area_name} {self.year}"


class CrimeType(models.Model):
    """A police crime type (e.g. "Vold mod person"), with the STRAF11 group it belongs to."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    label = models.CharField(_("crime type"), max_length=200)
    straf11_code = models.CharField(_("STRAF11 offence code"), max_length=10, blank=True)
    person_dangerous = models.BooleanField(
        _("person-dangerous"), default=False,
        help_text=_("Violence, robbery, assault or use of weapons (SSP level 4, the exit programme's definition)."))

    class Meta:
        verbose_name = _("crime type")
        verbose_name_plural = _("crime types")
        ordering = ["code"]

    def __str__(self):
        return self.label


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ExtractKind(models.TextChoices):
    EVENTS = "events", _("reports, cases and incidents")
    CHARGES = "charges", _("charges")


class PoliceImport(BackgroundJob):
    """One uploaded police extract file and the progress and outcome of importing it.

    The file is imported whole or not at all; ``errors`` names every bad row
    with its line number. ``sha256`` lets the page say a file was seen before
    (the rows themselves are idempotent on their record id either way). The
    file is kept in the shared storage (``operations.storage``) until the
    import has finished, so any worker host can read it. A background job
    (``operations.jobs``): an import that crashed or lost its worker can be
    started again while its file is still there.
    """

    job_task = "crimestats.tasks.police_import_process"

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT,
                                     related_name="police_imports", verbose_name=_("municipality"))
    kind = models.CharField(_("kind of extract"), max_length=10, choices=ExtractKind.choices)
    file = models.FileField(_("file"), upload_to="crimestats/imports/", blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    synthetic = models.BooleanField(_("synthetic (demonstration) data"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PENDING)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in file"), null=True, blank=True)
    rows_added = models.PositiveIntegerField(_("rows added"), default=0)
    rows_already_present = models.PositiveIntegerField(_("rows already present"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("imported by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("police extract import")
        verbose_name_plural = _("police extract imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def can_restart(self) -> bool:
        """A crashed import runs again on its stored file; one refused for bad rows needs a corrected file."""
        return self.status == ImportStatus.FAILED and bool(self.file) and not self.errors

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_read / self.rows_total))


class EventKind(models.TextChoices):
    REPORT = "report", _("report of a crime")
    INCIDENT = "incident", _("other case or incident")


class PoliceEvent(models.Model):
    """One police report (anmeldelse) or other case/incident, placed in its rode, bydel and 1×1 km cell.

    ``bydel`` and ``deprived_area`` are copied from the rode's containers at
    import so that each report table is one aggregate query without joins.
    """

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT, related_name="+")
    record_id = models.CharField(_("record id in the extract"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    date = models.DateField(_("date"))
    crime_type = models.ForeignKey(CrimeType, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("location (street or place)"), max_length=120, blank=True)
    rode = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, related_name="+")
    bydel = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, related_name="+")
    deprived_area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, related_name="+")
    grid_x = models.IntegerField(_("grid column (km east)"), null=True)
    grid_y = models.IntegerField(_("grid row (km north)"), null=True)
    source_import = models.ForeignKey(PoliceImport, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("police report or incident")
        verbose_name_plural = _("police reports and incidents")
        constraints = [models.UniqueConstraint(fields=["municipality", "record_id"], name="uniq_police_event")]
        indexes = [models.Index(fields=["municipality", "date"])]

    def __str__(self):
        return f"{self.record_id} {self.date}"


class PoliceCharge(models.Model):
    """One charge (sigtelse): date, crime type, age of the person charged and where; no identity."""

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT, related_name="+")
    record_id = models.CharField(_("record id in the extract"), max_length=40)
    date = models.DateField(_("date"))
    crime_type = models.ForeignKey(CrimeType, on_delete=models.PROTECT, related_name="+")
    age = models.PositiveSmallIntegerField(_("age when charged"))
    rode = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, related_name="+")
    bydel = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, related_name="+")
    deprived_area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, related_name="+")
    source_import = models.ForeignKey(PoliceImport, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        constraints = [models.UniqueConstraint(fields=["municipality", "record_id"], name="uniq_police_charge")]
        indexes = [models.Index(fields=["municipality", "date"])]

    def __str__(self):
        return f"{self.record_id} {self.date}"


class UneasyAreasAddendum(models.Model):
    """The quarter's "uneasy areas" figures and SSP's written assessment, entered by a coordinator."""

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, str(q)) for q in range(1, 5)])
    interrogations_12_17 = models.PositiveIntegerField(_("interrogations of 12–17-year-olds"), null=True,
                                                       blank=True)
    ssp_single_cases = models.PositiveIntegerField(_("single cases handled in SSP"), null=True, blank=True)
    ssp_assessment = models.TextField(_("SSP's description and assessment"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("uneasy-areas addendum")
        verbose_name_plural = _("uneasy-areas addenda")
        constraints = [models.UniqueConstraint(fields=["municipality", "year", "quarter"],
                                               name="uniq_uneasy_addendum")]

    def __str__(self):
        return f"{self.year}K{self.quarter}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("being produced")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ReportTrigger(models.TextChoices):
    """What asked for a report when no user did (a user who asked is named instead)."""

    BROWSER = "browser", _("the browser")
    SCHEDULE = "schedule", _("the quarterly schedule")
    COMMAND = "command", _("a management command")


class KeyFigureReport(BackgroundJob):
    """One produced ØU key-figure report for a period against the same period last year.

    The figures (``data``), the PDF and the Excel workbook are stored together
    when the report is produced, in one transaction. A published report is
    frozen; producing the period again creates the next ``version``. A
    background job (``operations.jobs``): it cannot be left waiting for good.
    """

    job_task = "crimestats.tasks.key_figure_report_generate"

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT,
                                     related_name="key_figure_reports", verbose_name=_("municipality"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    label = models.CharField(_("period"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    trigger = models.CharField(_("started by"), max_length=20, choices=ReportTrigger.choices,
                               default=ReportTrigger.BROWSER)
    data = models.JSONField(_("figures"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    xlsx = models.BinaryField(_("Excel workbook"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    produced_at = models.DateTimeField(_("produced"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        verbose_name = _("key-figure report")
        verbose_name_plural = _("key-figure reports")
        ordering = ["-period_end", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "period_start", "period_end", "version"],
                                    name="uniq_keyfigure_report_version"),
            models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")),
                                   name="keyfigure_report_period_order"),
        ]

    def __str__(self):
        return f"{self.label} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
