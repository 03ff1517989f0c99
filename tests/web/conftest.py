"""Fixtures of the web tests: a real server on loopback (uvicorn in a thread, over the session's
index and model) and headless Chromium driven by Playwright.

Chromium is Debian's (``/usr/bin/chromium``), never a browser downloaded by Playwright. Without
it the browser tests are skipped, unless ``ASSISTANT_REQUIRE_BROWSER=1`` (set by CI), where they
fail: CI must never pass by skipping them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import uvicorn
from staff_helpers import PASSWORD, add_staff
from web_helpers import DESKTOP

from assistant.api.app import create_app
from assistant.runtime import Services

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

# Read at import: the autouse fixture of tests/conftest.py removes ASSISTANT_* variables.
REQUIRE_BROWSER = os.environ.get("ASSISTANT_REQUIRE_BROWSER") == "1"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _unavailable(reason: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (ASSISTANT_REQUIRE_BROWSER=1: the browser tests must run)")
    pytest.skip(reason)


def chromium_path() -> Path:
    found = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium") or CHROMIUM)
    if not found.exists():
        _unavailable("Debian's chromium is not installed (apt-get install chromium)")
    return found


@pytest.fixture(scope="session")
def live_server(services: Services) -> Iterator[str]:
    """The real app on a free loopback port, over the session's index; its base URL."""
    app = create_app(services=services)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server was not ready in time"
        try:
            # Ready, not just alive: the index, the model and the rules are loaded.
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    yield base
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(chromium_path()), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


CLIENT_ERROR = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")


class PageErrors:
    """Uncaught script errors and console errors of a page: a test ends with none."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, message: Any) -> None:
        # The browser logs every 4xx as an error; a test that sends bad input expects them.
        if message.type == "error" and not CLIENT_ERROR.match(message.text):
            self.errors.append(f"console: {message.text}")

    def on_error(self, error: Any) -> None:
        self.errors.append(f"page error: {error}")


@pytest.fixture
def context(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=DESKTOP, base_url=live_server, locale="en-GB")
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture(scope="session")
def staff_email(services: Services) -> str:
    """A staff account in the live server's database (password: staff_helpers.PASSWORD)."""
    email = "browser-staff@ec.europa.eu"
    add_staff(services.settings.database, email)
    return email


@pytest.fixture
def signed_in(context: BrowserContext, staff_email: str) -> BrowserContext:
    """The browser context signed in as staff, through the API (its cookies are the page's)."""
    response = context.request.post(
        "/api/auth/login", data={"email": staff_email, "password": PASSWORD}
    )
    assert response.status == 200, response.text()
    return context


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    errors = PageErrors()
    page.on("console", errors.on_console)
    page.on("pageerror", errors.on_error)
    yield page
    assert errors.errors == []
