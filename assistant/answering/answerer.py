"""The deterministic answerer: retrieve, pick the sentences that answer, cite, verify.

No language model: the answer is made of the sources' own sentences (lightly tidied for
reading: table tabs, bold marks and empty links), each followed by its citation, led by a
direct statement where the question has a known shape (the deadline, eligibility). Facts
computed rather than quoted (days left before the deadline) come from the manifest's dates
and the injected clock, and the sentence that states the date is cited beside them.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from assistant.answering.llm import MARK, Phraser, Rejected
from assistant.answering.models import Answer, Citation, Generator, Intent, Status, Turn
from assistant.answering.question import (
    UNIT_REFERENCE,
    WORD,
    Question,
    stem,
    thesaurus_words,
    understand,
    unit_codes,
    word_stems,
)
from assistant.answering.verify import CitationError, verify_answer
from assistant.precheck.countries import COUNTRY_NAMES
from retrieval import spelling
from retrieval.corpus import Corpus, SourceDocument
from retrieval.hybrid import HybridRetriever
from retrieval.sentences import sentence_spans
from retrieval.spelling import Speller

logger = logging.getLogger(__name__)

RETRIEVE_K = 8
LLM_SOURCES = 6  # sentences offered to the optional chat model
DENSE_SENTENCES = 8  # sentences taken by similarity alone, beside those of retrieved passages
MAX_SENTENCES = 3
MAX_LIST_ITEMS = 8  # items shown after a lead-in such as "in the following order:"
ANSWER_CHARS = 600
# Calibrated on eval/datasets/answers.jsonl; eval/datasets/answers-holdout.jsonl checks them.
MIN_SCORE = 0.40  # below this the best sentence does not answer the question
STRONG_SIMILARITY = 0.62  # above this a sentence answers even in other words
KEEP_RATIO = 0.88  # further sentences must score this close to the best one
RARE_WORD = 2e-6  # English word frequency below which an unknown word names a topic
COMMON_WORD_WEIGHT = 1.0  # weight of an everyday word the sources do not use
# Likeness of two single words' embeddings above which a word the sources lack is taken to mean
# the sources' word: "kids" children (0.88), "guns" firearms (0.87), "uni" university (0.73);
# below it come false friends ("take-home" home-call 0.70, "Dutch" European 0.65). Names are
# never read so ("Google" is not "search").
SAME_MEANING = 0.75

_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
_DURATION = re.compile(r"\b(years?|months?|weeks?|days?)\b|-month|-year", re.I)
_DATE = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december)"
    r"\b|\b20\d\d\b|\d{1,2}/\d{1,2}/\d{4}",
    re.I,
)
_AMOUNT = re.compile(r"€|\bEUR\b|\beuros?\b", re.I)
_PERCENTAGE = re.compile(r"%|\bper ?cent\b", re.I)
_PERSON = re.compile(r"\b(?i:led|headed|chaired) by [A-Z]")
_DEFINITION = re.compile(r"^\s*what(?:'s| is| are)\s+(?:an? |the )?([\w ’'-]{3,40}?)\s*\??$", re.I)
_UNIT_SECTION = re.compile(r"\bUnit (HOME\.(?:[A-E]\.)?\d{1,2})(?: [“\"]([^”\"]+)[”\"])?")
# Words of a question that asks what a unit does, and nothing narrower.
_DESCRIBE = frozenset(
    stem(w)
    for w in """unit units team teams do does work works job jobs about responsible responsibility
    responsibilities charge mission missions task tasks role roles focus focuses handle handles
    deal deals cover covers area areas purpose function functions duty duties remit portfolio
    supports support activity activities involve involved main exactly actually""".split()
)
# Two country names in one sentence: an answer to "which countries".
_COUNTRY = "|".join(sorted(map(re.escape, COUNTRY_NAMES.values()), key=len, reverse=True))
_COUNTRIES = re.compile(rf"\b({_COUNTRY})\b[^.]*\b({_COUNTRY})\b")
_SHAPES: dict[str, re.Pattern[str]] = {
    "country": _COUNTRIES,
    "number": _NUMBER,
    "duration": _DURATION,
    "date": _DATE,
    "amount": _AMOUNT,
    "percentage": _PERCENTAGE,
    "person": _PERSON,
}


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
    unit: str | None  # the unit whose description it is part of ("HOME.C.3")
    unit_title: str | None  # that unit's name, where the call gives one ("Asylum")


@dataclass
class Scored:
    sentence: Sentence
    similarity: float
    coverage: float  # share of the question's topics the sentence holds, weighted by rarity
    prior: float  # how well retrieval ranked the sentence's passage (0 when not retrieved)
    shaped: bool  # holds the kind of answer asked for (a number for "how many" …)

    @property
    def score(self) -> float:
        return 0.5 * self.similarity + 0.35 * self.coverage + 0.1 * self.prior + 0.1 * self.shaped


class Answerer:
    def __init__(
        self,
        retriever: HybridRetriever,
        corpus: Corpus,
        embeddings: Embeddings,
        phraser: Phraser | None = None,
        cache_size: int = 0,
        vector_cache: Path | None = None,
    ) -> None:
        self.retriever = retriever
        self.phraser = phraser
        # Candidates ask the same questions again and again, and an answer is a pure function
        # of the question and the history (deadline answers, which depend on the clock, and
        # a model's wording are never kept).
        self._cache: OrderedDict[bytes, Answer] = OrderedDict()
        self._cache_size = cache_size if phraser is None else 0
        self._cache_lock = threading.Lock()
        self.corpus = corpus
        self.embeddings = embeddings
        self.call = corpus.call()
        self.sentences = _sentences(retriever.passages, corpus)
        self._by_passage: dict[str, list[int]] = {}
        for i, s in enumerate(self.sentences):
            self._by_passage.setdefault(s.passage_id, []).append(i)
        # One embedding per sentence, with its section for context: computed once, then kept
        # beside the index, so that another process (a worker, a CLI call) starts at once.
        self._matrix = _vectors(
            embeddings, [f"{s.section}\n{s.text}" for s in self.sentences], vector_cache
        )
        words = {w.lower() for d in corpus.documents.values() for w in WORD.findall(d.text)}
        self._texts = [" ".join(WORD.findall(d.text.lower())) for d in corpus.documents.values()]
        # The sources' words, embedded, to read a candidate's word the sources lack as theirs.
        self._words = sorted(w for w in words if len(w) > 2 and w.isalpha())
        self._word_matrix = _vectors(embeddings, self._words, vector_cache, "words")
        # Slips are corrected towards the corpus's words and the candidates' words for them.
        self._speller = Speller(words | thesaurus_words())
        spelling.warm()
        self._vocabulary = frozenset(r for s in self.sentences for r in s.stems)
        # Stems also match longer corpus words: "probation" is known through "probationary";
        # not shorter stems, or "age" would be known through "agencies".
        self._prefixes = frozenset(w[:n] for w in words for n in range(5, len(w) + 1))
        # Rarity of each stem among the sentences (BM25's idf): rare topics weigh more.
        frequency: dict[str, int] = {}
        for sentence in self.sentences:
            for root in sentence.stems:
                frequency[root] = frequency.get(root, 0) + 1
        n = len(self.sentences)
        self._idf = {r: math.log(1 + (n - f + 0.5) / (f + 0.5)) for r, f in frequency.items()}
        self._unseen_idf = math.log(1 + (n + 0.5) / 0.5)
        # In document order: where lists, bullets and unit descriptions are read from.
        self._ordered = sorted(self.sentences, key=lambda s: (s.doc_id, s.start))
        self._units = {s.unit for s in self.sentences if s.unit}
        self._unit_titles = {
            s.unit_title.lower(): s.unit for s in self.sentences if s.unit and s.unit_title
        }
        self._next = {
            (a.doc_id, a.start): b
            for a, b in zip(self._ordered, self._ordered[1:], strict=False)
            if a.doc_id == b.doc_id
        }
        lead_in = next(
            (s for s in self.sentences if s.doc_id == self.call.id and "eligible" in s.text), None
        )
        self._rules_chapter = lead_in.section.split(" › ")[0] if lead_in else "\0"

    # -- the pipeline ---------------------------------------------------------------------------

    def answer(self, message: str, history: Sequence[Turn] = (), *, now: datetime) -> Answer:
        started = time.perf_counter()
        # Keyed on what the answer depends on: the message and the last turn of each side
        # (understand() reads no further back), hashed so that long histories cost no memory.
        last_user = next((t.content for t in reversed(history) if t.role == "user"), "")
        last_answer = next((t.content for t in reversed(history) if t.role == "assistant"), "")
        key = hashlib.sha256("\0".join((message, last_user, last_answer)).encode()).digest()
        with self._cache_lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is not None:
            elapsed = round((time.perf_counter() - started) * 1000, 2)
            return cached.model_copy(update={"timings_ms": {"cache": elapsed, "total": elapsed}})
        answer = self._answer(message, history, now=now)
        if self._cache_size and answer.intent != "deadline":
            with self._cache_lock:
                self._cache[key] = answer
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return answer

    def _answer(self, message: str, history: Sequence[Turn], *, now: datetime) -> Answer:
        started = time.perf_counter()
        self.retriever.validate_query(message)
        question = understand(self._speller.correct(message), history, self._mentions)
        question.groups = [self._widen(g, question) for g in question.groups]
        passages = self.retriever.rank(question.search, k=RETRIEVE_K)
        retrieved = time.perf_counter()
        ranked = self._rank_sentences(question, passages)
        composer = _Composer(self.corpus)
        if question.intent == "deadline":
            status, intent = self._deadline(question, ranked, composer, now)
        elif self._off_topic(question, ranked):
            status, intent = "out_of_scope", "out_of_scope"
            composer.say(
                f"I can only answer questions about the call {self.call.entry.reference}; "
                "the call does not say anything about that."
            )
        elif unknown_units := self._unknown_units(question):
            status, intent = "not_found", "unanswerable"
            composer.say(f"The call names no unit {', '.join(unknown_units)}.")
            self._list_units(composer)
            composer.say(f"You can ask the recruiting team at {self.call.entry.contact}.")
        elif (units := self._named_units(question)) and self._describes(question, units):
            status, intent = "answered", "fact"
            for code in units:
                composer.quote_all(self._unit_description(code))
        elif question.intent != "eligibility" and not self._answers(question, ranked):
            # Eligibility questions always get the requirements and the pre-check, never a guess.
            status, intent = self._not_found(ranked, composer, question)
        else:
            status, intent = "answered", question.intent
            if question.intent == "eligibility":
                composer.say(
                    "Eligibility depends on every criterion of the call taken together, so it "
                    "cannot be judged from one question: please use the eligibility pre-check "
                    "for a criterion-by-criterion result. What the call requires:"
                )
            picked = _pick(ranked)
            if question.answer_type == "unit" and picked:
                self._name_unit(picked[0].sentence, composer)
            for scored in picked:
                composer.quote(scored.sentence)
                if scored.sentence.text.endswith(":"):
                    # A lead-in ("in the following order:") is answered by the items after it.
                    composer.quote_items(self._items_after(scored.sentence))
                elif scored.sentence.kind == "list_item":
                    # A bullet is one statement: its other sentences qualify the one picked.
                    composer.quote_items(self._same_bullet(scored.sentence))
        timings = {"retrieve": round((retrieved - started) * 1000, 2)}
        generator: Generator = "deterministic"
        fallback = None
        if self.phraser is not None and status == "answered" and intent == "fact":
            # Only a plain fact is phrased: deadlines are computed, refusals and eligibility
            # answers have a fixed form that the widget and the helpdesk rely on.
            phrasing_started = time.perf_counter()
            phrased, fallback = self._phrase(self.phraser, question, composer, ranked)
            timings["llm"] = round((time.perf_counter() - phrasing_started) * 1000, 2)
            if phrased is not None:
                composer, generator = phrased, "llm"
        composer.caveats()
        timings["compose"] = round((time.perf_counter() - retrieved) * 1000, 2)
        timings["total"] = round((time.perf_counter() - started) * 1000, 2)
        answer = Answer(
            answer=composer.text(),
            citations=composer.citations,
            status=status,
            intent=intent,
            contact=self.call.entry.contact if status != "answered" else None,
            generator=generator,
            fallback=fallback,
            timings_ms=timings,
        )
        verify_answer(answer, self.corpus)
        return answer

    def _phrase(
        self, phraser: Phraser, question: Question, composer: _Composer, ranked: list[Scored]
    ) -> tuple[_Composer | None, str | None]:
        """The model's wording over the chosen sentences (and a few runners-up), or why not."""
        sources = list(composer.sentences)
        for scored in ranked:
            if len(sources) >= LLM_SOURCES:
                break
            if scored.sentence not in sources and len(WORD.findall(scored.sentence.text)) >= 5:
                sources.append(scored.sentence)
        try:
            phrased = phraser.phrase(question.cleaned, [readable(s) for s in sources])
            result = _Composer(self.corpus)
            ids = {n: result.cite(sources[n - 1]) for n in phrased.used}
            result.parts.append(MARK.sub(lambda m: f"[{ids[int(m.group(1))]}]", phrased.text))
            verify_answer(
                Answer(
                    answer=result.text(),
                    citations=result.citations,
                    status="answered",
                    intent="fact",
                ),
                self.corpus,
            )
        except (Rejected, CitationError) as error:
            logger.info("llm answer not used: %s", error)
            return None, str(error)
        return result, None

    def _rank_sentences(self, question: Question, passages: list[Document]) -> list[Scored]:
        query = np.asarray(self.embeddings.embed_query(question.search), dtype=np.float32)
        similarity = self._matrix @ query
        prior = {
            i: 1.0 / rank
            for rank, d in enumerate(passages, start=1)
            for i in self._by_passage.get(str(d.id), [])
        }
        candidates = set(prior) | set(np.argsort(-similarity)[:DENSE_SENTENCES].tolist())
        units = self._named_units(question)
        if question.intent == "eligibility":
            # Requirements come from the chapter that sets out eligibility, not from anywhere.
            candidates = {
                i for i in candidates if self.sentences[i].section.startswith(self._rules_chapter)
            } or candidates
        elif question.answer_type == "unit":
            # "Which team deals with …?" is answered from the units' descriptions.
            candidates = {i for i in candidates if self.sentences[i].unit} or candidates
        if units:
            # A question that names a unit is answered from that unit's description.
            named = {i for i, s in enumerate(self.sentences) if s.unit in units}
            candidates = named or candidates
        weights = [self._weight(g) for g in question.groups]
        total = sum(weights)
        shape = _SHAPES.get(question.answer_type or "")
        if question.answer_type is None and (defined := _DEFINITION.search(question.cleaned)):
            # "What is the Pact?": the sentence that says what it is, not one that mentions it.
            subject = re.escape(defined.group(1).strip())
            shape = re.compile(rf"{subject}\)?,?\s+(which\s+)?(is|are|means)\b", re.I)
        scored = []
        for i in candidates:
            sentence = self.sentences[i]
            if sentence.kind == "paragraph" and _title_line(sentence.text):
                continue  # a title line answers nothing
            held = sum(
                w for g, w in zip(question.groups, weights, strict=True) if g & sentence.stems
            )
            scored.append(
                Scored(
                    sentence,
                    float(similarity[i]),
                    # With no topic words ("what does DG HOME do?"), likeness is all there is.
                    held / total if total else float(similarity[i]),
                    prior.get(i, 0.0),
                    # "HOME.B.4" is a name, not a number.
                    bool(shape and shape.search(UNIT_REFERENCE.sub("", sentence.text))),
                )
            )
        return sorted(scored, key=lambda s: (-s.score, s.sentence.doc_id, s.sentence.start))

    def _widen(self, group: frozenset[str], question: Question) -> frozenset[str]:
        """A topic the sources lack, with the sources' words that mean the same ("kids":
        children), found by the likeness of the words' embeddings. Names are never widened."""
        if self._known(group) or len(group) != 1:
            return group
        (root,) = group
        word = next((w for w in WORD.findall(question.cleaned) if stem(w) == root), None)
        if word is None or (word[0].isupper() and not question.cleaned.startswith(word)):
            return group
        return group | {r for w in self._alike(word) for r in word_stems(w)}

    def _alike(self, word: str) -> list[str]:
        """The sources' words that mean what ``word`` means, closest first."""
        likeness = self._word_matrix @ np.asarray(self.embeddings.embed_query(word), np.float32)
        return [self._words[i] for i in np.argsort(-likeness)[:3] if likeness[i] >= SAME_MEANING]

    def _mentions(self, phrase: str) -> bool:
        """Whether a document uses the phrase, as whole words ("child" is not in "children"),
        or, for one word, a word of the same meaning ("kids": children)."""
        words = WORD.findall(phrase.lower())
        pattern = re.compile(rf"(?<![\w-]){re.escape(' '.join(words))}(?![\w-])")
        if any(pattern.search(text) for text in self._texts):
            return True
        return len(words) == 1 and bool(self._alike(words[0]))

    # -- units ---------------------------------------------------------------------------------

    def _named_units(self, question: Question) -> list[str]:
        """Units the question names by code ("C3", "HOME.C.3") or by title ("Visa Policy")."""
        text = question.search.lower()
        named = unit_codes(question.search)
        named += [code for title, code in self._unit_titles.items() if title in text]
        return list(dict.fromkeys(named))

    def _unknown_units(self, question: Question) -> list[str]:
        """Units the question names by code that the call does not have ("unit B9")."""
        return [code for code in unit_codes(question.search) if code not in self._units]

    def _describes(self, question: Question, units: list[str]) -> bool:
        """Whether the question asks what a unit does, and nothing narrower ("which countries")."""
        titles = {
            stem(w) for t, c in self._unit_titles.items() if c in units for w in WORD.findall(t)
        }
        return all(g <= _DESCRIBE | titles or g & titles for g in question.groups)

    def _list_units(self, composer: _Composer) -> None:
        """The sentence of the call that introduces the recruiting units, when there is one."""
        lead_in = next((s for s in self._ordered if re.search(r"\b\d+ units\b", s.text)), None)
        if lead_in is not None:
            composer.quote(lead_in)

    def _unit_description(self, code: str) -> list[Scored]:
        """The first sentences of the unit's own description, as the call words its mission."""
        own = [s for s in self._ordered if s.unit == code]
        picked = own[:1]
        if len(own) > 1 and len(own[0].text) + len(own[1].text) <= ANSWER_CHARS:
            picked.append(own[1])
        return [Scored(s, 1.0, 1.0, 1.0, True) for s in picked]

    def _weight(self, group: frozenset[str]) -> float:
        known = [self._idf[r] for r in group if r in self._idf]
        if known:
            return max(known)
        # A topic the sources never use weighs as a rare one, unless it is an everyday word
        # ("pick", "page"), which says little about whether the sources answer.
        return self._unseen_idf if self._specific(group) else COMMON_WORD_WEIGHT

    def _unknown(self, question: Question) -> list[frozenset[str]]:
        """Topics of the question that the sources never mention."""
        return [g for g in question.groups if not self._known(g)]

    def _known(self, group: frozenset[str]) -> bool:
        return any(r in self._vocabulary or (len(r) >= 5 and r in self._prefixes) for r in group)

    def _specific(self, group: frozenset[str]) -> bool:
        """A rare word or a name ("Lisbon", "telework"): unlike "pick" or "page", it is a topic."""
        return all(_rare(r) for r in group)

    def _off_topic(self, question: Question, ranked: list[Scored]) -> bool:
        """A request for other work, or a question about neither the call nor its employer."""
        if question.task:
            return True
        if question.domain:
            return False
        if question.injected:
            return True
        best = ranked[0].similarity if ranked else 0.0
        return bool(self._unknown(question)) and best < STRONG_SIMILARITY

    def _answers(self, question: Question, ranked: list[Scored]) -> bool:
        if not ranked:
            return False
        best = ranked[0]
        if question.near:
            return False  # a topic candidates ask about that the call does not cover
        unknown = self._unknown(question)
        if any(self._specific(g) for g in unknown) and best.similarity < STRONG_SIMILARITY:
            return False
        if question.answer_type in ("amount", "percentage", "person") and not any(
            s.shaped for s in ranked[:MAX_SENTENCES]
        ):
            return False  # "how much" needs an amount, "who leads" a name
        if question.answer_type in ("number", "duration") and not best.shaped:
            return False  # "how many" needs a number, "how long" a length of time
        return best.score >= MIN_SCORE

    def _same_bullet(self, sentence: Sentence) -> list[Sentence]:
        bullet = [self.sentences[i] for i in self._by_passage.get(sentence.passage_id, [])]
        if len(bullet) > 3 or sum(len(s.text) for s in bullet) > ANSWER_CHARS:
            return []
        return [s for s in bullet if s.start > sentence.start]

    def _name_unit(self, sentence: Sentence, composer: _Composer) -> None:
        """Lead "which unit …?" answers with the unit's name, cited from where the call gives it."""
        code, title = sentence.unit, sentence.unit_title
        if code is None:
            return
        first = next(s for s in self._ordered if s.unit == code)
        if code in first.text:
            composer.say(f"This is unit {code}" + (f" “{title}”" if title else ""), first)

    def _items_after(self, lead_in: Sentence) -> list[Sentence]:
        items: list[Sentence] = []
        current = self._next.get((lead_in.doc_id, lead_in.start))
        while current is not None and current.kind == "list_item" and len(items) < MAX_LIST_ITEMS:
            items.append(current)
            if not current.text.rstrip().endswith((",", ";", ":")) and len(items) > 1:
                break
            current = self._next.get((current.doc_id, current.start))
        return items

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

    def _not_found(
        self, ranked: list[Scored], composer: _Composer, question: Question | None = None
    ) -> tuple[Status, Intent]:
        composer.say("The call does not say.")
        near = question.near if question else []
        if near:
            # What the call says nearby: the sentence that best holds the related topic's words.
            def held(s: Scored) -> float:
                return sum(bool(g & s.sentence.stems) for g in near) / len(near)

            likeness = {(s.sentence.doc_id, s.sentence.start): s.similarity for s in ranked}
            pool = [
                Scored(s, likeness.get((s.doc_id, s.start), 0.0), 0, 0, False)
                for s in self.sentences
            ]
            related = sorted(
                (
                    s
                    for s in pool
                    if held(s) > 0
                    and not s.sentence.text.endswith(":")
                    and _says_something(s.sentence)
                ),
                key=lambda s: (-held(s), -s.similarity, s.sentence.doc_id, s.sentence.start),
            )
        else:
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


