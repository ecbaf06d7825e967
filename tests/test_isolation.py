"""One isolation rule on every path: no user of one municipality reads or writes another's rows.

The test builds one row of every tenant-scoped model of ours for Copenhagen and for Albertslund (the YAML
programmes, plus a generic maker that fills any model's required fields, so a new model gets a row without
anyone writing a factory), then walks every URL the resolver knows — pages, the API and the admin — as
each role of one municipality, with every id in the URL taken from the *other* municipality's rows, by GET
and by POST. It fails on:

- a URL with an object in it answering anything but a redirect, 403, 404 or 405 (200 means the other
  municipality's row was read; 400 that it was found and only its state refused the write);
- a URL without an object in it whose answer names anything of the other municipality;
- any change to the other municipality's rows (compared after each role's walk);
- a 500 anywhere;
- a URL the test does not know how to fill and that is not listed in ``UNFILLED`` with a reason —
  a new URL fails here until it is understood.

The figures of the matrix (URLs × roles × methods) are printed and kept in ``docs/architecture.md``.
"""
import datetime as dt
import hashlib
import re
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts import roles
from accounts.models import User
from areas.models import Area
from initiatives.models import Municipality, Programme
from initiatives.services import programme_load_file
from sikkerby import tenancy

pytestmark = pytest.mark.django_db

ROLES = list(roles.ROLES)  # every role; a new one is walked without touching this test
ADMIN_OF = {roles.COORDINATOR: "ØKF", roles.ADMIN_REPORTER: "BUF", roles.SSP_CONSULTANT: "BIF",
            roles.EXIT_EXPERT: "SOF", roles.API_CLIENT: None, roles.MENTOR: "SOF"}
MARKER = "Isolationsmærke"  # in every text field the generic maker fills

