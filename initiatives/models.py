"""The programme model: a municipality's crime-prevention programme as data.

A ``Programme`` (Copenhagen's Sikker By 2010–2013, Albertslund's 2015–2020
strategy, …) has focus areas, effect goals and initiatives; initiatives carry
yearly budget lines. Nothing here is specific to one municipality: a new one
is a new YAML file under ``fixtures/programmes/`` (see ``load_programme``).
"""
from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    FALLING = "falling", _("falling")
    RISING = "rising", _("rising")
    NONE = "none", _("no direction")


class Module(models.TextChoices):
    """The parts of Sikker By a municipality may run besides its programme (which every municipality has).

    Which ones it runs is data (``Municipality.modules``, set in its programme file): Albertslund's strategy
    has no exit programme and no Tryghedsindeks, so its users get no menu item and no empty page for them.
    """

    INDICATORS = "indicators", _("Effect goals and indicators")
    EXIT_PROGRAMME = "exit_programme", _("Exit programme")
    SAFETY_INDEX = "safety_index", _("Safety index")
    KEY_FIGURES = "key_figures", _("Crime key figures")
    EVALUATIONS = "evaluations", _("Self-evaluations")
    PARTNERS = "partners", _("Partners")
    SAFETY_WALKS = "safety_walks", _("Safety walks")
    SSP_CASES = "ssp_cases", _("SSP single cases")


def all_modules() -> list[str]:
    """Every module: what a municipality runs unless its programme file says otherwise."""
    return list(Module.values)


class Municipality(models.Model):
    """A Danish municipality (kommune), identified by its 4-digit code (0101 = København).

    ``modules`` lists the modules it runs (``Module`` values); pages and API endpoints of any other module
    answer 404 with the reason for its users (``initiatives.modules``).
    """

    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    modules = models.JSONField(_("modules in use"), default=all_modules, blank=True,
                               help_text=_("The modules this municipality runs besides its programme."))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = sorted(set(self.modules or []) - set(Module.values))
        if not isinstance(self.modules, list) or unknown:
            raise ValidationError({"modules": _("Unknown modules: %(names)s. Known: %(known)s.") % {
                "names": ", ".join(map(str, unknown)) or str(self.modules), "known": ", ".join(Module.values)}})

    def uses(self, module: str) -> bool:
        return module in (self.modules or [])


