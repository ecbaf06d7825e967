"""A client generated from the published schema works against the running API without hand-fixes.

openapi-python-client (pinned in the test extras) generates a package from ``/api/v1/schema/`` of a live
server; the test imports it and lists indicator values with a knox token, parsed into the generated models,
through two pages.
"""
import importlib
import json
import os
import subprocess
import sys
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.models import Indicator
from indicators.tokens import api_token_issue

from .factories import IndicatorValueFactory, city

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


def _generate(live_server, tmp_path) -> Path:
    request = urllib.request.Request(f"{live_server.url}/api/v1/schema/?format=json")
    with urllib.request.urlopen(request) as response:  # the schema is public, as the docs page needs it
        (tmp_path / "schema.json").write_bytes(response.read())
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    out = tmp_path / "client"
    result = subprocess.run([str(GENERATOR), "generate", "--path", str(tmp_path / "schema.json"), "--meta", "none",
                             "--output-path", str(out)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    return out


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_lists_indicator_values_through_two_pages(copenhagen, api_client_user, live_server,
                                                                    tmp_path, monkeypatch):
    ind = Indicator.objects.get(programme=copenhagen, number=5)
    for year in (2010, 2011, 2012):
        IndicatorValueFactory(indicator=ind, area=city(copenhagen), period_start=date(year, 1, 1),
                              value=Decimal(f"{year - 2000}.25"))
    token, _expiry = api_token_issue(username=api_client_user.username, ttl=timedelta(days=1))

    package = _generate(live_server, tmp_path)
    monkeypatch.syspath_prepend(str(package.parent))
    for name in [m for m in sys.modules if m == package.name or m.startswith(f"{package.name}.")]:
        monkeypatch.delitem(sys.modules, name)
    client_module = importlib.import_module(package.name)
    listing = importlib.import_module(f"{package.name}.api.indicator_values.indicator_values_list")
    models = importlib.import_module(f"{package.name}.models")

    client = client_module.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")
    first = listing.sync(client=client, published=True, limit=2)
    assert isinstance(first, models.PaginatedIndicatorValueList), first
    # Not the last page: not counted (count=true would); the last page says how many there were.
    assert first.count is None and len(first.results) == 2 and first.next_
    assert all(isinstance(v, models.IndicatorValue) for v in first.results)
    assert [(v.period, v.period_start, v.value, v.area_name) for v in first.results] == [
        ("2010", date(2010, 1, 1), "10.2500", "København"), ("2011", date(2011, 1, 1), "11.2500", "København")]
    second = listing.sync(client=client, published=True, limit=2, offset=2)
    assert isinstance(second, models.PaginatedIndicatorValueList) and not second.next_ and second.count == 3
    assert [v.period for v in second.results] == ["2012"] and second.results[0].indicator_number == 5
    # The filters take what the generated signature says they take.
    since = listing.sync(client=client, period_from="2011-01-01", period_to="2011-Q4")
    assert [v.period for v in since.results] == ["2011"]
    # Nonsense is an answer the client parses too, not an exception.
    refused = listing.sync_detailed(client=client, limit=0)
    assert refused.status_code == 400 and "limit" in json.loads(refused.content)
    anonymous = client_module.Client(base_url=live_server.url)
    assert listing.sync_detailed(client=anonymous).status_code == 401
    # A suppressed small count of persons parses as None with suppressed set (the schema says value is nullable).
    young = Indicator.objects.get(programme=copenhagen, number=4)
    IndicatorValueFactory(indicator=young, area=city(copenhagen), value=Decimal(3))
    hidden = listing.sync(client=client, indicator=4)
    assert [(v.value, v.suppressed) for v in hidden.results] == [(None, True)]
    assert all(v.suppressed is False for v in first.results)


@pytest.mark.django_db(transaction=True)
def test_the_schema_is_the_same_whatever_language_the_caller_chose(copenhagen, live_server, settings):
    schemas = {}
    for language in ("da", "en"):  # the language menu's cookie (sikkerby.middleware.DanishFirstLocaleMiddleware)
        request = urllib.request.Request(f"{live_server.url}/api/v1/schema/?format=json",
                                         headers={"Cookie": f"{settings.LANGUAGE_COOKIE_NAME}={language}"})
        with urllib.request.urlopen(request) as response:
            schemas[language] = json.load(response)
    assert schemas["da"] == schemas["en"]  # so a generated client's names do not depend on who downloaded it
