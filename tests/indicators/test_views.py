"""Indicator pages: who may see them, what they show, and what they cost in queries."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import roles
from indicators import measures
from indicators.measures import GoalMeasurement, GoalStatus
from indicators.models import Indicator, IndicatorValue, ValueStatus
from initiatives.models import EffectGoal
from tests.factories import ProgrammeFactory, UserFactory

from .factories import IndicatorValueFactory, city

ALL_ROLES = [None, *roles.ROLES]
READERS = {roles.COORDINATOR, roles.ADMIN_REPORTER}


def _urls(copenhagen):
    ind = Indicator.objects.get(programme=copenhagen, number=5)
    goal = EffectGoal.objects.get(programme=copenhagen, number=1)
    return {
        "dashboard": reverse("indicators:dashboard"),
        "rules": reverse("indicators:goal_rules"),
        "goal_csv": reverse("indicators:goal_csv", args=[goal.pk]),
        "detail": reverse("indicators:indicator_detail", args=[ind.pk]),
        "csv": reverse("indicators:indicator_csv", args=[ind.pk]),
        "review": reverse("indicators:review"),
        "entry": reverse("indicators:value_entry"),
        "upload": reverse("indicators:upload"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page_name", ["dashboard", "rules", "goal_csv", "detail", "csv", "review", "entry", "upload"])
def test_permission_matrix(client, copenhagen, user_of_role, role, page_name):
    user = user_of_role(role)
    if user:
        client.force_login(user)
    response = client.get(_urls(copenhagen)[page_name])
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif page_name in ("entry", "upload"):
        assert response.status_code == (200 if role == roles.ADMIN_REPORTER else 403)
    else:
        assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.django_db
def test_dashboard_shows_every_goal_as_not_measurable_without_measures(client, coordinator, copenhagen):
    client.force_login(coordinator)
    response = client.get(reverse("indicators:dashboard"))
    goals = response.context["goals"]
    assert [g["goal"].number for g in goals] == [1, 2, 3, 4]
    assert all(g["m"].status == GoalStatus.NOT_MEASURABLE and g["chart"] is None for g in goals)
    assert response.content.decode().count("goal-status-not_measurable") == 8  # summary table + each section


@pytest.fixture
def charges_measure(monkeypatch):
    def measure(goal, *, as_of=None):
        """On track when the share falls at least as fast as the straight line to the target."""
        return GoalMeasurement(status=GoalStatus.AT_RISK, value=Decimal("3.1"), n=412, as_of=date(2012, 12, 31),
                               explanation="Faldet er mindre end planlagt.", reached=False,
                               target=Decimal("3.3"), target_label="fald på 3 % fra 2010",
                               baseline=("2010", Decimal("3.4")),
                               series=[("2010", Decimal("3.4")), ("2011", Decimal("3.2")), ("2012", Decimal("3.1"))])

    measure.measure_title = "Testmåling"
    measure.measure_rule = "På rette spor, når andelen falder mindst lige så hurtigt som den rette linje mod målet."
    monkeypatch.setitem(measures._REGISTRY, "charges_share_14_25_deprived", measure)
    return measure


@pytest.mark.django_db
def test_dashboard_shows_a_registered_measure_with_chart_table_and_csv(client, coordinator, copenhagen,
                                                                       charges_measure):
    client.force_login(coordinator)
    response = client.get(reverse("indicators:dashboard"))
    goal1 = response.context["goals"][0]
    # The deadline (2013) has passed: the running "at risk" is final, "ikke nået".
    assert goal1["m"].status == GoalStatus.NOT_MET and goal1["status_label"] == "ikke nået"
    fig = goal1["chart"]
    assert [t["name"] for t in fig["data"]] == ["Værdi", "Mål: fald på 3 % fra 2010", "Basisår 2010"]
    assert fig["data"][1]["y"] == [3.3, 3.3]  # the target line in the value's own unit, from the measure
    assert "målperiode 2010–2013" in fig["layout"]["title"]["text"]
    html = response.content.decode()
    assert "Faldet er mindre end planlagt." in html and "412 observationer" in html
    assert 'id="goal-table-1"' in html and "3,4" in html and "goal-status-not_met" in html
    assert "Målperiode" in html and "fristen er passeret: status er endelig" in html
    csv = client.get(reverse("indicators:goal_csv", args=[goal1["goal"].pk])).content.decode("utf-8-sig")
    assert csv.splitlines() == ["period,value,target,status", "2010,3.4,3.3,not_met", "2011,3.2,3.3,not_met",
                                "2012,3.1,3.3,not_met"]
    rules = client.get(reverse("indicators:goal_rules")).content.decode()
    assert "På rette spor, når andelen falder" in rules and "Testmåling" in rules
    assert "ikke nået" in rules


@pytest.mark.django_db
def test_goal1_percentage_target_is_never_drawn_beside_counts(client, coordinator, copenhagen, monkeypatch):
    """Goal 1's "2 %" is a fall from the baseline year: the chart, table and CSV show 98 % of the 2010 count."""
    from crimestats.measures import charges_share_14_25_deprived
    from tests.crimestats.factories import CrimeTypeFactory, charge, rode

    monkeypatch.setitem(measures._REGISTRY, "charges_share_14_25_deprived", charges_share_14_25_deprived)
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12", person_dangerous=True)
    area = rode(deprived=True)
    for year, n in {2010: 50, 2011: 52, 2013: 48}.items():
        for _ in range(n):
            charge(copenhagen.municipality, on=date(year, 6, 1), crime_type=vold, age=19, area=area)
    client.force_login(coordinator)
    response = client.get(reverse("indicators:dashboard"))
    goal1 = response.context["goals"][0]
    assert goal1["m"].status == GoalStatus.MET and goal1["status_label"] == "nået"  # 48 <= 49.0, final
    target = next(t for t in goal1["chart"]["data"] if t["name"].startswith("Mål"))
    assert target["name"] == "Mål: fald på 2 % fra 2010: højst 49,0 sigtelser"
    assert target["y"] == [49.0, 49.0] and target["x"] == ["2010", "2013"]
    assert any(t["name"] == "Basisår 2010" and t["y"] == [50.0] for t in goal1["chart"]["data"])
    csv = client.get(reverse("indicators:goal_csv", args=[goal1["goal"].pk])).content.decode("utf-8-sig")
    assert csv.splitlines()[1:] == ["2010,50,49.0,met", "2011,52,49.0,met", "2012,0,49.0,met", "2013,48,49.0,met"]
    html = response.content.decode()
    assert "fald på 2 % fra 2010: højst 49,0 sigtelser" in html


