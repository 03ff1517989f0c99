"""The answering pipeline: a message read once, then per question retrieve → rank → decide →
compose, and the whole answer verified before it leaves.

No language model by default: answers are made of the sources' own sentences, each followed by
its citation. A message with several questions gets each answered in turn, with one numbering
of citations. The optional chat model may reword a plain fact answer, under the same checks.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.candidates import gather
from assistant.answering.compose import CallModel, Composer, compose, readable
from assistant.answering.decide import Decision, decide
from assistant.answering.eligibility import apply, stated_criteria
from assistant.answering.facts import BACKGROUND_STEMS, StatedFacts
from assistant.answering.llm import MARK, Phraser, Rejected
from assistant.answering.merge import merge
from assistant.answering.message import Asked, Message, read_message
from assistant.answering.models import Answer, Generator, Intent, Status, Turn
from assistant.answering.query import REFERS_BACK, Query, understand
from assistant.answering.rank import Ranker, Scored, default_ranker, rank
from assistant.answering.thesaurus import thesaurus_words
from assistant.answering.verify import CitationError, verify_answer
from assistant.precheck.rules import RuleSet
from retrieval import spelling
from retrieval.corpus import Corpus
from retrieval.hybrid import HybridRetriever
from retrieval.sentence_index import Sentence, SentenceIndex
from retrieval.spelling import Speller
from retrieval.text import WORD, stem, unit_codes, word_stems

logger = logging.getLogger(__name__)

RETRIEVE_K = 8
LLM_SOURCES = 6  # sentences offered to the optional chat model
RARE_WORD = 2e-6  # English word frequency below which an unknown word names a topic
COMMON_WORD_WEIGHT = 1.0  # weight of an everyday word the sources do not use
# Likeness of two single words' embeddings above which a word the sources lack is taken to mean
# the sources' word: "kids" children (0.88), "guns" firearms (0.87); below it come false
# friends ("take-home" home-call 0.70). Names are never read so ("Google" is not "search").
SAME_MEANING = 0.75
# Words of a question that asks what a unit does, and nothing narrower.
_DESCRIBE = frozenset(
    stem(w)
    for w in """unit units team teams do does work works job jobs about responsible responsibility
    responsibilities charge mission missions task tasks role roles focus focuses handle handles
    deal deals cover covers area areas purpose function functions duty duties remit portfolio
    supports support activity activities involve involved main exactly actually""".split()
)


def _rare(root: str) -> bool:
    """A rare word; a compound of everyday words ("knock-on", "take-home") is none."""
    return all(spelling.stem_frequency(stem(p)) < RARE_WORD for p in root.split("-") if p)


class Answerer:
    def __init__(
        self,
        retriever: HybridRetriever,
        corpus: Corpus,
        embeddings: Embeddings,
        index: SentenceIndex,
        rules: RuleSet,
        phraser: Phraser | None = None,
        cache_size: int = 0,
        ranker: Ranker | None = None,
    ) -> None:
        self.retriever = retriever
        self.corpus = corpus
        self.embeddings = embeddings
        self.index = index
        self.rules = rules
        self.phraser = phraser
        self.ranker = ranker or default_ranker()
        self.call = CallModel(corpus, rules, index)
        # Candidates ask the same questions again and again, and an answer is a pure function
        # of the question and the history (deadline answers, which depend on the clock, and
        # a model's wording are never kept).
        self._cache: OrderedDict[bytes, Answer] = OrderedDict()
        self._cache_size = cache_size if phraser is None else 0
        self._cache_lock = threading.Lock()
        # Slips are corrected towards the corpus's words and the candidates' words for them.
        self._speller = Speller(set(index.words) | thesaurus_words())
        spelling.warm()
        self._texts = [" ".join(WORD.findall(d.text.lower())) for d in corpus.documents.values()]
        # Where eligibility questions are answered from: the chapter that sets out the criteria.
        chapter = self.call.requirements_chapter
        self._requirements = frozenset(
            i for i, s in enumerate(index.sentences) if s.section.startswith(chapter)
        )
        # Where questions about the DG as a whole are: the background pages, and the chapter of
        # the call that presents the DG, but not its units.
        presents = {s.section.split(" › ")[0] for s in index.sentences if s.unit}
        self._whole_dg = frozenset(
            i
            for i, s in enumerate(index.sentences)
            if s.unit is None
            and (
                corpus.get(s.doc_id).entry.kind == "background"
                or s.section.split(" › ")[0] in presents
            )
        )

    def answer(self, message: str, history: Sequence[Turn] = (), *, now: datetime) -> Answer:
        started = time.perf_counter()
        # Keyed on what the answer depends on: the message and the last turn of each side
        # (nothing reads further back), hashed so that long histories cost no memory.
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

    # -- the pipeline ---------------------------------------------------------------------------

    def _answer(self, message: str, history: Sequence[Turn], *, now: datetime) -> Answer:
        started = time.perf_counter()
        self.retriever.validate_query(message)
        read, answers = self.answer_each(message, history, now=now)
        if not answers:
            composer = Composer(self.corpus)
            composer.say(
                "You're welcome." if read.courtesy else "I found no question in your message."
            )
            composer.say(
                f"Ask me anything about the call {self.call.reference}: eligibility, the "
                "units, the deadline, the documents or the selection steps."
            )
            answers = [(Asked(message), self._finish(composer, "out_of_scope", "out_of_scope"))]
        answer = merge([a for _, a in answers])
        verify_answer(answer, self.corpus)
        total = round((time.perf_counter() - started) * 1000, 2)
        return answer.model_copy(update={"timings_ms": {**answer.timings_ms, "total": total}})

    def answer_each(
        self, message: str, history: Sequence[Turn] = (), *, now: datetime
    ) -> tuple[Message, list[tuple[Asked, Answer]]]:
        """The message read once, and each of its questions answered on its own, with its own
        citations: the chat joins them, the helpdesk lists them."""
        read = self.read(message)
        answers: list[tuple[Asked, Answer]] = []
        quoted: set[tuple[str, int]] = set()
        for asked in read.questions:
            # A second question of the same message wants another answer than the first: the
            # sentences already quoted are passed over where others answer too.
            answer = self._answer_one(asked, history, read.facts, now, frozenset(quoted))
            quoted |= {(c.doc_id, c.start) for c in answer.citations}
            answers.append((asked, answer))
        return read, answers

    def read(self, message: str) -> Message:
        """The message with typing slips corrected, read once."""
        return read_message(self._speller.correct(message))

    def _answer_one(
        self,
        asked: Asked,
        history: Sequence[Turn],
        facts: StatedFacts,
        now: datetime,
        quoted: frozenset[tuple[str, int]] = frozenset(),
    ) -> Answer:
        started = time.perf_counter()
        query, decision, ranked = self._decide(asked, history, facts, quoted)
        decided = time.perf_counter()
        composer = Composer(self.corpus)
        status = compose(decision, self.call, composer, now=now)
        timings = {"retrieve": round((decided - started) * 1000, 2)}
        generator: Generator = "deterministic"
        fallback = None
        if self.phraser is not None and decision.kind == "answer":
            # Only a plain fact is phrased: deadlines are computed, refusals and eligibility
            # answers have a fixed form that the widget and the helpdesk rely on.
            phrasing_started = time.perf_counter()
            phrased, fallback = self._phrase(self.phraser, query, composer, ranked)
            timings["llm"] = round((time.perf_counter() - phrasing_started) * 1000, 2)
            if phrased is not None:
                composer, generator = phrased, "llm"
        timings["compose"] = round((time.perf_counter() - decided) * 1000, 2)
        return self._finish(
            composer, status, _intent(query, decision), generator, fallback, timings
        )

    def _finish(
        self,
        composer: Composer,
        status: Status,
        intent: Intent,
        generator: Generator = "deterministic",
        fallback: str | None = None,
        timings: dict[str, float] | None = None,
    ) -> Answer:
        composer.caveats()
        answer = Answer(
            answer=composer.text(),
            citations=composer.citations,
            status=status,
            intent=intent,
            contact=self.call.contact if status != "answered" else None,
            generator=generator,
            fallback=fallback,
            timings_ms=timings or {},
        )
        verify_answer(answer, self.corpus)
        return answer

    def candidates(
        self, asked: Asked, history: Sequence[Turn] = (), facts: StatedFacts | None = None
    ) -> tuple[Query, list[Scored]]:
        """A question read and its sentences ranked: what decide() weighs (and fitting reads)."""
        query = understand(asked, history, self._mentions, self._widen)
        vector = np.asarray(self.embeddings.embed_query(query.search), dtype=np.float32)
        passages = self.retriever.rank(
            query.search, k=RETRIEVE_K, vector=vector.tolist(), correct=False
        )
        weights = {g: self._weight(g) for g in query.groups}
        units = self._named_units(query)
        scope = None
        if query.intent == "eligibility":
            scope = self._requirements
        elif query.whole_dg and not units:
            scope = self._whole_dg
        found = gather(query, self.index, passages, vector, weights, units, scope)
        return query, rank(found, self.ranker)

    def _decide(
        self,
        asked: Asked,
        history: Sequence[Turn],
        facts: StatedFacts,
        quoted: frozenset[tuple[str, int]] = frozenset(),
    ) -> tuple[Query, Decision, list[Scored]]:
        query, ranked = self.candidates(asked, history, facts)
        fresh = [s for s in ranked if s.sentence.key not in quoted]
        if quoted and fresh and len(fresh) < len(ranked):
            ranked = rank([s.candidate for s in fresh], self.ranker)
        unknown = [g for g in query.own_groups if not self.index.known(g)]
        named = self._named_units(query)
        # The criteria asked about, else those the stated facts bear on; with neither ("am I
        # eligible?"), the requirements are quoted, then the pre-check.
        criteria = list(query.criteria) or stated_criteria(facts)
        decision = decide(
            query,
            ranked,
            index=self.index,
            ranker=self.ranker,
            unknown=unknown,
            unknown_specific=any(
                all(_rare(r) for r in g) for g in unknown if not g & BACKGROUND_STEMS
            ),
            named_units=named,
            unknown_units=[c for c in unit_codes(query.search) if c not in self.index.units],
            describes_units=self._describes(query, named),
            applied=apply(criteria[:3], facts, self.rules) if query.intent == "eligibility" else [],
            previous=self._previous_sentences(history) if query.detail else [],
        )
        return query, decision, ranked

    def _phrase(
        self, phraser: Phraser, query: Query, composer: Composer, ranked: list[Scored]
    ) -> tuple[Composer | None, str | None]:
        """The model's wording over the chosen sentences (and a few runners-up), or why not."""
        sources = list(composer.sentences)
        for scored in ranked:
            if len(sources) >= LLM_SOURCES:
                break
            if scored.sentence not in sources and len(WORD.findall(scored.sentence.text)) >= 5:
                sources.append(scored.sentence)
        try:
            phrased = phraser.phrase(query.cleaned, [readable(s) for s in sources])
            result = Composer(self.corpus)
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

    # -- what the index knows -------------------------------------------------------------------

    def _weight(self, group: frozenset[str]) -> float:
        known = [self.index.idf[r] for r in group if r in self.index.idf]
        if known:
            return max(known)
        # A topic the sources never use weighs as a rare one, unless it is an everyday word
        # ("pick", "page"), which says little about whether the sources answer.
        return self.index.unseen_idf if all(_rare(r) for r in group) else COMMON_WORD_WEIGHT

    def _widen(self, group: frozenset[str], cleaned: str) -> frozenset[str]:
        """A topic the sources lack, with the sources' words that mean the same ("kids":
        children), found by the likeness of the words' embeddings. Names are never widened."""
        if self.index.known(group) or len(group) != 1:
            return group
        (root,) = group
        word = next((w for w in WORD.findall(cleaned) if stem(w) == root), None)
        if word is None or (word[0].isupper() and not cleaned.startswith(word)):
            return group
        return group | {r for w in self._alike(word) for r in word_stems(w)}

    def _alike(self, word: str) -> list[str]:
        vector = np.asarray(self.embeddings.embed_query(word), np.float32)
        return self.index.alike_words(vector, SAME_MEANING)

    def _mentions(self, phrase: str) -> bool:
        """Whether a document uses the phrase, as whole words ("child" is not in "children"),
        or, for one word, a word of the same meaning ("kids": children)."""
        words = WORD.findall(phrase.lower())
        pattern = re.compile(rf"(?<![\w-]){re.escape(' '.join(words))}(?![\w-])")
        if any(pattern.search(text) for text in self._texts):
            return True
        return len(words) == 1 and bool(self._alike(words[0]))

    def _named_units(self, query: Query) -> list[str]:
        """Units the question names by code ("C3", "HOME.C.3") or by title ("Visa Policy")."""
        # Units the question names; those of its context only when it points back to them
        # ("I like Visa Policy. Is it hiring?"), not when it asks about something else.
        text = query.search if REFERS_BACK.search(query.cleaned) else query.cleaned
        named = unit_codes(text)
        text = text.lower()
        named += [code for title, code in self.index.unit_titles.items() if title in text]
        return [c for c in dict.fromkeys(named) if c in self.index.units]

    def _describes(self, query: Query, units: list[str]) -> bool:
        """Whether the question asks what a unit does, and nothing narrower ("which countries")."""
        titles = {
            stem(w)
            for t, c in self.index.unit_titles.items()
            if c in units
            for w in WORD.findall(t)
        }
        return all(g <= _DESCRIBE | titles or g & titles for g in query.own_groups)

    def _previous_sentences(self, history: Sequence[Turn]) -> list[Sentence]:
        """The sentences the previous answer quoted, found by their wording in it."""
        last = next((t.content for t in reversed(history) if t.role == "assistant"), "")
        if not last:
            return []
        plain = MARK.sub("", last)
        quoted = [s for s in self.index.ordered if readable(s)[:-1] in plain]
        if quoted:
            return quoted
        # Worded otherwise (by the optional model, or retyped): what it said of a unit it names
        # is that unit's first sentence, so "more" is what follows it.
        units = [c for c in unit_codes(last) if c in self.index.units]
        return [next(s for s in self.index.ordered if s.unit == units[0])] if units else []


def _intent(query: Query, decision: Decision) -> Intent:
    if decision.kind == "out_of_scope":
        return "out_of_scope"
    if decision.kind in ("not_found", "unknown_units"):
        return "unanswerable"
    if decision.kind == "deadline":
        return "deadline"
    return "eligibility" if decision.kind == "eligibility" else "fact"
