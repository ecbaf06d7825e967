"""Programme pages: who may see them, what they show, and how many queries they cost."""
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import roles
from initiatives.models import Initiative
from tests.factories import BudgetLineFactory, InitiativeFactory, ProgrammeFactory, UserFactory

ALL_ROLES = [None, *roles.ROLES]
PROGRAMME_READERS = {roles.COORDINATOR, roles.ADMIN_REPORTER}


def _pages(copenhagen):
    ini = Initiative.objects.filter(programme=copenhagen).first()
    return {
        "dashboard": reverse("initiatives:dashboard"),
        "initiative_detail": reverse("initiatives:initiative_detail", args=[ini.pk]),
        "reconciliation": reverse("initiatives:reconciliation"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page_name", ["dashboard", "initiative_detail", "reconciliation"])
def test_permission_matrix_programme_pages(client, copenhagen, user_of_role, role, page_name):
    url = _pages(copenhagen)[page_name]
    user = user_of_role(role)
    if user:
        client.force_login(user)
    response = client.get(url)
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif role in PROGRAMME_READERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_permission_matrix_admin(client, user_of_role, role):
    user = user_of_role(role)
    if user:
        client.force_login(user)
    response = client.get(reverse("admin:initiatives_initiative_changelist"))
    assert response.status_code == 302  # to the admin login: the admin is for superusers only


@pytest.mark.django_db
def test_other_municipality_cannot_see_copenhagen_initiatives(client, copenhagen):
    other = ProgrammeFactory()
    outsider = UserFactory(municipality=other.municipality, role=roles.COORDINATOR)
    client.force_login(outsider)
    ini = Initiative.objects.filter(programme=copenhagen).first()
    assert client.get(reverse("initiatives:initiative_detail", args=[ini.pk])).status_code == 404
    assert client.get(reverse("initiatives:dashboard"), {"programme": copenhagen.slug}).status_code == 404


def _cell_text(html, row_label):
    row = re.search(rf"<th scope=\"row\">{re.escape(row_label)}</th>(.*?)</tr>", html, re.S).group(1)
    return [re.sub(r"<.*?>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


@pytest.mark.django_db
def test_dashboard_shows_annex_3_table(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("initiatives:dashboard"), {"status": "existing"}).content.decode()
    # Danish number formatting: thousands separated by '.'
    assert _cell_text(html, "BUF") == ["41", "61.219"]
    assert _cell_text(html, "SOF") == ["21", "103.805"]
    total = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    assert [re.sub(r"<.*?>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", total, re.S)] == [
        "85", "210.528"]


@pytest.mark.django_db
def test_dashboard_shows_annex_4_totals(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("initiatives:dashboard"), {"status": "new"}).content.decode()
    total = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    cells = [re.sub(r"<.*?>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", total, re.S)]
    assert cells[1:] == ["31.160", "33.440"]  # the lines as printed; see the source check


@pytest.mark.django_db
def test_source_check_page_shows_annex_totals_and_the_difference(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("initiatives:reconciliation")).content.decode()
    assert "210.528" in html and "29.160" in html and "31.160" in html and "33.440" in html
    assert html.count('class="table-warning"') == 2  # focus area 2 and the construction total


@pytest.mark.django_db
def test_dashboard_filters(client, coordinator, copenhagen):
    client.force_login(coordinator)
    sof = copenhagen.municipality.administrations.get(code="SOF")
    response = client.get(reverse("initiatives:dashboard"), {"administration": sof.pk, "status": "existing"})
    assert response.context["initiative_count"] == 21
    assert {r["code"] for r in response.context["summary"]["rows"]} == {"SOF"}
    kickstart = client.get(reverse("initiatives:dashboard"), {"funding_status": "not_financed"})
    assert all(i.funding_status == "not_financed" for _, items in kickstart.context["sections"] for i in items)
    fa = copenhagen.focus_areas.get(number=5)
    by_fa = client.get(reverse("initiatives:dashboard"), {"focus_area": fa.pk})
    listed = {i.pk for _, items in by_fa.context["sections"] for i in items}
    assert listed == set(fa.initiatives.values_list("pk", flat=True))


@pytest.mark.django_db
def test_dashboard_rejects_a_bad_filter_value_without_error(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("initiatives:dashboard"), {"administration": "999999", "year": "x"})
    assert response.status_code == 200
    assert response.context["filterset"].form.errors


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_initiatives(client, coordinator, copenhagen,
                                                              django_assert_max_num_queries):
    client.force_login(coordinator)
    client.get(reverse("initiatives:dashboard"))  # warm caches (session, content types)
    # The effect-goal cards run each goal's measure (a few queries each); what matters is that the
    # count does not grow with the number of initiatives.
    with django_assert_max_num_queries(40) as baseline:
        client.get(reverse("initiatives:dashboard"))
    n = len(baseline.captured_queries)
    admin = copenhagen.municipality.administrations.get(code="BUF")
    fa = copenhagen.focus_areas.first()
    for _ in range(30):
        ini = InitiativeFactory(programme=copenhagen, administration=admin)
        ini.focus_areas.add(fa)
        BudgetLineFactory(initiative=ini, year=2010)
    with django_assert_max_num_queries(n):
        client.get(reverse("initiatives:dashboard"))


@pytest.mark.django_db
def test_dashboard_in_english(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("initiatives:dashboard")).content.decode()
    assert 'lang="en"' in html and "Budget by administration" in html
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    html = client.get(reverse("initiatives:dashboard")).content.decode()
    assert 'lang="da"' in html and "Budget pr. forvaltning" in html


@pytest.mark.django_db
def test_initiative_detail_shows_budget_and_note(client, coordinator, copenhagen):
    client.force_login(coordinator)
    ini = Initiative.objects.get(programme=copenhagen, key="sof-u-turn")
    html = client.get(reverse("initiatives:initiative_detail", args=[ini.pk])).content.decode()
    assert "U-turn" in html and "8.334" in html and "2009" in html


@pytest.mark.django_db
def test_admin_budget_total_for_2010(client, copenhagen):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:initiatives_budgetline_changelist"),
                      {"year__exact": "2010", "initiative__programme__id__exact": copenhagen.pk}).content.decode()
    assert re.search(r'id="budget-total".*?210\.528', html, re.S)


@pytest.mark.django_db
def test_danish_is_the_default_even_for_an_english_browser(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("initiatives:dashboard"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "da"
    assert "Budget pr. forvaltning" in response.content.decode()


@pytest.mark.django_db
def test_dashboard_shows_every_effect_goal_with_its_status(client, coordinator, copenhagen):
    from indicators import measures

    client.force_login(coordinator)
    response = client.get(reverse("initiatives:dashboard"))
    goals = response.context["goals"]
    assert [g.number for g, _, _ in goals] == [1, 2, 3, 4]
    html = response.content.decode()
    assert html.count('class="badge status-') == 4

    @measures.register("test_measure_for_dashboard", title="Test measure", rule="A test rule.")
    def fake(goal, *, as_of=None):
        return measures.GoalMeasurement(status=measures.GoalStatus.MET, value=Decimal("71.5"), n=40,
                                        explanation="test")

    copenhagen.effect_goals.filter(number=2).update(measure="test_measure_for_dashboard")
    try:
        html = client.get(reverse("initiatives:dashboard")).content.decode()
    finally:
        measures._REGISTRY.pop("test_measure_for_dashboard")
    assert "status-met" in html and "71,5" in html and "baseret på 40" in html
    # The goal's target period from the programme YAML, and the status is final (the deadline, 2013, has passed).
    assert "<strong>Målperiode:</strong> 2010–2013 (endelig)" in html


@pytest.mark.django_db
def test_our_danish_terms_win_over_djangos_own(client, coordinator):
    """Django's admin translates "Administration" as "Administration"; here it is the administration (forvaltning)."""
    client.force_login(coordinator)
    html = client.get(reverse("initiatives:dashboard")).content.decode()
    assert '<label for="id_administration" class="form-label">Forvaltning</label>' in html
