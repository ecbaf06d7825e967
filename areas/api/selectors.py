"""The scoping rule for areas in the API: the areas of the user's municipality (superusers: all)."""
from django.db.models import QuerySet

from areas.models import Area


def areas_visible_to(user) -> QuerySet[Area]:
    if not user.is_authenticated:
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.all()
    return Area.objects.filter(municipality_id=user.municipality_id)