# Page URLs (function views) and the model each of their path arguments names.
PAGE_MODELS = {
    "initiatives:initiative_detail": {"pk": "initiatives.Initiative"},
    "indicators:goal_csv": {"pk": "initiatives.EffectGoal"},
    "indicators:indicator_detail": {"pk": "indicators.Indicator"},
    "indicators:indicator_csv": {"pk": "indicators.Indicator"},
    "indicators:upload_preview": {"pk": "indicators.ValueUpload"},
    "indicators:reporting_calendar_edit": {"pk": "indicators.Indicator"},
    "exitprogram:case_detail": {"uuid": "exitprogram.ExitCase"},
    "exitprogram:case_edit": {"uuid": "exitprogram.ExitCase"},
    "exitprogram:case_transition": {"uuid": "exitprogram.ExitCase"},
    "exitprogram:case_close": {"uuid": "exitprogram.ExitCase"},
    "exitprogram:case_followup": {"uuid": "exitprogram.ExitCase"},
    "exitprogram:meeting_create": {"uuid": "exitprogram.ExitCase"},
    "exitprogram:plan_item_create": {"uuid": "exitprogram.ExitCase"},
    "exitprogram:plan_item_edit": {"uuid": "exitprogram.ExitCase", "item_id": "exitprogram.PlanItem"},
    "exitprogram:note_create": {"uuid": "exitprogram.ExitCase"},
    "exitprogram:pool_expense_create": {"uuid": "exitprogram.ExitCase"},
    "tryghedsindeks:area_detail": {"pk": "areas.Area"},
    "tryghedsindeks:run_publish": {"pk": "tryghedsindeks.SafetyIndexRun"},
    "tryghedsindeks:run_verify": {"pk": "tryghedsindeks.SafetyIndexRun"},
    "tryghedsindeks:computation_restart": {"pk": "tryghedsindeks.SafetyIndexComputation"},
    "crimestats:report_detail": {"pk": "crimestats.KeyFigureReport"},
    "crimestats:report_status": {"pk": "crimestats.KeyFigureReport"},
    "crimestats:report_pdf": {"pk": "crimestats.KeyFigureReport"},
    "crimestats:report_xlsx": {"pk": "crimestats.KeyFigureReport"},
    "crimestats:report_publish": {"pk": "crimestats.KeyFigureReport"},
    "crimestats:report_restart": {"pk": "crimestats.KeyFigureReport"},
    "crimestats:import_detail": {"pk": "crimestats.PoliceImport"},
    "crimestats:import_status": {"pk": "crimestats.PoliceImport"},
    "crimestats:import_restart": {"pk": "crimestats.PoliceImport"},
    "evaluations:round_detail": {"pk": "evaluations.EvaluationRound"},
    "evaluations:round_export": {"pk": "evaluations.EvaluationRound"},
    "evaluations:evaluation_detail": {"pk": "evaluations.Evaluation"},
    "evaluations:evaluation_edit": {"pk": "evaluations.Evaluation"},
    "evaluations:evaluation_autosave": {"pk": "evaluations.Evaluation"},
    "evaluations:evaluation_review": {"pk": "evaluations.Evaluation"},
    "evaluations:prioritisation_round_detail": {"pk": "evaluations.PrioritisationRound"},
    "evaluations:prioritisation_edit": {"pk": "evaluations.PrioritisationRound"},
    "evaluations:closure_reopen": {"pk": "evaluations.ClosureReport"},
    "safetywalks:walk_detail": {"pk": "safetywalks.SafetyWalk"},
    "safetywalks:walk_edit": {"pk": "safetywalks.SafetyWalk"},
    "safetywalks:walk_report": {"pk": "safetywalks.SafetyWalk"},
    "safetywalks:walk_csv": {"pk": "safetywalks.SafetyWalk"},
    "safetywalks:finding_create": {"pk": "safetywalks.SafetyWalk"},
    "safetywalks:finding_photo": {"pk": "safetywalks.Finding"},
    "safetywalks:action_create": {"pk": "safetywalks.Finding"},
    "safetywalks:action_detail": {"pk": "safetywalks.Action"},
    "safetywalks:action_status": {"pk": "safetywalks.Action"},
    "accounts:user_edit": {"pk": "accounts.User"},
    "accounts:user_set_active": {"pk": "accounts.User"},
    "accounts:user_unlock": {"pk": "accounts.User"},
    "initiatives:manage_initiative": {"pk": "initiatives.Initiative"},
    "initiatives:manage_budget_line_create": {"initiative_pk": "initiatives.Initiative"},
    "initiatives:manage_budget_line": {"pk": "initiatives.BudgetLine"},
    "initiatives:manage_budget_line_delete": {"pk": "initiatives.BudgetLine"},
    "initiatives:manage_focus_area": {"pk": "initiatives.FocusArea"},
    "initiatives:manage_effect_goal": {"pk": "initiatives.EffectGoal"},
    "initiatives:manage_indicator": {"pk": "indicators.Indicator"},
    "sspcases:series_detail": {"pk": "sspcases.MeetingSeries"},
    "sspcases:series_extend": {"pk": "sspcases.MeetingSeries"},
    "sspcases:meeting_detail": {"uuid": "sspcases.SingleCaseMeeting"},
    "sspcases:meeting_move": {"uuid": "sspcases.SingleCaseMeeting"},
    "sspcases:meeting_hold": {"uuid": "sspcases.SingleCaseMeeting"},
    "sspcases:meeting_cancel": {"uuid": "sspcases.SingleCaseMeeting"},
    "sspcases:meeting_reinstate": {"uuid": "sspcases.SingleCaseMeeting"},
    "sspcases:item_record": {"uuid": "sspcases.SingleCaseMeeting", "concern_uuid": "sspcases.Concern"},
    "sspcases:concern_detail": {"uuid": "sspcases.Concern"},
    "sspcases:concern_convert": {"uuid": "sspcases.Concern"},
    "partners:partner_detail": {"pk": "partners.Partner"},
    "partners:partner_edit": {"pk": "partners.Partner"},
    "partners:contact_create": {"pk": "partners.Partner"},
    "partners:contact_delete": {"pk": "partners.PartnerContact"},
    "partners:involvement_create": {"pk": "partners.Partner"},
    "partners:involvement_delete": {"pk": "partners.PartnerInitiative"},
    "partners:progress_edit": {"initiative_pk": "initiatives.Initiative"},
    "partners:pack_pdf_detail": {"pk": "partners.PartnerPackPdf"},
    "partners:pack_pdf_status": {"pk": "partners.PartnerPackPdf"},
    "partners:pack_pdf_download": {"pk": "partners.PartnerPackPdf"},
}

