"""Shared test fixtures: reference data, users per role, and the browser.

Reference data (the Copenhagen programme, its areas) is loaded once into the
test database; each test runs in a transaction that is rolled back. Browser
tests use a live server, whose transactional flush empties the database, so
``copenhagen`` loads the reference data again when it is missing.
"""
import os
from pathlib import Path

import pytest
from django.conf import settings

from accounts import roles
from initiatives.models import Programme
from initiatives.services import programme_load_file

from .factories import UserFactory

pytest_plugins = ["tests.xdist_groups"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")



def _broker_of_this_worker() -> None:
    """Under pytest-xdist (``make test`` runs two workers) each worker gets its own Redis database.

    Tests that start a real Celery worker or send messages would otherwise take each other's messages.
    Worker ``gwN`` uses the configured database number minus N (CI configures 15: 15 and 14). Celery
    reads ``CELERY_BROKER_URL`` from the environment before its configuration, so both are set; this
    runs when the conftest is imported, before any test module reads the setting.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    n = int(worker[2:])
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        url = getattr(settings, name, "") or ""
        base, _, db = url.rpartition("/")
        if url.startswith("redis://") and db.isdigit():
            url = f"{base}/{(int(db) - n) % 16}"
            setattr(settings, name, url)
            os.environ[name] = url


_broker_of_this_worker()

PROGRAMMES = Path(settings.BASE_DIR) / "fixtures" / "programmes"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _load_reference_data():
    programme_load_file(path=PROGRAMMES / "copenhagen.yaml")
    try:
        from areas.services import areas_load_copenhagen
    except ImportError:  # pragma: no cover - areas loader not present
        return
    areas_load_copenhagen(directory=Path(settings.BASE_DIR) / "fixtures" / "areas" / "copenhagen")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (throttle counts, run-once keys of scheduled tasks)."""
    from django.core.cache import cache
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (Danish). A request in English leaves English active in
    its thread afterwards, so without this a test's language would depend on which test its worker ran before."""
    from django.utils import translation
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture
def copenhagen(db) -> Programme:
    """The Copenhagen Sikker By programme as loaded from its YAML file."""
    programme = Programme.objects.filter(slug="sikker-by-2010").first()
    if programme is None:
        _load_reference_data()
        programme = Programme.objects.get(slug="sikker-by-2010")
    return programme


def _user(programme, role, admin_code=None, **kwargs):
    administration = None
    if admin_code:
        administration = programme.municipality.administrations.get(code=admin_code)
    return UserFactory(municipality=programme.municipality, administration=administration, role=role, **kwargs)


@pytest.fixture
def coordinator(copenhagen):
    return _user(copenhagen, roles.COORDINATOR, "ØKF", is_staff=True)


@pytest.fixture
def reporter(copenhagen):
    return _user(copenhagen, roles.ADMIN_REPORTER, "BUF")


@pytest.fixture
def ssp_consultant(copenhagen):
    return _user(copenhagen, roles.SSP_CONSULTANT, "BIF")


@pytest.fixture
def exit_expert(copenhagen):
    return _user(copenhagen, roles.EXIT_EXPERT, "SOF")


@pytest.fixture
def api_client_user(copenhagen):
    return _user(copenhagen, roles.API_CLIENT)


@pytest.fixture
def user_of_role(copenhagen):
    """Factory: a user of the named role (or None for anonymous) in Copenhagen."""
    admin_of = {roles.COORDINATOR: "ØKF", roles.ADMIN_REPORTER: "BUF", roles.SSP_CONSULTANT: "BIF",
                roles.EXIT_EXPERT: "SOF", roles.API_CLIENT: None, roles.MENTOR: "SOF",
                roles.DATA_PROTECTION: "ØKF"}

    def make(role):
        if role is None:
            return None
        return _user(copenhagen, role, admin_of[role], is_staff=role == roles.COORDINATOR)

    return make


# --- browser ----------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, headless, without the background traffic this closed network refuses."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture
def login(live_server, page):
    """Log a user in through the real login form; returns the page."""

    def do(user, password="pw-for-tests-123"):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Brugernavn").fill(user.username)
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_load_state("networkidle")
        return page

    return do


@pytest.hookimpl(tryfirst=True, specname="pytest_collection_modifyitems")
def pytest_collection_modifyitems_groups(items):
    """Under pytest-xdist (``--dist loadgroup``) the tests sharing an expensive session fixture stay on one
    worker: the production-topology tests (their own PostgreSQL cluster and collected static files) and
    the demo walk (the whole demo loaded once). This runs before xdist reads the groups."""
    for item in items:
        for marker in ("topology", "demo_walk"):
            if item.get_closest_marker(marker) is not None and item.get_closest_marker("xdist_group") is None:
                item.add_marker(pytest.mark.xdist_group(marker))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests that flush the database (live server, real worker, separate processes) run last.

    A live server's transactional flush empties the session's reference data; every database test after
    it would load the programme and its areas again (about 3 s a test). pytest reorders parametrized
    tests by their fixtures, so the order is pinned here rather than left to collection. ``make test``
    passes ``--no-loadscope-reorder`` so pytest-xdist hands the tests out in this order too (by default it
    sends its largest groups first, and the demo walk's flush would come first).
    """
    def flushes(item) -> bool:
        names = getattr(item, "fixturenames", ())
        return "live_server" in names or "transactional_db" in names or any(
            item.get_closest_marker(m) is not None for m in ("topology", "demo_walk"))
    items.sort(key=flushes)  # stable: keeps the order within each group
