"""The Django admin: every registered model's list opens; the exit programme's personal data is not in it."""
import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

OUR_APPS = ["accounts", "areas", "initiatives", "indicators", "tryghedsindeks", "crimestats", "evaluations"]
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