# API views whose model the walk cannot read off the view class (get_serializer_class() by action).
API_MODELS = {
    "api:keyfigure-report-detail": "crimestats.KeyFigureReport",
    "api:area-detail": "areas.Area",
}

# URLs the walk leaves out (name or regex of the route), each with the reason. A new URL that is neither
# fillable nor listed here fails the test.
UNFILLED = {
    "logout": "POST ends the walking user's session; holds no tenant data (tests/accounts)",
    "login": "POST counts failed logins (django-axes) for the walking user; holds no tenant data",
    "admin:logout": "POST ends the walking user's session",
    "admin:login": "the admin's login form; the admin's refusal is walked on every other admin URL",
    "i18n:set_language": "the language menu; stores a preference, holds no tenant data",
    "set_language": "the language menu; stores a preference, holds no tenant data",
    "api:schema": "the OpenAPI document (no rows); served to any authenticated user",
    "api:docs": "Swagger UI for the schema (no rows)",
    "api:redoc": "ReDoc for the schema (no rows)",
    "health": "liveness of the database and the broker; no rows",
    "accounts:sso_login": "starts sign-in at a provider (anyone may); reads no tenant rows, and a provider signs "
                          "in only users of its own municipality (tests/sso)",
    "accounts:sso_saml_acs": "a SAML provider's answer; signed by that provider only, checked in tests/sso",
    "accounts:sso_saml_metadata": "our public SAML service-provider metadata; no tenant rows",
    "password_reset_confirm": "an invitation's token link; the token names one user (tests/accounts/test_user_admin.py)",
}

OK_FOR_OBJECT_URL = {301, 302, 403, 404, 405}


