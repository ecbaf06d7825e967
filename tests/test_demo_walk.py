"""The whole demo, as ``make run`` loads it, walked as every demo role (docs/demo.md).

The demo is loaded once for this module by the very commands of the Makefile's
``demo-data`` target, committed for real (so the key-figure report's job runs
as it does in ``make run``), and flushed afterwards; the module therefore runs
with the tests that flush the database, at the end (``tests/conftest.py``).

Each role's walk requests every named URL of the URL resolver (ids of demo
objects filled in), every API list endpoint and the detail of its first row,
and every CSV/XLSX/PDF export among them. It fails on any 5xx, on a job left
waiting or running, and on a module whose demo data misses the timeline's
recent years.
"""
import re
import shlex
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver

from sikkerby.demo import RECENT_YEARS

pytestmark = [pytest.mark.django_db, pytest.mark.demo_walk]

# Every demo user of both municipalities (accounts.services.DEMO_USERS): Copenhagen's and Albertslund's.
DEMO_ROLES = ["demo-koordinator", "demo-ssp", "demo-exit", "demo-rapportoer", "demo-api", "demo-databeskyttelse",
              "demo-mentor", "demo-alb-koordinator", "demo-alb-ssp", "demo-alb-exit", "demo-alb-rapportoer",
              "demo-alb-api", "demo-alb-databeskyttelse", "demo-alb-mentor"]
# Roles whose work is all in modules Albertslund does not run, or is one page: the walk reaches fewer pages.
FEW_PAGES = {"demo-databeskyttelse", "demo-mentor", "demo-alb-mentor", "demo-alb-ssp", "demo-alb-exit",
             "demo-alb-databeskyttelse"}
# Named URLs the walk does not request, and why.
NOT_WALKED = {
    "logout": "ends the session the walk uses",
    "set_language": "POST only, changes the session's language",
    "accounts:sso_login": "the demo has no identity provider (single sign-on: tests/sso)",
    "accounts:sso_saml_acs": "the demo has no identity provider (single sign-on: tests/sso)",
    "accounts:sso_saml_metadata": "the demo has no identity provider (single sign-on: tests/sso)",
    "password_reset_confirm": "an invitation's one-time link (tests/accounts/test_user_admin.py)",
}


