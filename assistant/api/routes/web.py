"""The web front: the demo host page (``/``), the helpdesk page, and the widget's files.

The widget is served at a stable path (``/widget/widget.js``) so that a host page embeds it with
one script tag. Pages load external scripts and styles only: no inline code, so that a strict
Content-Security-Policy (``default-src 'self'``) holds.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

WEB_DIR = Path(__file__).resolve().parent.parent.parent / "web"

router = APIRouter(include_in_schema=False)


@router.get("/")
def demo_page() -> FileResponse:
    return FileResponse(WEB_DIR / "site" / "index.html", media_type="text/html")


@router.get("/helpdesk")
def helpdesk_page() -> FileResponse:
    return FileResponse(WEB_DIR / "site" / "helpdesk.html", media_type="text/html")


def install_web(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/widget", StaticFiles(directory=WEB_DIR / "widget"), name="widget")
    app.mount("/site", StaticFiles(directory=WEB_DIR / "site"), name="site")
