from __future__ import annotations

import itertools

import pytest

from retrieval.corpus import Corpus
from retrieval.parsing import MAX_PASSAGE_CHARS, Passage, parse_document
from retrieval.sentences import sentence_spans

CALL = "ec-2025-home-01"

UNITS = {
    "HOME.01": 'Unit HOME.01 "Migration Management coordination"',
    "HOME.A.3": 'Unit HOME.A.3 "International Affairs Unit"',
    "HOME.B.4": 'Unit HOME.B.4 "Visa Policy"',
    "HOME.C.1": 'Unit HOME.C.1 "Return and Readmission"',
    "HOME.C.2": 'Unit HOME.C.2 "Legal Pathways and integration"',
    "HOME.C.3": 'Unit HOME.C.3 "Asylum"',
    "HOME.C.4": 'Unit HOME.C.4 "Migration Management response and counter-smuggling"',
    "HOME.D.1": 'Unit HOME.D.1 "Law enforcement cooperation"',
    "HOME.E.1": 'Unit HOME.E.1 "Funds coordination"',
}

TABLE_ROWS = {
    "Type of contract": "Contract Staff for auxiliary tasks ¹",
    "Function group and grade": "FGIV",
    "Initial contract duration": (
        "1 year (with the possibility of extensions up to 6 years in total)"
    ),
    "Place of employment": "Brussels",
    "Deadline for expressing interest": "22 April 2025",
    "Interviews": "From May 2025",
    "Employment": "From June/July 2025 (tentative)",
}

ELIGIBILITY_BULLETS = [
    "be a national of a Member State of the EU and enjoy full rights as a citizen,",
    "have fulfilled any obligations imposed by applicable laws concerning military service,",
    "be physically fit to perform the duties linked to the position,",
    "produce the appropriate character references as to suitability for the performance of",
    "have passed an EPSO CAST in the relevant Function Group for this position.",
    "have a thorough knowledge (minimum level C1) of one of the official EU languages,",
    "have a satisfactory knowledge (minimum level B2) of a second EU language",
    "Have a level of education which corresponds to completed university studies",
]

# Footnote -> the section of the sentence that refers to it, where it is attached.
FOOTNOTES = {
    "¹": ("Introduction", "Type of contract", "Footnote ¹"),
    "²": ("Introduction", "Footnote ²"),
    "³": ("3. WE LOOK FOR", "Footnote ³"),
    "⁴": ("4. HOW TO EXPRESS YOUR INTEREST", "Footnote ⁴"),
    "⁵": ("5. WHAT ABOUT THE SELECTION STEPS", "Footnote ⁵"),
}


@pytest.fixture(scope="module")
def passages(corpus: Corpus) -> list[Passage]:
    return [p for d in corpus.documents.values() for p in parse_document(d.id, d.text)]


@pytest.fixture(scope="module")
def call_passages(passages: list[Passage]) -> list[Passage]:
    return [p for p in passages if p.doc_id == CALL]


def test_every_passage_is_a_verbatim_slice_of_its_source(
    corpus: Corpus, passages: list[Passage]
) -> None:
    assert len(passages) > 50
    for p in passages:
        assert corpus.get(p.doc_id).text[p.start : p.end] == p.text
        assert p.text == p.text.strip(), p.id


def test_passages_do_not_overlap_and_keep_reading_order(
    corpus: Corpus, passages: list[Passage]
) -> None:
    for doc_id in corpus.documents:
        spans = sorted((p.start, p.end) for p in passages if p.doc_id == doc_id)
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def test_all_nine_units_are_their_own_sections(call_passages: list[Passage]) -> None:
    for code, label in UNITS.items():
        found = [p for p in call_passages if p.section_path == ("1. ABOUT US", label)]
        assert found, code
        assert all(p.kind == "list_item" for p in found)
        # the unit's code opens its first passage
        assert code in found[0].text.split("”")[0].replace("**", "")
    units = {
        p.section_path[1]
        for p in call_passages
        if p.section_path[1:2] and "Unit" in p.section_path[1]
    }
    assert units == set(UNITS.values())