def demo_commands() -> list[list[str]]:
    """The ``manage.py`` commands of the Makefile's ``demo-data`` target, in order."""
    text = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^demo-data:\n((?:\t.*\n)+)", text, re.M).group(1)
    return [shlex.split(line.split("manage.py", 1)[1]) for line in block.splitlines() if "manage.py" in line]


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    from tests.tryghedsindeks.factories import method_v1
    with django_db_blocker.unblock():
        method_v1()  # written by a migration; an earlier test's flush may have emptied the table
        for args in demo_commands():
            call_command(*args, stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        call_command("flush", interactive=False)  # later tests load the reference data they need again


def _patterns(patterns=None, ns=None):
    """(name, keyword names) of every named URL outside the admin, including the API routers' regexes."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            inner = p.namespace if not ns else (f"{ns}:{p.namespace}" if p.namespace else ns)
            yield from _patterns(p.url_patterns, inner)
        elif p.name:
            keys = tuple(sorted(p.pattern.regex.groupindex))
            if "format" not in keys:  # the API's ".json" suffix variants answer like the plain route
                yield (f"{ns}:{p.name}" if ns else p.name), keys


def _object_kwargs() -> dict[str, list[dict]]:
    """For every named page URL with arguments: the kwargs of demo objects to request it with."""
    from accounts.models import User
    from areas.models import Area, AreaLevel
    from crimestats.models import KeyFigureReport, PoliceImport
    from evaluations.models import ClosureReport, Evaluation, EvaluationRound, PrioritisationRound
    from exitprogram.models import ExitCase, PlanItem
    from indicators.models import Indicator, ValueUpload
    from initiatives.models import BudgetLine, EffectGoal, FocusArea, Initiative
    from partners.models import Partner, PartnerContact, PartnerInitiative, PartnerPackPdf
    from safetywalks.models import Action as WalkAction
    from safetywalks.models import Finding, SafetyWalk
    from tryghedsindeks.models import SafetyIndexComputation, SafetyIndexRun

    def pks(qs, n=3, key="pk"):
        return [{key: pk} for pk in qs.order_by("pk").values_list("pk", flat=True)[:n]]

    case = ExitCase.objects.filter(is_fictional=True).order_by("pk").first()
    cases = [{"uuid": c} for c in ExitCase.objects.filter(is_fictional=True).order_by("pk")
             .values_list("uuid", flat=True)[:2]] + [{"uuid": uuid.uuid4()}]
    item = PlanItem.objects.filter(case=case).first()
    reports = pks(KeyFigureReport.objects.all(), n=10)  # Copenhagen's and Albertslund's
    imports = pks(PoliceImport.objects.all())
    evaluations = pks(Evaluation.objects.all(), n=5)
    runs = pks(SafetyIndexRun.objects.all(), n=2)
    out = {
        "initiatives:initiative_detail": pks(Initiative.objects.all()),
        "indicators:goal_csv": pks(EffectGoal.objects.all(), n=10),
        "indicators:indicator_detail": pks(Indicator.objects.all(), n=20),
        "indicators:indicator_csv": pks(Indicator.objects.all(), n=20),
        "indicators:upload_preview": pks(ValueUpload.objects.all()),
        "indicators:reporting_calendar_edit": pks(Indicator.objects.all(), n=20),  # entered and computed
        "tryghedsindeks:area_detail": pks(Area.objects.filter(level__in=[AreaLevel.DISTRICT, AreaLevel.CITY])),
        "tryghedsindeks:run_publish": runs, "tryghedsindeks:run_verify": runs,
        "tryghedsindeks:computation_restart": pks(SafetyIndexComputation.objects.all()),
        "evaluations:round_detail": pks(EvaluationRound.objects.all()),
        "evaluations:round_export": pks(EvaluationRound.objects.all()),
        "evaluations:prioritisation_round_detail": pks(PrioritisationRound.objects.all()),
        "evaluations:prioritisation_edit": pks(PrioritisationRound.objects.all()),
        "evaluations:closure_reopen": pks(ClosureReport.objects.all()),
        "exitprogram:plan_item_edit": [{"uuid": case.uuid, "item_id": item.pk}] if item else [],
        "initiatives:manage_initiative": pks(Initiative.objects.all()),
        "initiatives:manage_budget_line_create": pks(Initiative.objects.all(), key="initiative_pk"),
        "initiatives:manage_budget_line": pks(BudgetLine.objects.all()),
        "initiatives:manage_budget_line_delete": pks(BudgetLine.objects.all()),
        "initiatives:manage_focus_area": pks(FocusArea.objects.all()),
        "initiatives:manage_effect_goal": pks(EffectGoal.objects.all(), n=10),
        "initiatives:manage_indicator": pks(Indicator.objects.all(), n=5),
    }
    partners = pks(Partner.objects.all())
    for name in ("partner_detail", "partner_edit", "contact_create", "involvement_create"):
        out[f"partners:{name}"] = partners
    out["partners:contact_delete"] = pks(PartnerContact.objects.all())
    out["partners:involvement_delete"] = pks(PartnerInitiative.objects.all())
    out["partners:progress_edit"] = pks(Initiative.objects.all(), key="initiative_pk")
    for name in ("pack_pdf_detail", "pack_pdf_status", "pack_pdf_download"):
        out[f"partners:{name}"] = pks(PartnerPackPdf.objects.all())
    users = pks(User.objects.filter(is_demo=True), n=20)  # both municipalities' demo users
    for name in ("user_edit", "user_set_active", "user_unlock"):
        out[f"accounts:{name}"] = users
    for name in ("report_detail", "report_status", "report_pdf", "report_xlsx", "report_publish", "report_restart"):
        out[f"crimestats:{name}"] = reports
    for name in ("import_detail", "import_status", "import_restart"):
        out[f"crimestats:{name}"] = imports
    for name in ("walk_detail", "walk_edit", "walk_report", "walk_csv", "finding_create"):
        out[f"safetywalks:{name}"] = pks(SafetyWalk.objects.all(), n=5)  # both municipalities' demo walks
    for name in ("finding_photo", "action_create"):
        out[f"safetywalks:{name}"] = pks(Finding.objects.all())
    for name in ("action_detail", "action_status"):
        out[f"safetywalks:{name}"] = pks(WalkAction.objects.all())
    for name in ("evaluation_detail", "evaluation_edit", "evaluation_autosave", "evaluation_review"):
        out[f"evaluations:{name}"] = evaluations
    for name in ("case_detail", "case_edit", "case_transition", "case_close", "case_followup", "meeting_create",
                 "plan_item_create", "note_create", "pool_expense_create"):
        out[f"exitprogram:{name}"] = cases
    from sspcases.models import Concern, MeetingSeries, SingleCaseMeeting
    series = pks(MeetingSeries.objects.filter(is_demo=True), n=2)
    for name in ("series_detail", "series_extend"):
        out[f"sspcases:{name}"] = series
    meetings = list(SingleCaseMeeting.objects.filter(series__is_demo=True, items__isnull=False).distinct()
                    .order_by("series", "-held_on").values_list("uuid", flat=True)[:2])
    concerns = list(Concern.objects.filter(is_fictional=True).order_by("pk").values_list("uuid", flat=True)[:2])
    for name in ("meeting_detail", "meeting_move", "meeting_hold", "meeting_cancel", "meeting_reinstate"):
        out[f"sspcases:{name}"] = [{"uuid": m} for m in meetings]
    for name in ("concern_detail", "concern_convert"):
        out[f"sspcases:{name}"] = [{"uuid": c} for c in concerns]
    out["sspcases:item_record"] = [{"uuid": m, "concern_uuid": c} for m in meetings[:1] for c in concerns[:1]]
    return out


ID_ATTRIBUTE = re.compile(r'\sid="([^"]+)"')


def _duplicate_ids(response) -> list[str]:
    """Ids that occur more than once in an HTML page: a label's ``for`` then names the first field of that id, so a
    screen reader and a click on the label reach the wrong field (two forms on one page, same field names)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    seen, twice = set(), set()
    for name in ID_ATTRIBUTE.findall(response.content.decode("utf-8", "replace")):
        (twice if name in seen else seen).add(name)
    return sorted(twice)


def _walk(client) -> tuple[list[tuple[str, int]], list[str], list[tuple[str, list[str]]]]:
    """Request everything; returns ([(url, status)], [named URLs the walk cannot fill in], [(url, duplicate ids)])."""
    answers, unknown, duplicates = [], [], []

    def get(url):
        response = client.get(url)
        answers.append((url, response.status_code))
        if dup := _duplicate_ids(response):
            duplicates.append((url, dup))
        return response

    kwargs_of = _object_kwargs()
    api_details = {}
    for name, keys in _patterns():
        if name in NOT_WALKED:
            continue
        if not keys:
            response = get(reverse(name))
            if name.startswith("api:") and name.endswith("-list") and response.status_code == 200:
                body = response.json()
                rows = body.get("results", body) if isinstance(body, dict) else body
                if rows and isinstance(rows, list) and isinstance(rows[0], dict) and "id" in rows[0]:
                    api_details[name[: -len("-list")]] = rows[0]["id"]
        elif name.startswith("api:") and keys == ("pk",):
            continue  # after the lists, with an id a list gave
        elif name in kwargs_of:
            for kwargs in kwargs_of[name]:
                get(reverse(name, kwargs=kwargs))
        else:
            unknown.append(name)
    for name, keys in _patterns():
        if name.startswith("api:") and keys == ("pk",):
            base = name.rsplit("-", 1)[0]
            if base in api_details:
                get(reverse(name, kwargs={"pk": api_details[base]}))
    return answers, unknown, duplicates


def test_the_demo_loads_without_a_stuck_job_and_its_modules_share_the_recent_years(demo_loaded):
    from crimestats.models import KeyFigureReport, PoliceEvent, ReportStatus
    from evaluations.models import ClosureReport, EvaluationRound
    from exitprogram.models import ExitCase
    from indicators.models import IndicatorValue
    from operations.jobs import BackgroundJob
    from partners.models import ProgressEntry
    from safetywalks.models import SafetyWalk
    from tryghedsindeks.models import RunStatus, SafetyIndexRun

    stuck = [(model.__name__, pk, status) for model in _job_models()
             for pk, status in model.objects.filter(status__in=["pending", "running"]).values_list("pk", "status")]
    assert stuck == []
    assert issubclass(KeyFigureReport, BackgroundJob)

    # the report of the last recent year's fourth quarter, produced with that year's safety index in it
    last = RECENT_YEARS[-1]
    cph = KeyFigureReport.objects.get(municipality__code="0101", period_end=date(last, 12, 31))
    assert cph.status == ReportStatus.DONE, cph.error
    assert cph.data["synthetic"] is True and len(cph.data["addendum"]["safety_index"]) == 35
    albertslund = KeyFigureReport.objects.get(municipality__code="0165", period_end=date(last, 12, 31))
    assert albertslund.status == ReportStatus.DONE, albertslund.error

    for year in RECENT_YEARS:  # every module has demo data in every recent year
        span = (date(year, 1, 1), date(year, 12, 31))
        assert PoliceEvent.objects.filter(record_id__startswith="SYN-", date__year=year).exists(), year
        assert SafetyIndexRun.objects.filter(year=year, status=RunStatus.PUBLISHED, contains_demo_data=True).exists()
        assert IndicatorValue.objects.filter(is_demo=True, period_start__year=year).exists(), year
        assert ExitCase.objects.filter(is_fictional=True, referral_date__year=year).exists(), year
        assert ExitCase.objects.filter(is_fictional=True, closed_on__range=span).exists(), year
        assert ExitCase.objects.filter(is_fictional=True, followup_done_on__range=span).exists(), year
        assert EvaluationRound.objects.filter(is_demo=True, year=year).exists(), year
        assert ClosureReport.objects.filter(is_demo=True, closed_from__year=year).exists(), year
        assert SafetyWalk.objects.filter(is_demo=True, date__year=year, municipality__code="0165").exists(), year
        assert ProgressEntry.objects.filter(is_demo=True, month__year=year).exists(), year
    # the programme's own baseline years stay where the seeds put them
    assert SafetyIndexRun.objects.filter(year=2010, status=RunStatus.PUBLISHED).exists()
    assert ExitCase.objects.filter(is_fictional=True, referral_date__year=2010).exists()


def _job_models():
    from django.apps import apps

    from operations.jobs import BackgroundJob
    return [m for m in apps.get_models() if issubclass(m, BackgroundJob)]


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_every_page_api_and_export_answers_each_demo_role_without_a_server_error(demo_loaded, username):
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    answers, unknown, duplicates = _walk(client)
    assert unknown == [], "a named URL with arguments the walk cannot fill in: add it to _object_kwargs"
    assert [a for a in answers if a[1] >= 500] == []
    assert duplicates == []  # every id once per page, so every label names its own field
    reached = sum(1 for _u, status in answers if status == 200)
    assert reached >= (1 if username in FEW_PAGES else 10), reached  # the walk reached the role's pages
    # a module the user's municipality does not run answers 404 with the reason, never an empty page
    from initiatives.models import Module
    from initiatives.modules import modules_of
    user = User.objects.get(username=username)
    if Module.EXIT_PROGRAMME not in modules_of(user):
        assert client.get(reverse("exitprogram:statistics")).status_code == 404
    # and nothing was left waiting by the walk (a report page may reap, never start, a job)
    assert [m.__name__ for m in _job_models() if m.objects.filter(status__in=["pending", "running"]).exists()] == []


def test_demo_figures_are_labelled_by_the_data_for_a_real_user_and_real_figures_are_not(demo_loaded):
    """Item 1 of issue #15: the label follows the data, not the user who looks."""
    import io

    import pypdf

    from accounts import roles
    from crimestats.models import KeyFigureReport
    from indicators.models import Indicator
    from initiatives.models import Programme
    from tests.factories import UserFactory

    cph = Programme.objects.get(slug="sikker-by-2010")
    real = UserFactory(municipality=cph.municipality, administration=cph.municipality.administrations.get(
        code="ØKF"), role=roles.COORDINATOR, is_staff=True)
    assert not real.is_demo
    client = Client()
    client.force_login(real)

    for url in (reverse("indicators:dashboard"), reverse("exitprogram:statistics")):
        assert 'data-basis="demo"' in client.get(url).content.decode(), url
    indicator = Indicator.objects.filter(programme=cph, values__is_demo=True).distinct().first()
    csv_text = client.get(reverse("indicators:indicator_csv", args=[indicator.pk])).content.decode()
    assert csv_text.splitlines()[0].endswith("data_basis") and all(
        line.endswith("demo") for line in csv_text.splitlines()[1:])

    api_user = UserFactory(municipality=cph.municipality, role=roles.API_CLIENT)
    api = Client()
    api.force_login(api_user)

    def rows(name, by=api, **params):
        response = by.get(reverse(name), params)
        assert response.status_code == 200, (name, response.content[:200])
        body = response.json()
        return body.get("results", body) if isinstance(body, dict) else body

    goals = {g["number"]: g["data_basis"] for g in rows("api:effect-goal-list", programme=cph.pk)}
    assert goals[2] == goals[3] == goals[4] == "demo"  # fictional cases, demo safety index, demo closures
    assert {r["data_basis"] for r in rows("api:indicator-value-list")} == {"demo"}
    assert {r["data_basis"] for r in rows("api:evaluation-list", by=client)} == {"demo"}  # a coordinator's API
    stats = api.get(reverse("api:exit-statistics")).json()
    assert stats["data_basis"] == stats["goal2"]["data_basis"] == "demo"
    assert {r["data_basis"] for r in stats["by_referral_year"]} == {"demo"}

    # the key-figure PDF: synthetic police data and a demo safety index, said on every page
    report = KeyFigureReport.objects.get(municipality=cph.municipality, period_end=date(RECENT_YEARS[-1], 12, 31))
    pages = pypdf.PdfReader(io.BytesIO(bytes(report.pdf))).pages
    assert len(pages) > 3
    assert all("SYNTETISKE DATA" in p.extract_text() for p in pages)
    # Albertslund's report rests on STRAF11 alone: real figures, never labelled as demo
    albertslund = KeyFigureReport.objects.get(municipality__code="0165", period_end=date(RECENT_YEARS[-1], 12, 31))
    assert albertslund.data["data_basis"] == "real"
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(bytes(albertslund.pdf))).pages)
    assert "SYNTETISKE" not in text and "DEMODATA" not in text


def test_the_demo_users_banner_does_not_call_real_figures_demo(demo_loaded):
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="demo-koordinator"))
    page = client.get(reverse("crimestats:report_list")).content.decode()
    assert "demobruger" in page and "rigtige referencedata" in page
    assert "the data you see is demonstration data" not in page and "er demonstrationsdata" not in page
