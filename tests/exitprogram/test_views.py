"""Exit pages: forms keep input and name every error, conflicts are reported, every view is audited."""
import logging
from datetime import date

import pytest
from django.urls import reverse

from accounts import roles
from exitprogram.models import AccessLog, ExitCase, Phase

from .factories import advance_to_inclusion, close_case, complete_case, make_case, make_user

pytestmark = pytest.mark.django_db

GOOD = {
    "first_name": "Fiktiv", "last_name": "Demosen", "cpr": "170590-1234", "referral_date": "2011-03-01",
    "entry_channel": "police", "crime_level": "person_dangerous", "track": "general",
    "baseline_date": "2011-03-02", "baseline_economy": "Gæld", "baseline_housing": "Hjemløs",
    "baseline_education": "Ingen", "baseline_employment": "Ledig", "baseline_social": "Bandemiljø",
    "baseline_crime": "Vold",
}


def test_register_a_referral(client, consultant, caplog):
    client.force_login(consultant)
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("exitprogram:case_create"), GOOD)
    case = ExitCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exitprogram:case_detail",
                                                                           args=[case.uuid])
    assert "1234" not in response["Location"] and "170590" not in caplog.text
    assert case.ssp_consultant == consultant and case.age_at_referral == 20
    page = client.get(response["Location"]).content.decode()
    assert "170590-XXXX" in page and "1705901234" not in page and "170590-1234" not in page


@pytest.mark.parametrize("changes,field,message", [
    ({"cpr": "17059-1234"}, "cpr", "ten digits"),
    ({"cpr": "310290-1234"}, "cpr", "not a valid date"),
    ({"cpr": "010170-1234"}, "age_override_reason", "outside the target group"),
    ({"baseline_date": "2011-02-01"}, "baseline_date", "before the referral date"),
    ({"referral_date": "2099-01-01"}, "referral_date", "future"),
    ({"track": "gang"}, "exit_expert", "needs an exit expert"),
    ({"first_name": ""}, "first_name", "This field is required"),
])
def test_bad_input_is_named_per_field_and_kept(client, consultant, changes, field, message):
    client.force_login(consultant)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(reverse("exitprogram:case_create"), {**GOOD, **changes})
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    html = response.content.decode()
    assert 'value="Demosen"' in html and "Bandemiljø" in html  # nothing typed is lost
    assert not ExitCase.objects.exists()


def test_danish_is_the_default_language_of_errors(client, consultant):
    client.force_login(consultant)
    response = client.post(reverse("exitprogram:case_create"), {**GOOD, "cpr": "1"})
    assert "Angiv CPR-nummeret" in response.content.decode()


def test_concurrent_edit_gets_a_conflict_and_keeps_input(client, consultant, case):
    client.force_login(consultant)
    url = reverse("exitprogram:case_edit", args=[case.uuid])
    form = client.get(url).context["form"]
    data = {k: (v.pk if hasattr(v, "pk") else ("" if v is None else v)) for k, v in form.initial.items()}
    data = {k: v for k, v in data.items() if k in form.fields}
    first = {**data, "baseline_housing": "Egen lejlighed"}
    second = {**data, "baseline_housing": "Herberg"}
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Herberg" in html and ("saved this case" in html or "gemt sagen" in html)
    assert ExitCase.objects.get(pk=case.pk).baseline_housing == "Egen lejlighed"


def test_every_view_of_a_case_is_audited(client, consultant, expert, case):
    client.force_login(consultant)
    before = AccessLog.objects.count()
    client.get(reverse("exitprogram:case_detail", args=[case.uuid]))
    client.get(reverse("exitprogram:case_list"))
    rows = list(AccessLog.objects.order_by("pk")[before:])
    assert [(r.action, r.what, r.username, r.case_uuid) for r in rows] == [
        ("view", "case page", consultant.username, case.uuid), ("view", "case list", consultant.username, case.uuid)]
    assert all(r.purpose == "case work" for r in rows)


def test_denied_access_writes_no_data_and_no_audit_of_content(client, other_consultant, case):
    client.force_login(other_consultant)
    before = AccessLog.objects.count()
    assert client.get(reverse("exitprogram:case_detail", args=[case.uuid])).status_code == 404
    assert AccessLog.objects.count() == before


