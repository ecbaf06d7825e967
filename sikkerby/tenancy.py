"""The one isolation rule: every row belongs to one municipality, and a user reads and writes only their own.

Each model of the project's apps is declared here exactly once, either with the path from the model to
its municipality (``TENANT_PATHS``) or as global, with the reason it holds nothing of any one municipality
(``GLOBAL_MODELS``). ``scoped(queryset, user)`` narrows any queryset of a declared model to the user's
municipality (superusers, the platform operators, see all; anonymous users and users without a
municipality see nothing); ``for_municipality`` does the same for code that runs without a user (Celery
tasks, management commands), which iterate municipalities explicitly.

Every ``*_visible_to(user)`` selector starts from ``scoped`` and only narrows further by role (a reporter's
own administration, an exit case's assigned workers), so pages, the API, exports and tasks share this rule.
The system check ``sikkerby.E201`` fails when a model of ours is in neither table — a new model cannot
forget the rule — and ``tests/test_isolation.py`` walks every page, API and admin URL as users of two
municipalities.
"""
from django.apps import apps
from django.core import checks
from django.db.models import Model, QuerySet

# The apps whose models must be declared (Django's and third-party apps are not ours to scope).
PROJECT_APPS = ("accounts", "areas", "initiatives", "indicators", "exitprogram", "tryghedsindeks", "crimestats",
                "evaluations", "operations", "safetywalks", "sspcases", "partners")

SELF = "pk"  # the municipality model itself

# "app_label.ModelName" -> lookup path from the model to initiatives.Municipality.
TENANT_PATHS: dict[str, str] = {
    "initiatives.Municipality": SELF,
    "initiatives.Administration": "municipality",
    "initiatives.Programme": "municipality",
    "initiatives.FocusArea": "programme__municipality",
    "initiatives.EffectGoal": "programme__municipality",
    "initiatives.Initiative": "programme__municipality",
    "initiatives.BudgetLine": "initiative__programme__municipality",
    "initiatives.PublishedTotal": "programme__municipality",
    "accounts.User": "municipality",
    "accounts.IdentityProvider": "municipality",
    "accounts.ExternalIdentity": "provider__municipality",
    "areas.Area": "municipality",
    "indicators.Indicator": "programme__municipality",
    "indicators.IndicatorValue": "indicator__programme__municipality",
    "indicators.ValueUpload": "programme__municipality",
    "indicators.ReportingCalendar": "indicator__programme__municipality",
    "indicators.ReportingReminder": "indicator__programme__municipality",
    "exitprogram.ExitCase": "municipality",
    "exitprogram.PhaseTransition": "case__municipality",
    "exitprogram.Meeting": "case__municipality",
    "exitprogram.PlanItem": "case__municipality",
    "exitprogram.Note": "case__municipality",
    "exitprogram.PoolExpense": "case__municipality",
    # The access log names the case by uuid (it outlives anonymisation); the reader belongs to one municipality.
    "exitprogram.AccessLog": "user__municipality",
    "tryghedsindeks.SafetyIndexImport": "municipality",
    "tryghedsindeks.SafetyIndexInput": "area__municipality",
    "tryghedsindeks.SafetyIndexRun": "municipality",
    "tryghedsindeks.SafetyIndexResult": "run__municipality",
    "tryghedsindeks.SafetyIndexComputation": "municipality",
    "crimestats.PoliceImport": "municipality",
    "crimestats.PoliceEvent": "municipality",
    "crimestats.PoliceCharge": "municipality",
    "crimestats.UneasyAreasAddendum": "municipality",
    "crimestats.KeyFigureReport": "municipality",
    "evaluations.EvaluationRound": "programme__municipality",
    "evaluations.Evaluation": "round__programme__municipality",
    "evaluations.EvaluationEvent": "evaluation__round__programme__municipality",
    "evaluations.EvaluationReminder": "round__programme__municipality",
    "evaluations.MonitoringReport": "initiative__programme__municipality",
    "evaluations.PrioritisationRound": "programme__municipality",
    "evaluations.Prioritisation": "round__programme__municipality",
    "evaluations.PrioritisationEntry": "prioritisation__round__programme__municipality",
    "evaluations.ClosureReport": "administration__municipality",
    "safetywalks.Organisation": "municipality",
    "safetywalks.SafetyWalk": "municipality",
    "safetywalks.Finding": "walk__municipality",
    "safetywalks.Action": "finding__walk__municipality",
    "safetywalks.ActionEvent": "action__finding__walk__municipality",
    "safetywalks.ActionReminder": "action__finding__walk__municipality",
    "sspcases.MeetingSeries": "municipality",
    "sspcases.SingleCaseMeeting": "series__municipality",
    "sspcases.Concern": "municipality",
    "sspcases.AgendaItem": "concern__municipality",
    "partners.Partner": "municipality",
    "partners.PartnerContact": "partner__municipality",
    "partners.PartnerInitiative": "partner__municipality",
    "partners.ProgressEntry": "initiative__programme__municipality",
    "partners.ProgressReminder": "municipality",
    "partners.PartnerPackPdf": "municipality",
}

