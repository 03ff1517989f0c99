"""A draft reply to a candidate's e-mail, for the helpdesk to edit and send.

Each question is answered by the same answerer as the chat, so the same rules hold: every
statement is a sentence of the call with its citation, and where the call is silent the draft
says so and gives the contact. Citations of all the answers are renumbered into one list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.answering.merge import Numbering
from assistant.answering.message import Asked, Message
from assistant.answering.models import Answer, Citation, Status, Turn, bounded_text
from assistant.drafting.questions import signature_name
from assistant.locales import Catalog, catalog
from assistant.precheck import PrecheckResult, Profile, evaluate
from assistant.precheck.render import plain_words
from retrieval.corpus import Corpus

if TYPE_CHECKING:
    from assistant.precheck import RuleSet

MAX_EMAIL_CHARS = 10_000


class AnswersQuestions(Protocol):
    def answer_each(
        self, message: str, history: Sequence[Turn] = (), *, now: datetime
    ) -> tuple[Message, list[tuple[Asked, Answer]]]: ...


class DraftRequest(BaseModel):
    """A candidate's e-mail and, optionally, the profile they declared in it."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(
        description=f"The candidate's e-mail as received, 1 to {MAX_EMAIL_CHARS} characters.",
        json_schema_extra={"minLength": 1, "maxLength": MAX_EMAIL_CHARS},
    )
    profile: Profile | None = Field(
        default=None, description="When given, the draft includes the eligibility pre-check."
    )

    @field_validator("message")
    @classmethod
    def _trimmed_and_bounded(cls, value: str) -> str:
        return bounded_text(value, MAX_EMAIL_CHARS, "paste the candidate's e-mail")


class DraftAnswer(BaseModel):
    question: str
    answer: str = Field(description="The answer, with [n] marks into the draft's citations.")
    status: Status


class Draft(BaseModel):
    draft: str = Field(description="The reply: greeting, answers, pre-check, sources, sign-off.")
    citations: list[Citation] = Field(description="Every source of the draft, numbered as [n].")
    questions: list[str] = Field(description="The questions found in the e-mail, in order.")
    answers: list[DraftAnswer] = Field(description="Each question with its answer.")
    precheck: PrecheckResult | None = Field(
        default=None, description="The pre-check of the profile, when one was given."
    )


def _precheck_paragraph(result: PrecheckResult, say: Catalog) -> str:
    not_met = [c for c in result.criteria if c.status == "not_met"]
    unknown = [c for c in result.criteria if c.status == "unknown"]
    if result.verdict == "eligible":
        lines = [say.text("eligible")]
    else:
        lines = [say.text("on_what_you_said")]
        lines += ["- " + say.text("not_met", label=c.label, reason=c.reason) for c in not_met]
        if unknown:
            labels = ", ".join(c.label for c in unknown)
            lines.append("- " + say.text("cannot_tell", labels=labels))
    lines.append(result.disclaimer)
    return "\n".join(lines)


def _source_line(citation: Citation, call_id: str) -> str:
    quote = " ".join(plain_words(citation.quote).split())
    where = (
        citation.section if citation.doc_id == call_id else f"{citation.title}, {citation.section}"
    )
    return f"[{citation.id}] {where}: “{quote}”"


def draft_reply(
    message: str,
    answerer: AnswersQuestions,
    corpus: Corpus,
    *,
    now: datetime,
    profile: Profile | None = None,
    rules: RuleSet | None = None,
) -> Draft:
    """Answer each question of ``message`` and compose a reply; pre-check ``profile`` if given."""
    call = corpus.call()
    reference = call.entry.reference or call.id
    # The same reader and answerer as the chat: each question answered on its own, with the
    # facts the candidate stated, and one numbering of citations over all of them.
    read, each = answerer.answer_each(message, [], now=now)
    questions = [asked.said for asked, _ in each]
    sources = Numbering()
    answers = [
        DraftAnswer(question=asked.said, answer=sources.renumber(answer), status=answer.status)
        for asked, answer in each
    ]

    # The reply is in the language of the e-mail, as the answers are; the call's quotes stay
    # its English words.
    say = catalog("drafts", read.lang)
    precheck = None
    if profile is not None:
        if rules is None:
            raise ValueError("a profile needs the rules of the call to be pre-checked")
        precheck = evaluate(profile, rules, now=now, lang=read.lang)

    name = signature_name(message, read.lang)
    parts = [say.text("greeting_named", name=name) if name else say.text("greeting")]
    parts.append(say.text("thanks", reference=reference))
    if read.courtesy:
        # A thank-you is not a question: it gets a thank-you back, not an answer.
        parts[-1] = say.text("thanks_courtesy")
    elif not answers:
        parts.append(say.text("no_question"))
    if read.lang != "en" and sources.citations:
        parts.append(read.texts.text("quotes_in_english"))
    for i, item in enumerate(answers, start=1):
        heading = (
            say.text("numbered", number=i, question=item.question)
            if len(answers) > 1
            else say.text("asked", question=item.question)
        )
        parts.append(f"{heading}\n{item.answer}")
    if precheck is not None:
        parts.append(say.text("eligibility", text=_precheck_paragraph(precheck, say)))
    if sources.citations:
        lines = [say.text("sources")]
        lines += [_source_line(c, call.id) for c in sources.citations]
        parts.append("\n".join(lines))
    if call.entry.contact:
        parts.append(say.text("contact", contact=call.entry.contact))
    parts.append(say.text("sign_off", reference=reference))
    return Draft(
        draft="\n\n".join(parts) + "\n",
        citations=sources.citations,
        questions=questions,
        answers=answers,
        precheck=precheck,
    )
