"""axe-core over every page, as a visitor and as staff see them: 0 violations of any impact.

axe-core comes from npm (`.ci/run` installs it outside the checkout and names its file in
``ASSISTANT_AXE_JS``). Without it the tests are skipped, unless ``ASSISTANT_REQUIRE_AXE=1``
(set by CI), where they fail. The script is evaluated through the browser's debugging protocol,
which the pages' Content-Security-Policy (no inline scripts) does not govern.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect
from staff_helpers import PASSWORD
from test_browser import ask, open_widget
from web_helpers import DESKTOP

from assistant.locales import catalog

pytestmark = pytest.mark.server

# Read at import: the autouse fixture of tests/conftest.py removes ASSISTANT_* variables.
AXE_JS = os.environ.get("ASSISTANT_AXE_JS", "")
REQUIRE_AXE = os.environ.get("ASSISTANT_REQUIRE_AXE") == "1"
# Every rule axe-core has for WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def axe_source() -> str:
    path = Path(AXE_JS) if AXE_JS else None
    if path is None or not path.is_file():
        reason = "axe-core is not installed (npm install axe-core; ASSISTANT_AXE_JS=…/axe.min.js)"
        if REQUIRE_AXE:
            pytest.fail(f"{reason} (ASSISTANT_REQUIRE_AXE=1: the accessibility checks must run)")
        pytest.skip(reason)
    return path.read_text(encoding="utf-8")


def violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each: rule, impact, where."""
    page.evaluate(axe_source() + "\n;undefined")
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3),
            }));
        }""",
        TAGS,
    )
    return [f"{v['id']} ({v['impact']}): {', '.join(v['targets'])}" for v in found]


@pytest.fixture
def visitor(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    # axe-core sets inline styles while it measures, which the pages' policy would refuse.
    context = browser.new_context(
        viewport=DESKTOP, base_url=live_server, locale="en-GB", bypass_csp=True
    )
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(visitor: BrowserContext) -> Page:
    return visitor.new_page()


def test_the_demo_page_with_the_widget_closed_and_open(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("button", name="Open the assistant")).to_be_visible()
    assert violations(page) == []
    open_widget(page)
    assert violations(page) == []
    # With a conversation: an answer, its citations, the rating buttons.
    ask(page, "How long is the probationary period?")
    assert violations(page) == []


def test_the_sign_in_page(page: Page) -> None:
    page.goto("/signin")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert violations(page) == []


def test_the_staff_pages(visitor: BrowserContext, staff_email: str) -> None:
    response = visitor.request.post(
        "/api/auth/login", data={"email": staff_email, "password": PASSWORD}
    )
    assert response.status == 200, response.text()
    page = visitor.new_page()
    for path in ("/helpdesk", "/feedback"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path


@pytest.mark.parametrize(("locale", "code"), [("fr-BE", "fr"), ("el-GR", "el")])
def test_the_demo_page_and_the_widget_in_another_language(
    browser: Browser, live_server: str, locale: str, code: str
) -> None:
    # The visitor's browser language picks the page's and the widget's: the language menu, the
    # note on unchecked texts and the lang attributes are all there for axe-core to check.
    texts = catalog("widget", code)
    context = browser.new_context(
        viewport=ViewportSize(width=DESKTOP["width"], height=DESKTOP["height"]),
        base_url=live_server,
        locale=locale,
        bypass_csp=True,
    )
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto("/")
        launcher = page.get_by_role("button", name=texts.text("widget.open"))
        expect(launcher).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", code)
        assert violations(page) == []
        launcher.click()
        expect(page.get_by_role("combobox", name=texts.text("language.label"))).to_have_value(code)
        assert violations(page) == []
        page.get_by_role("button", name=texts.text("chat.suggestion_probation")).click()
        expect(
            page.locator("call-assistant-widget li.msg-assistant:not([aria-busy])")
        ).to_have_count(1)
        assert violations(page) == []
        page.get_by_role("tab", name=texts.text("widget.tab_precheck")).click()
        page.get_by_label(texts.text("precheck.nationalities"), exact=True).fill("Belgium")
        page.get_by_role("button", name=texts.text("precheck.check")).click()
        expect(page.locator("call-assistant-widget .pc-result")).to_be_visible()
        assert violations(page) == []
    finally:
        context.close()