class Administration(models.Model):
    """An administration (forvaltning) of a municipality, e.g. BUF or SOF in Copenhagen."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="administrations")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")
        ordering = ["municipality", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="uniq_administration_code"),
        ]

    def __str__(self):
        return self.code


class Programme(models.Model):
    """A crime-prevention programme of one municipality over a span of years."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="programmes")
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    vision = models.CharField(_("vision"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    source = models.CharField(_("source document"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["municipality", "start_year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")), name="programme_years_ordered"),
        ]

    def __str__(self):
        return f"{self.name} {self.start_year}–{self.end_year}"


class FocusArea(models.Model):
    """A focus area (indsatsområde) with its vision, hypothesis and target group."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="focus_areas")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    vision = models.TextField(_("vision"), blank=True)
    hypothesis = models.TextField(_("hypothesis"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    effect_goals = models.ManyToManyField("EffectGoal", blank=True, related_name="focus_areas",
                                          verbose_name=_("effect goals supported"))
    version = models.PositiveIntegerField(default=0, editable=False,
                                          help_text="Optimistic lock (operations.locking): bumped on every edit.")

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="uniq_focus_area_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class TargetKind(models.TextChoices):
    """How ``EffectGoal.target_value`` is read: a level to reach, or a change in per cent from the baseline year."""

    LEVEL = "level", _("a level to reach")
    CHANGE_PERCENT = "change_percent", _("a change in per cent from the baseline year")


class EffectGoal(models.Model):
    """An effect goal (effektmål): what the programme must achieve, by when, measured how.

    ``baseline_value``/``target_value`` are optional because some goals are
    qualitative (Copenhagen's goal 4: no closures at all); the status of each
    goal is computed by the indicators app from its own data, within the goal's
    target period (``target_period()``: ``period_start`` to ``deadline``). A
    ``target_value`` of kind ``change_percent`` is a relative change from the
    baseline year (goal 1: a 2 % fall), not a level in the goal's unit.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="effect_goals")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    responsible = models.ForeignKey(Administration, on_delete=models.PROTECT, related_name="effect_goals",
                                    verbose_name=_("responsible administration"))
    direction = models.CharField(_("desired direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.NONE)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=3, null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=3, null=True, blank=True)
    target_text = models.CharField(_("target (as worded)"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    period_start = models.DateField(
        _("start of the target period"), null=True, blank=True,
        help_text=_("The first day the goal is measured over; empty: 1 January of the baseline year, else of the "
                    "programme's first year."))
    target_kind = models.CharField(_("kind of target"), max_length=20, choices=TargetKind.choices,
                                   default=TargetKind.LEVEL)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    measure = models.CharField(
        _("measure"), max_length=60, blank=True,
        help_text=_("Name of the registered measure that computes the goal's status (see indicators.measures)."))
    version = models.PositiveIntegerField(default=0, editable=False,
                                          help_text="Optimistic lock (operations.locking): bumped on every edit.")

    class Meta:
        verbose_name = _("effect goal")
        verbose_name_plural = _("effect goals")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="uniq_effect_goal_number")]

    def __str__(self):
        return _("Effect goal %(number)s") % {"number": self.number}

    def target_period(self) -> tuple[date, date]:
        """The period the goal is measured over: ``period_start`` (else 1 January of the baseline year, else of
        the programme's first year) to ``deadline`` (else 31 December of the programme's last year)."""
        if self.period_start:
            start = self.period_start
        else:
            start = date(self.baseline_year or self.programme.start_year, 1, 1)
        return start, self.deadline or date(self.programme.end_year, 12, 31)


class FundingStatus(models.TextChoices):
    """The four statuses of the organisation diagram (seed 001, annex 1 §3)."""

    FINANCED = "financed", _("financed")
    EXTENSION_WANTED = "extension_wanted", _("extension wanted")
    NOT_FINANCED = "not_financed", _("not financed")
    UNCLEAR = "unclear", _("funding unclear")


class InitiativeStatus(models.TextChoices):
    EXISTING = "existing", _("existing")
    NEW = "new", _("new (proposed)")


class Initiative(models.Model):
    """An initiative (indsats/projekt) owned by one administration, under one or more focus areas."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="initiatives")
    key = models.SlugField(_("key"), max_length=80, help_text=_("Stable identifier within the programme."))
    name = models.CharField(_("name"), max_length=300)
    administration = models.ForeignKey(Administration, on_delete=models.PROTECT, related_name="initiatives",
                                       verbose_name=_("owning administration"))
    status = models.CharField(_("status"), max_length=10, choices=InitiativeStatus.choices,
                              default=InitiativeStatus.EXISTING)
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="initiatives",
                                         verbose_name=_("focus areas"))
    effect_goals = models.ManyToManyField(EffectGoal, blank=True, related_name="initiatives",
                                          verbose_name=_("effect goals"))
    funding_status = models.CharField(_("funding status"), max_length=20, choices=FundingStatus.choices,
                                      default=FundingStatus.UNCLEAR)
    funding_source = models.CharField(_("funding source"), max_length=100, blank=True,
                                      help_text=_("E.g. Kickstart, a state pool, the administration's own budget."))
    description = models.TextField(_("description"), blank=True)
    target_age_min = models.PositiveSmallIntegerField(_("target age from"), null=True, blank=True,
                                                      validators=[MaxValueValidator(120)])
    target_age_max = models.PositiveSmallIntegerField(_("target age to"), null=True, blank=True,
                                                      validators=[MaxValueValidator(120)])
    area_text = models.CharField(_("area"), max_length=200, blank=True,
                                 help_text=_("The place as the source names it."))
    areas = models.ManyToManyField("areas.Area", blank=True, related_name="initiatives", verbose_name=_("areas"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False,
                                          help_text="Optimistic lock (operations.locking): bumped on every edit.")

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["programme", "administration__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="uniq_initiative_key"),
            models.CheckConstraint(
                condition=models.Q(target_age_min__isnull=True) | models.Q(target_age_max__isnull=True)
                | models.Q(target_age_max__gte=models.F("target_age_min")),
                name="initiative_ages_ordered",
            ),
        ]

    def __str__(self):
        return self.name


class BudgetKind(models.TextChoices):
    OPERATIONS = "operations", _("operations")
    CONSTRUCTION = "construction", _("construction")


class BudgetLine(models.Model):
    """One year's amount for an initiative, in thousands of DKK at a stated price level.

    Amounts are never floats: ``Decimal`` with three decimals (i.e. whole
    kroner). ``price_level_year`` is the year whose prices the amount is in
    (the seed's "2010 p/l"); ``note`` keeps remarks such as "2009 figure".
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    kind = models.CharField(_("kind"), max_length=12, choices=BudgetKind.choices, default=BudgetKind.OPERATIONS)
    amount_tdkk = models.DecimalField(_("amount (1,000 DKK)"), max_digits=14, decimal_places=3,
                                      validators=[MinValueValidator(Decimal("0"))])
    price_level_year = models.PositiveSmallIntegerField(
        _("price level year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False,
                                          help_text="Optimistic lock (operations.locking): bumped on every edit.")

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["initiative", "year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year", "kind"], name="uniq_budget_line"),
            models.CheckConstraint(condition=models.Q(amount_tdkk__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.initiative} {self.year} {self.get_kind_display()}: {self.amount_tdkk}"

    def get_additional_data(self) -> dict:
        """Stored with every audit entry of the line, so the initiative's history finds deleted lines too."""
        return {"initiative_id": self.initiative_id}


class PublishedTotal(models.Model):
    """A total as the source document prints it, kept to reconcile the budget lines against.

    Sources are not always consistent with themselves (annex 4 of the
    Copenhagen case prints a club subtotal of 6,100 over lines that add up to
    8,100). The lines are transcribed as printed; the printed totals are kept
    here, and the reconciliation page shows both and the difference instead of
    hiding it. Empty ``kind``/``status``/``administration``/``focus_area`` mean
    "any".
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="published_totals")
    source = models.CharField(_("source"), max_length=100)
    label = models.CharField(_("label"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=12, choices=BudgetKind.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=InitiativeStatus.choices, blank=True)
    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, null=True, blank=True,
                                       verbose_name=_("administration"))
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, null=True, blank=True,
                                   verbose_name=_("focus area"))
    count = models.PositiveIntegerField(_("number of initiatives"), null=True, blank=True)
    amount_tdkk = models.DecimalField(_("amount (1,000 DKK)"), max_digits=14, decimal_places=3)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("published total")
        verbose_name_plural = _("published totals")
        ordering = ["programme", "source", "id"]

    def __str__(self):
        return f"{self.source}: {self.label}"