@pytest.mark.django_db
def test_a_failing_measure_shows_not_measurable_instead_of_an_error(client, coordinator, monkeypatch):
    def broken(goal, *, as_of=None):
        raise ZeroDivisionError

    monkeypatch.setitem(measures._REGISTRY, "exit_no_conviction_2y", broken)
    client.force_login(coordinator)
    response = client.get(reverse("indicators:dashboard"))
    assert response.status_code == 200
    assert response.context["goals"][1]["m"].status == GoalStatus.NOT_MEASURABLE


@pytest.mark.django_db
def test_indicator_page_series_breakdown_history_and_csv(client, coordinator, copenhagen):
    ind = Indicator.objects.get(programme=copenhagen, number=5)
    area = city(copenhagen)
    bydel = area.__class__.objects.filter(municipality=copenhagen.municipality, level="bydel").first()
    first = IndicatorValueFactory(indicator=ind, area=area, value=Decimal("8"), superseded_at="2012-01-01T00:00Z")
    IndicatorValueFactory(indicator=ind, area=area, value=Decimal("8.2"), revision=2, supersedes=first)
    IndicatorValueFactory(indicator=ind, area=area, period_start=date(2011, 1, 1), value=Decimal("7.6"))
    IndicatorValueFactory(indicator=ind, area=bydel, period_start=date(2011, 1, 1), value=Decimal("11"))
    IndicatorValueFactory(indicator=ind, area=bydel, period_start=date(2012, 1, 1), value=Decimal("12"),
                          status=ValueStatus.SUBMITTED, approved_at=None)
    client.force_login(coordinator)
    response = client.get(reverse("indicators:indicator_detail", args=[ind.pk]))
    assert [(r["period"], r["value"], r["revised"]) for r in response.context["city_rows"]] == [
        ("2010", Decimal("8.2"), True), ("2011", Decimal("7.6"), False)]
    assert response.context["by_area_period"] == "2011" and response.context["by_area"][0]["area"] == bydel.name
    assert len(response.context["history"]) == 5  # superseded and submitted revisions are listed too
    csv = client.get(reverse("indicators:indicator_csv", args=[ind.pk])).content.decode("utf-8-sig").splitlines()
    assert csv[0] == "indicator,period,area_level,area_code,area,value,suppressed,revision,data_basis"
    assert len(csv) == 4 and "revised" in csv[1]  # published values only, the submitted one is not
    assert all(line.endswith(",real") for line in csv[1:])  # entered values, not demo ones


