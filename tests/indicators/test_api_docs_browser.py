"""The API documentation pages in headless Chromium: they render under the site's CSP (no 'unsafe-inline')."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.a11y import WCAG_TAGS

# Redoc draws its vendor's logo from a CDN in its footer (no setting turns it off); the CSP blocks it, as it
# should, and Redoc hides the broken image. Nothing else may be blocked.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
# Swagger UI's own markup that no setting or stylesheet can change: an open operation's choice parameters are
# <select> elements without a label (the parameter's name is beside it, not tied to it).
SWAGGER_MARKUP = {"select-name"}


def _serious_violations(page, allowed=frozenset()):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
            if v["impact"] in ("serious", "critical") and v["id"] not in allowed]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_api_docs_render_under_the_csp(live_server, page, path):
    console, failed = [], []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("requestfailed", lambda r: failed.append(r.url))
    response = page.goto(f"{live_server.url}{path}")
    script_src = response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "nonce" not in script_src
    if path.endswith("docs/"):
        # Swagger UI's operations list, drawn from the schema: one block per operation.
        page.locator(".opblock").first.wait_for(timeout=20000)
        assert page.locator(".opblock").count() >= 30
        page.wait_for_load_state("networkidle")
        assert _serious_violations(page) == []
        values = page.locator(".opblock", has=page.locator(".opblock-summary-path",
                                                             has_text="/api/v1/indicator-values/")).first
        values.locator(".opblock-summary-control").click()  # open one operation: its parameters are shown
        page.locator(".parameters-container tr[data-param-name='period_from']").wait_for(timeout=10000)
    else:
        page.locator("[data-section-id^='tag/']").first.wait_for(timeout=20000)
    page.wait_for_load_state("networkidle")
    blocked = [m for m in console if ("Content Security Policy" in m or "Refused to" in m) and REDOC_LOGO not in m]
    assert blocked == [] and [u for u in failed if u != REDOC_LOGO] == [], (blocked, failed)
    page.screenshot(path=f"test-results/api-{path.strip('/').split('/')[-1]}.png", full_page=False)
    assert _serious_violations(page, SWAGGER_MARKUP) == []
