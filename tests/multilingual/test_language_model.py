"""The detector's compact model reads every text exactly as py3langid's dense one does."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from assistant.answering import language_model
from assistant.answering.language_model import (
    LanguageModel,
    dense_transitions,
    kept,
    kept_path,
    packaged_model,
    read_model,
    trie_of,
)
from assistant.answering.language_model import compact as compacted
from assistant.locales import languages

DATASETS = Path(__file__).resolve().parents[2] / "eval" / "datasets"


@pytest.fixture(scope="module")
def raw() -> dict[str, np.ndarray]:
    return read_model(packaged_model())


@pytest.fixture(scope="module")
def compact(raw: dict[str, np.ndarray]) -> LanguageModel:
    return LanguageModel(compacted(raw, languages()))


@pytest.fixture(scope="module")
def reference() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages()))
    return identifier


def test_every_transition_is_a_trie_edge_or_the_failure_links(raw: dict[str, np.ndarray]) -> None:
    """The equivalence behind the compact form, checked on all 26.8 million transitions: where
    a state has no trie edge for a byte, the dense automaton goes where the state's failure
    link goes (or back to the start, from the start)."""
    dense = dense_transitions(raw)
    parent, label, child, fail = trie_of(raw)
    assert len(child) == len(dense) - 1  # one trie edge into every state but the start
    assert np.array_equal(dense[parent, label], child)
    has_edge = np.zeros(dense.shape, dtype=bool)
    has_edge[parent, label] = True
    fallback = dense[fail]
    fallback[0] = 0
    assert np.all(has_edge | (dense == fallback))


def _texts() -> list[str]:
    texts = [
        json.loads(line)["question"]
        for name in ("answers-multilingual-dev.jsonl", "answers.jsonl")
        for line in (DATASETS / name).read_text("utf-8").splitlines()
        if line.strip()
    ]
    rng = random.Random(7)
    noise = [
        "".join(chr(rng.randint(32, 0x3000)) for _ in range(rng.randint(1, 80))) for _ in range(50)
    ]
    return [*texts, *noise, "", "CAST?", "ΜΠΟΡΩ ΝΑ ΥΠΟΒΑΛΩ ΑΙΤΗΣΗ", "naïve café", "\udcff x"]


def test_scores_are_py3langids_to_the_bit(
    compact: LanguageModel, reference: LanguageIdentifier
) -> None:
    assert list(compact.classes) == list(reference.nb_classes)
    for text in _texts():
        expected = reference._decide(reference._encode(text))
        assert np.array_equal(compact.probabilities(text), expected), text


def test_it_keeps_the_24_languages_only(compact: LanguageModel) -> None:
    assert sorted(compact.classes) == sorted(languages())
    assert compact.classify("Quand est la date limite pour postuler ?")[0] == "fr"


def test_an_unknown_language_is_refused(raw: dict[str, np.ndarray]) -> None:
    with pytest.raises(ValueError, match="xx"):
        compacted(raw, ["en", "xx"])


def test_the_model_kept_beside_the_index_reads_as_the_one_made(
    tmp_path: Path, compact: LanguageModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = kept(languages(), tmp_path, write=True)
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [kept_path(languages(), tmp_path).name]
    # Read, not made again: the packaged model is not even opened.
    with monkeypatch.context() as patched:
        patched.setattr(language_model, "read_model", _refuse)
        again = kept(languages(), tmp_path, write=False)
    for text in ("Quelle est la date limite ?", "Wie lange dauert die Probezeit?", "?"):
        assert np.array_equal(again.probabilities(text), compact.probabilities(text))
        assert np.array_equal(made.probabilities(text), compact.probabilities(text))
    # Other languages: another file.
    kept(["en", "fr"], tmp_path, write=True)
    assert len(list(tmp_path.iterdir())) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"not a model",
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"",
        lambda data: data[:100] + bytes([data[100] ^ 0xFF]) + data[101:],  # one byte flipped
    ],
)
def test_a_damaged_kept_model_is_made_again(tmp_path: Path, damage: Any) -> None:
    path = kept_path(languages(), tmp_path)
    kept(languages(), tmp_path, write=True)
    whole = path.read_bytes()
    path.write_bytes(damage(whole))
    # Served (made from the package), never an error; `assistant index` writes it whole again.
    assert kept(languages(), tmp_path, write=False).classify("Quelle heure est-il ?")[0] == "fr"
    kept(languages(), tmp_path, write=True)
    assert kept(languages(), tmp_path, write=False).classify("Wie spät ist es?")[0] == "de"
    assert path.stat().st_size == len(whole)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no partial file left


def _refuse(path: Path) -> dict[str, np.ndarray]:
    raise AssertionError(f"{path} was read: the kept model should have been")