@pytest.mark.django_db
def test_value_entry_form_keeps_input_on_error_and_saves_a_draft(client, reporter, copenhagen):
    client.force_login(reporter)
    ind = Indicator.objects.get(programme=copenhagen, number=5)
    data = {"indicator": ind.pk, "area": city(copenhagen).pk, "period": "2011-Q7", "value": "7,5",
            "source": "BUF fraværsstatistik", "note": ""}
    response = client.post(reverse("indicators:value_entry"), data)
    assert response.status_code == 200 and response.context["form"].errors["period"]
    assert 'value="BUF fraværsstatistik"' in response.content.decode()
    response = client.post(reverse("indicators:value_entry"), {**data, "period": "2011-Q3"})
    assert response.status_code == 302
    v = IndicatorValue.objects.get()
    assert (v.value, v.period, v.status) == (Decimal("7.5"), "2011-Q3", ValueStatus.DRAFT)


@pytest.mark.django_db
def test_value_entry_offers_only_own_indicators(client, reporter, copenhagen):
    client.force_login(reporter)
    form = client.get(reverse("indicators:value_entry")).context["form"]
    assert sorted(form.fields["indicator"].queryset.values_list("number", flat=True)) == [3, 4, 5, 6]
    gang = Indicator.objects.get(programme=copenhagen, number=1)
    response = client.post(reverse("indicators:value_entry"), {"indicator": gang.pk, "area": city(copenhagen).pk,
                                                               "period": "2011", "value": "1", "source": "x"})
    assert response.status_code == 200 and IndicatorValue.objects.count() == 0


@pytest.mark.django_db
def test_review_page_submit_then_approve(client, reporter, coordinator, copenhagen):
    ind = Indicator.objects.get(programme=copenhagen, number=5)
    v = IndicatorValueFactory(indicator=ind, area=city(copenhagen), status=ValueStatus.DRAFT, approved_at=None,
                              entered_by=reporter)
    client.force_login(reporter)
    client.post(reverse("indicators:review"), {"action": "submit_all"})
    v.refresh_from_db()
    assert v.status == ValueStatus.SUBMITTED
    client.post(reverse("indicators:review"), {"action": "approve", "value": [v.pk]})  # a reporter cannot approve
    v.refresh_from_db()
    assert v.status == ValueStatus.SUBMITTED
    client.force_login(coordinator)
    assert v in client.get(reverse("indicators:review")).context["awaiting"]
    client.post(reverse("indicators:review"), {"action": "approve", "value": [v.pk]})
    v.refresh_from_db()
    assert v.status == ValueStatus.APPROVED and v.approved_by == coordinator


