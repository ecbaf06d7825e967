"""The login page with the municipalities' identity providers, in Chromium: one button per provider,
the local login under its own heading, and no WCAG 2.1 A/AA violation (axe)."""
import pytest

from accounts import roles
from accounts.sso.services import identity_provider_register
from initiatives.models import Municipality
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_lists_the_providers_accessibly(live_server, page, tmp_path):
    kk, _ = Municipality.objects.get_or_create(code="0101", defaults={"name": "Københavns Kommune"})
    identity_provider_register(municipality_code="0101", slug="kk", name="Københavns Kommune", protocol="oidc",
                               issuer="https://login.kk.example", client_id="sikkerby", client_secret="s",
                               role_mapping=[{"value": "g", "role": roles.COORDINATOR}])
    page.goto(f"{live_server.url}/login/?next=/programme/")
    link = page.get_by_role("link", name="Log ind med Københavns Kommune")
    assert link.get_attribute("href") == "/sso/kk/login/?next=/programme/"
    assert page.get_by_role("heading", name="Med en lokal bruger").is_visible()
    page.screenshot(path=str(tmp_path / "login.png"), full_page=True)
    assert_accessible(page)
