"""The texts of the widget, the pre-check form and the demo page in the official EU languages.

The widget asks for the list once (its language menu) and for one language's texts when it
starts or the candidate picks another. Both change only with a release: they are cacheable, and
carry an ETag so that a browser whose copy has expired revalidates it for the price of a 304.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response
from pydantic import BaseModel, Field

from assistant.api.schemas import ErrorBody
from assistant.locales import entries, languages

router = APIRouter(prefix="/api", tags=["locales"])

AREA = "widget"
# An hour: a release's new texts reach a visitor within it, and a widget on every page of a
# site does not ask again on each page.
CACHE_CONTROL = "public, max-age=3600"

CACHE_HEADERS: dict[str, Any] = {
    "Cache-Control": {"description": "Cacheable for an hour.", "schema": {"type": "string"}},
    "ETag": {
        "description": "Send it as `If-None-Match` to get 304 while it is current.",
        "schema": {"type": "string"},
    },
}
NOT_MODIFIED: dict[str, Any] = {"description": "Not modified: the `If-None-Match` ETag is current."}


class LanguageEntry(BaseModel):
    code: str = Field(description="ISO 639-1 code, e.g. `fr`.")
    name: str = Field(description="The language's name in the language itself, e.g. `Français`.")
    english: str = Field(description="The language's name in English.")
    reviewed: bool = Field(
        description="Whether a fluent reader has checked its texts; the widget says when not."
    )


class LocaleTexts(BaseModel):
    code: str = Field(description="ISO 639-1 code, e.g. `fr`.")
    name: str = Field(description="The language's name in the language itself.")
    reviewed: bool = Field(description="Whether a fluent reader has checked these texts.")
    texts: dict[str, str | dict[str, str]] = Field(
        description=(
            "Every text of the widget, the form and the demo page (`page.` keys), by key. A "
            "text is a template with `{placeholders}`; a text that depends on a count is an "
            "object of CLDR plural categories (`one`, `few`, `other`…). A key the language "
            "lacks has the English text."
        )
    )


@cache
def _listing() -> tuple[list[LanguageEntry], str]:
    listing = [
        LanguageEntry(code=lang.code, name=lang.name, english=lang.english, reviewed=lang.reviewed)
        for lang in languages().values()
    ]
    body = "".join(entry.model_dump_json() for entry in listing)
    return listing, _etag(body)


@cache
def _locale(code: str) -> tuple[LocaleTexts, str]:
    lang = languages()[code]
    own = entries(AREA, code)
    # English's keys, in its order: the widget can rely on every key being there.
    texts = {key: own.get(key, english) for key, english in entries(AREA, "en").items()}
    locale = LocaleTexts(code=code, name=lang.name, reviewed=lang.reviewed, texts=texts)
    return locale, _etag(locale.model_dump_json())


def _etag(body: str) -> str:
    return '"' + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32] + '"'


def _cached(request: Request, response: Response, etag: str) -> Response | None:
    """Sets the caching headers; a 304 when the client's copy is current, else None."""
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag}
    sent = request.headers.get("if-none-match", "")
    tags = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return None


@router.get(
    "/locales",
    response_model=list[LanguageEntry],
    summary="The languages of the widget",
    description=(
        "The 24 official languages of the EU that the widget, the pre-check form and the demo "
        "page speak, alphabetically by code, each named in itself (for a language menu)."
    ),
    responses={200: {"headers": CACHE_HEADERS}, 304: NOT_MODIFIED},
)
def list_locales(request: Request, response: Response) -> list[LanguageEntry] | Response:
    listing, etag = _listing()
    return _cached(request, response, etag) or listing


@router.get(
    "/locales/{code}",
    response_model=LocaleTexts,
    summary="The widget's texts in one language",
    description=(
        "Every text of the widget, the pre-check form and the demo page in the language `code` "
        "(one of `GET /api/locales`), with the English text for any key it lacks. A code "
        "that is not one of them: 404."
    ),
    responses={
        200: {"headers": CACHE_HEADERS},
        304: NOT_MODIFIED,
        404: {"model": ErrorBody, "description": "Not one of the widget's languages."},
    },
)
def locale_texts(
    code: Annotated[
        str,
        Path(
            description="ISO 639-1 code of the language, e.g. `fr`.",
            json_schema_extra={"enum": list(languages())},
        ),
    ],
    request: Request,
    response: Response,
) -> LocaleTexts | Response:
    if code not in languages():
        known = ", ".join(languages())
        raise HTTPException(
            status_code=404,
            detail=f"no language {code[:35]!r}: the widget speaks {known} (ISO 639-1 codes)",
        )
    locale, etag = _locale(code)
    return _cached(request, response, etag) or locale
