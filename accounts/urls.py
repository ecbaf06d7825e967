"""Single sign-on addresses (under /sso/)."""
from django.urls import path

from .sso import oidc, views

app_name = "accounts"

urlpatterns = [
    path("<slug:slug>/login/", views.sso_login, name="sso_login"),
    path("oidc/callback/", oidc.callback, name="sso_oidc_callback"),
]
