"""Modules per municipality: which parts of Sikker By a municipality runs, and the gate that keeps the rest shut.

A module is one app's pages and API (``APP_MODULES``); the municipality's ``modules`` (set in its programme
file) say which it runs. For a user of a municipality that does not run a module, every page of it answers
404 with a page that says so, and every API endpoint a 404 whose ``detail`` says so — not an empty page, and
not a menu item (``accounts.context_processors``). Users without a municipality (the superuser) and
anonymous users are not gated here: their own checks apply.
"""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import Module

# The app a view lives in -> the module it belongs to. Apps not named (the programme, areas, accounts,
# operations, the API's schema pages) belong to every municipality.
APP_MODULES = {
    "indicators": Module.INDICATORS,
    "exitprogram": Module.EXIT_PROGRAMME,
    "tryghedsindeks": Module.SAFETY_INDEX,
    "crimestats": Module.KEY_FIGURES,
    "evaluations": Module.EVALUATIONS,
    "partners": Module.PARTNERS,
    "safetywalks": Module.SAFETY_WALKS,
    "sspcases": Module.SSP_CASES,
}


def module_of_view(view_func) -> str | None:
    """The module a view belongs to, from the module its code lives in (DRF views keep their class's)."""
    cls = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
    name = (cls or view_func).__module__ or ""
    return APP_MODULES.get(name.split(".", 1)[0])


def modules_of(user) -> set[str]:
    """The modules a user's municipality runs; every module for a user without a municipality."""
    if not getattr(user, "is_authenticated", False) or user.municipality_id is None:
        return set(Module.values)
    return set(user.municipality.modules or [])


def not_used_message(*, module: str, municipality) -> str:
    return _("%(module)s is not used by your municipality (%(municipality)s).") % {
        "module": Module(module).label, "municipality": municipality.name}


class ModuleInUseMiddleware:
    """Answers 404, with the reason, for a page or API endpoint of a module the user's municipality does not run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        module = module_of_view(view_func)
        user = getattr(request, "user", None)
        if module is None or user is None or not user.is_authenticated or user.municipality_id is None:
            return None
        if module in modules_of(user):
            return None
        message = not_used_message(module=module, municipality=user.municipality)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "module_not_used"}, status=404)
        return render(request, "initiatives/module_not_used.html",
                      {"message": message, "module": Module(module)}, status=404)
