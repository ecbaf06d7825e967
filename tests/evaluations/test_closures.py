"""Closure reports and effect goal 4's status."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from evaluations import selectors, services
from indicators.measures import GoalStatus, measure_goal, measure_rules
from initiatives.models import EffectGoal
from tests.factories import ProgrammeFactory, UserFactory

from .factories import ClosureReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal4(copenhagen):
    return EffectGoal.objects.get(programme=copenhagen, number=4)


def _report(user, admin, **kwargs):
    values = {"institution": "Klub Mjølner", "closed_from": date(2011, 5, 3), "services_affected": "Klubtilbud",
              "reason": "Skyderier i området", "actions_taken": "Gadeplansmedarbejdere indsat", "area_text": "Nørrebro"}
    values.update(kwargs)
    return services.closure_report_create(user=user, administration=admin, **values)


def test_goal4_is_met_while_there_are_no_closures_and_off_track_after_one(copenhagen, goal4, reporter):
    assert "institution_closures" in measure_rules()
    m = measure_goal(goal4, as_of=date(2011, 12, 31))
    assert m.status == GoalStatus.MET and m.value == 0
    _report(reporter, reporter.administration)
    assert measure_goal(goal4, as_of=date(2011, 5, 2)).status == GoalStatus.MET  # before the closure
    m = measure_goal(goal4, as_of=date(2011, 12, 31))
    assert m.status == GoalStatus.OFF_TRACK and m.value == 1
    assert dict(m.series)["2011"] == 1


def test_closures_outside_the_goal_period_or_municipality_do_not_count(copenhagen, goal4, reporter):
    ClosureReportFactory(administration=reporter.administration, closed_from=date(2009, 12, 20),
                         reported_by=reporter)
    ClosureReportFactory(administration=reporter.administration, closed_from=date(2014, 1, 5), reported_by=reporter)
    other = ProgrammeFactory()
    from tests.factories import AdministrationFactory
    ClosureReportFactory(administration=AdministrationFactory(municipality=other.municipality),
                         closed_from=date(2011, 1, 5), reported_by=reporter)
    assert measure_goal(goal4, as_of=date(2015, 1, 1)).status == GoalStatus.MET


def test_goal4_after_its_deadline_is_met_or_not_met(copenhagen, goal4, reporter):
    # "Målet gælder for hele perioden 2010-2013": once 2013 has ended the status is final.
    m = measure_goal(goal4, as_of=date(2014, 1, 1))
    assert (m.status, m.final) == (GoalStatus.MET, True)
    _report(reporter, reporter.administration)  # a closure in May 2011
    m = measure_goal(goal4, as_of=date(2014, 1, 1))
    assert (m.status, m.value, m.final) == (GoalStatus.NOT_MET, 1, True)
    assert measure_goal(goal4).status == GoalStatus.NOT_MET  # as of today: never "off track"
    assert m.period == (date(2010, 1, 1), date(2013, 12, 31))


def test_report_requires_an_area_and_ordered_dates(reporter):
    with pytest.raises(ValidationError) as exc:
        _report(reporter, reporter.administration, area_text="", closed_to=date(2011, 5, 1))
    assert set(exc.value.message_dict) == {"closed_to", "area"}


@pytest.mark.parametrize("role", [roles.SSP_CONSULTANT, roles.EXIT_EXPERT, roles.API_CLIENT])
def test_only_reporters_and_coordinators_report_closures(user_of_role, copenhagen, role):
    user = user_of_role(role)
    with pytest.raises(PermissionDenied):
        _report(user, copenhagen.municipality.administrations.get(code="BUF"))


def test_a_reporter_reports_closures_for_their_own_administration_only(reporter, coordinator, copenhagen, client):
    """Issue #15 item 15: a BUF reporter could file (and then not see) a closure of a SOF institution.

    The administrations offered and accepted are those of the closure scoping (``closures_visible_to``):
    a reporter's own; a coordinator's municipality.
    """
    sof = copenhagen.municipality.administrations.get(code="SOF")
    with pytest.raises(PermissionDenied):
        _report(reporter, sof)
    assert _report(coordinator, sof).administration == sof
    assert list(selectors.administrations_for_closures(reporter)) == [reporter.administration]
    client.force_login(reporter)
    from django.urls import reverse

    form = client.get(reverse("evaluations:closure_create")).context["form"]
    assert list(form.fields["administration"].queryset) == [reporter.administration]
    response = client.post(reverse("evaluations:closure_create"), {
        "administration": sof.pk, "institution": "Klub", "extent": "full", "area_text": "Nørrebro",
        "closed_from": "2011-05-01", "services_affected": "Alt", "reason": "Uro", "actions_taken": "Lukket"})
    assert response.status_code == 400 and "administration" in response.context["form"].errors
    assert not selectors.closures_visible_to(coordinator).filter(administration=sof, institution="Klub").exists()


def test_scoping_and_table_per_year_and_area(copenhagen, reporter, coordinator):
    sof = copenhagen.municipality.administrations.get(code="SOF")
    ClosureReportFactory(administration=reporter.administration, closed_from=date(2011, 5, 1), area_text="Nørrebro",
                         reported_by=reporter)
    ClosureReportFactory(administration=sof, closed_from=date(2012, 8, 1), area_text="Nørrebro",
                         reported_by=reporter)
    ClosureReportFactory(administration=sof, closed_from=date(2012, 9, 1), area_text="Tingbjerg",
                         reported_by=reporter)
    assert selectors.closures_visible_to(coordinator).count() == 3
    assert selectors.closures_visible_to(reporter).count() == 1
    outsider = UserFactory(municipality=ProgrammeFactory().municipality, role=roles.COORDINATOR)
    assert selectors.closures_visible_to(outsider).count() == 0
    table = selectors.closures_per_year_and_area(closures=selectors.closures_visible_to(coordinator))
    assert table["years"] == [2011, 2012]
    assert table["rows"] == [{"area": "Nørrebro", "counts": [1, 1], "total": 2},
                             {"area": "Tingbjerg", "counts": [0, 1], "total": 1}]
    assert table["totals"] == [1, 2] and table["total"] == 3


def test_reopening_date_by_the_administration_or_a_coordinator_only(copenhagen, reporter, coordinator, user_of_role):
    report = _report(reporter, reporter.administration)
    sof_reporter = UserFactory(municipality=copenhagen.municipality, role=roles.ADMIN_REPORTER,
                               administration=copenhagen.municipality.administrations.get(code="SOF"))
    with pytest.raises(PermissionDenied):
        services.closure_report_reopen(report=report, user=sof_reporter, closed_to=date(2011, 5, 10))
    with pytest.raises(ValidationError):
        services.closure_report_reopen(report=report, user=reporter, closed_to=date(2011, 5, 1))
    assert services.closure_report_reopen(report=report, user=coordinator, closed_to=date(2011, 5, 10)).closed_to \
        == date(2011, 5, 10)


def test_reopen_through_the_page(client, copenhagen, reporter):
    from django.urls import reverse
    report = _report(reporter, reporter.administration)
    client.force_login(reporter)
    url = reverse("evaluations:closure_reopen", args=[report.pk])
    assert client.post(url, {"closed_to": "2011-04-01"}).status_code == 302  # before it closed: refused
    report.refresh_from_db()
    assert report.closed_to is None
    client.post(url, {"closed_to": "2011-05-09"})
    report.refresh_from_db()
    assert report.closed_to == date(2011, 5, 9)
