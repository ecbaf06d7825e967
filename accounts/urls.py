"""Single sign-on addresses (under /sso/)."""
from django.urls import path

from .sso import oidc, saml, views

app_name = "accounts"

urlpatterns = [
    path("<slug:slug>/login/", views.sso_login, name="sso_login"),
    path("oidc/callback/", oidc.callback, name="sso_oidc_callback"),
    path("saml/<slug:slug>/acs/", saml.AcsView.as_view(), name="sso_saml_acs"),
    path("saml/<slug:slug>/metadata/", saml.MetadataView.as_view(), name="sso_saml_metadata"),
]
