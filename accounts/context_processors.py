"""Template context for navigation: the current user's roles and the modules their municipality runs."""
from initiatives.modules import modules_of

from . import roles as r


def roles(request):
    user = getattr(request, "user", None)
    held = r.roles_of(user) if user is not None else []
    return {"user_roles": held, "role_labels": [r.ROLE_LABELS[x] for x in held],
            "user_modules": modules_of(user) if user is not None else set()}
