"""Helpers shared by the browser tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from assistant.config import PROJECT_ROOT

# Where the browser tests save what they saw: an ignored folder, so that a test run never
# changes tracked files. The README's screenshots are refreshed on purpose, by pointing this at
# them: SCREENSHOTS_DIR=docs/screenshots python -m pytest tests/web
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or PROJECT_ROOT / "build" / "screenshots")
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
