"""Compose: a decision becomes the answer's text and its numbered citations, built together.

The sources' sentences are shown lightly tidied for reading (table tabs, bold marks, empty
links); each citation's quote stays the document's exact text. Our own sentences (the deadline
computed against the clock, "the call does not say", a rule applied) state facts from the call
model (the manifest and the rules file, never facts written in code) in words from the answer's
language file (``assistant/locales/<code>/answers.toml``); the quotes stay the call's English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from assistant.answering.decide import ANSWER_CHARS, Decision
from assistant.answering.models import Answer, Citation, Status
from assistant.locales import Catalog, catalog, dates
from assistant.precheck.rules import RuleSet
from retrieval.corpus import Corpus
from retrieval.sentence_index import Sentence, SentenceIndex

_LINK = re.compile(r"\[([^\]]*)\]\(#?\)|\[([^\]]*)\]\(#\)")
_ESCAPE = re.compile(r"\\([()\[\]])")
_FOOTNOTE = re.compile(r"\s?[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
# A sentence that sends the reader to a link or an address (web, not e-mail) it names only.
_POINTS_TO_LINK = re.compile(
    r"\b(at|on|via|through) (this|that|the following|the) \[?(link|address|page|website)\b"
    r"|\[[^\]]+\]\(#?\)",
    re.I,
)
ENGLISH = catalog("answers", "en")
LINK_NOT_KEPT = ENGLISH.text("links_not_kept")


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


class Composer:
    """Builds the answer text and its numbered citations together, so they always match."""

    def __init__(self, corpus: Corpus, texts: Catalog = ENGLISH) -> None:
        self.corpus = corpus
        self.texts = texts  # our own sentences, in the answer's language
        self.parts: list[str] = []
        self.citations: list[Citation] = []
        self.sentences: list[Sentence] = []  # what each citation quotes, in citation order
        self.dated = False  # whether a sentence read the clock (the days left)

    def cite(self, sentence: Sentence) -> int:
        for citation in self.citations:
            if (citation.doc_id, citation.start, citation.end) == (
                sentence.doc_id,
                sentence.start,
                sentence.end,
            ):
                return citation.id
        document = self.corpus.get(sentence.doc_id)
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
        self.parts.append(text if source is None else f"{text} [{self.cite(source)}].")

    def quote(self, sentence: Sentence) -> None:
        if any(s.key == sentence.key for s in self.sentences):
            return
        shown = readable(sentence)
        number = self.cite(sentence)
        # Said with the citation, so that a client can find (and mark as English) the words
        # quoted without redoing what readable() does.
        self.citations[number - 1] = self.citations[number - 1].model_copy(
            update={"shown": shown[:-1]}
        )
        self.parts.append(f"{shown[:-1]} [{number}]{shown[-1]}")

    def quote_all(self, sentences: tuple[Sentence, ...] | list[Sentence]) -> None:
        for sentence in sentences:
            self.quote(sentence)

    def caveats(self) -> None:
        for doc_id in dict.fromkeys(c.doc_id for c in self.citations):
            caveat = self.corpus.get(doc_id).entry.caveat
            if caveat:
                self.parts.append(self.texts.text("note", text=f"{caveat[0].lower()}{caveat[1:]}"))
        # "Can be found at this link": the sources keep the words of a link, not where it led,
        # so an answer that quotes one says so rather than point to something it cannot give.
        if any(_POINTS_TO_LINK.search(s.text) for s in self.sentences):
            self.parts.append(self.texts.text("note", text=self.texts.text("links_not_kept")))

    def text(self) -> str:
        return " ".join(self.parts)


@dataclass(frozen=True)
class CallModel:
    """What the answers state about the call itself, read from the manifest and the rules."""

    corpus: Corpus
    rules: RuleSet
    index: SentenceIndex

    @property
    def contact(self) -> str:
        return self.corpus.call().entry.contact or ""

    @property
    def reference(self) -> str:
        return self.rules.reference

    def sentence_of(self, key: str) -> Sentence | None:
        """The sentence where a rules quote starts (a criterion's clause, ``deadline.late``)."""
        return next(iter(self.sentences_of(key)), None)

    def sentences_of(self, key: str) -> tuple[Sentence, ...]:
        """Every sentence a rules quote spans: a clause of two sentences ("have passed a CAST
        … . At the stage of the application, it is sufficient to be registered …") is quoted
        whole, not cut at its first full stop."""
        try:
            citation = self.rules.citation(key)
        except KeyError:
            return ()
        return tuple(
            s
            for s in self.index.ordered
            if s.doc_id == self.rules.call_id and s.start < citation.end and citation.start < s.end
        )

    @property
    def requirements_chapter(self) -> str:
        """The chapter that sets out the criteria, where eligibility questions are answered."""
        return self.rules.criteria[0].section.split(" › ")[0]


def in_language(answer: Answer, texts: Catalog) -> Answer:
    """An answer in another language than the call's: said so before its English quotes."""
    text = answer.answer
    if answer.citations:
        text = f"{texts.text('quotes_in_english')} {text}"
    return answer.model_copy(update={"answer": text, "lang": texts.code})


def compose(decision: Decision, call: CallModel, composer: Composer, *, now: datetime) -> Status:
    """Write ``decision`` into ``composer``; the status of the answer."""
    say = composer.texts.text
    match decision.kind:
        case "deadline":
            return _deadline(call, composer, now)
        case "out_of_scope":
            composer.say(say("out_of_scope", reference=call.reference))
            return "out_of_scope"
        case "unknown_units":
            composer.say(say("no_such_unit", units=", ".join(decision.units)))
            lead_in = next(
                (s for s in call.index.ordered if re.search(r"\b\d+ units\b", s.text)), None
            )
            if lead_in is not None:
                composer.quote(lead_in)
            composer.say(say("ask_team", contact=call.contact))
            return "not_found"
        case "units":
            for code in decision.units:
                composer.quote_all(_unit_description(call.index, code))
            return "answered"
        case "eligibility":
            _eligibility(decision, call, composer)
            return "answered"
        case "not_found":
            composer.say(say("not_found"))
            if decision.related:
                composer.say(say("related"))
                composer.quote_all(decision.related)
            composer.say(say("ask_team", contact=call.contact))
            return "not_found"
    if decision.name_unit and decision.sentences:
        _name_unit(decision.sentences[0], call.index, composer)
    _quote_with_extras(decision, composer)
    return "answered"


def _quote_with_extras(decision: Decision, composer: Composer) -> None:
    for sentence in decision.sentences:
        composer.quote(sentence)
        composer.quote_all(decision.extras.get(sentence.key, ()))


def _eligibility(decision: Decision, call: CallModel, composer: Composer) -> None:
    say = composer.texts.text
    for applied in decision.applied:
        clause = call.sentences_of(applied.clause_key)
        if clause:
            label = _label(call.rules, applied.criterion, composer.texts.code)
            composer.say(say("eligibility.the_call_says", label=label))
            composer.quote_all(clause)
        if applied.said:
            composer.say(applied.said)
        for key in applied.also:
            extra = call.sentence_of(key)
            if extra is not None:
                composer.quote(extra)
    if not decision.applied:
        composer.say(say("eligibility.requires"))
        _quote_with_extras(decision, composer)
    composer.say(say("eligibility.precheck"))


def _label(rules: RuleSet, criterion: str, code: str) -> str:
    """A criterion's name in the answer's language, as the pre-check names it."""
    key = f"criterion.{criterion}"
    texts = catalog("precheck", code)
    return texts.text(key) if texts.has(key) else rules.get(criterion).label


def _unit_description(index: SentenceIndex, code: str) -> list[Sentence]:
    """The first sentences of the unit's own description, as the call words its mission."""
    own = [s for s in index.ordered if s.unit == code]
    picked = own[:1]
    if len(own) > 1 and len(own[0].text) + len(own[1].text) <= ANSWER_CHARS:
        picked.append(own[1])
    return picked


def _name_unit(sentence: Sentence, index: SentenceIndex, composer: Composer) -> None:
    """Lead "which unit …?" answers with the unit's name, cited from where the call gives it."""
    code, title = sentence.unit, sentence.unit_title
    if code is None:
        return
    first = next(s for s in index.ordered if s.unit == code)
    if code in first.text:
        key = "this_unit_titled" if title else "this_unit"
        composer.say(composer.texts.text(key, code=code, title=title), first)


def _deadline(call: CallModel, composer: Composer, now: datetime) -> Status:
    texts = composer.texts
    composer.dated = True
    deadline = call.rules.deadline
    stated = call.sentence_of("deadline")
    if stated is None:
        composer.say(texts.text("not_found"))
        composer.say(texts.text("ask_team", contact=call.contact))
        return "not_found"
    date, time, place = dates.when(deadline, texts.code)
    composer.say(texts.text("deadline.is", date=date, time=time, place=place), stated)
    remaining = deadline - now
    if remaining.total_seconds() > 0:
        days, hours = remaining.days, remaining.seconds // 3600
        left = (
            texts.count("deadline.days", days)
            if days >= 1
            else texts.count("deadline.hours", hours)
            if hours
            else texts.text("deadline.minutes")
        )
        composer.say(texts.text("deadline.open", left=left))
    else:
        ago = (now - deadline).days
        since = (
            texts.text("deadline.closed_today") if ago == 0 else texts.count("deadline.ago", ago)
        )
        composer.say(texts.text("deadline.closed", date=date, since=since))
        late = call.sentence_of("deadline.late")
        if late is not None:
            composer.quote(late)
    return "answered"