def _vectors(
    embeddings: Embeddings, texts: list[str], folder: Path | None, kind: str = "sentences"
) -> np.ndarray:
    """The texts' embeddings, read from ``folder`` when a file there holds exactly these.

    The file is named by a hash of the model and every text, so a changed corpus, parser or
    model never reads stale vectors; it is written whole, then renamed into place.
    """
    model = str(getattr(embeddings, "model", type(embeddings).__name__))
    digest = hashlib.sha256("\0".join([model, *texts]).encode()).hexdigest()[:32]
    path = folder / f"{kind}-{digest}.npy" if folder is not None else None
    if path is not None and path.is_file():
        try:
            vectors = np.load(path, allow_pickle=False)
            if vectors.shape[0] == len(texts):
                return np.asarray(vectors, dtype=np.float32)
        except (OSError, ValueError):
            pass  # unreadable: computed again below, and rewritten
    vectors = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as file:
                np.save(file, vectors, allow_pickle=False)
            partial.replace(path)
        except OSError as error:  # a read-only data folder only costs the start-up time
            logger.info("sentence vectors not kept: %s", error)
    return vectors


def _rare(root: str) -> bool:
    """A rare word; a compound of everyday words ("knock-on", "take-home") is none."""
    parts = [p for p in root.split("-") if p]
    return all(spelling.stem_frequency(stem(p)) < RARE_WORD for p in parts)


