"""Prioritisation rounds (annex 5): the counts, once per initiative, reasons, scope."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from evaluations import selectors, services
from evaluations.models import PrioritisationEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def prio_round(copenhagen, coordinator):
    return services.prioritisation_round_open(programme=copenhagen, title="Prioritering 2010", budget_year=2010,
                                              deadline=date(2010, 5, 4), user=coordinator)


def _own(copenhagen, code):
    return list(selectors.initiatives_for_round(programme=copenhagen, year=2010)
                .filter(administration__code=code).values_list("pk", flat=True))


def _entries(ids, most, least, reason="Virker"):
    out = [{"initiative_id": i, "ranking": "most", "rank": n + 1, "reason": reason} for n, i in enumerate(ids[:most])]
    out += [{"initiative_id": i, "ranking": "least", "rank": n + 1, "reason": reason}
            for n, i in enumerate(ids[most:most + least])]
    return out


@pytest.mark.parametrize(("count", "bounds"), [(41, (3, 6)), (6, (3, 3)), (4, (2, 2)), (2, (1, 1)), (1, (0, 1))])
def test_bounds(count, bounds):
    assert services.prioritisation_bounds(count) == bounds


@pytest.mark.parametrize(("most", "least", "ok"), [(3, 3, True), (6, 6, True), (3, 6, True), (2, 3, False),
                                                   (3, 7, False), (7, 3, False), (0, 0, False)])
def test_counts_are_enforced(prio_round, copenhagen, reporter, most, least, ok):
    ids = _own(copenhagen, "BUF")
    call = lambda: services.prioritisation_submit(  # noqa: E731
        prioritisation_round=prio_round, administration=reporter.administration, user=reporter,
        entries=_entries(ids, most, least))
    if ok:
        p = call()
        assert p.entries.filter(ranking="most").count() == most
        assert p.entries.filter(ranking="least").count() == least
    else:
        with pytest.raises(ValidationError):
            call()
        assert not PrioritisationEntry.objects.exists()


def test_an_initiative_appears_once_and_each_needs_a_reason(prio_round, copenhagen, reporter):
    ids = _own(copenhagen, "BUF")
    entries = _entries(ids, 3, 3)
    entries[-1]["initiative_id"] = ids[0]  # named both most and least effective
    with pytest.raises(ValidationError) as exc:
        services.prioritisation_submit(prioritisation_round=prio_round, administration=reporter.administration,
                                       user=reporter, entries=entries)
    assert any("mere end én gang" in m for m in exc.value.messages)  # Danish is the default language
    entries = _entries(ids, 3, 3, reason=" ")
    with pytest.raises(ValidationError) as exc:
        services.prioritisation_submit(prioritisation_round=prio_round, administration=reporter.administration,
                                       user=reporter, entries=entries)
    assert sum("begrundelsen" in m for m in exc.value.messages) == 6


def test_only_own_initiatives_and_own_administration(prio_round, copenhagen, reporter):
    sof_ids = _own(copenhagen, "SOF")
    with pytest.raises(ValidationError):
        services.prioritisation_submit(prioritisation_round=prio_round, administration=reporter.administration,
                                       user=reporter, entries=_entries(sof_ids, 3, 3))
    sof = copenhagen.municipality.administrations.get(code="SOF")
    with pytest.raises(PermissionDenied):
        services.prioritisation_submit(prioritisation_round=prio_round, administration=sof, user=reporter,
                                       entries=_entries(sof_ids, 3, 3))


def test_resubmission_replaces_and_overview_shows_budgets(prio_round, copenhagen, reporter, coordinator):
    ids = _own(copenhagen, "BUF")
    services.prioritisation_submit(prioritisation_round=prio_round, administration=reporter.administration,
                                   user=reporter, entries=_entries(ids, 6, 6))
    services.prioritisation_submit(prioritisation_round=prio_round, administration=reporter.administration,
                                   user=reporter, entries=_entries(ids, 3, 4))
    sof = copenhagen.municipality.administrations.get(code="SOF")
    sof_reporter = UserFactory(municipality=copenhagen.municipality, administration=sof, role=roles.ADMIN_REPORTER)
    services.prioritisation_submit(prioritisation_round=prio_round, administration=sof, user=sof_reporter,
                                   entries=_entries(_own(copenhagen, "SOF"), 3, 3))
    overview = selectors.prioritisation_overview(user=coordinator, prioritisation_round=prio_round)
    assert [c["prioritisation"].administration.code for c in overview] == ["BUF", "SOF"]
    buf = overview[0]
    assert [e["entry"].rank for e in buf["most"]] == [1, 2, 3] and len(buf["least"]) == 4
    assert all(e["budget"]["amount"] > 0 and e["budget"]["pl_max"] for e in buf["most"] + buf["least"]
               if e["budget"])
    assert any(e["budget"] for e in buf["most"])
    # a reporter sees only their own administration's ranking
    assert [c["prioritisation"].administration.code for c in selectors.prioritisation_overview(
        user=reporter, prioritisation_round=prio_round)] == ["BUF"]
