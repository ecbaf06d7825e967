import pytest

from evaluations import services
from evaluations.models import Evaluation


@pytest.fixture
def open_round(copenhagen, coordinator):
    from datetime import date
    return services.evaluation_round_open(programme=copenhagen, year=2010, deadline=date(2011, 3, 1),
                                          user=coordinator)


@pytest.fixture
def buf_evaluation(open_round) -> Evaluation:
    return open_round.evaluations.filter(administration__code="BUF").order_by("initiative__name").first()
