"""The scoping rule for areas in the API: the areas of the user's municipality (superusers: all)."""
from django.db.models import QuerySet

from areas.models import Area
from sikkerby import tenancy


def areas_visible_to(user) -> QuerySet[Area]:
    return tenancy.visible_to(Area, user)
