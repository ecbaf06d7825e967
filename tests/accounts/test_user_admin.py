"""The coordinators' users page: invite, change role and administration, deactivate, unlock — own municipality only."""
import re

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts import roles
from accounts.models import User
from tests.factories import ProgrammeFactory, UserFactory

PASSWORD = "pw-for-tests-123"


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *roles.ROLES])
def test_only_coordinators_reach_the_users_page(client, user_of_role, role, reporter):
    user = user_of_role(role)
    if user:
        client.force_login(user)
    urls = [reverse("accounts:user_list"), reverse("accounts:user_invite"),
            reverse("accounts:user_edit", args=[reporter.pk])]
    for url in urls:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        elif role == roles.COORDINATOR:
            assert response.status_code == 200
        else:
            assert response.status_code == 403
    if role not in (None, roles.COORDINATOR):
        assert client.post(reverse("accounts:user_set_active", args=[reporter.pk]), {"active": "0"}).status_code == 403
        reporter.refresh_from_db()
        assert reporter.is_active


@pytest.mark.django_db
def test_users_of_another_municipality_are_not_found(client, coordinator):
    other = ProgrammeFactory()
    outsider = UserFactory(municipality=other.municipality, role=roles.ADMIN_REPORTER)
    superuser = UserFactory(municipality=coordinator.municipality, is_superuser=True)
    client.force_login(coordinator)
    html = client.get(reverse("accounts:user_list")).content.decode()
    assert outsider.username not in html and superuser.username not in html
    for target in (outsider, superuser):
        assert client.get(reverse("accounts:user_edit", args=[target.pk])).status_code == 404
        assert client.post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "0"}).status_code == 404
        assert client.post(reverse("accounts:user_unlock", args=[target.pk])).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


@pytest.mark.django_db
def test_invite_sends_a_set_password_link_that_works(client, coordinator, copenhagen,
                                                     django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    buf = copenhagen.municipality.administrations.get(code="BUF")
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes once the user is saved
        response = client.post(reverse("accounts:user_invite"), {
            "username": "bente.buf", "first_name": "Bente", "last_name": "Hansen", "email": "bente@example.org",
            "role": roles.ADMIN_REPORTER, "administration": buf.pk})
    assert response.status_code == 302
    user = User.objects.get(username="bente.buf")
    assert (user.municipality, user.administration, roles.roles_of(user)) == (
        copenhagen.municipality, buf, [roles.ADMIN_REPORTER])
    assert not user.has_usable_password() and not user.is_staff
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bente@example.org"]
    link = re.search(r"https?://\S+/password/set/\S+/", mail.outbox[0].body).group(0)

    client.logout()
    response = client.get(link, follow=True)  # Django moves the token out of the URL into the session
    assert response.status_code == 200 and "new_password1" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"new_password1": "a-Long-new-pass-2026",
                                                            "new_password2": "a-Long-new-pass-2026"})
    assert response.status_code == 302
    assert _login(client, "bente.buf", "a-Long-new-pass-2026").status_code == 302
    assert client.get(reverse("home")).url == reverse("initiatives:dashboard")


