"""The evaluation workflow: rounds, drafts, submission, review, and who may take which step."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import translation

from accounts import roles
from evaluations import services
from evaluations.models import Evaluation, EvaluationEvent, EvaluationStatus
from evaluations.selectors import initiatives_for_round
from initiatives.models import Initiative, InitiativeStatus
from tests.factories import BudgetLineFactory, UserFactory

from .factories import COMPLETE_ANSWERS

pytestmark = pytest.mark.django_db


def _parsed(answers):
    from evaluations.forms import EvaluationForm
    form = EvaluationForm(answers)
    form.is_valid()
    return form.parsed_and_unparsed()


def _fill(evaluation, user, answers=COMPLETE_ANSWERS):
    data, unparsed = _parsed(answers)
    return services.evaluation_save_draft(evaluation=evaluation, user=user, data=data, unparsed=unparsed)


def test_round_gives_each_running_initiative_exactly_one_evaluation(open_round, copenhagen):
    existing = Initiative.objects.filter(programme=copenhagen, status=InitiativeStatus.EXISTING).count()
    assert existing == 85
    assert open_round.evaluations.count() == 85
    assert open_round.evaluations.values("initiative").distinct().count() == 85
    # each owned by its initiative's administration
    assert not open_round.evaluations.exclude(administration=models_F("initiative__administration")).exists()


def models_F(name):
    from django.db.models import F
    return F(name)


def test_one_evaluation_per_initiative_per_round_is_a_database_constraint(buf_evaluation):
    with pytest.raises(IntegrityError):
        Evaluation.objects.create(round=buf_evaluation.round, initiative=buf_evaluation.initiative,
                                  administration=buf_evaluation.administration)


def test_a_second_round_for_the_same_year_is_refused(open_round, copenhagen, coordinator):
    with pytest.raises(ValidationError):
        services.evaluation_round_open(programme=copenhagen, year=2010, deadline=date(2011, 4, 1), user=coordinator)


def test_new_initiatives_join_the_round_of_the_year_their_budget_starts(copenhagen):
    new = Initiative.objects.filter(programme=copenhagen, status=InitiativeStatus.NEW)
    assert new.exists()
    assert not initiatives_for_round(programme=copenhagen, year=2010).filter(status=InitiativeStatus.NEW).exists()
    funded_2011 = new.filter(budget_lines__year=2011).distinct().count()
    assert funded_2011 > 0
    assert initiatives_for_round(programme=copenhagen, year=2011).filter(
        status=InitiativeStatus.NEW).count() == funded_2011


@pytest.mark.parametrize("role", [roles.ADMIN_REPORTER, roles.SSP_CONSULTANT, roles.EXIT_EXPERT, roles.API_CLIENT])
def test_only_coordinators_open_rounds(copenhagen, user_of_role, role):
    with pytest.raises(PermissionDenied):
        services.evaluation_round_open(programme=copenhagen, year=2012, deadline=date(2013, 3, 1),
                                       user=user_of_role(role))


def test_last_years_answers_prefill_the_next_round(open_round, buf_evaluation, reporter, coordinator, copenhagen):
    _fill(buf_evaluation, reporter)
    services.evaluation_submit(evaluation=buf_evaluation, user=reporter)
    nxt = services.evaluation_round_open(programme=copenhagen, year=2011, deadline=date(2012, 3, 1),
                                         user=coordinator)
    ev = nxt.evaluations.get(initiative=buf_evaluation.initiative)
    assert ev.purpose == COMPLETE_ANSWERS["purpose"]
    assert ev.methods == COMPLETE_ANSWERS["methods"]
    assert ev.crime_indicator == COMPLETE_ANSWERS["crime_indicator"]
    assert ev.budget_tdkk is None and ev.period_start is None  # changes every year
    assert ev.prefilled_from_id == buf_evaluation.pk
    assert ev.status == EvaluationStatus.NOT_STARTED


def test_draft_saves_without_required_answers_and_keeps_unparsable_input(buf_evaluation, reporter):
    ev = _fill(buf_evaluation, reporter, {"purpose": "Halvt skrevet", "budget_tdkk": "1.2 mio", "reached_count": "x"})
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.DRAFT
    assert ev.purpose == "Halvt skrevet"
    assert ev.budget_tdkk is None
    assert ev.unsaved_input == {"budget_tdkk": "1.2 mio", "reached_count": "x"}
    with pytest.raises(ValidationError) as exc:
        services.evaluation_submit(evaluation=ev, user=reporter)
    errors = exc.value.message_dict
    assert "budget_tdkk" in errors and "effects" in errors and "purpose" not in errors
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.DRAFT and ev.purpose == "Halvt skrevet"


def test_draft_keeps_a_period_that_ends_before_it_starts_as_typed(buf_evaluation, reporter):
    ev = _fill(buf_evaluation, reporter, {"period_start": "2010-06-01", "period_end": "2010-01-01"})
    assert ev.unsaved_input.get("period_end") == "2010-01-01"
    assert "period_end" in services.evaluation_missing_answers(ev)


def test_submit_requires_a_dimension_score_with_its_indicator(buf_evaluation, reporter):
    answers = {**COMPLETE_ANSWERS, "crime_indicator": ""}
    ev = _fill(buf_evaluation, reporter, answers)
    with translation.override("en"):
        assert services.evaluation_missing_answers(ev) == {
            "crime_indicator": ["Name the indicator behind this score."]}
    ev = _fill(ev, reporter, {**answers, "crime_score": ""})
    assert list(services.evaluation_missing_answers(ev)) == ["education_score"]


def test_full_workflow_keeps_versions_and_comments(buf_evaluation, reporter, coordinator):
    ev = _fill(buf_evaluation, reporter)
    ev = services.evaluation_submit(evaluation=ev, user=reporter)
    assert ev.status == EvaluationStatus.SUBMITTED and ev.version == 1
    with pytest.raises(ValidationError):
        services.evaluation_review(evaluation=ev, user=coordinator, action="return", comment="  ")
    ev = services.evaluation_review(evaluation=ev, user=coordinator, action="return", comment="Tilføj tal for 2010")
    assert ev.status == EvaluationStatus.RETURNED
    ev = _fill(ev, reporter, {**COMPLETE_ANSWERS, "effects": "Færre sigtelser: 12 mod 20"})
    assert ev.status == EvaluationStatus.RETURNED
    ev = services.evaluation_submit(evaluation=ev, user=reporter)
    assert ev.version == 2
    ev = services.evaluation_review(evaluation=ev, user=coordinator, action="accept")
    assert ev.status == EvaluationStatus.ACCEPTED
    events = list(EvaluationEvent.objects.filter(evaluation=ev).exclude(kind="saved").values_list(
        "kind", "version", "comment"))
    assert events == [("submitted", 1, ""), ("returned", 1, "Tilføj tal for 2010"), ("submitted", 2, ""),
                      ("accepted", 2, "")]
    snapshots = list(EvaluationEvent.objects.filter(evaluation=ev, kind="submitted").values_list("snapshot", flat=True))
    assert snapshots[0]["effects"] == "Færre sigtelser" and snapshots[1]["effects"] == "Færre sigtelser: 12 mod 20"
    assert snapshots[0]["budget_tdkk"] == "1250.500"


# The allowed transitions per role: (status, action) -> which roles may take it.
ALLOWED = {
    ("draft", "save"): {"owner"}, ("draft", "submit"): {"owner"},
    ("returned", "save"): {"owner"}, ("returned", "submit"): {"owner"},
    ("submitted", "accept"): {roles.COORDINATOR}, ("submitted", "return"): {roles.COORDINATOR},
}
ACTORS = ["owner", "other_reporter", roles.COORDINATOR, roles.SSP_CONSULTANT, roles.EXIT_EXPERT, roles.API_CLIENT]
STATUSES = ["not_started", "draft", "submitted", "returned", "accepted"]
ACTIONS = ["save", "submit", "accept", "return"]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", ACTORS)
def test_transition_matrix(buf_evaluation, user_of_role, copenhagen, status, action, actor):
    Evaluation.objects.filter(pk=buf_evaluation.pk).update(status=status, **_complete_values())
    ev = Evaluation.objects.get(pk=buf_evaluation.pk)
    if actor == "owner":
        user = user_of_role(roles.ADMIN_REPORTER)
    elif actor == "other_reporter":
        user = UserFactory(municipality=copenhagen.municipality, role=roles.ADMIN_REPORTER,
                           administration=copenhagen.municipality.administrations.get(code="SOF"))
    else:
        user = user_of_role(actor)
    allowed = actor in ALLOWED.get((status if status != "not_started" else "draft", action), set()) \
        if action in ("save", "submit") else actor in ALLOWED.get((status, action), set())
    call = {
        "save": lambda: services.evaluation_save_draft(evaluation=ev, user=user, data={"purpose": "x"}),
        "submit": lambda: services.evaluation_submit(evaluation=ev, user=user),
        "accept": lambda: services.evaluation_review(evaluation=ev, user=user, action="accept"),
        "return": lambda: services.evaluation_review(evaluation=ev, user=user, action="return", comment="Ret"),
    }[action]
    if allowed:
        result = call()
        assert result.status == {"save": result.status, "submit": "submitted", "accept": "accepted",
                                 "return": "returned"}[action]
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert Evaluation.objects.get(pk=ev.pk).status == status


def _complete_values():
    data, _unparsed = _parsed(COMPLETE_ANSWERS)
    return data


def test_a_reporter_from_another_municipality_cannot_touch_the_evaluation(buf_evaluation):
    from tests.factories import AdministrationFactory
    other_admin = AdministrationFactory(code="BUF")
    outsider = UserFactory(municipality=other_admin.municipality, administration=other_admin,
                           role=roles.ADMIN_REPORTER)
    # same administration code, different municipality: a different administration row
    with pytest.raises(PermissionDenied):
        services.evaluation_save_draft(evaluation=buf_evaluation, user=outsider, data={"purpose": "x"})


def test_budget_lines_are_not_required_for_existing_initiatives(copenhagen):
    ini = Initiative.objects.filter(programme=copenhagen, status=InitiativeStatus.EXISTING).first()
    BudgetLineFactory(initiative=ini, year=2014, price_level_year=2014)
    assert initiatives_for_round(programme=copenhagen, year=2010).filter(pk=ini.pk).exists()
