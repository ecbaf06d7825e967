"""The coordinators' manage pages: every flow through the test client, scoping, history, locking, export."""
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from indicators.models import Indicator
from initiatives.models import BudgetKind, BudgetLine, EffectGoal, FocusArea, FundingStatus, Initiative
from tests.factories import (
    AdministrationFactory,
    BudgetLineFactory,
    EffectGoalFactory,
    FocusAreaFactory,
    InitiativeFactory,
    ProgrammeFactory,
)


def _initiative_data(ini, **overrides):
    data = {
        "name": ini.name, "key": ini.key, "administration": ini.administration_id, "status": ini.status,
        "focus_areas": [fa.pk for fa in ini.focus_areas.all()], "effect_goals": [g.pk for g in ini.effect_goals.all()],
        "funding_status": ini.funding_status, "funding_source": ini.funding_source, "description": ini.description,
        "target_age_min": ini.target_age_min or "", "target_age_max": ini.target_age_max or "",
        "area_text": ini.area_text, "source": ini.source, "version": ini.version,
    }
    data.update(overrides)
    return data


@pytest.fixture
def initiative(copenhagen):
    return Initiative.objects.filter(programme=copenhagen).order_by("pk").first()


def _pages(copenhagen, initiative):
    line = BudgetLineFactory(initiative=initiative, year=2030, price_level_year=2030)
    return [
        reverse("initiatives:manage"),
        reverse("initiatives:manage_initiative_create"),
        reverse("initiatives:manage_initiative", args=[initiative.pk]),
        reverse("initiatives:manage_budget_line_create", args=[initiative.pk]),
        reverse("initiatives:manage_budget_line", args=[line.pk]),
        reverse("initiatives:manage_budget"),
        reverse("initiatives:manage_focus_areas"),
        reverse("initiatives:manage_focus_area_create"),
        reverse("initiatives:manage_focus_area", args=[copenhagen.focus_areas.first().pk]),
        reverse("initiatives:manage_effect_goals"),
        reverse("initiatives:manage_effect_goal_create"),
        reverse("initiatives:manage_effect_goal", args=[copenhagen.effect_goals.first().pk]),
        reverse("initiatives:manage_indicators"),
        reverse("initiatives:manage_indicator_create"),
        reverse("initiatives:manage_indicator", args=[copenhagen.indicators.first().pk]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *roles.ROLES])
def test_only_coordinators_reach_the_manage_pages(client, copenhagen, initiative, user_of_role, role):
    user = user_of_role(role)
    if user:
        client.force_login(user)
    for url in _pages(copenhagen, initiative):
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
        elif role == roles.COORDINATOR:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url


@pytest.mark.django_db
def test_reporter_cannot_post_an_initiative_change(client, reporter, initiative):
    client.force_login(reporter)
    response = client.post(reverse("initiatives:manage_initiative", args=[initiative.pk]),
                           _initiative_data(initiative, name="Hijacked"))
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.name != "Hijacked"


