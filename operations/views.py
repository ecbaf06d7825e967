"""The health endpoint an orchestrator probes, and the page side of starting a failed job again."""
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.db.models import Max
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .jobs import BrokerUnavailable, JobNotRestartable, _eager, broker_available, job_restart
from .models import WorkerHeartbeat


@never_cache
@require_GET
def health(request):
    """200 with every check "ok", else 503 naming what failed. No login, no personal data.

    ``?check=live`` only says the web process answers (a liveness probe that must not restart the web
    container because the worker is down).
    """
    if request.GET.get("check") == "live":
        return JsonResponse({"status": "ok"})
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure is "unavailable" to the orchestrator
        checks["database"] = "unavailable"
    if _eager():
        checks["broker"] = checks["worker"] = "ok (tasks run in-process)"
    else:
        checks["broker"] = "ok" if broker_available() else "unavailable"
        if checks["database"] == "ok":
            seen = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
            age = (timezone.now() - seen).total_seconds() if seen else None
            fresh = seen is not None and timezone.now() - seen < timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE)
            checks["worker"] = "ok" if fresh else "no heartbeat" if age is None else f"last seen {age:.0f} s ago"
        else:
            checks["worker"] = "unknown"
    healthy = all(v.startswith("ok") for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks},
                        status=200 if healthy else 503)


def job_restart_with_message(request, job) -> None:
    """Start a failed job again for the user who asked, and tell them the outcome (the job's own view has
    already fetched it through its scoping selector and checked the permission)."""
    try:
        job_restart(job)
    except (JobNotRestartable, BrokerUnavailable) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Started again."))
