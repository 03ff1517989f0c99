"""The profile a candidate declares (input) and the pre-check result (output).

Validation is strict on purpose: a wrong type, an unknown country or language or a date that cannot
be right is refused with the field and the problem, instead of being coerced into something the
candidate did not say.

"In the future" is relative to an injectable clock, read from the validation context:

    Profile.model_validate(data, context={"today": date(2025, 6, 1)})
    Profile.model_validate(data, context={"now": aware_datetime})   # also checks submitted_at
    parse_profile(data, now=aware_datetime)                           # the same, as a function

Without a context the real current date and time are used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationInfo,
    field_validator,
)

from assistant.precheck.countries import COUNTRY_PATTERN, declared_country
from assistant.precheck.languages import (
    LANGUAGE_PATTERN,
    LEVEL_SPELLINGS,
    declared_language,
    normalize_level,
)
from assistant.precheck.spellings import ISO_DATE, ISO_DATE_TIME, dates_from

Status = Literal["met", "not_met", "unknown"]
Verdict = Literal["eligible", "not_eligible", "incomplete"]
Kind = Literal["eligibility", "job_requirement"]


def _iso_text(shape: re.Pattern[str], example: str) -> Callable[[Any], Any]:
    # JSON has no date type: dates arrive as ISO strings. Refusing numbers here stops pydantic's
    # lax mode from reading 1546300800 as a Unix timestamp the candidate never meant.
    def check(value: Any) -> Any:
        if isinstance(value, date) or (isinstance(value, str) and shape.fullmatch(value)):
            return value
        raise ValueError(f"expected an ISO 8601 string, e.g. {example}")

    return check


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            "date-time has no UTC offset; add one, e.g. 2025-04-20T10:00:00+02:00 (Brussels)"
        )
    return value


AwareDateTime = Annotated[
    datetime,
    BeforeValidator(_iso_text(ISO_DATE_TIME, "2025-04-20T10:00:00+02:00")),
    AfterValidator(_aware),
]
# The published schemas carry the validators' own tables: the codes and names (in any case) and
# the level spellings that are accepted.
CountryCode = Annotated[
    StrictStr,
    Field(json_schema_extra={"pattern": COUNTRY_PATTERN}),
    AfterValidator(declared_country),
]
LanguageCode = Annotated[
    StrictStr,
    Field(json_schema_extra={"pattern": LANGUAGE_PATTERN}),
    AfterValidator(declared_language),
]
LevelValue = Annotated[
    StrictStr,
    Field(json_schema_extra={"enum": list(LEVEL_SPELLINGS)}),
    AfterValidator(normalize_level),
]


def _clock(info: ValidationInfo) -> tuple[date, datetime | None]:
    """Today's date and, when given, the current instant, from the validation context."""
    context = info.context if isinstance(info.context, Mapping) else {}
    now = context.get("now")
    today = context.get("today")
    if now is not None and not (isinstance(now, datetime) and now.tzinfo is not None):
        raise TypeError("validation context 'now' must be an aware datetime")
    if today is None:
        today = now.date() if now is not None else date.today()
    if not isinstance(today, date):
        raise TypeError("validation context 'today' must be a date")
    return today, now


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LanguageSkill(_Strict):
    language: LanguageCode = Field(description="ISO 639-1 code or English name; stored as code.")
    level: LevelValue = Field(description="A1..C2 or 'native' (counted as C2).")


class Education(_Strict):
    years: Annotated[float, Field(strict=True, ge=0, le=20)] | None = Field(
        default=None, description="Years of completed university studies."
    )
    diploma: StrictBool | None = Field(default=None, description="Studies attested by a diploma.")


# No working life starts before this: an earlier year is a typing slip ("0019", "1019"), and read
# as given it would count thousands of months of experience.
EARLIEST_WORK = date(1950, 1, 1)
# The same bound in the schema: an ISO date of 1950 or later (not after today is checked only
# by the validator, as a schema cannot say "today").
IsoDate = Annotated[
    date,
    BeforeValidator(_iso_text(ISO_DATE, "2019-01-31")),
    Field(json_schema_extra={"pattern": dates_from(EARLIEST_WORK)}),
]
MAX_NATIONALITIES = 5
MAX_LANGUAGES = 30
MAX_PERIODS = 50


