"""Celery tasks of the Tryghedsindeks: take ids, call one service."""
import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from initiatives.models import Municipality

from .models import SafetyIndexMethod
from .services import safety_index_compute

logger = logging.getLogger(__name__)


@shared_task
def safety_index_compute_task(municipality_id: int, year: int, level: str, method_id: int,
                              user_id: int | None = None) -> int | None:
    """Compute the index for a year and level as a draft run; returns the run's id (None if refused).

    A refusal (no inputs, year already published) is logged, not retried: nothing would change on retry.
    """
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        run = safety_index_compute(
            municipality=Municipality.objects.get(pk=municipality_id), year=year, level=level,
            method=SafetyIndexMethod.objects.get(pk=method_id), user=user)
    except ValidationError as exc:
        logger.warning("safety index %s/%s not computed: %s", year, level, "; ".join(exc.messages))
        return None
    return run.pk
