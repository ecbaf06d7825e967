"""Read-only API: SSP single-case counts per quarter for the user's municipality (no personal data), paginated."""
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied

from sikkerby.api_pagination import Pagination

from .. import selectors
from .serializers import QuarterCountsSerializer


class QuarterCountsView(generics.ListAPIView):
    """Meetings held and concerns registered, handled, closed and referred to the exit programme, per quarter.

    Newest quarter first. Every count of people below the small-count threshold is null (suppressed).
    Coordinators and API clients only; the rows are the user's own municipality's.
    """

    serializer_class = QuarterCountsSerializer
    pagination_class = Pagination
    filter_backends = []  # a list of computed rows: no filter or ordering parameters (?ordering= was a 500)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular builds the schema without a user
            return []
        user = self.request.user
        if not user.has_perm("sspcases.api_statistics") or not user.municipality_id:
            raise PermissionDenied
        return selectors.statistics_rows(municipality_id=user.municipality_id)
