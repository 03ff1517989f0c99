"""Candidates' words for the sources' words, and topics the call does not cover.

``thesaurus.toml`` is language knowledge only: which words mean the same. A matched phrase adds
the sources' words to the search and counts as covered wherever they occur, so that
"take-home pay" finds "basic salary". No answer is ever taken from it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from retrieval.text import WORD, content_words, stem

THESAURUS = Path(__file__).with_name("thesaurus.toml")


@dataclass(frozen=True)
class Synonym:
    pattern: re.Pattern[str]
    means: str


def _synonyms(entries: list[dict[str, object]], key: str) -> tuple[Synonym, ...]:
    synonyms = []
    for entry in entries:
        # Longest first, so "pay scale" wins over "pay" inside one alternation.
        asks = entry["asks"]
        assert isinstance(asks, list)
        phrases = sorted(map(str, asks), key=len, reverse=True)
        alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
        pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I)
        synonyms.append(Synonym(pattern, str(entry[key])))
    return tuple(synonyms)


@cache
def _thesaurus_file() -> dict[str, list[dict[str, object]]]:
    return tomllib.loads(THESAURUS.read_text(encoding="utf-8"))


@cache
def thesaurus() -> tuple[Synonym, ...]:
    return _synonyms(_thesaurus_file()["entry"], "means")


@cache
def related_topics() -> tuple[Synonym, ...]:
    return _synonyms(_thesaurus_file()["related"], "near")


@cache
def thesaurus_words() -> frozenset[str]:
    """Every word of the thesaurus: the spelling of candidates' words the corpus lacks."""
    return frozenset(re.findall(r"[a-z]{3,}", THESAURUS.read_text(encoding="utf-8").lower()))


def near_groups(text: str, mentioned: Callable[[str], bool]) -> list[frozenset[str]]:
    """For topics the call does not cover, the words of what it says nearby (as stem groups).

    A listed topic that the sources do mention after all ("children" in migration, not as
    dependants) is no uncovered topic: the sentences that mention it may answer.
    """
    groups = []
    for synonym in related_topics():
        if any(not mentioned(m.group(0)) for m in synonym.pattern.finditer(text)):
            groups.append(frozenset(map(stem, WORD.findall(synonym.means))))
    return groups


def term_groups(text: str) -> list[frozenset[str]]:
    """The question's topics as groups of stems: a word, or a phrase with the call's words for it.

    A topic counts as covered by a sentence holding any stem of its group: "take-home" is
    covered by "salary". Words inside a matched phrase are not topics of their own.
    """
    groups: list[frozenset[str]] = []
    inside: set[str] = set()
    for synonym in thesaurus():
        for match in synonym.pattern.finditer(text):
            words = content_words(match.group(0))
            inside.update(words)
            groups.append(frozenset(map(stem, [*words, *WORD.findall(synonym.means)])))
    # A compound stays whole: "part-time" is not covered by "part" and "time".
    groups += [frozenset({stem(w)}) for w in content_words(text) if w not in inside]
    return list(dict.fromkeys(groups))


def expansions(text: str) -> list[str]:
    """The call's words for the phrases of ``text`` that the thesaurus knows."""
    return list(dict.fromkeys(s.means for s in thesaurus() if s.pattern.search(text)))