def test_list_query_count_does_not_grow_with_rows(client, consultant, django_assert_max_num_queries):
    client.force_login(consultant)
    make_case(consultant=consultant, born=date(1990, 1, 1))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("exitprogram:case_list"))
    for i in range(2, 12):
        make_case(consultant=consultant, born=date(1990, 1, i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("exitprogram:case_list"))
    assert len(response.context["cases"]) == 11


def test_case_page_query_count_does_not_grow_with_timeline(client, consultant, mentor, case,
                                                           django_assert_max_num_queries):
    client.force_login(consultant)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("exitprogram:case_detail", args=[case.uuid]))
    advance_to_inclusion(case, consultant=consultant, mentor=mentor)
    with django_assert_max_num_queries(len(few.captured_queries) + 2):  # + mentor and its anchor shown
        client.get(reverse("exitprogram:case_detail", args=[case.uuid]))


def test_phase_change_through_the_page_and_step_back_needs_reason(client, consultant, mentor, case):
    client.force_login(consultant)
    url = reverse("exitprogram:case_transition", args=[case.uuid])
    assert client.post(url, {"to_phase": "coordination", "version": case.version}).status_code == 302
    case.refresh_from_db()
    response = client.post(url, {"to_phase": "identification", "version": case.version, "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    stale = client.post(url, {"to_phase": "identification", "version": 1, "reason": "Tilbagefald"})
    assert stale.status_code == 409
    assert ExitCase.objects.get(pk=case.pk).phase == Phase.COORDINATION


def test_followups_due_list(client, consultant, mentor, case):
    advance_to_inclusion(case, consultant=consultant, mentor=mentor)
    close_case(case, consultant=consultant, closed_on=date(2012, 2, 1))
    client.force_login(consultant)
    response = client.get(reverse("exitprogram:followups"))
    assert [c.pk for c in response.context["cases"]] == [case.pk]


def test_access_request_exports_the_persons_log_as_csv(client, consultant, case, muni):
    client.force_login(consultant)
    client.get(reverse("exitprogram:case_detail", args=[case.uuid]))
    client.force_login(make_user(muni, roles.DATA_PROTECTION, "ØKF"))
    response = client.post(reverse("exitprogram:access_log"),
                           {"cpr": case.cpr, "reason": "J.nr. 2026-17", "copy": "internal"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == "time,user,name,action,case,what,purpose,reason"
    assert [line.split(",")[3] for line in lines[1:]] == ["create", "view", "export"]
    assert case.cpr not in response.content.decode()
    bad = client.post(reverse("exitprogram:access_log"), {"cpr": "12", "reason": "x", "copy": "internal"})
    assert bad.status_code == 400


def test_the_access_log_csv_does_not_let_a_spreadsheet_run_a_username_as_a_formula(client, consultant, case, muni):
    consultant.username = "@SUM(1+1)"  # Django allows @ + - in usernames
    consultant.save()
    client.force_login(consultant)
    client.get(reverse("exitprogram:case_detail", args=[case.uuid]))
    client.force_login(make_user(muni, roles.DATA_PROTECTION, "ØKF"))
    lines = client.post(reverse("exitprogram:access_log"), {"cpr": case.cpr, "reason": "J.nr. 1", "copy": "internal"}
                        ).content.decode().splitlines()
    assert "'@SUM(1+1)" in [line.split(",")[1] for line in lines[1:]]


def test_statistics_page_shows_goal2_and_suppresses_small_cells(client, coordinator, consultant, mentor):
    for i in range(6):
        case = make_case(consultant=consultant, born=date(1990, 2, i + 1))
        complete_case(case, consultant=consultant, mentor=mentor, convicted=i == 0)
    make_case(consultant=consultant, born=date(1990, 3, 1), entry_channel="prison")
    client.force_login(coordinator)
    response = client.get(reverse("exitprogram:statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="goal2-value">83.3 %' in html or 'id="goal2-value">83,3 %' in html
    assert 'id="goal2-n">6<' in html
    assert "Testperson" not in html and "Fiktiv" not in html
    channel_rows = {r["channel"]: r["cases"] for r in response.context["stats"]["channels"]}
    assert channel_rows == {"local_ssp": 6, "prison": None}


def test_cpr_is_kept_out_of_error_reports(rf, consultant):
    """Django's error reports (mail to admins, debug pages) mask the CPR number and the names."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.views.debug import SafeExceptionReporterFilter

    from exitprogram import views

    request = rf.post(reverse("exitprogram:case_create"), {**GOOD})
    request.user = consultant
    request.session = {}
    request._messages = FallbackStorage(request)
    views.case_create(request)
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleaned["cpr"] != GOOD["cpr"] and "*" in cleaned["cpr"]
    assert cleaned["last_name"] != GOOD["last_name"]


def test_conflict_shows_their_values_beside_yours_and_marks_no_field(client, consultant, case):
    """Issue #15 item 10/12: the loser sees the colleague's value beside theirs, once, with no empty "field marked"."""
    client.force_login(consultant)
    client.post(reverse("set_language"), {"language": "en"})
    url = reverse("exitprogram:case_edit", args=[case.uuid])
    form = client.get(url).context["form"]
    data = {k: (v.pk if hasattr(v, "pk") else ("" if v is None else v)) for k, v in form.initial.items()}
    data = {k: v for k, v in data.items() if k in form.fields}
    assert client.post(url, {**data, "baseline_housing": "Egen lejlighed"}).status_code == 302
    response = client.post(url, {**data, "baseline_housing": "Herberg"})
    assert response.status_code == 409
    html = response.content.decode()
    rows = {r["name"]: r for r in response.context["conflict_rows"]}
    assert list(rows) == ["baseline_housing"]
    assert rows["baseline_housing"]["theirs"] == "Egen lejlighed" and rows["baseline_housing"]["yours"] == "Herberg"
    assert 'id="conflict"' in html
    assert "marked below" not in html  # no field is marked, so the summary does not say so
    assert html.count("Someone else saved this case") == 1  # the message once, not repeated by the form
    # Saving again is a deliberate overwrite: the form now carries the colleague's version.
    again = {**data, "baseline_housing": "Herberg", "version": response.context["form"]["version"].value()}
    assert client.post(url, again).status_code == 302
    assert ExitCase.objects.get(pk=case.pk).baseline_housing == "Herberg"


def test_a_field_error_still_names_the_field_count(client, consultant, case):
    client.force_login(consultant)
    client.post(reverse("set_language"), {"language": "en"})
    url = reverse("exitprogram:case_edit", args=[case.uuid])
    form = client.get(url).context["form"]
    data = {k: (v.pk if hasattr(v, "pk") else ("" if v is None else v)) for k, v in form.initial.items()}
    data = {k: v for k, v in data.items() if k in form.fields}
    response = client.post(url, {**data, "baseline_date": "2000-01-01"})
    assert response.status_code == 400 and "Please correct the field marked below." in response.content.decode()


def test_the_annex_2_entry_channel_leisure_and_youth_clubs_can_be_chosen(client, consultant):
    """Issue #15 item 15: annex 2's identification figure names "Øvrige Fritids- og ungdomsklubber"."""
    client.force_login(consultant)
    page = client.get(reverse("exitprogram:case_create")).content.decode()
    assert 'value="youth_clubs"' in page and "Øvrige fritids- og ungdomsklubber" in page
    assert client.post(reverse("exitprogram:case_create"), {**GOOD, "entry_channel": "youth_clubs"}).status_code == 302
    assert ExitCase.objects.get().entry_channel == "youth_clubs"


def test_the_mentor_list_offers_mentors_only_and_an_external_mentor_can_be_assigned(client, consultant, expert,
                                                                                   mentor, case, muni):
    """Issue #15 item 15: the list offered every member of staff and external mentors could not be chosen.

    Only users with the mentor role are offered; an external mentor is such a user without an
    administration (registered by the coordinator), shown as external and assigned like any other.
    """
    from accounts import roles

    from .factories import make_user

    reporter = make_user(muni, roles.ADMIN_REPORTER, "BUF", first_name="Rita", last_name="Rapportør")
    external = make_user(muni, roles.MENTOR, None, first_name="Ekstern", last_name="Mentorsen")
    client.force_login(consultant)
    url = reverse("exitprogram:case_edit", args=[case.uuid])
    form = client.get(url).context["form"]
    offered = set(form.fields["mentor"].queryset)
    assert offered == {mentor, external}
    assert reporter not in offered and expert not in offered and consultant not in offered
    page = client.get(url).content.decode()
    assert "Ekstern Mentorsen (ekstern)" in page
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update({"mentor": external.pk, "mentor_anchor": form.fields["mentor_anchor"].queryset.get(code="SOF").pk,
                 "referral_date": case.referral_date.isoformat(), "baseline_date": case.referral_date.isoformat()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    case.refresh_from_db()
    assert case.mentor == external