@pytest.mark.django_db
def test_invite_keeps_input_on_error_and_offers_only_own_administrations(client, coordinator):
    other = ProgrammeFactory()
    foreign = other.municipality.administrations.create(code="X", name="Fremmed")
    client.force_login(coordinator)
    html = client.get(reverse("accounts:user_invite")).content.decode()
    assert f'value="{foreign.pk}"' not in html
    response = client.post(reverse("accounts:user_invite"), {
        "username": coordinator.username, "first_name": "Dobbelt", "email": "not-an-address",
        "role": roles.ADMIN_REPORTER, "administration": foreign.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Dobbelt"' in html and 'id="error-summary"' in html
    assert not User.objects.filter(first_name="Dobbelt").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_change_role_and_administration_is_in_the_history(client, coordinator, reporter, copenhagen):
    client.force_login(coordinator)
    sof = copenhagen.municipality.administrations.get(code="SOF")
    response = client.post(reverse("accounts:user_edit", args=[reporter.pk]), {
        "first_name": reporter.first_name, "last_name": reporter.last_name, "email": "r@example.org",
        "role": roles.EXIT_EXPERT, "administration": sof.pk})
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert roles.roles_of(reporter) == [roles.EXIT_EXPERT] and reporter.administration == sof
    html = client.get(reverse("accounts:user_edit", args=[reporter.pk])).content.decode()
    history = html[html.index('id="history"'):]
    assert "BUF" in history and "SOF" in history  # administration before and after
    assert "Exit-ekspert" in history and "Forvaltningsrapportør" in history  # the role added and removed
    assert coordinator.get_full_name() in history


@pytest.mark.django_db
def test_a_coordinator_cannot_demote_or_deactivate_themselves(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:user_edit", args=[coordinator.pk]), {
        "first_name": "X", "email": "c@example.org", "role": roles.ADMIN_REPORTER, "administration": ""})
    assert response.status_code == 400
    assert roles.roles_of(coordinator) == [roles.COORDINATOR]
    client.post(reverse("accounts:user_set_active", args=[coordinator.pk]), {"active": "0"})
    coordinator.refresh_from_db()
    assert coordinator.is_active


@pytest.mark.django_db
def test_deactivate_and_reactivate(client, coordinator, reporter):
    client.force_login(coordinator)
    client.post(reverse("accounts:user_set_active", args=[reporter.pk]), {"active": "0"})
    reporter.refresh_from_db()
    assert not reporter.is_active
    other = client.__class__()
    assert _login(other, reporter.username, PASSWORD).status_code == 200  # the login form again: refused
    client.post(reverse("accounts:user_set_active", args=[reporter.pk]), {"active": "1"})
    assert _login(other, reporter.username, PASSWORD).status_code == 302
    assert LogEntry.objects.get_for_object(reporter).filter(
        action=LogEntry.Action.UPDATE, changes__has_key="is_active").count() == 2


@pytest.mark.django_db
def test_unlock_after_a_real_lockout(client, coordinator, reporter):
    victim = client.__class__()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(victim, reporter.username, "wrong")
    locked = _login(victim, reporter.username, PASSWORD)
    assert locked.status_code == 429
    assert "Users" in locked.content.decode() or "Brugere" in locked.content.decode()

    client.force_login(coordinator)
    html = client.get(reverse("accounts:user_list")).content.decode()
    lockouts = html[html.index('id="lockouts"'):html.index('id="users"')]
    assert reporter.username in lockouts and coordinator.username not in lockouts

    response = client.post(reverse("accounts:user_unlock", args=[reporter.pk]), {"next": "list"})
    assert response.status_code == 302
    assert _login(victim, reporter.username, PASSWORD).status_code == 302
    entry = LogEntry.objects.get_for_object(reporter).get(changes__has_key="lockout")
    assert entry.actor == coordinator
    html = client.get(reverse("accounts:user_edit", args=[reporter.pk])).content.decode()
    history = html[html.index('id="history"'):]
    assert "Loginspærring" in history and "låst op" in history
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("accounts:user_edit", args=[reporter.pk])).content.decode()
    history = html[html.index('id="history"'):]
    assert "Login lockout" in history and "unlocked" in history


@pytest.mark.django_db
def test_a_coordinator_cannot_unlock_another_municipalitys_user(client, coordinator):
    other = ProgrammeFactory()
    outsider = UserFactory(municipality=other.municipality, role=roles.ADMIN_REPORTER)
    victim = client.__class__()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(victim, outsider.username, "wrong")
    client.force_login(coordinator)
    html = client.get(reverse("accounts:user_list")).content.decode()
    assert outsider.username not in html
    assert client.post(reverse("accounts:user_unlock", args=[outsider.pk])).status_code == 404
    assert _login(victim, outsider.username, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_users_page_query_count_does_not_grow(client, coordinator, copenhagen, django_assert_max_num_queries):
    for _ in range(15):
        UserFactory(municipality=copenhagen.municipality, role=roles.ADMIN_REPORTER)
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("accounts:user_list")).status_code == 200
