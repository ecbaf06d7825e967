"""Login, lockout, session timeout, demo users and the production settings."""
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from accounts import roles
from accounts.models import User
from accounts.services import DEMO_USERS, demo_users_create


@pytest.mark.django_db
def test_login_and_role_home(client, coordinator):
    response = client.post(reverse("login"), {"username": coordinator.username, "password": "pw-for-tests-123"})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("initiatives:dashboard")


@pytest.mark.django_db
def test_lockout_after_repeated_failed_logins(client, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": coordinator.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": coordinator.username, "password": "pw-for-tests-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_password_keeps_username_and_says_why(client, coordinator):
    response = client.post(reverse("login"), {"username": coordinator.username, "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{coordinator.username}"' in html
    assert 'id="login-errors"' in html


def test_session_times_out_after_inactivity():
    # The expiry is refreshed before the view (tests/accounts/test_sessions.py), not saved on every request.
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_REFRESH_INTERVAL == 60


@pytest.mark.django_db
def test_logout_needs_post_and_ends_the_session(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("logout"))
    assert client.get(reverse("initiatives:dashboard")).status_code == 302


@pytest.mark.django_db
def test_demo_users_one_per_role_clearly_marked(copenhagen):
    users = demo_users_create()  # Copenhagen's: the only programme the test database loads
    assert len(users) == len(roles.ROLES) == len(DEMO_USERS["0101"])
    assert {len(people) for people in DEMO_USERS.values()} == {len(roles.ROLES)}  # every municipality: every role
    assert sorted(roles.roles_of(u)[0] for u in users) == sorted(roles.ROLES)
    assert all(u.is_demo and "DEMO" in u.get_full_name() for u in users)


@pytest.mark.django_db
@override_settings(DEMO_DATA_ALLOWED=False)
def test_demo_users_are_refused_without_permission_in_settings(copenhagen):
    with pytest.raises(ImproperlyConfigured):
        demo_users_create()
    assert not User.objects.filter(is_demo=True).exists()


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "sikkerby.settings.production",
        "SECRET_KEY": "x" * 30 + "-a-long-random-looking-secret-key-for-the-check-only-" + "y" * 10,
        "FIELD_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWZpZWxkLWtleS1ub3Qtc2VjcmV0LTE=",
        "CPR_HASH_KEY": "hash-key-for-check",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "sikkerby.settings.production",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    env["PYTHONPATH"] = str(settings.BASE_DIR)
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, roles.MENTOR])
def test_a_mentor_starts_on_their_cases(client, copenhagen, role):
    """With or without the mentor role (which only makes them selectable as a mentor): no case, the
    start page; a case assigned, their cases. The demo walk found the mentor role answering 500 here."""
    from tests.exitprogram.factories import advance_to_inclusion, make_case, make_user
    from tests.factories import UserFactory

    mentor = UserFactory(municipality=copenhagen.municipality, role=role)
    client.force_login(mentor)
    assert client.get(reverse("home")).status_code == 200  # no role, no case: the start page
    consultant = make_user(copenhagen.municipality, roles.SSP_CONSULTANT, "BIF")
    advance_to_inclusion(make_case(consultant=consultant), consultant=consultant, mentor=mentor)
    assert client.get(reverse("home")).url == reverse("exitprogram:case_list")
