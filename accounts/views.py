"""Account views: the login page, and the start page that sends each role to where its work is."""
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from . import roles as r
from .sso.selectors import identity_providers_for_login

ROLE_HOME = {
    r.COORDINATOR: "initiatives:dashboard",
    r.ADMIN_REPORTER: "initiatives:dashboard",
    r.SSP_CONSULTANT: "exitprogram:case_list",
    r.EXIT_EXPERT: "exitprogram:case_list",
    r.API_CLIENT: "api:docs",
}


@login_required
def home(request):
    for role in r.roles_of(request.user):
        if role not in ROLE_HOME:  # the mentor role opens no page of its own
            continue
        try:
            return redirect(reverse(ROLE_HOME[role]))
        except NoReverseMatch:
            continue
    # Being assigned to an exit case is a mentor's only grant: their cases are their start page.
    if request.user.exit_cases_mentored.exists():
        return redirect(reverse("exitprogram:case_list"))
    return render(request, "home.html")


class LoginView(auth_views.LoginView):
    """Sign in through one of the municipalities' identity providers, or with a local password."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_providers": identity_providers_for_login(),
                "password_login_enabled": settings.PASSWORD_LOGIN_ENABLED}
