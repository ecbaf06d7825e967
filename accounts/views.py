"""Account views: the start page sends each role to where its work is."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, resolve, reverse

from initiatives.modules import module_of_view, modules_of

from . import roles as r

ROLE_HOME = {
    r.COORDINATOR: "initiatives:dashboard",
    r.ADMIN_REPORTER: "initiatives:dashboard",
    r.SSP_CONSULTANT: "exitprogram:case_list",
    r.EXIT_EXPERT: "exitprogram:case_list",
    r.API_CLIENT: "api:docs",
    r.DATA_PROTECTION: "exitprogram:access_log",
}


@login_required
def home(request):
    in_use = modules_of(request.user)
    unused_homes = []
    for role in r.roles_of(request.user):
        try:
            url = reverse(ROLE_HOME[role])
        except NoReverseMatch:
            continue
        module = module_of_view(resolve(url).func)
        if module is not None and module not in in_use:
            unused_homes.append(role)  # the role's work is in a module the municipality does not run
            continue
        return redirect(url)
    # A mentor has no role: being assigned to an exit case is their only grant.
    if "exit_programme" in in_use and request.user.exit_cases_mentored.exists():
        return redirect(reverse("exitprogram:case_list"))
    return render(request, "home.html", {"unused_roles": [r.ROLE_LABELS[x] for x in unused_homes]})
