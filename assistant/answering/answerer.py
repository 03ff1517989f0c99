"""The answering pipeline: a message read once, then per question retrieve → rank → decide →
compose, and the whole answer verified before it leaves.

No language model by default: answers are made of the sources' own sentences, each followed by
its citation. A message with several questions gets each answered in turn, with one numbering
of citations. The optional chat model may reword a plain fact answer, under the same checks.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.candidates import gather, topic_share
from assistant.answering.compose import CallModel, Composer, compose, in_language, readable
from assistant.answering.crosslingual import (
    across_query,
    asks_for_unit,
    decide_across,
    rank_across,
    thresholds,
)
from assistant.answering.decide import Decision, decide
from assistant.answering.eligibility import apply, stated_criteria
from assistant.answering.facts import StatedFacts
from assistant.answering.foreign import read_foreign
from assistant.answering.knowledge import Knowledge
from assistant.answering.language import detect
from assistant.answering.llm import Phraser, Rejected
from assistant.answering.merge import merge
from assistant.answering.message import Asked, Message, read_message
from assistant.answering.models import Answer, Generator, Intent, Status, Turn, last_turn
from assistant.answering.query import Query, understand
from assistant.answering.rank import Ranker, Scored, default_ranker, of_kind, rank
from assistant.answering.thesaurus import thesaurus_words
from assistant.answering.verify import MARK, CitationError, verify_answer
from assistant.precheck.rules import RuleSet
from retrieval import spelling
from retrieval.corpus import Corpus
from retrieval.hybrid import HybridRetriever
from retrieval.multilingual import Multilingual
from retrieval.sentence_index import SentenceIndex
from retrieval.spelling import Speller
from retrieval.text import WORD

logger = logging.getLogger(__name__)

RETRIEVE_K = 8
LLM_SOURCES = 6  # sentences offered to the optional chat model


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
        multilingual: Multilingual | None = None,
    ) -> None:
        self.retriever = retriever
        self.corpus = corpus
        self.embeddings = embeddings
        self.index = index
        self.rules = rules
        self.phraser = phraser
        self.ranker = ranker or default_ranker()
        # Questions in the other EU languages; without it, every message is read as English.
        self.multilingual = multilingual
        self.call = CallModel(corpus, rules, index)
        # Candidates ask the same questions again and again, and an answer is a pure function
        # of the question and the history (deadline answers, which depend on the clock, and
        # a model's wording are never kept).
        self._cache: OrderedDict[bytes, Answer] = OrderedDict()
        self._cache_size = cache_size if phraser is None else 0
        self._cache_lock = threading.Lock()
        # Slips are corrected towards the corpus's words and the candidates' words for them.
        self._speller = Speller(
            set(index.words) | thesaurus_words(),
            spelling.written_together(s.text for s in index.sentences),
        )
        spelling.warm()
        self.knowledge = Knowledge(index, corpus, embeddings, self.call.requirements_chapter)

    def answer(
        self,
        message: str,
        history: Sequence[Turn] = (),
        *,
        now: datetime,
        lang: str | None = None,
    ) -> Answer:
        """The answer to ``message``; ``lang`` is the language the client speaks, which
        decides only where the message is too short to tell its own."""
        started = time.perf_counter()
        # Keyed on what the answer depends on: the message and the last turn of each side
        # (nothing reads further back), hashed so that long histories cost no memory.
        last_user, last_answer = last_turn(history, "user"), last_turn(history, "assistant")
        key = hashlib.sha256(
            "\0".join((message, last_user, last_answer, lang or "")).encode()
        ).digest()
        with self._cache_lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is not None:
            elapsed = round((time.perf_counter() - started) * 1000, 2)
            return cached.model_copy(update={"timings_ms": {"cache": elapsed, "total": elapsed}})
        answer = self._answer(message, history, now=now, lang=lang)
        if self._cache_size and not answer.dated:
            with self._cache_lock:
                self._cache[key] = answer
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return answer

    # -- the pipeline ---------------------------------------------------------------------------

    def _answer(
        self, message: str, history: Sequence[Turn], *, now: datetime, lang: str | None = None
    ) -> Answer:
        """The answer; ``Answer.dated`` says whether it depends on the clock."""
        started = time.perf_counter()
        self.retriever.validate_query(message)
        read, answers = self.answer_each(message, history, now=now, lang=lang)
        if not answers:
            composer = Composer(self.corpus, read.texts)
            composer.say(read.texts.text("welcome" if read.courtesy else "no_question"))
            composer.say(read.texts.text("ask_me", reference=self.call.reference))
            answers = [(Asked(message), self._finish(composer, "out_of_scope", "out_of_scope"))]
        answer = merge([a for _, a in answers])
        if len(answers) > 1:  # one part is merged as it is, and was verified on its own
            verify_answer(answer, self.corpus)
        if read.lang != "en":
            answer = in_language(answer, read.texts)
        total = round((time.perf_counter() - started) * 1000, 2)
        return answer.model_copy(update={"timings_ms": {**answer.timings_ms, "total": total}})

    def answer_each(
        self,
        message: str,
        history: Sequence[Turn] = (),
        *,
        now: datetime,
        lang: str | None = None,
    ) -> tuple[Message, list[tuple[Asked, Answer]]]:
        """The message read once, and each of its questions answered on its own, with its own
        citations: the chat joins them, the helpdesk lists them."""
        read = self.read(message, lang)
        if read.lang != "en" and self.multilingual is not None:
            return read, [
                (asked, self._answer_across(asked, history, read, now, self.multilingual))
                for asked in read.questions
            ]
        answers: list[tuple[Asked, Answer]] = []
        quoted: set[tuple[str, int]] = set()
        for asked in read.questions:
            # A second question of the same message wants another answer than the first: the
            # sentences already quoted are passed over where others answer too.
            answer = self._answer_one(asked, history, read.facts, now, frozenset(quoted))
            quoted |= {(c.doc_id, c.start) for c in answer.citations}
            answers.append((asked, answer))
        return read, answers

    def read(self, message: str, lang: str | None = None) -> Message:
        """The message read once: in English with typing slips corrected, in another language
        by its shape (``lang`` decides where the message is too short to tell)."""
        if self.multilingual is not None:
            written = detect(message, lang)
            if written != "en":
                return read_foreign(message, written)
        return read_message(self._speller.correct(message))

    def _answer_across(
        self,
        asked: Asked,
        history: Sequence[Turn],
        read: Message,
        now: datetime,
        multilingual: Multilingual,
    ) -> Answer:
        """A question in another language: ranked by the multilingual model, composed with
        our own sentences in its language around the call's English quotes."""
        started = time.perf_counter()
        t = thresholds()
        text = across_query(asked, last_turn(history, "user"))
        vector = np.asarray(multilingual.embeddings.embed_query(text), dtype=np.float32)
        ranked = rank_across(vector, multilingual, self.index, text, t)
        decided = time.perf_counter()
        composer = Composer(self.corpus, read.texts)
        unit = asks_for_unit(asked.text, multilingual, t, stated=bool(asked.context))
        decisions = decide_across(
            ranked, self.call, t, unit=unit, unanswered=multilingual.unanswered_likeness(vector)
        )
        statuses = [compose(d, self.call, composer, now=now) for d in decisions]
        status: Status = "answered" if "answered" in statuses else statuses[0]
        timings = {
            "retrieve": round((decided - started) * 1000, 2),
            "compose": round((time.perf_counter() - decided) * 1000, 2),
        }
        # A part about the deadline says what the question was about.
        lead = next((d for d in decisions if d.kind == "deadline"), decisions[0])
        return self._finish(composer, status, _intent(lead), timings=timings)

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
        return self._finish(composer, status, _intent(decision), generator, fallback, timings)

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
        return answer.reading_the_clock(composer.dated)

    def candidates(
        self, asked: Asked, history: Sequence[Turn] = ()
    ) -> tuple[Query, list[str], list[Scored]]:
        """A question read, the units it names, and its sentences ranked: what decide()
        weighs (and fitting reads)."""
        known = self.knowledge
        query = understand(asked, history, known.mentions, known.widen)
        vector = np.asarray(self.embeddings.embed_query(query.search), dtype=np.float32)
        passages = self.retriever.rank(
            query.search, k=RETRIEVE_K, vector=vector.tolist(), correct=False
        )
        weights = {g: known.weight(g) * topic_share(g, query) for g in query.groups}
        units = known.named_units(query)
        scope = None
        if query.intent == "eligibility":
            scope = known.requirements
        elif query.whole_dg and not units:
            scope = known.whole_dg
        ranked = rank(
            gather(query, self.index, passages, vector, weights, units, scope), self.ranker
        )
        if scope is known.whole_dg and not self._answers(ranked):
            # The DG as a whole is read first from the pages about it; what they do not hold
            # may be one unit's work ("how does DG HOME assess readmission each year?").
            wider = rank(gather(query, self.index, passages, vector, weights, units), self.ranker)
            ranked = wider if self._answers(wider) else ranked
        return query, units, ranked

    def _answers(self, ranked: list[Scored]) -> bool:
        return bool(ranked) and self.ranker.answerable(ranked[0].candidate) >= self.ranker.threshold

    def _decide(
        self,
        asked: Asked,
        history: Sequence[Turn],
        facts: StatedFacts,
        quoted: frozenset[tuple[str, int]] = frozenset(),
    ) -> tuple[Query, Decision, list[Scored]]:
        known = self.knowledge
        query, units, ranked = self.candidates(asked, history)
        unknown = known.unknown(query)
        fresh = [s for s in ranked if s.sentence.key not in quoted]
        if fresh and len(fresh) < len(ranked):
            # A later question of the message wants another answer than the earlier ones: the
            # sentences they quoted are passed over, as long as another one still answers.
            rest = rank([s.candidate for s in fresh], self.ranker)
            if self.ranker.answerable(rest[0].candidate) >= self.ranker.threshold:
                ranked = rest
        ranked = of_kind(query.answer_type, ranked, self.ranker)
        # The criteria asked about, else those the stated facts bear on; with neither ("am I
        # eligible?"), the requirements are quoted, then the pre-check.
        criteria = list(query.criteria) or stated_criteria(facts)
        decision = decide(
            query,
            ranked,
            index=self.index,
            ranker=self.ranker,
            unknown=unknown,
            unknown_specific=known.specific(unknown),
            names_source_term=known.names_source_term(query),
            named_units=units,
            unknown_units=known.unknown_units(query),
            describes_units=known.describes(query, units),
            applied=apply(criteria[:3], facts, self.rules) if query.intent == "eligibility" else [],
            previous=known.previous_sentences(history) if query.detail else [],
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


def _intent(decision: Decision) -> Intent:
    if decision.kind == "out_of_scope":
        return "out_of_scope"
    if decision.kind in ("not_found", "unknown_units"):
        return "unanswerable"
    if decision.kind == "deadline":
        return "deadline"
    return "eligibility" if decision.kind == "eligibility" else "fact"
