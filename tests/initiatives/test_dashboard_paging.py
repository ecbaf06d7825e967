"""The coordinator dashboard lists one page of initiatives (issue #17), grouped by focus area as before."""
import pytest
from django.urls import reverse

from initiatives.views import PAGE_SIZE
from tests.factories import BudgetLineFactory, InitiativeFactory


@pytest.mark.django_db
def test_the_dashboard_shows_one_page_of_initiatives_and_links_the_next(client, coordinator, copenhagen,
                                                                        django_assert_max_num_queries):
    client.force_login(coordinator)
    url = reverse("initiatives:dashboard")
    client.get(url)
    with django_assert_max_num_queries(60) as before:
        client.get(url)
    admin = copenhagen.municipality.administrations.get(code="BUF")
    fa = copenhagen.focus_areas.first()
    for _ in range(10 * PAGE_SIZE // 5):  # well past a page more than the programme holds
        ini = InitiativeFactory(programme=copenhagen, administration=admin)
        ini.focus_areas.add(fa)
        BudgetLineFactory(initiative=ini, year=2010)
    total = copenhagen.initiatives.count()
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    page = response.context["page"]
    shown = sum(len(items) for _fa, items in response.context["sections"]) + len(response.context["unassigned"])
    assert page.paginator.count == total and len(page.object_list) == PAGE_SIZE and shown >= PAGE_SIZE
    assert "page=2" in response.content.decode()
    last = client.get(url, {"page": page.paginator.num_pages})
    assert len(last.context["page"].object_list) == total - PAGE_SIZE * (page.paginator.num_pages - 1)
