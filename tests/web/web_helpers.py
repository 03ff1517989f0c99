"""Helpers shared by the browser tests."""

from __future__ import annotations

from typing import Any

from assistant.config import PROJECT_ROOT

# The screenshots referenced by the README, rewritten by every run of the browser tests.
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE_SHOT = {"width": 360, "height": 740}


def shot(page: Any, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Focus moves may have scrolled the page: show it from the top, as a visitor first sees it.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(
        path=str(SCREENSHOTS / name),
        full_page=full_page,
        animations="disabled",
        caret="hide",
        scale="css",
    )
