"""The permission matrix: every actor × every exit page and API endpoint → allowed or denied.

Actors: anonymous, each role, and the people around one gang case — its responsible SSP+
consultant, another consultant, its exit expert, another exit expert, its mentor. A case page
of a case the user is not assigned to is a 404 (its existence does not leak); a step the user
is assigned to the case but not entitled to is a 403.
"""
from datetime import date

import pytest
from django.urls import reverse

from accounts import roles
from exitprogram import services
from initiatives.models import Administration

from .factories import make_case, make_user

ACTORS = ["anonymous", "coordinator", "reporter", "api_client", "consultant", "other_consultant", "expert",
          "other_expert", "mentor", "dpo"]

A, D404, D403 = "allow", "404", "403"
CASE_PAGES = {
    # page: (method, {actor: expected}); actors not named are denied with 404
    "case_detail": ("get", {"consultant": A, "expert": A, "mentor": A}),
    "case_edit": ("get", {"consultant": A, "expert": D403, "mentor": D403}),
    "case_transition": ("post", {"consultant": A, "expert": D403, "mentor": D403}),
    "case_close": ("get", {"consultant": A, "expert": D403, "mentor": D403}),
    "case_followup": ("get", {"consultant": A, "expert": D403, "mentor": D403}),
    "meeting_create": ("get", {"consultant": A, "expert": A, "mentor": D403}),
    "plan_item_create": ("get", {"consultant": A, "expert": A, "mentor": D403}),
    "plan_item_edit": ("get", {"consultant": A, "expert": A, "mentor": D403}),
    "note_create": ("get", {"consultant": A, "expert": A, "mentor": A}),
    "pool_expense_create": ("get", {"consultant": A, "expert": A, "mentor": D403}),
}
CASE_WORKERS = {"consultant", "other_consultant", "expert", "other_expert", "mentor"}
LIST_PAGES = {
    "case_list": CASE_WORKERS,
    "followups": CASE_WORKERS,
    "case_create": {"consultant", "other_consultant"},
    "access_log": {"dpo"},  # the data-protection role only: it answers for any CPR number
    "statistics": {"coordinator", "consultant", "other_consultant"},
}
API_READERS = {"coordinator", "api_client"}


@pytest.fixture
def world(muni, user_of_role, consultant, other_consultant, expert, other_expert, mentor):
    case = make_case(consultant=consultant, track="gang", exit_expert=expert)
    sof = Administration.objects.get(municipality=muni, code="SOF")
    services.case_update(actor=consultant, case=case, expected_version=case.version, mentor=mentor,
                         mentor_anchor=sof)
    item = services.plan_item_create(actor=consultant, case=case, goal="Bolig", area="housing", responsible=sof,
                                     deadline=date(2012, 1, 1))
    # the other people have cases of their own, so their lists are not empty by accident
    make_case(consultant=other_consultant, track="gang", exit_expert=other_expert, born=date(1992, 3, 3))
    actors = {
        "anonymous": None, "coordinator": user_of_role(roles.COORDINATOR), "reporter": user_of_role(roles.ADMIN_REPORTER),
        "api_client": user_of_role(roles.API_CLIENT), "consultant": consultant, "other_consultant": other_consultant,
        "expert": expert, "other_expert": other_expert, "mentor": mentor,
        "dpo": make_user(muni, roles.DATA_PROTECTION, "ØKF"),
    }
    return case, item, actors


def _login(client, user):
    if user is not None:
        client.force_login(user)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("page_name", list(CASE_PAGES))
def test_case_pages(client, world, actor, page_name):
    case, item, actors = world
    method, expected = CASE_PAGES[page_name]
    args = [case.uuid, item.pk] if page_name == "plan_item_edit" else [case.uuid]
    url = reverse(f"exitprogram:{page_name}", args=args)
    _login(client, actors[actor])
    response = getattr(client, method)(url)
    if actor == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        return
    want = expected.get(actor, D404)
    if want == A:
        assert response.status_code in (200, 400)  # 400: the empty POST's validation errors
        assert case.reference.encode() in response.content
    else:
        assert response.status_code == int(want)
        assert case.reference.encode() not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("page_name", list(LIST_PAGES))
def test_list_pages(client, world, actor, page_name):
    case, _item, actors = world
    _login(client, actors[actor])
    response = client.get(reverse(f"exitprogram:{page_name}"))
    if actor == "anonymous":
        assert response.status_code == 302
    elif actor in LIST_PAGES[page_name]:
        assert response.status_code == 200
        # a list shows only the user's own cases
        shows_case = case.reference.encode() in response.content
        assert shows_case == (page_name == "case_list" and actor in {"consultant", "expert", "mentor"})
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_api_statistics(world, actor):
    from rest_framework.test import APIClient

    _case, _item, actors = world
    client = APIClient()
    if actors[actor] is not None:
        client.force_authenticate(actors[actor])
    response = client.get("/api/v1/exit/statistics/")
    if actor in API_READERS:
        assert response.status_code == 200
        assert "Testperson" not in response.content.decode()
    else:
        assert response.status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_find_by_cpr_only_finds_own_cases(client, world, actor):
    case, _item, actors = world
    _login(client, actors[actor])
    response = client.post(reverse("exitprogram:case_find"), {"cpr": case.cpr})
    if actor == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif actor in {"consultant", "expert", "mentor"}:
        assert response["Location"] == reverse("exitprogram:case_detail", args=[case.uuid])
    elif actor in CASE_WORKERS:
        assert response["Location"] == reverse("exitprogram:case_list")
    else:
        assert response.status_code == 403
