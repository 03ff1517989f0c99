"""The web front: the demo host page (``/``), the staff pages (helpdesk, feedback review,
sign-in), and the widget's files.

The widget is served at a stable path (``/widget/widget.js``) so that a host page embeds it with
one script tag. Pages load external scripts and styles only: no inline code, so that a strict
Content-Security-Policy (``default-src 'self'``) holds.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from assistant.api.auth import identify
from assistant.api.deps import ServicesDep
from assistant.staff.errors import CsrfRejected, NotSignedIn

WEB_DIR = Path(__file__).resolve().parent.parent.parent / "web"

router = APIRouter(include_in_schema=False)


@router.get("/")
def demo_page() -> FileResponse:
    return FileResponse(WEB_DIR / "site" / "index.html", media_type="text/html")


@router.get("/signin")
def signin_page() -> FileResponse:
    return FileResponse(WEB_DIR / "site" / "signin.html", media_type="text/html")


@router.get("/helpdesk", response_model=None)
async def helpdesk_page(request: Request, services: ServicesDep) -> FileResponse | RedirectResponse:
    return await _staff_page(request, services, "helpdesk.html")


@router.get("/feedback", response_model=None)
async def feedback_page(request: Request, services: ServicesDep) -> FileResponse | RedirectResponse:
    return await _staff_page(request, services, "feedback.html")


async def _staff_page(
    request: Request, services: ServicesDep, name: str
) -> FileResponse | RedirectResponse:
    """The page for a signed-in staff member; anyone else is sent to sign in first, and back."""
    try:
        staff = await run_in_threadpool(identify, request, services)
    except (NotSignedIn, CsrfRejected):
        staff = None
    # Never cached: whether the page or the redirect is the answer depends on the sign-in,
    # which a browser's heuristic cache of a static file would not see end.
    headers = {"Cache-Control": "no-store"}
    if staff is None:
        path = f"/signin?next={quote(request.url.path)}"
        return RedirectResponse(path, status_code=303, headers=headers)
    return FileResponse(WEB_DIR / "site" / name, media_type="text/html", headers=headers)


def install_web(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/widget", StaticFiles(directory=WEB_DIR / "widget"), name="widget")
    app.mount("/site", StaticFiles(directory=WEB_DIR / "site"), name="site")