# --- data ----------------------------------------------------------------------------------------------------
class Maker:
    """Makes one row of any model of ours for one municipality, filling required fields generically.

    Foreign keys point at the same municipality's row of the related model (made first if missing), so
    every row it makes belongs to the municipality by its declared tenancy path.
    """

    OVERRIDES = {
        "exitprogram.ExitCase": lambda mk: {"cpr_hash": hashlib.sha256(uuid.uuid4().bytes).hexdigest()},
        "evaluations.EvaluationRound": lambda mk: {"year": 2016},
        "initiatives.BudgetLine": lambda mk: {"year": 2016, "price_level_year": 2016},
        "indicators.IndicatorValue": lambda mk: {"period_start": dt.date(2016, 1, 1), "period_type": "year",
                                                 "status": "approved"},
        "areas.Area": lambda mk: {"level": "city", "parent": None},
        # A user of the municipality's identity provider of its own: linking the walking coordinator would
        # (rightly) void their password session (accounts.backends.LocalPasswordBackend) and walk nothing.
        "accounts.ExternalIdentity": lambda mk: {"user": User.objects.create(
            username=f"iso-sso-{mk.municipality.code}", municipality=mk.municipality)},
    }

    def __init__(self, municipality: Municipality, user: User, n: int):
        self.municipality = municipality
        self.n = n
        self.rows: dict[type, models.Model] = {Municipality: municipality, User: user}
        self.counter = 0

    def get(self, model):
        if model in self.rows:
            return self.rows[model]
        path = tenancy.tenant_path(model)
        if path is None:  # global: any row will do
            obj = model._default_manager.first() or self.make(model)
        else:
            obj = tenancy.for_municipality(model._default_manager.order_by("pk"), self.municipality).first()
            obj = obj or self.make(model)
        self.rows[model] = obj
        return obj

    def value(self, field):
        self.counter += 1
        if field.choices:
            return field.choices[0][0]
        if isinstance(field, (models.ForeignKey, models.OneToOneField)):
            return self.get(field.related_model)
        if isinstance(field, models.BooleanField):
            return False
        if isinstance(field, models.UUIDField):
            return uuid.uuid4()
        if isinstance(field, models.DateTimeField):
            return timezone.now()
        if isinstance(field, models.DateField):
            return dt.date(2016, 1, 1)
        if isinstance(field, models.DecimalField):
            return Decimal("1")
        if isinstance(field, (models.IntegerField, models.FloatField)):
            return 2016 if "year" in field.name else 1
        if isinstance(field, models.GenericIPAddressField):
            return "192.0.2.1"  # documentation range (RFC 5737)
        if isinstance(field, models.JSONField):
            return {}
        if isinstance(field, (models.BinaryField,)):
            return b""
        if isinstance(field, (models.CharField, models.TextField)):
            text = f"{MARKER} {self.n} {self.counter}"
            max_length = getattr(field, "max_length", None) or 200
            return text[:max_length] if not isinstance(field, models.SlugField) else f"iso-{self.n}-{self.counter}"
        return None

    def make(self, model):
        label = f"{model._meta.app_label}.{model._meta.object_name}"
        kwargs = self.OVERRIDES.get(label, lambda mk: {})(self)
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in kwargs:
                continue
            if isinstance(field, (models.ForeignKey, models.OneToOneField)):
                if field.null:
                    continue
                kwargs[field.name] = self.get(field.related_model)
                continue
            if field.null or field.has_default() or getattr(field, "auto_now", False) \
                    or getattr(field, "auto_now_add", False):
                continue
            if isinstance(field, (models.CharField, models.TextField)) and field.blank and not field.unique:
                continue
            kwargs[field.name] = self.value(field)
        obj = model(**kwargs)
        models.Model.save(obj, force_insert=True)  # past model save() rules (append-only logs, versions)
        return obj


def _auditlog_row(maker):
    from auditlog.models import LogEntry
    return LogEntry.objects.get_for_object(maker.rows[apps.get_model("indicators.IndicatorValue")]).first()


def _knox_token(maker):
    from knox.models import AuthToken
    return AuthToken.objects.create(user=maker.rows[User])[0]


# Rows of the third-party models the admin shows, about the municipality's own rows and users.
THIRD_PARTY_ROWS = {
    "auth.Group": lambda maker: Group.objects.get(name=roles.COORDINATOR),
    "auditlog.LogEntry": _auditlog_row,
    "knox.AuthToken": _knox_token,
}


