"""Account views: the start page sends each role to where its work is."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from . import roles as r

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
        try:
            return redirect(reverse(ROLE_HOME[role]))
        except NoReverseMatch:
            continue
    # A mentor has no role: being assigned to an exit case is their only grant.
    if request.user.exit_cases_mentored.exists():
        return redirect(reverse("exitprogram:case_list"))
    return render(request, "home.html")
