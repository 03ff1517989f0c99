"""The eligibility pre-check of a declared profile."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from assistant.api.deps import NowDep, ProfileDep, RuntimeDep
from assistant.api.schemas import ERROR_RESPONSES, RATE_LIMITED_RESPONSES
from assistant.locales import DEFAULT, languages, resolve
from assistant.precheck import PrecheckResponse, evaluate

router = APIRouter(prefix="/api", tags=["precheck"])

PROFILE_EXAMPLE: dict[str, Any] = {
    "nationalities": ["BE"],
    "full_citizen_rights": True,
    "military_service_fulfilled": True,
    "physically_fit": True,
    "character_references": True,
    "epso_cast": "passed",
    "languages": [{"language": "fr", "level": "native"}, {"language": "en", "level": "C1"}],
    "education": {"years": 3, "diploma": True},
    "experience": [{"start": "2019-09-01", "end": None, "relevant": True}],
    "submitted_at": "2025-04-20T10:00:00+02:00",
}

# Examples for /docs; the schema of the body is set to Profile's in openapi.py.
PROFILE_BODY: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {
                "examples": {
                    "eligible": {"summary": "A complete profile", "value": PROFILE_EXAMPLE},
                    "partial": {
                        "summary": "A partial profile (missing answers give `unknown`)",
                        "value": {"nationalities": ["Norway"], "epso_cast": "registered"},
                    },
                },
            }
        },
    }
}

LangQuery = Annotated[
    str | None,
    Query(
        description=(
            "The language of the result's own words (labels, reasons, notes, disclaimer): one of "
            "the 24 official EU languages, as an ISO 639-1 code or a tag such as `pl-PL`. "
            "Without it, `Accept-Language` decides; an unknown language gives English. The "
            "call's quotes stay in English."
        ),
        examples=["pl"],
    ),
]
AcceptLanguage = Annotated[
    str | None,
    Header(description="Used when `lang` is not given: the first of its languages we speak."),
]


def accepted_language(header: str | None) -> str | None:
    """The preferred one of the 24 languages in an ``Accept-Language`` header ("de-AT,de;q=0.9,
    en;q=0.8" → "de"); None when it names none of them."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0  # a malformed weight: not a language the client asks for
        if weight > 0:
            ranked.append((-weight, position, tag.strip()))
    for _, _, tag in sorted(ranked):
        code = resolve(tag)
        # resolve() gives English for an unknown tag: only an explicit "en" counts as English.
        if code in languages() and (code != DEFAULT or tag.lower().startswith(DEFAULT)):
            return code
    return None


@router.post(
    "/precheck",
    response_model=PrecheckResponse,
    summary="Pre-check eligibility",
    description=(
        "Checks a self-declared profile against each criterion of the call: `met`, `not_met` "
        "or `unknown` (not declared), each with the call's exact words. Every field is "
        "optional. Dates must not be in the future; `submitted_at` needs a UTC offset and "
        "adds the deadline criterion. The result's own words are in `lang` (or the "
        "`Accept-Language` language); the quotes stay in English. Indicative only: see "
        "`disclaimer`. The profile is neither stored nor logged."
    ),
    responses={**ERROR_RESPONSES, **RATE_LIMITED_RESPONSES},
    openapi_extra=PROFILE_BODY,
)
def precheck(
    profile: ProfileDep,
    runtime: RuntimeDep,
    now: NowDep,
    response: Response,
    lang: LangQuery = None,
    accept_language: AcceptLanguage = None,
) -> PrecheckResponse:
    code = resolve(lang) if lang else (accepted_language(accept_language) or DEFAULT)
    # The words depend on Accept-Language: a cache must not give one language's result to another.
    response.headers["Content-Language"] = code
    response.headers["Vary"] = "Accept-Language"
    return PrecheckResponse.of(evaluate(profile, runtime.rules(), now=now, lang=code), code)
