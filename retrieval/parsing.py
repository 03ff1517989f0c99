"""Parse a markdown-like source document into section-aware passages with exact offsets.

The documents are plain text as published: numbered all-caps headings ("1. ABOUT US"),
short sub-heading lines ("Who we are"), ``- `` bullets whose text may run on over several
paragraphs, tab-separated table rows, and footnotes (¹ … ⁵) defined far from where they are
referenced. The parser walks the lines once, builds elements (paragraph, list item, table
row, footnote), gives each a section path, then cuts long elements into passages at sentence
boundaries. Every passage satisfies ``document[start:end] == text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from retrieval.sentences import sentence_spans

# Bump when the parser's output changes, so that existing indexes are rebuilt.
PARSER_VERSION = "1"

SECTION_SEPARATOR = " › "
INTRODUCTION = "Introduction"
MAX_PASSAGE_CHARS = 900  # all-MiniLM-L6-v2 reads 256 word pieces; longer text is cut off

PassageKind = Literal["paragraph", "list_item", "table_row", "footnote"]

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_NUMBERED_HEADING = re.compile(r"^\d+\.\s+[A-Z][A-Z0-9 ,'’?&/()-]*$")
_BULLET = re.compile(r"^(\s*)[-•]\s+")
_NUMBERED = re.compile(r"^(\s*)\d+(?:\.\d+)*\.\s+\S")
_FOOTNOTE_DEF = re.compile(rf"^([{SUPERSCRIPTS}]+)\s")
_FOOTNOTE_REF = re.compile(rf"(?<=\S)\s?([{SUPERSCRIPTS}]+)")
_UNIT = re.compile(
    r"\b[Uu]nit\s+(?:\*\*)?(?P<code>[A-Z]{2,}\.(?:[A-Z]\.)?\d{1,2})\b(?:\s*“(?P<name>[^”]+)”)?"
)
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


class Passage(BaseModel):
    """A verbatim slice of a document with the path of the section it belongs to."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    section_path: tuple[str, ...]
    kind: PassageKind
    start: int
    end: int
    text: str
    footnotes: tuple[str, ...] = ()
    part: int = 0

    @property
    def id(self) -> str:
        return f"{self.doc_id}:{self.start}-{self.end}"

    @property
    def section(self) -> str:
        return SECTION_SEPARATOR.join(self.section_path)


@dataclass
class _Line:
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class _Element:
    kind: PassageKind
    path: tuple[str, ...]
    start: int
    end: int
    bullet: bool = False  # a "- " item, which may run on over following paragraphs
    marker: str = ""  # footnote marker of a footnote definition
    refs: list[str] = field(default_factory=list)


def parse_document(doc_id: str, text: str) -> list[Passage]:
    """All passages of a document, in reading order."""
    elements = _elements(text)
    _attach_footnotes(elements, text)
    passages: list[Passage] = []
    for element in elements:
        for part, (start, end) in enumerate(_chunks(text, element.start, element.end)):
            passages.append(
                Passage(
                    doc_id=doc_id,
                    section_path=element.path,
                    kind=element.kind,
                    start=start,
                    end=end,
                    text=text[start:end],
                    footnotes=tuple(_footnote_refs(text[start:end], element)),
                    part=part,
                )
            )
    return passages


def _lines(text: str) -> list[_Line]:
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(_Line(pos, pos + len(body), body))
        pos += len(raw)
    return lines


