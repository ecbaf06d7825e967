"""Account views: the login page, the start page that sends each role to where its work is, and the
coordinators' users page."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from initiatives.modules import module_of_view, modules_of

from . import roles as r
from . import selectors, services
from .forms import InviteForm, UserEditForm
from .models import User
from .sso.selectors import identity_providers_for_login

# Each role's start pages, first choice first: the first one in a module the municipality runs is used.
ROLE_HOME = {
    r.COORDINATOR: ("initiatives:dashboard",),
    r.ADMIN_REPORTER: ("initiatives:dashboard",),
    # an SSP consultant's exit cases, or their SSP single cases where the municipality runs no exit programme
    r.SSP_CONSULTANT: ("exitprogram:case_list", "sspcases:series_list"),
    r.EXIT_EXPERT: ("exitprogram:case_list",),
    r.API_CLIENT: ("api:docs",),
    r.DATA_PROTECTION: ("exitprogram:access_log",),
}


@login_required
def home(request):
    in_use = modules_of(request.user)
    unused_homes = []
    for role in r.roles_of(request.user):
        if role not in ROLE_HOME:  # the mentor role opens no page of its own
            continue
        for name in ROLE_HOME[role]:
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            module = module_of_view(resolve(url).func)
            if module is None or module in in_use:
                return redirect(url)
        unused_homes.append(role)  # the role's work is in modules the municipality does not run
    # Being assigned to an exit case is a mentor's only grant: their cases are their start page.
    if "exit_programme" in in_use and request.user.exit_cases_mentored.exists():
        return redirect(reverse("exitprogram:case_list"))
    return render(request, "home.html", {"unused_roles": [r.ROLE_LABELS[x] for x in unused_homes]})


class LoginView(auth_views.LoginView):
    """Sign in through one of the municipalities' identity providers, or with a local password."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_providers": identity_providers_for_login(),
                "password_login_enabled": settings.PASSWORD_LOGIN_ENABLED}


# --- the users page: coordinators keep the users of their own municipality ----------------
manage_users_required = permission_required("accounts.manage_users", raise_exception=True)


def _target(request, pk: int) -> User:
    try:
        return selectors.users_visible_to(request.user).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _form_page(request, form, *, title, target=None, status=None):
    return render(request, "accounts/user_form.html", {
        "form": form, "title": title, "target": target,
        "history": selectors.user_history(target) if target is not None else None,
        "lockout": next((lo for lo in selectors.lockouts_visible_to(request.user) if lo["user"] == target), None)
        if target is not None else None,
        "field_error_count": sum(1 for name in form.errors if name != NON_FIELD_ERRORS),
    }, status=status or (400 if form.errors else 200))


@login_required
@manage_users_required
def user_list(request):
    users = [(u, [r.ROLE_LABELS[g.name] for g in u.groups.all() if g.name in r.ROLE_LABELS])
             for u in selectors.user_list(user=request.user)]
    return render(request, "accounts/user_list.html", {
        "users": users,
        "lockouts": selectors.lockouts_visible_to(request.user),
    })


@sensitive_post_parameters("email")
@login_required
@manage_users_required
@require_http_methods(["GET", "POST"])
def user_invite(request):
    form = InviteForm(request.POST or None, municipality_id=request.user.municipality_id)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(actor=request.user, base_url=request.build_absolute_uri("/"),
                                        **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is invited: an e-mail with a link to choose a password is sent.")
                             % {"name": user.get_full_name() or user.username})
            return redirect("accounts:user_list")
    return _form_page(request, form, title=_("Invite a user"))


@sensitive_post_parameters("email")
@login_required
@manage_users_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    target = _target(request, pk)
    roles_held = r.roles_of(target)
    initial = {"first_name": target.first_name, "last_name": target.last_name, "email": target.email,
               "role": roles_held[0] if roles_held else "", "administration": target.administration_id}
    form = UserEditForm(request.POST or None, initial=initial, municipality_id=target.municipality_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The user is saved."))
            return redirect("accounts:user_edit", pk=target.pk)
    return _form_page(request, form, title=target.get_full_name() or target.username, target=target)


@login_required
@manage_users_required
@require_POST
def user_set_active(request, pk: int):
    target = _target(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=target, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The user is reactivated and can log in again.") if active
                         else _("The user is deactivated and can no longer log in."))
    return redirect("accounts:user_edit", pk=target.pk)


@login_required
@manage_users_required
@require_POST
def user_unlock(request, pk: int):
    target = _target(request, pk)
    if services.user_unlock(actor=request.user, user=target):
        messages.success(request, _("The lockout is lifted: %(name)s can log in again.")
                         % {"name": target.get_full_name() or target.username})
    else:
        messages.info(request, _("The user was not locked out."))
    if request.POST.get("next") == "list":
        return redirect("accounts:user_list")
    return redirect("accounts:user_edit", pk=target.pk)
