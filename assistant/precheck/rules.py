"""The criteria of a call, read from its rules file and tied to the call's own words.

The rules file (TOML, next to the call in the corpus) has one ``[[criteria]]`` table per criterion.
Each quotes the clause it implements; loading finds every quote in the call text and fails if one
is missing, so a rule cannot drift from the call it claims to implement. All thresholds (levels,
years, months, offsets) live in the file; the engine only knows how to apply them.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
)

from assistant.precheck.languages import language_code, level_rank, normalize_level
from assistant.precheck.models import Citation, Kind
from retrieval.corpus import Corpus, SourceDocument
from retrieval.errors import CorpusError

SECTION_SEPARATOR = " › "
# Numbered top-level headings of a call ("3. WE LOOK FOR"), used to check a quote's section.
_TOP_HEADING = re.compile(r"^\d+\. [A-Z][A-Z ?']+$")

CRITERION_IDS: tuple[str, ...] = (
    "nationality",
    "citizen_rights",
    "military_service",
    "physical_fitness",
    "character_references",
    "epso_cast",
    "main_language",
    "second_language",
    "english",
    "education",
    "experience_total",
    "experience_relevant",
    "deadline",
)

DeclarationId = Literal[
    "citizen_rights", "military_service", "physical_fitness", "character_references"
]
LevelParam = Annotated[StrictStr, AfterValidator(normalize_level)]


def _utc_offset(value: str) -> str:
    # "+01:00": the offset the call's literal wording implies (e.g. CET), used to flag ambiguity.
    try:
        datetime.strptime(value, "%z")
    except ValueError:
        raise ValueError(f"{value!r} is not a UTC offset like +01:00") from None
    return value


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quote(_Spec):
    """A passage of the call that a rule quotes besides its clause (how to register, ...)."""

    text: StrictStr = Field(min_length=1)
    section: StrictStr = Field(min_length=1)
    occurrence: StrictInt | None = Field(default=None, ge=1)


class _Criterion(_Spec):
    label: StrictStr = Field(min_length=1)
    kind: Kind
    clause: StrictStr = Field(min_length=1, description="Verbatim words of the call.")
    section: StrictStr = Field(min_length=1)
    occurrence: StrictInt | None = Field(
        default=None, ge=1, description="Which occurrence, when the clause occurs more than once."
    )

    def quotes(self) -> Iterator[tuple[str, Quote]]:
        """The supporting quotes, by field name."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Quote):
                yield name, value

    def levels(self) -> Iterator[str]:
        """CEFR levels among the parameters; each must appear in the clause that states it."""
        return iter(())


class NationalityRule(_Criterion):
    id: Literal["nationality"]


class DeclarationRule(_Criterion):
    """A condition the candidate can only declare: rights, military service, fitness, references."""

    id: DeclarationId
    check: Quote | None = Field(default=None, description="How the Commission checks it later.")


class EpsoCastRule(_Criterion):
    id: Literal["epso_cast"]
    function_group: StrictStr
    registration_suffices: StrictBool
    how_to_register: Quote
    which_profile: Quote | None = None
    registration_link: Quote | None = None
    later_tests: Quote | None = None


class LanguageRule(_Criterion):
    id: Literal["main_language", "second_language"]
    min_level: LevelParam

    def levels(self) -> Iterator[str]:
        yield self.min_level


class EnglishRule(_Criterion):
    id: Literal["english"]
    language: Annotated[StrictStr, AfterValidator(language_code)]
    min_level: LevelParam

    def levels(self) -> Iterator[str]:
        yield self.min_level


class EducationRule(_Criterion):
    id: Literal["education"]
    min_years: StrictInt = Field(ge=1)
    diploma_required: StrictBool


class ExperienceRule(_Criterion):
    id: Literal["experience_total", "experience_relevant"]
    min_months: StrictInt = Field(ge=1)


class DeadlineRule(_Criterion):
    id: Literal["deadline"]
    stated_utc_offset: Annotated[StrictStr, AfterValidator(_utc_offset)]
    late: Quote | None = None


Criterion = Annotated[
    NationalityRule
    | DeclarationRule
    | EpsoCastRule
    | LanguageRule
    | EnglishRule
    | EducationRule
    | ExperienceRule
    | DeadlineRule,
    Field(discriminator="id"),
]


class RulesFile(_Spec):
    reference: StrictStr = Field(description="The call these rules implement.")
    criteria: list[Criterion]