def _heading_like(line: str) -> bool:
    """A short line that reads as a title: no closing punctuation, no link, not a list item."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80 or len(stripped.split()) > 10:
        return False
    if stripped[-1] in ".,;:" or "<http" in stripped or "\t" in line:
        return False
    if _BULLET.match(line) or _NUMBERED.match(line) or _FOOTNOTE_DEF.match(stripped):
        return False
    return stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "➤*"


def _clean_title(line: str) -> str:
    return line.replace("**", "").strip().lstrip("➤").strip()


def _elements(text: str) -> list[_Element]:
    lines = _lines(text)
    elements: list[_Element] = []
    chapter: str | None = None  # the numbered heading
    subsection: str | None = None
    current: _Element | None = None
    previous_blank = True

    def base_path() -> tuple[str, ...]:
        if chapter is None:
            return (subsection or INTRODUCTION,)
        return (chapter, subsection) if subsection else (chapter,)

    def close() -> None:
        nonlocal current
        if current is not None:
            elements.append(current)
            current = None

    for index, line in enumerate(lines):
        if line.blank:
            if current is not None and current.kind == "paragraph":
                close()  # paragraphs end at a blank line; items and footnotes may run on
            previous_blank = True
            continue
        stripped = line.text.strip()
        following = next((n for n in lines[index + 1 :] if not n.blank), None)

        if _NUMBERED_HEADING.match(line.text):
            close()
            chapter, subsection = stripped, None
        elif "\t" in line.text:
            close()
            label = line.text.split("\t", 1)[0].strip()
            elements.append(_Element("table_row", (*base_path(), label), line.start, line.end))
        elif _heading_like(line.text) and (following is None or not _heading_like(following.text)):
            close()
            subsection = _clean_title(line.text)
        elif footnote := _FOOTNOTE_DEF.match(line.text):
            close()
            current = _Element("footnote", base_path(), line.start, line.end)
            current.marker = footnote.group(1)
        elif bullet := _BULLET.match(line.text):
            if current is not None and current.kind == "list_item" and bullet.group(1):
                current.end = line.end  # an indented bullet inside an item is part of it
            else:
                close()
                start = line.start + bullet.end()
                current = _Element("list_item", _item_path(base_path(), line.text), start, line.end)
                current.bullet = True
        elif (numbered := _NUMBERED.match(line.text)) and not (
            current is not None
            and current.kind == "list_item"
            and (current.bullet or numbered.group(1))
        ):
            close()
            current = _Element("list_item", base_path(), line.start, line.end)
        elif current is None:
            current = _Element("paragraph", base_path(), line.start, line.end)
        elif not previous_blank or _runs_on(current, line.text):
            current.end = line.end
        else:
            close()
            current = _Element("paragraph", base_path(), line.start, line.end)
        previous_blank = False
    close()
    return elements


def _runs_on(element: _Element, line: str) -> bool:
    """Whether a paragraph after a blank line still belongs to the element before it.

    A ``- `` bullet runs on until the next bullet or heading (the units' descriptions span
    several paragraphs); a footnote runs on over the link lines that follow it.
    """
    if element.kind == "list_item":
        return element.bullet
    if element.kind == "footnote":
        return "<http" in line
    return False


def _item_path(base: tuple[str, ...], first_line: str) -> tuple[str, ...]:
    """An item that introduces an organisational unit is a section of its own."""
    unit = _UNIT.search(first_line)
    if unit is None:
        return base
    name = unit.group("name")
    if name is None:  # "**Unit HOME.A.3** is the **International Affairs Unit**"
        bold = next((b for b in _BOLD.finditer(first_line) if b.start() >= unit.end()), None)
        name = bold.group(1).strip() if bold else None
    label = f"Unit {unit.group('code')}" + (f' "{name}"' if name else "")
    # The unit replaces the sub-heading under which the list stands: its own name says more.
    return (base[0], label)


def _footnote_refs(text: str, element: _Element) -> list[str]:
    body = (
        text[len(element.marker) :] if element.marker and text.startswith(element.marker) else text
    )
    return [m.group(1) for m in _FOOTNOTE_REF.finditer(body)]


def _attach_footnotes(elements: list[_Element], text: str) -> None:
    """Put each footnote under the section of the first element that refers to it."""
    referenced_from: dict[str, tuple[str, ...]] = {}
    for element in elements:
        for marker in _footnote_refs(text[element.start : element.end], element):
            referenced_from.setdefault(marker, element.path)
    for element in elements:
        if element.kind == "footnote":
            path = referenced_from.get(element.marker, element.path)
            element.path = (*path, f"Footnote {element.marker}")


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a long element at sentence boundaries into pieces of similar length.

    Pieces aim at an even share of the element and never exceed MAX_PASSAGE_CHARS, except a
    single sentence longer than that, which stays whole: a quote never splits a sentence.
    """
    length = end - start
    if length <= MAX_PASSAGE_CHARS:
        return [(start, end)]
    target = length / -(-length // MAX_PASSAGE_CHARS)
    chunks: list[tuple[int, int]] = []
    chunk_start: int | None = None
    chunk_end = start
    for sentence in sentence_spans(text, start, end):
        if chunk_start is not None and (
            chunk_end - chunk_start >= target or sentence.end - chunk_start > MAX_PASSAGE_CHARS
        ):
            chunks.append((chunk_start, chunk_end))
            chunk_start = None
        if chunk_start is None:
            chunk_start = sentence.start
        chunk_end = sentence.end
    if chunk_start is not None:
        chunks.append((chunk_start, chunk_end))
    return chunks
