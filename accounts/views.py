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
