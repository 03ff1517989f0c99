"""The deterministic answerer: retrieve, pick the sentences that answer, cite, verify.

No language model: the answer is made of the sources' own sentences (lightly tidied for
reading: table tabs, bold marks and empty links), each followed by its citation, led by a
direct statement where the question has a known shape (the deadline, eligibility). Facts
computed rather than quoted (days left before the deadline) come from the manifest's dates
and the injected clock, and the sentence that states the date is cited beside them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from assistant.answering.models import Answer, Citation, Intent, Status, Turn
from assistant.answering.question import (
    WORD,
    Question,
    content_words,
    stem,
    understand,
    unit_codes,
)
from assistant.answering.verify import verify_answer
from retrieval.corpus import Corpus, SourceDocument
from retrieval.hybrid import HybridRetriever
from retrieval.sentences import sentence_spans

RETRIEVE_K = 8
DENSE_SENTENCES = 6  # sentences taken by similarity alone, beside those of retrieved passages
MAX_SENTENCES = 3
ANSWER_CHARS = 600
# Calibrated on eval/datasets/answers.jsonl (see eval/run_answers.py).
MIN_SIMILARITY = 0.36  # below this (and with weak word overlap) the sources do not answer
STRONG_SIMILARITY = 0.62  # above this a sentence answers even in other words
KEEP_RATIO = 0.88  # further sentences must score this close to the best one


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    start: int
    end: int
    text: str
    section: str
    kind: str
    passage_id: str
    stems: frozenset[str]


@dataclass
class Scored:
    sentence: Sentence
    similarity: float
    coverage: float
    prior: float  # how well retrieval ranked the sentence's passage (0 when not retrieved)

    @property
    def score(self) -> float:
        return 0.55 * self.similarity + 0.3 * self.coverage + 0.15 * self.prior


class Answerer:
    def __init__(self, retriever: HybridRetriever, corpus: Corpus, embeddings: Embeddings) -> None:
        self.retriever = retriever
        self.corpus = corpus
        self.embeddings = embeddings
        self.call = corpus.call()
        self.sentences = _sentences(retriever.passages, corpus)
        self._by_passage: dict[str, list[int]] = {}
        for i, s in enumerate(self.sentences):
            self._by_passage.setdefault(s.passage_id, []).append(i)
        # One embedding per sentence, with its section for context, computed once per process.
        vectors = embeddings.embed_documents([f"{s.section}\n{s.text}" for s in self.sentences])
        self._matrix = np.asarray(vectors, dtype=np.float32)
        words = {w.lower() for d in corpus.documents.values() for w in WORD.findall(d.text)}
        self._vocabulary = frozenset(stem(w) for w in words)
        # Stems also match longer corpus words: "probation" is known through "probationary".
        self._prefixes = frozenset(w[:n] for w in words for n in range(4, len(w) + 1))
        lead_in = next(
            (s for s in self.sentences if s.doc_id == self.call.id and "eligible" in s.text), None
        )
        self._rules_chapter = lead_in.section.split(" › ")[0] if lead_in else "\0"
        self._compounds = frozenset(
            w.lower() for d in corpus.documents.values() for w in WORD.findall(d.text) if "-" in w
        )

    # -- the pipeline ---------------------------------------------------------------------------

    def answer(self, message: str, history: Sequence[Turn] = (), *, now: datetime) -> Answer:
        started = time.perf_counter()
        self.retriever.validate_query(message)
        question = understand(self.retriever.correct(message), history)
        passages = self.retriever.rank(question.search, k=RETRIEVE_K)
        retrieved = time.perf_counter()
        ranked = self._rank_sentences(question, passages)
        composer = _Composer(self.corpus)
        if question.intent == "deadline":
            status, intent = self._deadline(question, ranked, composer, now)
        elif not question.domain and (
            question.injected or (self._unknown(question) and not self._answers(question, ranked))
        ):
            status, intent = "out_of_scope", "out_of_scope"
            composer.say(
                f"I can only answer questions about the call {self.call.entry.reference}; "
                "the call does not say anything about that."
            )
        elif question.intent != "eligibility" and not self._answers(question, ranked):
            # Eligibility questions always get the requirements and the pre-check, never a guess.
            status, intent = self._not_found(ranked, composer)
        else:
            status, intent = "answered", question.intent
            if question.intent == "eligibility":
                composer.say(
                    "Eligibility depends on every criterion of the call taken together, so it "
                    "cannot be judged from one question: please use the eligibility pre-check "
                    "for a criterion-by-criterion result. What the call requires:"
                )
            composer.quote_all(_pick(ranked))
        composer.caveats()
        answer = Answer(
            answer=composer.text(),
            citations=composer.citations,
            status=status,
            intent=intent,
            contact=self.call.entry.contact if status != "answered" else None,
            timings_ms={
                "retrieve": round((retrieved - started) * 1000, 2),
                "compose": round((time.perf_counter() - retrieved) * 1000, 2),
                "total": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        verify_answer(answer, self.corpus)
        return answer

    def _rank_sentences(self, question: Question, passages: list[Document]) -> list[Scored]:
        query = np.asarray(self.embeddings.embed_query(question.search), dtype=np.float32)
        similarity = self._matrix @ query
        prior = {
            i: 1.0 / rank
            for rank, d in enumerate(passages, start=1)
            for i in self._by_passage.get(str(d.id), [])
        }
        candidates = set(prior) | set(np.argsort(-similarity)[:DENSE_SENTENCES].tolist())
        units = unit_codes(question.search)
        if question.intent == "eligibility":
            # Requirements come from the chapter that sets out eligibility, not from anywhere.
            candidates = {
                i for i in candidates if self.sentences[i].section.startswith(self._rules_chapter)
            } or candidates
        elif units:
            # A question that names a unit is answered from that unit's description.
            named = {
                i
                for i, s in enumerate(self.sentences)
                if any(f"Unit {u} " in s.section + " " for u in units)
            }
            candidates = named or candidates
        terms = {stem(t) for t in content_words(question.search)}
        scored = [
            Scored(
                self.sentences[i],
                float(similarity[i]),
                len(terms & self.sentences[i].stems) / len(terms) if terms else 0.0,
                prior.get(i, 0.0),
            )
            for i in candidates
        ]
        return sorted(scored, key=lambda s: (-s.score, s.sentence.doc_id, s.sentence.start))

    def _unknown(self, question: Question) -> list[str]:
        """Topic words of the question that the sources never use: a sign they do not answer."""
        unknown = []
        for term in question.terms:
            if "-" in term:
                known = term in self._compounds
            else:
                root = stem(term)
                known = root in self._vocabulary or (len(root) >= 4 and root in self._prefixes)
            if not known:
                unknown.append(term)
        return unknown

    def _answers(self, question: Question, ranked: list[Scored]) -> bool:
        if not ranked:
            return False
        best = ranked[0]
        if self._unknown(question) and best.similarity < STRONG_SIMILARITY:
            return False
        if question.answer_type == "amount" and not any(
            re.search(r"(€|\bEUR\b|euro)", s.sentence.text, re.I) for s in ranked[:MAX_SENTENCES]
        ):
            return False
        if question.answer_type == "person" and not any(
            re.search(r"\b(?i:led|headed|chaired) by [A-Z]", s.sentence.text)
            for s in ranked[:MAX_SENTENCES]
        ):
            return False
        return best.similarity >= MIN_SIMILARITY or best.coverage >= 0.99

    # -- answers of a known shape ---------------------------------------------------------------

    def _deadline(
        self, question: Question, ranked: list[Scored], composer: _Composer, now: datetime
    ) -> tuple[Status, Intent]:
        call = self.call
        deadline = call.deadline
        quote = call.entry.deadline_quote
        if deadline is None or quote is None:
            return self._not_found(ranked, composer)
        stated = next(s for s in self.sentences if s.doc_id == call.id and quote in s.text)
        when = f"{deadline.day} {deadline:%B %Y} at {deadline:%H:%M} (midday, Brussels time)"
        composer.say(f"The deadline is {when}", stated)
        remaining = deadline - now
        if remaining.total_seconds() > 0:
            days, hours = remaining.days, remaining.seconds // 3600
            left = f"{days} days" if days >= 1 else f"about {hours} hours" if hours else "minutes"
            composer.say(f"The call is still open: you have {left} left.")
        else:
            ago = (now - deadline).days
            since = "earlier today" if ago == 0 else f"{ago} day{'s' if ago != 1 else ''} ago"
            composer.say(f"The call closed on {deadline.day} {deadline:%B %Y}, {since}.")
            late = next(
                (
                    s
                    for s in self.sentences
                    if s.doc_id == call.id and "No applications will be accepted" in s.text
                ),
                None,
            )
            if late is not None:
                composer.quote(late)
        return "answered", "deadline"

    def _not_found(self, ranked: list[Scored], composer: _Composer) -> tuple[Status, Intent]:
        composer.say("The call does not say.")
        related = [
            s
            for s in ranked[:3]
            if (s.similarity >= 0.3 or s.coverage >= 0.5) and not s.sentence.text.endswith(":")
        ]
        if related:
            composer.say("What it does say on the subject:")
            composer.quote_all(related[:1])
        composer.say(f"You can ask the recruiting team at {self.call.entry.contact}.")
        return "not_found", "unanswerable"


def _pick(ranked: list[Scored]) -> list[Scored]:
    """The best sentence, then up to two more that score nearly as well, within a short length."""
    picked: list[Scored] = []
    length = 0
    for scored in ranked:
        if scored.sentence.text.endswith(":"):
            continue  # a lead-in ("tasks may include:") introduces the answer, it is not one
        if len(picked) == MAX_SENTENCES or (picked and scored.score < KEEP_RATIO * picked[0].score):
            break
        if length + len(scored.sentence.text) > ANSWER_CHARS and picked:
            continue
        picked.append(scored)
        length += len(scored.sentence.text)
    return picked


def _sentences(passages: list[Document], corpus: Corpus) -> list[Sentence]:
    sentences = []
    for passage in passages:
        meta = passage.metadata
        text = corpus.get(meta["doc_id"]).text
        section_stems = {stem(w) for w in WORD.findall(meta["section"])}
        for span in sentence_spans(text, meta["start"], meta["end"]):
            body = text[span.start : span.end]
            sentences.append(
                Sentence(
                    doc_id=meta["doc_id"],
                    start=span.start,
                    end=span.end,
                    text=body,
                    section=meta["section"],
                    kind=meta["kind"],
                    passage_id=str(passage.id),
                    stems=frozenset({stem(w) for w in WORD.findall(body)} | section_stems),
                )
            )
    return sentences


_LINK = re.compile(r"\[([^\]]*)\]\(#?\)|\[([^\]]*)\]\(#\)")
_ESCAPE = re.compile(r"\\([()\[\]])")
_FOOTNOTE = re.compile(r"\s?[¹²³⁴⁵⁶⁷⁸⁹⁰]+")


def readable(sentence: Sentence) -> str:
    """A sentence as shown in an answer: the quote itself stays verbatim in its citation."""
    text = sentence.text
    if sentence.kind == "table_row":
        label, _, value = text.partition("\t")
        text = f"{label.strip()}: {value.strip()}"
    text = _LINK.sub(lambda m: m.group(1) or m.group(2) or "", text.replace("**", ""))
    text = _FOOTNOTE.sub("", _ESCAPE.sub(r"\1", text)).strip()
    text = text[0].upper() + text[1:] if text else text
    text = re.sub(r"[,;:]$", ".", text)
    return text if text.endswith((".", "?", "!")) else text + "."


class _Composer:
    """Builds the answer text and its numbered citations together, so they always match."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.parts: list[str] = []
        self.citations: list[Citation] = []

    def _cite(self, sentence: Sentence) -> int:
        for citation in self.citations:
            if (citation.doc_id, citation.start, citation.end) == (
                sentence.doc_id,
                sentence.start,
                sentence.end,
            ):
                return citation.id
        document: SourceDocument = self.corpus.get(sentence.doc_id)
        self.citations.append(
            Citation(
                id=len(self.citations) + 1,
                doc_id=sentence.doc_id,
                title=document.title,
                section=sentence.section,
                quote=document.text[sentence.start : sentence.end],
                start=sentence.start,
                end=sentence.end,
            )
        )
        return len(self.citations)

    def say(self, text: str, source: Sentence | None = None) -> None:
        if source is None:
            self.parts.append(text)
        else:
            self.parts.append(f"{text} [{self._cite(source)}].")

    def quote(self, sentence: Sentence) -> None:
        shown = readable(sentence)
        self.parts.append(f"{shown[:-1]} [{self._cite(sentence)}]{shown[-1]}")

    def quote_all(self, scored: list[Scored]) -> None:
        for item in scored:
            self.quote(item.sentence)

    def caveats(self) -> None:
        for doc_id in dict.fromkeys(c.doc_id for c in self.citations):
            caveat = self.corpus.get(doc_id).entry.caveat
            if caveat:
                self.parts.append(f"(Note: {caveat[0].lower()}{caveat[1:]})")

    def text(self) -> str:
        return " ".join(self.parts)
