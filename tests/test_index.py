"""Incremental indexing against a real embedded Chroma and the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.runtime import Services
from retrieval.embeddings import resolve_model
from retrieval.errors import CorpusError, IndexNotBuilt
from retrieval.parsing import parse_document
from retrieval.sentence_index import sentence_text


def stored_count(services: Services) -> int:
    return services.client.get_collection(
        services.settings.collection, embedding_function=None
    ).count()


def test_incremental_builds(corpus_copy: Path, tmp_path: Path) -> None:
    settings = Settings(corpus_dir=corpus_copy, data_dir=tmp_path / "data")
    first = Services(settings).build_index()
    assert first.added == ["ec-2025-home-01", "dg-home-profile"]
    total = first.passages_embedded
    assert total == sum(
        len(parse_document(d.id, d.text)) for d in Services(settings).corpus.documents.values()
    )

    # A second run over the unchanged corpus embeds nothing and never loads the model.
    again = Services(settings)
    second = again.build_index()
    assert second.passages_embedded == 0
    assert second.unchanged == ["ec-2025-home-01", "dg-home-profile"]
    assert second.query_model is not None
    assert not second.query_model.exported  # its export is current too
    assert not again.embeddings.loaded

    # A changed document is re-embedded alone.
    profile = corpus_copy / "documents" / "dg-home-profile.txt"
    profile.write_text(
        profile.read_text("utf-8") + "\nOpening hours\n\nFrom 9:00 to 17:00.\n", "utf-8"
    )
    changed = Services(settings)
    third = changed.build_index()
    assert third.updated == ["dg-home-profile"]
    assert third.unchanged == ["ec-2025-home-01"]
    new_profile = parse_document("dg-home-profile", profile.read_text("utf-8"))
    assert third.passages_embedded == len(new_profile)
    # Beside the passages, only the sentences and words the change brought are embedded: the
    # other vectors come from the earlier build's files.
    before = {sentence_text(s) for s in again.sentence_index.sentences}
    new_sentences = [
        t for t in map(sentence_text, changed.sentence_index.sentences) if t not in before
    ]
    new_words = set(changed.sentence_index.words) - set(again.sentence_index.words)
    assert new_sentences
    assert changed.embeddings.embedded_texts == (
        len(new_profile) + len(new_sentences) + len(new_words)
    )
    assert stored_count(changed) == total + len(new_profile) - 8
    assert changed.retriever.rank("opening hours", k=1)[0].page_content == "From 9:00 to 17:00."


def test_a_broken_corpus_leaves_the_index_intact(corpus_copy: Path, tmp_path: Path) -> None:
    settings = Settings(corpus_dir=corpus_copy, data_dir=tmp_path / "data")
    Services(settings).build_index()
    before = stored_count(Services(settings))
    (corpus_copy / "documents" / "ec-2025-home-01.txt").write_bytes(b"\xff\xfe broken")
    with pytest.raises(CorpusError):
        Services(settings).build_index()
    (corpus_copy / "documents" / "ec-2025-home-01.txt").unlink()
    with pytest.raises(CorpusError):
        Services(settings).build_index()
    assert stored_count(Services(settings)) == before


def test_a_changed_model_forces_a_clean_rebuild(indexed_settings: Settings, tmp_path: Path) -> None:
    settings = Settings(corpus_dir=indexed_settings.corpus_dir, data_dir=tmp_path / "data")
    Services(settings).build_index()
    # The same weights under another name (a folder path) count as another model.
    other = settings.model_copy(update={"embedding_model": resolve_model("all-MiniLM-L6-v2")})
    with pytest.raises(IndexNotBuilt, match="built with"):
        _ = Services(other).retriever
    report = Services(other).build_index()
    assert report.rebuilt
    assert report.added == ["ec-2025-home-01", "dg-home-profile"]


def test_searching_without_an_index_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(IndexNotBuilt, match="run `assistant index`"):
        _ = Services(Settings(data_dir=tmp_path / "empty")).retriever


def test_a_stale_index_is_detected(corpus_copy: Path, tmp_path: Path) -> None:
    settings = Settings(corpus_dir=corpus_copy, data_dir=tmp_path / "data")
    Services(settings).build_index()
    profile = corpus_copy / "documents" / "dg-home-profile.txt"
    profile.write_text(profile.read_text("utf-8") + "\nMore.\n", "utf-8")
    with pytest.raises(IndexNotBuilt, match="out of date for dg-home-profile"):
        _ = Services(settings).retriever
