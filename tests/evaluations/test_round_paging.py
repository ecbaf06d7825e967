"""A round's page lists one page of evaluations (issue #17); the completion tables still count them all."""
from datetime import date

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.views import ROUND_PAGE_SIZE
from tests.factories import InitiativeFactory


@pytest.mark.django_db
def test_the_round_page_is_paginated_and_its_queries_do_not_grow(client, copenhagen, coordinator,
                                                                django_assert_max_num_queries):
    small_round = services.evaluation_round_open(programme=copenhagen, year=2010, deadline=date(2011, 3, 1),
                                                 user=coordinator)
    admin = copenhagen.municipality.administrations.get(code="BUF")
    for _ in range(ROUND_PAGE_SIZE + 10):  # the next round has well over a page more
        InitiativeFactory(programme=copenhagen, administration=admin)
    big_round = services.evaluation_round_open(programme=copenhagen, year=2011, deadline=date(2012, 3, 1),
                                               user=coordinator)
    client.force_login(coordinator)
    client.get(reverse("evaluations:round_detail", args=[small_round.pk]))
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("evaluations:round_detail", args=[small_round.pk]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("evaluations:round_detail", args=[big_round.pk]))
    page = response.context["page"]
    assert page.paginator.count == big_round.evaluations.count() > ROUND_PAGE_SIZE
    assert len(response.context["rows"]) == ROUND_PAGE_SIZE and "page=2" in response.content.decode()
    second = client.get(reverse("evaluations:round_detail", args=[big_round.pk]), {"page": 2})
    assert len(second.context["rows"]) == min(page.paginator.count - ROUND_PAGE_SIZE, ROUND_PAGE_SIZE)
    assert second.context["rows"][0] not in response.context["rows"]
