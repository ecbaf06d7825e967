"""Template context: the current user's roles, for navigation."""
from . import roles as r


def roles(request):
    held = r.roles_of(request.user) if hasattr(request, "user") else []
    return {"user_roles": held, "role_labels": [r.ROLE_LABELS[x] for x in held]}
