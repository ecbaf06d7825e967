"""Drill: PostgreSQL restarts while a coordinator keeps saving; every answer tells the truth about the write.

On the production topology (gunicorn with 2 workers on production settings, as the application's role).
A logged-in client POSTs the uneasy-areas form in a loop — each write a new quarter row with its own
text — while the cluster is restarted (``pg_ctl restart -m fast``) twice. Then, in the database:

- every answer is a redirect (saved) or 503 (not saved): never 500, never 400;
- every write answered with success is there, every write answered with an error is not.

The session's refresh interval is 1 s here, so refreshes in the request phase meet the restarts too.
"""
import threading
import time

import pytest
import requests

pytestmark = pytest.mark.topology

MAX_WRITES = 400
MAX_SECONDS = 90
RESTARTS = 2


def test_database_restart_never_answers_a_write_wrongly(deployment, coordinator_credentials):
    dep = deployment
    dep.extra_env["SESSION_REFRESH_INTERVAL"] = "1"
    dep.start_web()
    client = dep.client()
    client.login(coordinator_credentials["username"], coordinator_credentials["password"])

    restarts_done: list[float] = []

    def restart_twice():
        for _ in range(RESTARTS):
            time.sleep(1.5)
            dep.pg.restart()
            restarts_done.append(time.monotonic())

    restarter = threading.Thread(target=restart_twice, daemon=True)
    answers: dict[int, int] = {}
    started = time.monotonic()
    restarter.start()
    for i in range(MAX_WRITES):
        if time.monotonic() - started > MAX_SECONDS:
            break
        if len(restarts_done) == RESTARTS and time.monotonic() - restarts_done[-1] > 2:
            break  # both restarts over, and the service has been seen working after the last
        try:
            r = client.post("/key-figures/uneasy-areas/", {
                "year": 2100 + i, "quarter": 1, "interrogations_12_17": i, "ssp_single_cases": 1,
                "ssp_assessment": f"drill-{i}"}, follow=False, timeout=30)
            answers[i] = r.status_code
        except requests.RequestException:
            answers[i] = 0  # no answer at all
    restarter.join(timeout=120)
    assert len(restarts_done) == RESTARTS, "the cluster did not restart"

    saved = {int(text.removeprefix("drill-")) for text in dep.pg.sql(
        "SELECT ssp_assessment FROM crimestats_uneasyareasaddendum WHERE ssp_assessment LIKE 'drill-%'",
        dep.database).split()}
    ok = [i for i, s in answers.items() if s == 302]
    unavailable = [i for i, s in answers.items() if s == 503]
    wrong = {i: s for i, s in answers.items() if s not in (302, 503)}
    lost = [i for i in ok if i not in saved]
    ghost = [i for i in answers if answers[i] != 302 and i in saved]
    print(f"\nPostgreSQL restart drill: {len(answers)} writes, {len(ok)} saved (302), {len(unavailable)} "
          f"answered 503, other answers {wrong}, success-but-missing {lost}, error-but-committed {ghost}")
    assert unavailable, "no write met the restart: the drill proved nothing"
    assert ok[-1] > unavailable[-1], "the service did not come back after the restart"
    assert wrong == {}
    assert lost == [] and ghost == []
