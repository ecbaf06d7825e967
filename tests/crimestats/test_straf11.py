"""STRAF11/FOLK1A loading reproduces Statistics Denmark's published totals."""
import pytest
from django.db.models import Sum

from crimestats.models import MunicipalityPopulation, Straf11Figure
from crimestats.services import straf11_load

pytestmark = pytest.mark.django_db


def _year_total(area, year, offence="TOT"):
    return Straf11Figure.objects.filter(area_code=area, offence_code=offence, year=year).aggregate(
        n=Sum("reported_crimes"))["n"]


def test_copenhagen_totals_match_the_published_figures(straf11):
    assert straf11 == {"straf11": 33920, "population": 1040}
    assert _year_total("101", 2025) == 78027
    yearly = [102763, 93446, 89159, 93849, 75750, 70167, 81216, 87978, 86047, 78027]
    assert [_year_total("101", y) for y in range(2016, 2026)] == yearly
    assert _year_total("000", 2025) == 414911
    assert _year_total("000", 2025, "12") == 29408
    assert MunicipalityPopulation.objects.get(area_code="101", year=2025).population == 667099


def test_loading_twice_changes_nothing(straf11):
    before = Straf11Figure.objects.count(), _year_total("101", 2025)
    straf11_load()
    assert (Straf11Figure.objects.count(), _year_total("101", 2025)) == before
