"""The Tryghedsindeks (safety index): inputs per area and year, versioned methods, published results.

Seed 001 (annex 1 §5.4, BIF's consultation reply): the index measures
experienced and actual safety per area and year from a resident survey and
police statistics, and places each area in one of five categories of need for
intervention. The seeds do not give the formula; ``docs/tryghedsindeks.md``
writes ours down, and ``SafetyIndexMethod`` holds each version's parameters as
data. A ``SafetyIndexRun`` keeps a snapshot of exactly the inputs it used and
a hash of snapshot + parameters, so a published year can be recomputed bit for
bit and a new method version never rewrites it.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import AreaLevel
from operations.jobs import BackgroundJob

PCT = [MinValueValidator(0), MaxValueValidator(100)]


class SafetyCategory(models.TextChoices):
    """The five categories of need for intervention, from most to least need (seed 001, annex 1 §5.4)."""

    MARKANT = "markant", _("significant (markant)")
    INTENSIVERET = "intensiveret", _("intensified (intensiveret)")
    ORDINAER = "ordinaer", _("ordinary (ordinær)")
    REDUCERET = "reduceret", _("reduced (reduceret)")
    MINIMAL = "minimal", _("minimal (minimal)")


# 1 = most need. Effect goal 3 asks for rank >= ORDINAER's.
CATEGORY_RANK = {c.value: i for i, c in enumerate(SafetyCategory, start=1)}


class SafetyIndexMethod(models.Model):
    """One version of the index's formula: weights, normalisation anchors, category thresholds.

    Parameters are data (created by a migration, see ``method.py`` for their
    meaning). A version that has published results is never changed: a new
    formula is a new version, computed beside the old one.
    """

    version = models.CharField(_("version"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    parameters = models.JSONField(_("parameters"))
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("safety index method")
        verbose_name_plural = _("safety index methods")
        ordering = ["valid_from", "version"]

    def __str__(self):
        return f"{self.name} {self.version}"


class SafetyIndexImport(models.Model):
    """A file of inputs that was imported (whole or not at all): who, when, which file."""

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT,
                                     related_name="safety_index_imports")
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+", verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("safety index import")
        verbose_name_plural = _("safety index imports")
        ordering = ["-imported_at"]

    def __str__(self):
        return self.filename


class SafetyIndexInput(models.Model):
    """Survey and police figures of one area in one year (any area level; roder roll up to any level).

    Shares are percentages of the survey's respondents; the perceived-crime
    score is 0–100 (100 = residents perceive a great deal of crime in their
    neighbourhood). Police figures are reports (anmeldelser) of crimes
    committed in the area and its population, giving a rate per 1,000.
    """

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="safety_inputs",
                             verbose_name=_("area"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000),
                                                                   MaxValueValidator(2100)])
    respondents = models.PositiveIntegerField(_("respondents"))
    victimised_pct = models.DecimalField(_("victimised (per cent of respondents)"), max_digits=5, decimal_places=2,
                                         validators=PCT)
    perceived_crime_score = models.DecimalField(_("perceived crime (score 0–100)"), max_digits=5,
                                                decimal_places=2, validators=PCT)
    safe_day_pct = models.DecimalField(_("feel safe in daytime (%)"), max_digits=5, decimal_places=2,
                                       validators=PCT)
    safe_evening_pct = models.DecimalField(_("feel safe in the evening (%)"), max_digits=5, decimal_places=2,
                                           validators=PCT)
    police_reports = models.PositiveIntegerField(_("police reports"))
    population = models.PositiveIntegerField(_("population"), validators=[MinValueValidator(1)])
    is_demo = models.BooleanField(_("demonstration data"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    imported = models.ForeignKey(SafetyIndexImport, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="inputs", verbose_name=_("import"))

    class Meta:
        verbose_name = _("safety index input")
        verbose_name_plural = _("safety index inputs")
        ordering = ["year", "area__level", "area__code"]
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="uniq_safety_input_area_year")]

    def __str__(self):
        return f"{self.area} {self.year}"


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class SafetyIndexRun(models.Model):
    """One computation of the index for a year and an area level with one method version.

    ``inputs_snapshot`` is the exact list of (rolled-up) inputs used,
    ``inputs_sha256`` the hash of snapshot and method parameters. Only one run
    per (municipality, year, level, method) is published, and a published run
    is never recomputed in place.
    """

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT,
                                     related_name="safety_index_runs")
    method = models.ForeignKey(SafetyIndexMethod, on_delete=models.PROTECT, related_name="runs",
                               verbose_name=_("method"))
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("area level"), max_length=20, choices=AreaLevel.choices)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    inputs_snapshot = models.JSONField(_("inputs used"))
    inputs_sha256 = models.CharField(_("SHA-256 of inputs and parameters"), max_length=64)
    contains_demo_data = models.BooleanField(_("contains demonstration data"), default=False)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("computed by"))
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("safety index run")
        verbose_name_plural = _("safety index runs")
        ordering = ["-year", "level", "-computed_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "level", "method"],
                                    condition=models.Q(status="published"), name="uniq_published_safety_run"),
        ]

    def __str__(self):
        return f"{self.year} {self.level} ({self.method.version}, {self.status})"


class SafetyIndexResult(models.Model):
    """The score and category of one area in one run, with the component scores it rests on."""

    run = models.ForeignKey(SafetyIndexRun, on_delete=models.CASCADE, related_name="results")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="safety_results",
                             verbose_name=_("area"))
    respondents = models.PositiveIntegerField(_("respondents"))
    police_rate = models.DecimalField(_("police reports per 1,000 residents"), max_digits=9, decimal_places=2)
    victimisation_score = models.DecimalField(_("victimisation score"), max_digits=5, decimal_places=2)
    perceived_crime_subscore = models.DecimalField(_("perceived-crime score"), max_digits=5, decimal_places=2)
    safe_day_score = models.DecimalField(_("daytime safety score"), max_digits=5, decimal_places=2)
    safe_evening_score = models.DecimalField(_("evening safety score"), max_digits=5, decimal_places=2)
    police_score = models.DecimalField(_("police statistics score"), max_digits=5, decimal_places=2)
    score = models.DecimalField(_("safety score (0–100)"), max_digits=5, decimal_places=2)
    category = models.CharField(_("category of need"), max_length=20, choices=SafetyCategory.choices)
    uncertain = models.BooleanField(_("uncertain"), default=False)
    uncertainty_reasons = models.JSONField(_("why uncertain"), default=list, blank=True)

    class Meta:
        verbose_name = _("safety index result")
        verbose_name_plural = _("safety index results")
        ordering = ["run", "area__code"]
        constraints = [models.UniqueConstraint(fields=["run", "area"], name="uniq_safety_result_run_area")]

    def __str__(self):
        return f"{self.area} {self.run.year}: {self.category}"

    @property
    def category_rank(self) -> int:
        return CATEGORY_RANK[self.category]


class ComputationStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("computing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class SafetyIndexComputation(BackgroundJob):
    """A coordinator's request to compute a year at an area level with a method: the background job.

    The work is ``services.safety_index_compute``; its outcome is the draft
    ``run``, or ``error`` — a refusal (no inputs, already published) or a
    failure — that the manage page shows beside a button that starts it again.
    """

    job_task = "tryghedsindeks.tasks.safety_index_compute_task"

    municipality = models.ForeignKey("initiatives.Municipality", on_delete=models.PROTECT,
                                     related_name="safety_index_computations")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("area level"), max_length=20, choices=AreaLevel.choices)
    method = models.ForeignKey(SafetyIndexMethod, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("method"))
    status = models.CharField(_("status"), max_length=10, choices=ComputationStatus.choices,
                              default=ComputationStatus.PENDING)
    run = models.ForeignKey(SafetyIndexRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name=_("run"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("safety index computation")
        verbose_name_plural = _("safety index computations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.year} {self.level} ({self.status})"
