"""Issue #15 items 10, 12, 15: two reporters on one evaluation never overwrite each other unseen;
the reviewer who loses a race is told what happened; a returned evaluation shows its comment on top."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts import roles
from evaluations import services
from evaluations.models import Evaluation
from tests.factories import UserFactory

from .factories import COMPLETE_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(copenhagen):
    return UserFactory(municipality=copenhagen.municipality, role=roles.ADMIN_REPORTER,
                       administration=copenhagen.municipality.administrations.get(code="BUF"))


def _opened(user, evaluation):
    """A browser of ``user`` with the edit form open: its client and the form's version."""
    browser = Client()
    browser.force_login(user)
    browser.post(reverse("set_language"), {"language": "en"})
    page = browser.get(reverse("evaluations:evaluation_edit", args=[evaluation.pk])).content.decode()
    version = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    return browser, version


def test_save_draft_does_not_overwrite_a_colleagues_answers(buf_evaluation, reporter, colleague):
    url = reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk])
    mine, my_version = _opened(reporter, buf_evaluation)
    theirs, their_version = _opened(colleague, buf_evaluation)
    assert theirs.post(url, {"purpose": "Kollegaens formål", "lock_version": their_version,
                             "save": "1"}).status_code == 302
    response = mine.post(url, {"purpose": "Mit formål", "lock_version": my_version, "save": "1"})
    assert response.status_code == 409
    assert Evaluation.objects.get(pk=buf_evaluation.pk).purpose == "Kollegaens formål"
    rows = {r["name"]: r for r in response.context["conflict_rows"]}
    assert rows["purpose"]["theirs"] == "Kollegaens formål" and rows["purpose"]["yours"] == "Mit formål"
    html = response.content.decode()
    assert "Mit formål" in html and "Kollegaens formål" in html and "A colleague saved" in html
    # Saving again (the form now carries the colleague's version) replaces their answer deliberately.
    again = response.context["form"]["lock_version"].value()
    assert mine.post(url, {"purpose": "Mit formål", "lock_version": again, "save": "1"}).status_code == 302
    assert Evaluation.objects.get(pk=buf_evaluation.pk).purpose == "Mit formål"


def test_submit_on_a_stale_form_neither_saves_nor_submits(buf_evaluation, reporter, colleague):
    url = reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk])
    mine, my_version = _opened(reporter, buf_evaluation)
    theirs, their_version = _opened(colleague, buf_evaluation)
    theirs.post(url, {"purpose": "Kollegaens formål", "lock_version": their_version, "save": "1"})
    response = mine.post(url, {**COMPLETE_ANSWERS, "lock_version": my_version, "submit": "1"})
    assert response.status_code == 409
    ev = Evaluation.objects.get(pk=buf_evaluation.pk)
    assert ev.status == "draft" and ev.purpose == "Kollegaens formål"


def test_autosave_conflict_is_reported_to_the_page(buf_evaluation, reporter, colleague):
    autosave = reverse("evaluations:evaluation_autosave", args=[buf_evaluation.pk])
    mine, my_version = _opened(reporter, buf_evaluation)
    theirs, their_version = _opened(colleague, buf_evaluation)
    ok = theirs.post(autosave, {"purpose": "Kollegaens formål", "lock_version": their_version}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200
    # The page's hidden version follows each autosave (htmx out-of-band swap), so its next autosave is no conflict.
    assert re.search(r'id="id_lock_version" value="(\d+)" hx-swap-oob="true"', ok.content.decode()).group(1) \
        == str(int(their_version) + 1)
    response = mine.post(autosave, {"purpose": "Mit formål", "lock_version": my_version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Not saved automatically" in html and "Kollegaens formål" in html and "Mit formål" in html
    assert "hx-swap-oob" not in html  # the stale version stays: later autosaves are refused too
    assert Evaluation.objects.get(pk=buf_evaluation.pk).purpose == "Kollegaens formål"


def test_autosave_followed_by_save_draft_is_no_conflict(buf_evaluation, reporter):
    """The reporter's own autosaves move the version; their own "Save draft" afterwards still saves."""
    url = reverse("evaluations:evaluation_edit", args=[buf_evaluation.pk])
    mine, version = _opened(reporter, buf_evaluation)
    first = mine.post(reverse("evaluations:evaluation_autosave", args=[buf_evaluation.pk]),
                      {"purpose": "Udkast", "lock_version": version}, HTTP_HX_REQUEST="true")
    version = re.search(r'value="(\d+)" hx-swap-oob', first.content.decode()).group(1)
    assert mine.post(url, {"purpose": "Færdig", "lock_version": version, "save": "1"}).status_code == 302
    assert Evaluation.objects.get(pk=buf_evaluation.pk).purpose == "Færdig"


def _submitted(evaluation, reporter):
    data = {k: v for k, v in COMPLETE_ANSWERS.items()}
    client = Client()
    client.force_login(reporter)
    client.post(reverse("evaluations:evaluation_edit", args=[evaluation.pk]), {**data, "submit": "1"})
    evaluation.refresh_from_db()
    assert evaluation.status == "submitted"
    return evaluation


def test_the_reviewer_who_loses_the_race_is_told_who_decided(buf_evaluation, reporter, coordinator, copenhagen):
    _submitted(buf_evaluation, reporter)
    other = UserFactory(municipality=copenhagen.municipality, role=roles.COORDINATOR, first_name="Karen",
                        last_name="Koordinator",
                        administration=copenhagen.municipality.administrations.get(code="ØKF"))
    services.evaluation_review(evaluation=buf_evaluation, user=other, action="accept")
    client = Client()
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(reverse("evaluations:evaluation_review", args=[buf_evaluation.pk]),
                           {"comment": "Ret tallene", "return": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "already accepted by Karen Koordinator" in html and "Access denied" not in html
    assert Evaluation.objects.get(pk=buf_evaluation.pk).status == "accepted"


def test_a_returned_evaluation_shows_the_comment_on_top(buf_evaluation, reporter, coordinator):
    _submitted(buf_evaluation, reporter)
    services.evaluation_review(evaluation=buf_evaluation, user=coordinator, action="return",
                               comment="Tallene for målgruppen mangler.")
    client = Client()
    client.force_login(reporter)
    for name in ("evaluation_detail", "evaluation_edit"):
        html = client.get(reverse(f"evaluations:{name}", args=[buf_evaluation.pk])).content.decode()
        top = html.index('id="return-comment"')
        assert top < html.index("Tallene for målgruppen mangler.") < html.index('id="history"')
        assert top < html.index('id="evaluation-form"' if name == "evaluation_edit" else 'id="answers"')
