"""The Django admin: for superusers only; every registered model's list opens; the exit programme's personal data
is not in it."""
import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from accounts import roles
from initiatives.models import Initiative
from tests.factories import UserFactory

OUR_APPS = ["accounts", "areas", "initiatives", "indicators", "tryghedsindeks", "crimestats", "evaluations",
            "partners"]
REGISTERED = sorted(
    (m._meta.app_label, m._meta.model_name) for m in admin.site._registry if m._meta.app_label in OUR_APPS
)


@pytest.mark.django_db
@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_every_admin_list_opens(client, copenhagen, app_label, model_name):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200


def test_every_model_of_ours_is_in_the_admin_except_exit_cases_and_the_key_canary():
    """Exit cases are reached only through their pages, which scope and audit every access; the encryption
    canary is key material's witness, nothing to look at."""
    missing = [m.__name__ for a in OUR_APPS + ["exitprogram"] for m in apps.get_app_config(a).get_models()
               if m not in admin.site._registry]
    assert missing == ["EncryptionCanary"] + [m.__name__ for m in apps.get_app_config("exitprogram").get_models()]


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ROLES)
def test_staff_of_every_role_is_refused_the_admin(client, copenhagen, role):
    """The Copenhagen coordinator read and renamed Albertslund's initiative in the admin (issue #16): staff status
    and model permissions no longer open it; only superusers (platform operators) get in."""
    from django.contrib.auth.models import Permission

    user = UserFactory(municipality=copenhagen.municipality, role=role, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="initiatives"))
    client.force_login(user)
    initiative = Initiative.objects.filter(programme=copenhagen).first()
    change = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    for url in (reverse("admin:index"), reverse("admin:initiatives_initiative_changelist"), change):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), url
    response = client.post(change, {"name": "Omdøbt", "programme": copenhagen.pk, "key": initiative.key,
                                    "administration": initiative.administration_id})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    initiative.refresh_from_db()
    assert initiative.name != "Omdøbt"


@pytest.mark.django_db
def test_the_admin_login_form_refuses_a_staff_coordinator(client, coordinator):
    response = client.post(reverse("admin:login"), {"username": coordinator.username,
                                                    "password": "pw-for-tests-123",
                                                    "next": reverse("admin:index")})
    assert response.status_code == 200 and response.context["form"].errors  # the form again, not a login
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_a_superuser_logs_in_to_the_admin(client, copenhagen):
    UserFactory(username="operator", is_staff=True, is_superuser=True)
    response = client.post(reverse("admin:login"), {"username": "operator", "password": "pw-for-tests-123",
                                                    "next": reverse("admin:index")})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_roles_carry_no_admin_permissions():
    from django.contrib.auth.models import Group

    from accounts.services import roles_ensure

    roles_ensure()
    assert not Group.objects.filter(name__in=roles.ROLES, permissions__isnull=False).exists()
