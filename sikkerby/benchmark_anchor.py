"""The anchor of ``benchmarks/bench_api.py``: the same rows as a page of the API, as plain Django.

Mounted only when the environment has ``BENCHMARK_ANCHOR=1`` (``sikkerby.urls``), so the benchmark's
gunicorn serves the API and its anchor from the same workers in the same run; never in production. No
authentication, no DRF, no serializer: one ``values()`` query and a ``JsonResponse`` — what a page of
``/api/v1/indicator-values/`` would cost if the framework were free.
"""
from django.http import JsonResponse

from indicators.models import IndicatorValue, ValueStatus

COLUMNS = ("id", "indicator_id", "indicator__number", "area_id", "area__level", "area__code", "area__name",
           "period_type", "period_start", "value", "source", "note", "status", "revision", "supersedes_id",
           "superseded_at", "is_computed", "is_demo", "entered_at", "submitted_at", "approved_at")


def indicator_values(request):
    try:
        limit = min(max(int(request.GET.get("limit", 50)), 1), 10000)
    except ValueError:
        limit = 50
    rows = list(IndicatorValue.objects.filter(status=ValueStatus.APPROVED)
                .order_by("indicator_id", "area_id", "period_type", "period_start", "revision")
                .values(*COLUMNS)[:limit])
    return JsonResponse({"results": rows})