# "app_label.ModelName" -> why the model holds nothing that belongs to one municipality.
GLOBAL_MODELS: dict[str, str] = {
    "accounts.EncryptionCanary": "a known text proving the encryption keys fit; nothing of anyone's",
    "crimestats.Straf11Figure": "Statistics Denmark's published STRAF11 table for every municipality (public "
                                "reference data; the key-figure report compares municipalities with it)",
    "crimestats.MunicipalityPopulation": "Statistics Denmark's published population per municipality (public)",
    "crimestats.CrimeType": "the police's crime-type codes, the same for every municipality",
    "tryghedsindeks.SafetyIndexMethod": "the published, versioned formula of the safety index, shared by all",
    "operations.StoredFile": "storage infrastructure; a file is reached only through the scoped row naming it",
    "operations.StoredFileChunk": "storage infrastructure; the bytes of a StoredFile",
    "operations.WorkerHeartbeat": "liveness of the Celery workers, which serve every municipality",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def tenant_path(model) -> str | None:
    """The lookup path from ``model`` to its municipality; None for a declared global model.

    Raises ``LookupError`` for a model nobody declared: scoping an undeclared model is a bug, not "all rows".
    """
    label = _label(model)
    if label in TENANT_PATHS:
        return TENANT_PATHS[label]
    if label in GLOBAL_MODELS:
        return None
    raise LookupError(f"{label} has no declared tenancy (sikkerby.tenancy)")


def _municipality_lookup(model) -> str | None:
    path = tenant_path(model)
    if path is None:
        return None
    return "pk" if path == SELF else f"{path}__id"


def for_municipality(queryset: QuerySet, municipality) -> QuerySet:
    """``queryset`` narrowed to one municipality (an instance or its id); global models are returned whole."""
    lookup = _municipality_lookup(queryset.model)
    if lookup is None:
        return queryset
    municipality_id = getattr(municipality, "pk", municipality)
    if municipality_id is None:
        return queryset.none()
    return queryset.filter(**{lookup: municipality_id})


def scoped(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` narrowed to what ``user``'s municipality owns: the one isolation rule.

    Superusers (platform operators) see every municipality; anonymous users and users without a
    municipality see nothing of any tenant-scoped model. Global models are returned whole to any
    authenticated user (what a role may open is the views' concern).
    """
    lookup = _municipality_lookup(queryset.model)  # first: an undeclared model raises for every user
    if user is None or not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or lookup is None:
        return queryset
    return for_municipality(queryset, user.municipality_id)


def visible_to(model: type[Model], user) -> QuerySet:
    """Every row of ``model`` the user's municipality owns (``scoped(model.objects.all(), user)``)."""
    return scoped(model._default_manager.all(), user)


def belongs_to(obj: Model, municipality) -> bool:
    """Whether one row belongs to a municipality (one query; True for global models)."""
    model = type(obj)
    return for_municipality(model._default_manager.filter(pk=obj.pk), municipality).exists()


def project_models() -> list[type[Model]]:
    """The concrete models of the project's apps (auto-created many-to-many tables excluded)."""
    return [m for label in PROJECT_APPS for m in apps.get_app_config(label).get_models()
            if not m._meta.auto_created]


def check_every_model_declared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check ``sikkerby.E201``: every model of ours says where its municipality is, or why it has none.

    Also ``sikkerby.E202``: a declared path must resolve (a renamed foreign key would otherwise fail only when
    some page first scopes the model).
    """
    errors = []
    declared = set(TENANT_PATHS) | set(GLOBAL_MODELS)
    for model in project_models():
        label = _label(model)
        if label not in declared:
            errors.append(checks.Error(
                f"{label} has no declared tenancy.",
                hint="Add its path to the municipality to TENANT_PATHS, or the reason it is global to "
                     "GLOBAL_MODELS, in sikkerby/tenancy.py.",
                obj=model, id="sikkerby.E201"))
            continue
        lookup = _municipality_lookup(model)
        if lookup is not None:
            try:
                str(model._default_manager.filter(**{lookup: 0}).query)
            except Exception as exc:  # noqa: BLE001 - any failure to build the query is the error reported
                errors.append(checks.Error(f"{label}: tenancy path {TENANT_PATHS[label]!r} does not resolve ({exc}).",
                                           obj=model, id="sikkerby.E202"))
    for label in declared:
        try:
            apps.get_model(label)
        except LookupError:
            errors.append(checks.Error(f"{label} is declared in sikkerby.tenancy but is not a model.",
                                       id="sikkerby.E203"))
    return errors