def _title_line(text: str) -> bool:
    """A heading or a name ("European Commission, Directorate-General for …"): few words and
    no closing punctuation, unlike a sentence; a line with a number (a reference) says more."""
    words = len(WORD.findall(text))
    closed = text.rstrip("*_ ").endswith((".", "!", "?", ":"))
    return words < 5 or (words < 12 and not closed and not re.search(r"\d", text))


def _says_something(sentence: Sentence) -> bool:
    """Five words or more, or a table row ("Place of employment: Brussels"): not a fragment."""
    return len(WORD.findall(sentence.text)) >= 5 or sentence.kind == "table_row"


def _pick(ranked: list[Scored]) -> list[Scored]:
    """The best sentence, then up to two more that score nearly as well, within a short length."""
    picked: list[Scored] = []
    length = 0
    for scored in ranked:
        if len(picked) == MAX_SENTENCES or (picked and scored.score < KEEP_RATIO * picked[0].score):
            break
        if not _says_something(scored.sentence):
            continue  # a title or a stray fragment ("Your CV") answers nothing on its own
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
        unit = _UNIT_SECTION.search(meta["section"])
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
                    stems=frozenset(
                        {r for w in WORD.findall(body) for r in word_stems(w)} | section_stems
                    ),
                    unit=unit.group(1) if unit else None,
                    unit_title=unit.group(2) if unit else None,
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
        self.sentences: list[Sentence] = []  # what each citation quotes, in citation order

    def cite(self, sentence: Sentence) -> int:
        for citation in self.citations:
            if (citation.doc_id, citation.start, citation.end) == (
                sentence.doc_id,
                sentence.start,
                sentence.end,
            ):
                return citation.id
        document: SourceDocument = self.corpus.get(sentence.doc_id)
        self.sentences.append(sentence)
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
            self.parts.append(f"{text} [{self.cite(source)}].")

    def quote(self, sentence: Sentence) -> None:
        shown = readable(sentence)
        self.parts.append(f"{shown[:-1]} [{self.cite(sentence)}]{shown[-1]}")

    def quote_all(self, scored: list[Scored]) -> None:
        for item in scored:
            self.quote(item.sentence)

    def quote_items(self, items: list[Sentence]) -> None:
        for sentence in items:
            if not any(
                c.start == sentence.start and c.doc_id == sentence.doc_id for c in self.citations
            ):
                self.quote(sentence)

    def caveats(self) -> None:
        for doc_id in dict.fromkeys(c.doc_id for c in self.citations):
            caveat = self.corpus.get(doc_id).entry.caveat
            if caveat:
                self.parts.append(f"(Note: {caveat[0].lower()}{caveat[1:]})")

    def text(self) -> str:
        return " ".join(self.parts)