def test_units_whose_text_runs_over_several_paragraphs_keep_it(
    call_passages: list[Passage],
) -> None:
    def unit_text(label: str) -> str:
        return " ".join(p.text for p in call_passages if p.section_path == ("1. ABOUT US", label))

    assert "digital visas instead of traditional visa stickers" in unit_text(UNITS["HOME.B.4"])
    assert "relations with Interpol" in unit_text(UNITS["HOME.D.1"])
    assert "processes are simplified" in unit_text(UNITS["HOME.E.1"])
    assert "Promoting the rights and values" in unit_text(UNITS["HOME.A.3"])


def test_each_table_row_is_a_passage_under_its_own_label(call_passages: list[Passage]) -> None:
    rows = [p for p in call_passages if p.kind == "table_row"]
    assert {p.section_path[-1]: p.text.split("\t")[1] for p in rows} == TABLE_ROWS
    assert all(p.section_path[0] == "Introduction" for p in rows)


def test_each_eligibility_bullet_is_a_separate_passage(call_passages: list[Passage]) -> None:
    for bullet in ELIGIBILITY_BULLETS:
        found = [p for p in call_passages if p.text.startswith(bullet)]
        assert len(found) == 1, bullet
        assert found[0].section_path == ("3. WE LOOK FOR",)
        assert found[0].kind == "list_item"


def test_footnotes_are_attached_where_they_are_referenced(call_passages: list[Passage]) -> None:
    notes = {p.text[0]: p for p in call_passages if p.kind == "footnote"}
    assert set(notes) == set(FOOTNOTES)
    for marker, path in FOOTNOTES.items():
        assert notes[marker].section_path == path
        referring = [p for p in call_passages if marker in p.footnotes]
        assert len(referring) == 1, marker
        assert notes[marker].section_path[:-1] == referring[0].section_path
    # footnote 4 runs on over the links that follow it
    assert "cast-permanent-selection-procedure" in notes["⁴"].text


def test_subsections_and_chapters(call_passages: list[Passage]) -> None:
    sections = {p.section for p in call_passages}
    assert "1. ABOUT US › Who we are" in sections
    assert "3. WE LOOK FOR › Professional qualification and professional experience" in sections
    assert "5. WHAT ABOUT THE SELECTION STEPS › Type of contract and working conditions" in sections
    deadline = next(p for p in call_passages if "22/04/2025 at midday 12:00 CET" in p.text)
    assert deadline.section == "4. HOW TO EXPRESS YOUR INTEREST"
    assert deadline.kind == "paragraph"


def test_long_elements_are_cut_at_sentence_boundaries(
    corpus: Corpus, call_passages: list[Passage]
) -> None:
    text = corpus.get(CALL).text
    boundaries = {s.start for s in sentence_spans(text)} | {s.end for s in sentence_spans(text)}
    for p in call_passages:
        if p.part or any(q.part for q in call_passages if q.section_path == p.section_path):
            assert p.start in boundaries, p.id
            assert p.end in boundaries, p.id
        assert len(p.text) <= MAX_PASSAGE_CHARS, p.id


def test_background_page_sections(passages: list[Passage]) -> None:
    profile = {p.section for p in passages if p.doc_id == "dg-home-profile"}
    assert {"About", "Company Offices"} <= profile
    office = next(p for p in passages if p.section == "Company Offices")
    assert "Rue du Luxembourg 46" in office.text


def test_sentences_are_verbatim_and_skip_list_markers(corpus: Corpus) -> None:
    text = corpus.get(CALL).text
    spans = sentence_spans(text)
    quoted = [text[s.start : s.end] for s in spans]
    assert all(q == q.strip() and "\n" not in q for q in quoted)
    assert "No applications will be accepted after the publication deadline." in quoted
    assert "your CV" in quoted  # " - 1.1. your CV": neither the dash nor the number
    assert "Delivering consistent and effective responses" in " ".join(quoted)
    assert not any(q in {"1.", "2.", "3."} for q in quoted)
    # "e.g." does not end a sentence
    assert any(
        q.startswith("Supporting Member States in organising") and "e.g. legal" in q for q in quoted
    )