def _user(municipality, role, username):
    code = ADMIN_OF.get(role)
    administration = municipality.administrations.filter(code=code).first() if code else None
    if code and administration is None:
        administration = municipality.administrations.create(code=code, name=f"{MARKER} {role}")
    # Staff, as coordinators used to be: staff status alone must not open the admin.
    user = User.objects.create(username=username, municipality=municipality, administration=administration,
                               is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def tenants(copenhagen):
    """Copenhagen and Albertslund with their users per role and one row of every tenant-scoped model each."""
    if not Programme.objects.filter(municipality__code="0165").exists():
        programme_load_file(path=Path(settings.BASE_DIR) / "fixtures" / "programmes" / "albertslund.yaml")
    out = {}
    for n, code in enumerate(("0101", "0165")):
        municipality = Municipality.objects.get(code=code)
        users = {role: _user(municipality, role, f"iso-{code}-{role}") for role in ROLES}
        maker = Maker(municipality, users[roles.COORDINATOR], n)
        for model in tenancy.project_models():
            maker.get(model)
        for model in admin.site._registry:  # third-party models in the admin: their URLs are walked too
            if model._meta.app_label not in tenancy.PROJECT_APPS and model not in maker.rows:
                make = THIRD_PARTY_ROWS.get(model._meta.label)
                maker.rows[model] = make(maker) if make else maker.make(model)
        rows = {m._meta.label: obj for m, obj in maker.rows.items()}
        out[code] = {"municipality": municipality, "users": users, "rows": rows}
    return out


def _fingerprint(municipality) -> dict[str, str]:
    """A hash of every row the municipality owns, per model (large binary and geometry columns left out)."""
    out = {}
    for model in tenancy.project_models():
        if tenancy.tenant_path(model) is None:
            continue
        fields = [f.attname for f in model._meta.concrete_fields
                  if not isinstance(f, models.BinaryField) and f.get_internal_type() not in ("GeometryField",)]
        if model is Area:
            fields = [f for f in fields if f not in ("geometry",)]
        rows = tenancy.for_municipality(model._default_manager.order_by("pk"), municipality).values_list(*fields)
        out[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return out


def _names_of(municipality, rows) -> list[str]:
    """Strings that identify the municipality's rows: its name, its programme's and the generic marker rows'."""
    names = [municipality.name]
    names += [f"{MARKER} {1 if municipality.code == '0165' else 0} "]
    return [n for n in names if n]


# --- the URL walk --------------------------------------------------------------------------------------------
def _walk(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield prefix + str(p.pattern), name, p


def _route_to_path(route: str, kwargs: dict) -> str:
    """Fill a route (path() syntax or regex) with kwargs; returns the request path."""
    def sub_converter(m):
        return str(kwargs[m.group(2)])
    path = re.sub(r"<(?:(\w+):)?(\w+)>", sub_converter, route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return "/" + path


def _model_of_api(pattern) -> str | None:
    cls = getattr(pattern.callback, "cls", None)
    if cls is None:
        return None
    queryset = getattr(cls, "queryset", None)
    model = queryset.model if queryset is not None else None
    if model is None and getattr(cls, "serializer_class", None) is not None:
        model = getattr(getattr(cls.serializer_class, "Meta", None), "model", None)
    return model._meta.label if model else None


def _admin_models() -> dict[str, str]:
    return {f"{m._meta.app_label}_{m._meta.model_name}": m._meta.label for m in admin.site._registry}


def plan(rows: dict[str, models.Model]) -> tuple[list[tuple[str, str, bool]], list[str], list[str]]:
    """(path, name, names an object) for every URL the walk requests; URLs skipped with reason; URLs unknown."""
    todo, skipped, unknown = [], [], []
    admin_models = _admin_models()
    for route, name, pattern in _walk():
        if name in UNFILLED:
            skipped.append(f"{name}: {UNFILLED[name]}")
            continue
        if "(?P<format>" in route:
            skipped.append(f"{name} ({route}): a format suffix of the same view, walked without it")
            continue
        params = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(re.findall(r"\(\?P<(\w+)>", route))
        kwargs = {}
        if "format" in params:
            kwargs["format"] = "json"
        if route.startswith("admin/"):
            if "app_label" in params:
                kwargs["app_label"] = "initiatives"
            if "content_type_id" in params:  # view_on_site: the other municipality's initiative
                from django.contrib.contenttypes.models import ContentType
                obj = rows["initiatives.Initiative"]
                kwargs.update(content_type_id=ContentType.objects.get_for_model(obj).pk, object_id=obj.pk)
            elif params & {"object_id", "id"}:
                m = re.match(r"admin/(\w+)/(\w+)/", route)
                label = admin_models.get(f"{m.group(1)}_{m.group(2)}")
                obj = rows.get(label)
                if obj is None:
                    unknown.append(f"{name} ({route}): no row of {label}")
                    continue
                kwargs["object_id" if "object_id" in params else "id"] = obj.pk
            if "url" in params:  # the catch-all: one unknown admin path
                kwargs["url"] = "nothing-here/"
        elif name in PAGE_MODELS:
            for param, label in PAGE_MODELS[name].items():
                kwargs[param] = getattr(rows[label], "uuid" if param.endswith("uuid") else "pk")
        elif "pk" in params and name.startswith("api:"):
            label = API_MODELS.get(name) or _model_of_api(pattern)
            if label is None or label not in rows:
                unknown.append(f"{name} ({route}): no model known")
                continue
            kwargs["pk"] = rows[label].pk
        missing = params - set(kwargs)
        if missing:
            unknown.append(f"{name} ({route}): cannot fill {sorted(missing)}")
            continue
        names_object = bool(params - {"format", "app_label", "url"})
        todo.append((_route_to_path(route, kwargs), name, names_object))
        if name.startswith("api:") and name.endswith("-list"):  # the CSV export of the same list
            todo.append((_route_to_path(route, kwargs) + "?format=csv", name, names_object))
    return todo, skipped, unknown


ADMIN_EVERY_ROLE = re.compile(r"^/admin/(initiatives/initiative/\d+/change/)?$")


def _methods(role, name, path, names_object, *, reverse) -> tuple[str, ...]:
    """Which methods the walk sends to one URL as one role.

    A coordinator (the role that used to be admin staff) sends GET and POST to every URL. The other roles send
    GET and POST to every URL naming an object and GET to the rest (an empty POST to a list or a blank form
    names no row of anyone). The admin refuses every non-superuser in ``has_permission`` before any of its
    views runs, so the other roles walk only its index and the change page of the initiative (issue #16's
    case). Seen from Albertslund, Copenhagen's admin is walked by the coordinator only.
    """
    is_admin = path.startswith("/admin/")
    if is_admin and role != roles.COORDINATOR and (reverse or not ADMIN_EVERY_ROLE.match(path)):
        return ()
    if role == roles.COORDINATOR or names_object:
        return ("get", "post")
    return ("get",)


def walk(tenants, own, other, *, only=None, role_list=ROLES):
    """Request the walk's URLs as each role of ``own`` with ``other``'s ids: (failures, counts, todo, skipped)."""
    theirs = tenants[other]
    todo, skipped, unknown = plan(theirs["rows"])
    assert not unknown, "URLs the isolation walk cannot fill; add them to PAGE_MODELS or UNFILLED:\n" + \
        "\n".join(unknown)
    if only is not None:
        todo = [t for t in todo if t[1] in only]
    names = _names_of(theirs["municipality"], theirs["rows"])
    failures, counts, logged_out = [], Counter(), []
    for role in role_list:
        client = Client(raise_request_exception=False)
        client.force_login(tenants[own]["users"][role])
        before = _fingerprint(theirs["municipality"])
        for path, name, names_object in todo:
            for method in _methods(role, name, path, names_object, reverse=own != "0101"):
                response = getattr(client, method)(path)
                # The walker must really be signed in (a voided session would make every answer "log in"
                # and prove nothing); a request that ends the session is reported, and the walk goes on.
                if not response.wsgi_request.user.is_authenticated or "_auth_user_id" not in client.session:
                    logged_out.append(f"{role} {method.upper()} {path} ({name})")
                    client.force_login(tenants[own]["users"][role])
                kind = "admin" if path.startswith("/admin/") else "api" if path.startswith("/api/") else "page"
                counts[(kind, method)] += 1
                status = response.status_code
                where = f"{role} {method.upper()} {path} ({name}) -> {status}"
                if status >= 500:
                    failures.append(f"server error: {where}")
                elif names_object and status not in OK_FOR_OBJECT_URL:
                    failures.append(f"other municipality's object answered: {where}")
                elif method == "get" and status == 200:
                    body = (b"".join(response.streaming_content) if getattr(response, "streaming", False)
                            else response.content).decode("utf-8", "replace")
                    leaked = [n for n in names if n in body]
                    if leaked:
                        failures.append(f"other municipality named ({', '.join(leaked)}): {where}")
        after = _fingerprint(theirs["municipality"])
        changed = sorted(k for k in before if before[k] != after[k])
        if changed:
            failures.append(f"{role} changed the other municipality's rows: {', '.join(changed)}")
    # A URL that logs the walker out would make every later request answer "log in" and prove nothing.
    failures += [f"ended the walking user's session: {where}" for where in logged_out]
    return failures, counts, todo, skipped


@pytest.mark.parametrize(("own", "other"), [("0101", "0165"), ("0165", "0101")], ids=["cph-vs-alb", "alb-vs-cph"])
def test_no_user_reads_or_writes_another_municipalitys_rows(tenants, own, other, capsys):
    failures, counts, todo, skipped = walk(tenants, own, other)
    requests = sum(counts.values())
    with capsys.disabled():
        print(f"\nisolation matrix {own}->{other}: {len(todo)} URLs, {len(ROLES)} roles, GET and POST: "
              f"{requests} requests ({', '.join(f'{k[0]} {k[1].upper()} {v}' for k, v in sorted(counts.items()))}); "
              f"{len(skipped)} URLs listed as not walked")
    assert not failures, f"{len(failures)} isolation failures:\n" + "\n".join(failures)
    assert requests == sum(len(_methods(role, n, p, o, reverse=own != "0101")) for role in ROLES for p, n, o in todo)


def test_the_walk_catches_a_selector_that_forgets_the_rule(tenants, monkeypatch):
    """Proof that the walk is not blind: with the rule switched off, the other municipality shows."""
    monkeypatch.setattr(tenancy, "scoped", lambda queryset, user: queryset)
    failures, *_ = walk(tenants, "0101", "0165", only={"initiatives:initiative_detail", "api:initiative-list"},
                        role_list=[roles.COORDINATOR])
    assert any("object answered" in f and "initiative_detail" in f for f in failures), failures
    assert any("named" in f and "api:initiative-list" in f for f in failures), failures


def test_the_walk_catches_an_admin_open_to_staff(tenants, monkeypatch):
    """The admin as it was (open to staff with model permissions): the Copenhagen coordinator reads and renames
    Albertslund's initiative — issue #16 — and the walk says so."""
    from django.contrib.auth.models import Permission

    from sikkerby.admin_site import SuperuserAdminSite

    monkeypatch.setattr(SuperuserAdminSite, "has_permission", lambda self, request: request.user.is_staff)
    coordinator = tenants["0101"]["users"][roles.COORDINATOR]
    coordinator.user_permissions.set(Permission.objects.filter(content_type__app_label="initiatives"))
    failures, *_ = walk(tenants, "0101", "0165", only={"admin:initiatives_initiative_change"},
                        role_list=[roles.COORDINATOR])
    assert any("object answered" in f and "GET" in f for f in failures), failures


def test_every_model_of_ours_has_a_declared_tenancy():
    """The system check: a new model in our apps without a tenancy declaration fails ``manage.py check``."""
    assert tenancy.check_every_model_declared() == []
    declared = set(tenancy.TENANT_PATHS) | set(tenancy.GLOBAL_MODELS)
    assert {m._meta.label for m in tenancy.project_models()} == declared


def test_an_undeclared_model_fails_the_system_check(monkeypatch):
    monkeypatch.delitem(tenancy.TENANT_PATHS, "initiatives.Initiative")
    errors = tenancy.check_every_model_declared()
    assert [e.id for e in errors] == ["sikkerby.E201"]
    assert "initiatives.Initiative" in errors[0].msg
    with pytest.raises(LookupError):
        tenancy.scoped(apps.get_model("initiatives.Initiative").objects.all(), None)


def test_a_path_that_does_not_resolve_fails_the_system_check(monkeypatch):
    monkeypatch.setitem(tenancy.TENANT_PATHS, "initiatives.Initiative", "programme__municipal")
    assert [e.id for e in tenancy.check_every_model_declared()] == ["sikkerby.E202"]