class Period(_Strict):
    start: IsoDate
    end: IsoDate | None = Field(description="Last day worked; null while the job is ongoing.")
    relevant: StrictBool | None = Field(
        default=None, description="Relevant to a domain of the recruiting units; null if unsure."
    )

    @field_validator("start", "end")
    @classmethod
    def _not_future(cls, value: date | None, info: ValidationInfo) -> date | None:
        today, _ = _clock(info)
        if value is not None and value > today:
            raise ValueError(f"{info.field_name} {value.isoformat()} is in the future")
        if value is not None and value < EARLIEST_WORK:
            year = EARLIEST_WORK.year
            raise ValueError(f"{info.field_name} {value.isoformat()} is before {year}: check it")
        return value

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if value is not None and isinstance(start, date) and value < start:
            raise ValueError(f"end {value.isoformat()} is before start {start.isoformat()}")
        return value


class Profile(_Strict):
    """What the candidate declares. Every field is optional: a missing one makes its criteria
    `unknown`, never `not_met`."""

    nationalities: list[CountryCode] | None = Field(
        default=None,
        max_length=MAX_NATIONALITIES,
        # The same code spelled twice ("BE", "be") is refused too, by _nationalities_once.
        json_schema_extra={"uniqueItems": True},
        description="ISO 3166-1 alpha-2 codes (EL = Greece) or English names, each once.",
    )
    full_citizen_rights: StrictBool | None = None
    military_service_fulfilled: StrictBool | None = Field(
        default=None, description="Obligations fulfilled, or none apply."
    )
    physically_fit: StrictBool | None = None
    character_references: StrictBool | None = None
    epso_cast: Literal["passed", "registered", "none"] | None = Field(
        default=None, description="EPSO CAST status for Function Group IV."
    )
    # A language given twice is allowed: its best level counts (a declared case).
    languages: list[LanguageSkill] | None = Field(default=None, max_length=MAX_LANGUAGES)
    education: Education | None = None
    experience: list[Period] | None = Field(default=None, max_length=MAX_PERIODS)
    submitted_at: AwareDateTime | None = Field(
        default=None, description="When the application was sent; needs a UTC offset."
    )

    @field_validator("nationalities")
    @classmethod
    def _nationalities_once(cls, value: list[str] | None) -> list[str] | None:
        for code in dict.fromkeys(c for c in value or [] if (value or []).count(c) > 1):
            raise ValueError(f"{code} is listed more than once: give each nationality once")
        return value

    @field_validator("submitted_at")
    @classmethod
    def _submitted_not_future(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None:
            return None
        today, now = _clock(info)
        if (now is not None and value > now) or (now is None and value.date() > today):
            raise ValueError(f"submitted_at {value.isoformat()} is in the future")
        return value


def parse_profile(data: Mapping[str, Any], *, now: datetime) -> Profile:
    """Validate a profile against the injected clock (dates after `now` are refused)."""
    return Profile.model_validate(data, context={"now": now})


# --- Output ---------------------------------------------------------------------------------


class Citation(BaseModel):
    model_config = ConfigDict(frozen=True)

    quote: str = Field(description="The call's exact words.")
    start: int = Field(description="Character offset of the quote in the call text.")
    end: int
    section: str = Field(description="Heading path, parts joined by ' › '.")


class Note(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    citation: Citation | None = None


class CriterionResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    kind: Kind
    status: Status
    reason: str
    citation: Citation
    notes: list[Note] = Field(default_factory=list)


class CallInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    deadline: datetime
    open: bool


class PrecheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    criteria: list[CriterionResult]
    call: CallInfo
    rules_version: str
    disclaimer: str


class PrecheckResponse(PrecheckResult):
    """A result as the API and the command line give it: with the language it is written in."""

    lang: str = Field(
        description="The language of the result's own words (ISO 639-1): labels, reasons, "
        "notes and disclaimer. The call's quotes stay its exact English words."
    )

    @classmethod
    def of(cls, result: PrecheckResult, lang: str) -> PrecheckResponse:
        return cls(**dict(result), lang=lang)


__all__ = [
    "CallInfo",
    "Citation",
    "CriterionResult",
    "Education",
    "Kind",
    "LanguageSkill",
    "Note",
    "Period",
    "PrecheckResponse",
    "PrecheckResult",
    "Profile",
    "Status",
    "Verdict",
    "parse_profile",
]