@pytest.mark.django_db
def test_another_municipalitys_rows_are_not_found(client, coordinator):
    other = ProgrammeFactory()
    ini = InitiativeFactory(programme=other)
    line = BudgetLineFactory(initiative=ini)
    fa = FocusAreaFactory(programme=other)
    goal = EffectGoalFactory(programme=other)
    client.force_login(coordinator)
    for url in [reverse("initiatives:manage_initiative", args=[ini.pk]),
                reverse("initiatives:manage_budget_line_create", args=[ini.pk]),
                reverse("initiatives:manage_budget_line", args=[line.pk]),
                reverse("initiatives:manage_focus_area", args=[fa.pk]),
                reverse("initiatives:manage_effect_goal", args=[goal.pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("initiatives:manage_budget_line_delete", args=[line.pk]),
                       {"version": 0}).status_code == 404
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    assert client.get(reverse("initiatives:manage") + f"?programme={other.slug}").status_code == 404


@pytest.mark.django_db
def test_choices_are_limited_to_the_programme_and_its_municipality(client, coordinator, copenhagen, initiative):
    other = ProgrammeFactory()
    foreign_admin = AdministrationFactory(municipality=other.municipality)
    foreign_fa = FocusAreaFactory(programme=other)
    client.force_login(coordinator)
    html = client.get(reverse("initiatives:manage_initiative", args=[initiative.pk])).content.decode()
    assert f'value="{foreign_admin.pk}"' not in html
    assert f'value="{copenhagen.municipality.administrations.first().pk}"' in html
    # Posting a foreign row anyway is refused by the form, nothing is saved
    response = client.post(reverse("initiatives:manage_initiative", args=[initiative.pk]),
                           _initiative_data(initiative, administration=foreign_admin.pk, focus_areas=[foreign_fa.pk]))
    assert response.status_code == 400
    initiative.refresh_from_db()
    assert initiative.administration.municipality_id == copenhagen.municipality_id


@pytest.mark.django_db
def test_create_and_edit_an_initiative_shows_its_history(client, coordinator, copenhagen):
    client.force_login(coordinator)
    sof = copenhagen.municipality.administrations.get(code="SOF")
    fa = copenhagen.focus_areas.order_by("number").first()
    response = client.post(reverse("initiatives:manage_initiative_create") + f"?programme={copenhagen.slug}", {
        "name": "Natteravne i Tingbjerg", "key": "natteravne-tingbjerg", "administration": sof.pk,
        "status": "new", "focus_areas": [fa.pk], "funding_status": FundingStatus.NOT_FINANCED, "version": ""})
    ini = Initiative.objects.get(programme=copenhagen, key="natteravne-tingbjerg")
    assert response.status_code == 302 and response["Location"] == reverse("initiatives:manage_initiative",
                                                                          args=[ini.pk])
    assert list(ini.focus_areas.all()) == [fa]

    response = client.post(reverse("initiatives:manage_initiative", args=[ini.pk]),
                           _initiative_data(ini, funding_status=FundingStatus.FINANCED, funding_source="Kickstart"))
    assert response.status_code == 302
    ini.refresh_from_db()
    assert (ini.funding_status, ini.funding_source, ini.version) == (FundingStatus.FINANCED, "Kickstart", 1)

    entry = LogEntry.objects.get_for_object(ini).filter(action=LogEntry.Action.UPDATE).exclude(
        changes__has_key="focus_areas").get()
    assert entry.actor == coordinator
    assert entry.changes_dict["funding_status"] == ["not_financed", "financed"]

    page = client.get(reverse("initiatives:manage_initiative", args=[ini.pk]))
    html = page.content.decode()
    history = html[html.index('id="history"'):]
    # Field, before and after as people read them (choice labels in Danish), and who made the change
    assert "ikke finansieret" in history and "finansieret" in history and "Kickstart" in history
    assert coordinator.get_full_name() in history


@pytest.mark.django_db
def test_invalid_input_is_kept_and_explained(client, coordinator, initiative):
    client.force_login(coordinator)
    response = client.post(reverse("initiatives:manage_initiative", args=[initiative.pk]),
                           _initiative_data(initiative, name="", target_age_min="25", target_age_max="18",
                                            funding_source="Statspulje"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'value="Statspulje"' in html


@pytest.mark.django_db
def test_two_coordinators_saving_at_once_do_not_lose_an_update(client, coordinator, initiative, user_of_role):
    colleague = user_of_role(roles.COORDINATOR)
    opened_at = initiative.version
    client.force_login(colleague)
    assert client.post(reverse("initiatives:manage_initiative", args=[initiative.pk]),
                       _initiative_data(initiative, funding_source="Colleague's source")).status_code == 302
    client.force_login(coordinator)
    response = client.post(reverse("initiatives:manage_initiative", args=[initiative.pk]),
                           _initiative_data(initiative, funding_source="My source", version=opened_at))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Colleague&#x27;s source" in html and 'value="My source"' in html
    conflict = html[html.index('id="conflict"'):html.index("</table>", html.index('id="conflict"'))]
    assert "Indsatsområder" not in conflict  # unchanged many-to-many fields are not reported as conflicts
    initiative.refresh_from_db()
    assert initiative.funding_source == "Colleague's source"
    # Saving again (the form now carries the colleague's version) is a deliberate overwrite
    response = client.post(reverse("initiatives:manage_initiative", args=[initiative.pk]),
                           _initiative_data(initiative, funding_source="My source"))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.funding_source == "My source"


@pytest.mark.django_db
def test_budget_lines_add_change_delete_are_in_the_initiatives_history(client, coordinator, initiative):
    client.force_login(coordinator)
    url = reverse("initiatives:manage_budget_line_create", args=[initiative.pk])
    response = client.post(url, {"year": 2031, "kind": BudgetKind.CONSTRUCTION, "amount_tdkk": "1250.5",
                                 "price_level_year": 2030, "note": "", "version": ""})
    assert response.status_code == 302
    line = BudgetLine.objects.get(initiative=initiative, year=2031)
    assert line.amount_tdkk == Decimal("1250.500") and line.price_level_year == 2030

    # The same year and kind again: refused with a readable message, input kept
    response = client.post(url, {"year": 2031, "kind": BudgetKind.CONSTRUCTION, "amount_tdkk": "9",
                                 "price_level_year": 2030, "version": ""})
    assert response.status_code == 400
    assert "Indsatsen har allerede en linje for dette år og denne art." in response.content.decode()

    response = client.post(reverse("initiatives:manage_budget_line", args=[line.pk]), {
        "year": 2031, "kind": BudgetKind.CONSTRUCTION, "amount_tdkk": "1300", "price_level_year": 2031,
        "note": "revised", "version": line.version})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.amount_tdkk, line.price_level_year, line.version) == (Decimal("1300"), 2031, 1)

    response = client.post(reverse("initiatives:manage_budget_line_delete", args=[line.pk]), {"version": 1})
    assert response.status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()

    html = client.get(reverse("initiatives:manage_initiative", args=[initiative.pk])).content.decode()
    history = html[html.index('id="history"'):]
    assert "1250.500" in history and "1300" in history  # before and after of the change
    assert "slettet" in history  # the deleted line is still in the history


@pytest.mark.django_db
def test_a_stale_delete_is_refused(client, coordinator, initiative):
    line = BudgetLineFactory(initiative=initiative, year=2032, price_level_year=2032)
    client.force_login(coordinator)
    client.post(reverse("initiatives:manage_budget_line", args=[line.pk]), {
        "year": 2032, "kind": line.kind, "amount_tdkk": "5", "price_level_year": 2032, "version": 0})
    client.post(reverse("initiatives:manage_budget_line_delete", args=[line.pk]), {"version": 0})
    assert BudgetLine.objects.filter(pk=line.pk).exists()


@pytest.mark.django_db
def test_focus_area_and_effect_goal_create_and_edit(client, coordinator, copenhagen):
    client.force_login(coordinator)
    goal_1 = copenhagen.effect_goals.order_by("number").first()
    response = client.post(reverse("initiatives:manage_focus_area_create") + f"?programme={copenhagen.slug}", {
        "number": 7, "title": "Tryghedsvandringer", "effect_goals": [goal_1.pk], "version": ""})
    assert response.status_code == 302
    fa = FocusArea.objects.get(programme=copenhagen, number=7)
    response = client.post(reverse("initiatives:manage_focus_area", args=[fa.pk]), {
        "number": 7, "title": "Tryghedsvandringer i boligområder", "effect_goals": [goal_1.pk],
        "version": fa.version})
    assert response.status_code == 302
    html = client.get(reverse("initiatives:manage_focus_area", args=[fa.pk])).content.decode()
    assert "Tryghedsvandringer i boligområder" in html[html.index('id="history"'):]

    bif = copenhagen.municipality.administrations.get(code="BIF")
    data = {"number": 9, "text": "Andelen af utrygge beboere falder", "responsible": bif.pk, "direction": "falling",
            "unit": "%", "baseline_year": 2010, "baseline_value": "30", "target_value": "20",
            "target_text": "20 % i 2015", "deadline": "2015-12-31", "data_source": "Tryghedsindeks", "version": ""}
    response = client.post(reverse("initiatives:manage_effect_goal_create") + f"?programme={copenhagen.slug}", data)
    assert response.status_code == 302
    goal = EffectGoal.objects.get(programme=copenhagen, number=9)
    assert goal.baseline_value == Decimal("30") and str(goal.deadline) == "2015-12-31"
    response = client.post(reverse("initiatives:manage_effect_goal", args=[goal.pk]),
                           {**data, "target_value": "15", "version": goal.version})
    assert response.status_code == 302
    html = client.get(reverse("initiatives:manage_effect_goal", args=[goal.pk])).content.decode()
    history = html[html.index('id="history"'):]
    assert "20.000" in history and "15" in history
    # The deadline is shown back in the date input's own format
    assert 'value="2015-12-31"' in html


@pytest.mark.django_db
def test_budget_table_exports_to_excel(client, coordinator, copenhagen):
    client.force_login(coordinator)
    lines = BudgetLine.objects.filter(initiative__programme=copenhagen, year=2010)
    page = client.get(reverse("initiatives:manage_budget") + f"?programme={copenhagen.slug}&year=2010")
    assert page.status_code == 200
    assert 'id="budget-export"' in page.content.decode()
    response = client.get(reverse("initiatives:manage_budget") + f"?programme={copenhagen.slug}&year=2010&format=xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("Budget") and rows[2][3] == "År"  # title, note, header (in Danish)
    data = [r for r in rows[3:] if r[3] == 2010]
    assert len(data) == lines.count() > 0
    assert sum(Decimal(str(r[5])) for r in data) == sum(line.amount_tdkk for line in lines)


@pytest.mark.django_db
def test_excel_export_never_stores_a_formula(client, coordinator, copenhagen, initiative):
    initiative.name = "=HYPERLINK(\"http://x\")"
    initiative.save()
    BudgetLineFactory(initiative=initiative, year=2033, price_level_year=2033, note="+1")
    client.force_login(coordinator)
    response = client.get(reverse("initiatives:manage_budget") + f"?programme={copenhagen.slug}&year=2033&format=xlsx")
    ws = load_workbook(BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value in (initiative.name, "+1")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)


@pytest.mark.django_db
def test_manage_list_query_count_does_not_grow(client, coordinator, copenhagen, django_assert_max_num_queries):
    client.force_login(coordinator)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("initiatives:manage")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("initiatives:manage_budget")).status_code == 200


@pytest.mark.django_db
def test_indicator_create_edit_formula_checked_and_history(client, coordinator, copenhagen):
    client.force_login(coordinator)
    fa = copenhagen.focus_areas.order_by("number").first()
    buf = copenhagen.municipality.administrations.get(code="BUF")
    data = {"number": 40, "focus_area": fa.pk, "text": "Antal tryghedsvandringer", "responsible": buf.pk,
            "direction": "rising", "unit": "antal", "formula": "", "target_value": "", "target_year": "",
            "version": ""}
    response = client.post(reverse("initiatives:manage_indicator_create") + f"?programme={copenhagen.slug}", data)
    assert response.status_code == 302
    ind = Indicator.objects.get(programme=copenhagen, number=40)

    # A formula naming an unknown indicator is refused by the indicators app's own check; nothing is saved
    response = client.post(reverse("initiatives:manage_indicator", args=[ind.pk]),
                           {**data, "unit": "stk.", "formula": "I99 * 2", "version": ind.version})
    assert response.status_code == 400
    assert "I99" in response.content.decode()
    ind.refresh_from_db()
    assert (ind.formula, ind.unit) == ("", "antal")

    response = client.post(reverse("initiatives:manage_indicator", args=[ind.pk]),
                           {**data, "unit": "stk.", "formula": "I1 * 2", "version": ind.version})
    assert response.status_code == 302
    ind.refresh_from_db()
    assert (ind.formula, ind.unit, ind.version) == ("I1 * 2", "stk.", 1)
    html = client.get(reverse("initiatives:manage_indicator", args=[ind.pk])).content.decode()
    history = html[html.index('id="history"'):]
    assert "antal" in history and "stk." in history and "I1 * 2" in history


@pytest.mark.django_db
def test_the_reading_page_links_coordinators_to_the_manage_page(client, coordinator, reporter, initiative):
    manage_url = reverse("initiatives:manage_initiative", args=[initiative.pk])
    client.force_login(coordinator)
    assert manage_url in client.get(reverse("initiatives:initiative_detail", args=[initiative.pk])).content.decode()
    client.force_login(reporter)
    assert manage_url not in client.get(reverse("initiatives:initiative_detail", args=[initiative.pk])).content.decode()
