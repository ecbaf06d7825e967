"""The accounts app's addresses: single sign-on (under /sso/) and the coordinators' users page (/users/)."""
from django.urls import include, path

from . import views
from .sso import oidc, saml
from .sso import views as sso_views

app_name = "accounts"

sso_patterns = [
    path("<slug:slug>/login/", sso_views.sso_login, name="sso_login"),
    path("oidc/callback/", oidc.callback, name="sso_oidc_callback"),
    path("saml/<slug:slug>/acs/", saml.AcsView.as_view(), name="sso_saml_acs"),
    path("saml/<slug:slug>/metadata/", saml.MetadataView.as_view(), name="sso_saml_metadata"),
]

user_patterns = [
    path("", views.user_list, name="user_list"),
    path("invite/", views.user_invite, name="user_invite"),
    path("<int:pk>/", views.user_edit, name="user_edit"),
    path("<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
]

urlpatterns = [
    path("sso/", include(sso_patterns)),
    path("users/", include(user_patterns)),
]
