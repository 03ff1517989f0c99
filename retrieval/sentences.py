"""Sentence spans with exact offsets, so any sentence can be quoted verbatim.

A line break always ends a sentence: in these documents a line is a paragraph, a list item
or a table row. Within a line, a sentence ends at . ! or ? followed by white space and a
capital, a digit or an opening quote, unless the dot belongs to a known abbreviation.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int


# Abbreviations after which a dot does not end a sentence (compared case-insensitively).
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "no", "nr", "art", "ref", "cf", "vs", "mr", "ms", "mrs", "dr", "st"}
)
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*(?=\s+[\"“‘(\[*]*[A-Z0-9])")
# Markers that open a line but are not part of its sentence: bullets, then list numbers
# ("1. ", "1.1. "), whose dot must not be taken for the end of a sentence.
_LEADING_MARKER = re.compile(r"^\s*(?:[-•➤]\s+)?(?:\d+(?:\.\d+)*\.\s+)?")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Split ``text[start:end]`` into sentence spans (offsets into ``text``).

    Spans exclude surrounding white space and leading bullet markers, and never cross a line.
    """
    end = len(text) if end is None else end
    spans: list[Span] = []
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        line_end = end if newline == -1 else newline
        spans.extend(_line_sentences(text, pos, line_end))
        pos = line_end + 1
    return spans


def _line_sentences(text: str, start: int, end: int) -> list[Span]:
    line = text[start:end]
    marker = _LEADING_MARKER.match(line)
    offset = marker.end() if marker else 0
    spans: list[Span] = []
    sentence_start = offset
    for match in _BOUNDARY.finditer(line, offset):
        if _is_abbreviation(line, match.start()):
            continue
        spans.append(Span(sentence_start, match.end()))
        sentence_start = match.end()
    spans.append(Span(sentence_start, len(line)))
    result = []
    for s, e in spans:
        piece = line[s:e]
        stripped = piece.strip()
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip())
        result.append(Span(start + s + lead, start + s + lead + len(stripped)))
    return result


def _is_abbreviation(line: str, dot: int) -> bool:
    if line[dot] != ".":
        return False
    if re.search(r"[“\"‘(]\d{1,2}$", line[:dot]):
        return True  # a numbered heading quoted in a sentence: under “7. Information to …”
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", line[:dot])
    return bool(word and word.group(1).lower() in _ABBREVIATIONS)