@pytest.mark.django_db
def test_other_municipality_sees_no_copenhagen_indicator(client, copenhagen):
    other = ProgrammeFactory()
    outsider = UserFactory(municipality=other.municipality, role=roles.COORDINATOR)
    client.force_login(outsider)
    ind = Indicator.objects.get(programme=copenhagen, number=5)
    assert client.get(reverse("indicators:indicator_detail", args=[ind.pk])).status_code == 404
    assert client.get(reverse("indicators:indicator_csv", args=[ind.pk])).status_code == 404
    assert client.get(reverse("indicators:dashboard"), {"programme": copenhagen.slug}).status_code == 404


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_values(client, coordinator, copenhagen,
                                                         django_assert_max_num_queries):
    client.force_login(coordinator)
    client.get(reverse("indicators:dashboard"))
    with django_assert_max_num_queries(40) as baseline:
        client.get(reverse("indicators:dashboard"))
    n = len(baseline.captured_queries)
    area = city(copenhagen)
    for ind in Indicator.objects.filter(programme=copenhagen):
        for year in range(2008, 2014):
            IndicatorValueFactory(indicator=ind, area=area, period_start=date(year, 1, 1))
    with django_assert_max_num_queries(n):
        client.get(reverse("indicators:dashboard"))


@pytest.mark.django_db
def test_dashboard_in_english(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("indicators:dashboard")).content.decode()
    assert 'lang="en"' in html and "Effect goals and indicators" in html and "not measurable yet" in html
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    html = client.get(reverse("indicators:dashboard")).content.decode()
    assert "Effektmål og indikatorer" in html


# --- the goal-rules page: for a coordinator, in the UI's language -------------------------------------------
def _rules_page(client, user, language):
    from django.conf import settings

    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("indicators:goal_rules")).content.decode()


def _text(html: str) -> str:
    """The page's visible text (tags and the head left out)."""
    import re

    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", body)


@pytest.mark.django_db
@pytest.mark.parametrize("language, expected, foreign", [
    ("da", ["Sådan afgøres hver status", "Beregnes ud fra", "Politiets sigtelser af 14–25-årige",
            "Andelen af gennemførte exitforløb", "kan endnu ikke måles", "Lukninger indberettet af forvaltningerne"],
     ["Computed from", "Counts, per calendar year", "The share of completed exit cases"]),
    ("en", ["How each status is decided", "Computed from", "Police charges of 14–25-year-olds",
            "The share of completed exit cases", "not measurable yet"],
     ["Beregnes ud fra", "Politiets sigtelser"]),
])
def test_goal_rules_page_speaks_to_a_coordinator_in_the_ui_language(client, coordinator, copenhagen, language,
                                                                    expected, foreign, monkeypatch):
    from crimestats.measures import charges_share_14_25_deprived
    from evaluations.measures import institution_closures
    from exitprogram.measures import exit_no_conviction_2y
    from tryghedsindeks.measures import safety_index_markant_to_ordinary

    for name, func in [("charges_share_14_25_deprived", charges_share_14_25_deprived),
                       ("exit_no_conviction_2y", exit_no_conviction_2y),
                       ("safety_index_markant_to_ordinary", safety_index_markant_to_ordinary),
                       ("institution_closures", institution_closures)]:
        monkeypatch.setitem(measures._REGISTRY, name, func)  # the real measures (this module empties the registry)
    html = _rules_page(client, coordinator, language)
    text = _text(html)
    for phrase in expected:
        assert phrase in text, phrase
    for phrase in foreign:
        assert phrase not in text, phrase
    # No internal ids (measure names, the developers' docstrings) and no raw markup.
    for goal in copenhagen.effect_goals.all():
        assert goal.measure not in html
    for raw in ("``", "**", "*person-dangerous*", "VOLD-", "deprived_area", "<code>", "&lt;", "white-space"):
        assert raw not in html, raw
    assert text.count("Effektmål" if language == "da" else "Effect goal") >= 4


@pytest.mark.django_db
def test_goal_rules_page_without_a_connected_measure_says_so(client, coordinator, copenhagen):
    text = _text(_rules_page(client, coordinator, "da"))
    assert text.count("ikke forbundet til en datakilde endnu") == 4  # this module starts with no measures
