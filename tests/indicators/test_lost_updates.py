"""Issue #15 items 10 and 11: indicator-value drafts are never overwritten unseen, and a race of
saves numbers its revisions one by one and answers a conflict, never a 500."""
import re
import threading
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
import requests
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts import roles
from indicators import services
from indicators.models import Indicator, IndicatorValue, ValueStatus
from tests.factories import UserFactory

from .factories import IndicatorValueFactory, city


def _reporter(copenhagen, **kwargs):
    return UserFactory(municipality=copenhagen.municipality, role=roles.ADMIN_REPORTER,
                       administration=copenhagen.municipality.administrations.get(code="BUF"), **kwargs)


def _entry(copenhagen, **changes):
    ind = Indicator.objects.get(programme=copenhagen, number=5)  # BUF reports it
    return {"indicator": ind.pk, "area": city(copenhagen).pk, "period": "2011", "value": "7,5",
            "source": "BUF fraværsstatistik", "note": "", "version": "", **changes}


@pytest.mark.django_db
def test_a_new_entry_over_a_colleagues_draft_is_a_conflict_with_both_values(copenhagen):
    mine, theirs = Client(), Client()
    mine.force_login(_reporter(copenhagen))
    theirs.force_login(_reporter(copenhagen, first_name="Kirsten"))
    mine.post(reverse("set_language"), {"language": "en"})
    url = reverse("indicators:value_entry")
    assert theirs.post(url, _entry(copenhagen, value="9")).status_code == 302
    response = mine.post(url, _entry(copenhagen, value="7.5", source="Min kilde"))
    assert response.status_code == 409
    draft = IndicatorValue.objects.get()
    assert draft.value == Decimal("9") and draft.source == "BUF fraværsstatistik"
    rows = {r["name"]: r for r in response.context["conflict_rows"]}
    assert set(rows) == {"value", "source"}
    assert rows["source"] == {"name": "source", "label": "Source", "theirs": "BUF fraværsstatistik",
                              "yours": "Min kilde"}
    assert "A colleague saved a draft" in response.content.decode()
    # The form now carries the draft's version: saving again replaces it deliberately.
    again = response.context["form"]["version"].value()
    assert again == str(draft.version)
    assert mine.post(url, _entry(copenhagen, value="7.5", source="Min kilde", version=again)).status_code == 302
    draft.refresh_from_db()
    assert draft.value == Decimal("7.5") and draft.revision == 1 and draft.version == 2


@pytest.mark.django_db
def test_editing_a_draft_a_colleague_changed_meanwhile_is_a_conflict(copenhagen):
    reporter = _reporter(copenhagen)
    mine = Client()
    mine.force_login(reporter)
    url = reverse("indicators:value_entry")
    mine.post(url, _entry(copenhagen, value="9"))
    draft = IndicatorValue.objects.get()
    page = mine.get(f"{url}?value={draft.pk}")
    assert page.context["form"]["version"].value() == draft.version
    services.indicator_value_save(user=_reporter(copenhagen), indicator=draft.indicator, area=draft.area,
                                  period_type=draft.period_type, period_start=draft.period_start,
                                  value=Decimal("11"), source="Kollega", expected_version=draft.version)
    response = mine.post(url, _entry(copenhagen, value="10", version=draft.version))
    assert response.status_code == 409
    assert IndicatorValue.objects.get().value == Decimal("11")


@pytest.mark.django_db(transaction=True)
def test_a_race_of_sixteen_saves_numbers_revisions_once_and_answers_no_5xx(live_server, copenhagen):
    """16 reporters, each with their own logged-in session, save the same value at once, 4 times over.

    Each round revises the published value: exactly one request wins (a new draft revision),
    the other 15 are told of the conflict (409); then a coordinator approves, and the next round races again.
    """
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises every write to the whole database: no real race is possible there; "
                    "this test runs on PostgreSQL (DATABASE_URL=postgres://…)")
    indicator = Indicator.objects.get(programme=copenhagen, number=5)
    area = city(copenhagen)
    IndicatorValueFactory(indicator=indicator, area=area, period_start=date(2011, 1, 1),
                          value=Decimal("5"))  # revision 1, published
    coordinator = UserFactory(municipality=copenhagen.municipality, role=roles.COORDINATOR,
                              administration=copenhagen.municipality.administrations.get(code="ØKF"))
    url = live_server.url + reverse("indicators:value_entry")
    sessions = []
    for _ in range(16):
        django_client = Client()
        django_client.force_login(_reporter(copenhagen))
        s = requests.Session()
        s.cookies.set("sessionid", django_client.cookies["sessionid"].value)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', s.get(url, timeout=60).text).group(1)
        sessions.append((s, token))

    for round_no in range(1, 5):
        barrier = threading.Barrier(len(sessions))
        statuses: list[int] = []
        lock = threading.Lock()

        def post(s, token, i, round_no=round_no, barrier=barrier, statuses=statuses, lock=lock):
            data = {**_entry(copenhagen, value=f"{round_no}{i}", source=f"klient {i}"),
                    "csrfmiddlewaretoken": token}
            barrier.wait()
            answer = s.post(url, data=data, allow_redirects=False, timeout=120)
            with lock:
                statuses.append(answer.status_code)

        threads = [threading.Thread(target=post, args=(s, t, i)) for i, (s, t) in enumerate(sessions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not [c for c in statuses if c >= 500], statuses
        assert Counter(statuses) == {302: 1, 409: 15}, statuses
        revisions = list(IndicatorValue.objects.filter(indicator=indicator, area=area)
                         .order_by("revision").values_list("revision", flat=True))
        assert revisions == list(range(1, round_no + 2))  # exactly one revision per number
        draft = IndicatorValue.objects.get(indicator=indicator, area=area, revision=round_no + 1)
        assert draft.status == ValueStatus.DRAFT and draft.supersedes.revision == round_no
        services.indicator_value_submit(user=draft.entered_by, value=draft)
        services.indicator_value_approve(user=coordinator, value=draft)
