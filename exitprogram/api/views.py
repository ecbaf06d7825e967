"""Read-only API: aggregated exit-programme statistics for the user's municipality (no personal data)."""
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.measures import measure_goal
from initiatives.selectors import programme_current
from sikkerby.privacy import threshold

from .. import selectors
from .serializers import ExitStatisticsSerializer


class ExitStatisticsView(APIView):
    """Cases per referral year and entry channel, pool spending per administration, and effect goal 2.

    Every count below the small-count threshold is null (suppressed), and so is any amount resting on it.
    """

    @extend_schema(responses=ExitStatisticsSerializer)
    def get(self, request):
        if not request.user.has_perm("exitprogram.api_statistics") or not request.user.municipality_id:
            raise PermissionDenied
        stats = selectors.statistics(municipality_id=request.user.municipality_id)
        programme = programme_current(user=request.user)
        goal = programme.effect_goals.filter(measure="exit_no_conviction_2y").first() if programme else None
        m = measure_goal(goal) if goal else None
        data = {
            "municipality": request.user.municipality.name,
            "suppression_threshold": threshold(),
            "data_basis": stats["data_basis"],
            "goal2": {"measure": "exit_no_conviction_2y",
                      "target_percent": goal.target_value if goal else None,
                      "value_percent": m.value if m else None,
                      "cases": m.n if m else None,
                      "status": m.status if m else "not_measurable",
                      "data_basis": m.data_basis if m else "real"},
            "by_referral_year": stats["years"],
            "by_entry_channel": stats["channels"],
            "pool_by_administration": stats["pool"],
        }
        return Response(ExitStatisticsSerializer(data).data)