@dataclass(frozen=True)
class RuleSet:
    """The validated criteria of one call, with every quote located in the call text."""

    reference: str
    call_id: str
    deadline: datetime
    contact: str | None
    version: str
    path: Path
    criteria: tuple[Criterion, ...]
    citations: Mapping[str, Citation]

    def citation(self, key: str) -> Citation:
        """The clause of a criterion (`english`) or a further quote (`epso_cast.later_tests`)."""
        return self.citations[key]

    def get(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def stated_deadline(self, offset: str) -> datetime:
        """The deadline's wall-clock time read at a fixed offset (the call's literal wording)."""
        parsed = datetime.strptime(offset, "%z").utcoffset()
        assert parsed is not None  # strptime with %z always yields an offset
        return self.deadline.replace(tzinfo=timezone(parsed))


def load_rules(corpus: Corpus, reference: str | None = None) -> RuleSet:
    """Read the rules file of a call and check every quote against the call's text.

    Raises CorpusError naming the file and the criterion when the file is missing, malformed,
    incomplete, for another call, or quotes words that are not in the call.
    """
    call = corpus.call(reference)
    if call.entry.rules is None:
        raise CorpusError(f"call {call.id!r} has no `rules` file in the manifest")
    if call.deadline is None:
        raise CorpusError(f"call {call.id!r} has no deadline in the manifest")
    path = corpus.root / call.entry.rules
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise CorpusError(f"rules file {path} of call {call.id!r} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"rules file {path} cannot be read: {exc}") from exc
    spec = _validate(data, path)
    if spec.reference != call.entry.reference:
        raise CorpusError(
            f"rules file {path} is for {spec.reference!r}, not for call {call.entry.reference!r}"
        )
    _check_ids(spec, path)
    citations: dict[str, Citation] = {}
    for criterion in spec.criteria:
        where = f"rules file {path}, criterion {criterion.id!r}"
        citations[criterion.id] = _locate(
            call, criterion.clause, criterion.section, criterion.occurrence, where
        )
        for level in criterion.levels():
            if level not in criterion.clause:
                raise CorpusError(f"{where}: level {level} is not stated in its clause")
        for name, quote in criterion.quotes():
            citations[f"{criterion.id}.{name}"] = _locate(
                call, quote.text, quote.section, quote.occurrence, f"{where}, quote {name!r}"
            )
        if isinstance(criterion, DeadlineRule):
            _check_deadline_clause(criterion, call.deadline, where)
    _check_language_levels(spec, path)
    return RuleSet(
        reference=spec.reference,
        call_id=call.id,
        deadline=call.deadline,
        contact=call.entry.contact,
        version="sha256:" + hashlib.sha256(raw).hexdigest()[:12],
        path=path,
        criteria=tuple(spec.criteria),
        citations=MappingProxyType(citations),
    )


def _validate(data: dict[str, Any], path: Path) -> RulesFile:
    try:
        return RulesFile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}"
            for err in exc.errors()
        )
        raise CorpusError(f"rules file {path} is invalid ({problems})") from None


def _check_ids(spec: RulesFile, path: Path) -> None:
    ids = [c.id for c in spec.criteria]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    missing = [i for i in CRITERION_IDS if i not in ids]
    if duplicates:
        raise CorpusError(f"rules file {path} defines {', '.join(duplicates)} more than once")
    if missing:
        # Every criterion is required: a silently absent one would make a profile look eligible.
        raise CorpusError(f"rules file {path} lacks criteria {', '.join(missing)}")


def _locate(
    call: SourceDocument, text: str, section: str, occurrence: int | None, where: str
) -> Citation:
    starts = _occurrences(call.text, text)
    if not starts:
        raise CorpusError(f"{where}: the quote {text!r} is not found verbatim in {call.path}")
    if occurrence is None and len(starts) > 1:
        raise CorpusError(
            f"{where}: the quote occurs {len(starts)} times in {call.path}; set `occurrence`"
        )
    index = (occurrence or 1) - 1
    if index >= len(starts):
        raise CorpusError(f"{where}: occurrence {occurrence} requested, found {len(starts)}")
    start = starts[index]
    _check_section(call, section, start, where)
    return Citation(quote=text, start=start, end=start + len(text), section=section)


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, at = [], haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _check_section(call: SourceDocument, section: str, start: int, where: str) -> None:
    # Each part of the section path must be a heading line of the call, in order, before the
    # quote: it catches a typo and a quote filed under the wrong heading.
    lines = call.text.splitlines(keepends=True)
    offsets, pos = [], 0
    for line in lines:
        offsets.append((pos, line.strip()))
        pos += len(line)
    cursor = -1
    for part in section.split(SECTION_SEPARATOR):
        heads = [o for o, stripped in offsets if stripped == part and cursor < o < start]
        if not heads:
            raise CorpusError(
                f"{where}: section {part!r} is not a heading line before the quote in {call.path}"
            )
        cursor = heads[-1]
    top = section.split(SECTION_SEPARATOR)[0]
    later = [s for o, s in offsets if _TOP_HEADING.match(s) and s != top and cursor < o < start]
    if later:
        raise CorpusError(f"{where}: the quote sits under {later[-1]!r}, not under {top!r}")


def _check_language_levels(spec: RulesFile, path: Path) -> None:
    # The engine checks the second language as "two official languages at its level", which is
    # only the call's rule when the main language's level is at least the second's.
    levels = {c.id: c.min_level for c in spec.criteria if isinstance(c, LanguageRule)}
    if level_rank(levels["main_language"]) < level_rank(levels["second_language"]):
        raise CorpusError(
            f"rules file {path}: main_language's level must be at least second_language's"
        )


def _check_deadline_clause(rule: DeadlineRule, deadline: datetime, where: str) -> None:
    # The date and time come from the manifest; the clause must state the same ones.
    for token in (deadline.strftime("%d/%m/%Y"), deadline.strftime("%H:%M")):
        if token not in rule.clause:
            raise CorpusError(f"{where}: the clause does not state the deadline's {token}")
