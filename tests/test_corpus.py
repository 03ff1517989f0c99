from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from retrieval.corpus import Corpus, load_corpus
from retrieval.errors import CorpusError

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_manifest_describes_the_call(corpus: Corpus) -> None:
    call = corpus.call()
    assert call.entry.reference == "EC-2025-HOME-01"
    assert call.entry.contact == "HOME-CALL@ec.europa.eu"
    # 12:00 in Brussels on 22 April 2025 is CEST, i.e. 10:00 UTC.
    assert call.deadline is not None
    assert call.deadline.astimezone(UTC) == datetime(2025, 4, 22, 10, 0, tzinfo=UTC)
    assert corpus.get("dg-home-profile").entry.kind == "background"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout")
def test_documents_are_untouched_copies_of_the_seeds(corpus: Corpus) -> None:
    seeds = {p.read_bytes() for p in SEEDS.glob("*.txt")}
    assert {d.path.read_bytes() for d in corpus.documents.values()} == seeds


def test_adding_a_document_is_a_file_and_a_manifest_entry(corpus_copy: Path) -> None:
    (corpus_copy / "documents" / "faq.txt").write_text("Who we are\n\nA new page.\n", "utf-8")
    with (corpus_copy / "manifest.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(
            '\n[[documents]]\nid = "faq"\nfile = "documents/faq.txt"\n'
            'title = "FAQ"\nkind = "background"\nlanguage = "en"\n'
        )
    assert list(load_corpus(corpus_copy).documents) == ["ec-2025-home-01", "dg-home-profile", "faq"]


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda root: (root / "manifest.toml").unlink(), "manifest.toml is missing"),
        (lambda root: (root / "documents" / "dg-home-profile.txt").unlink(), "does not exist"),
        (
            lambda root: (root / "documents" / "dg-home-profile.txt").write_bytes(
                b"caf\xe9 au lait"
            ),
            "not valid UTF-8 (byte 3)",
        ),
        (lambda root: (root / "documents" / "extra.txt").write_text("x", "utf-8"), "has no entry"),
        (
            lambda root: (root / "manifest.toml").write_text("[[documents]\nid=", "utf-8"),
            "cannot be read",
        ),
        (
            lambda root: (root / "documents" / "dg-home-profile.txt").write_text("  \n", "utf-8"),
            "is empty",
        ),
        (
            lambda root: (root / "manifest.toml").write_text(
                (root / "manifest.toml")
                .read_text("utf-8")
                .replace("HOME-CALL@ec.europa.eu", "jobs@example.org"),
                "utf-8",
            ),
            "not found verbatim",
        ),
        (
            lambda root: (root / "manifest.toml").write_text(
                (root / "manifest.toml")
                .read_text("utf-8")
                .replace('kind = "call"', 'kind = "memo"'),
                "utf-8",
            ),
            "document entry 1 is invalid (kind",
        ),
    ],
    ids=[
        "no-manifest",
        "entry-without-file",
        "not-utf8",
        "file-without-entry",
        "bad-toml",
        "empty-file",
        "fact-not-verbatim",
        "bad-kind",
    ],
)
def test_a_broken_corpus_is_refused_with_a_clear_message(
    corpus_copy: Path, breakage: object, message: str
) -> None:
    breakage(corpus_copy)  # type: ignore[operator]
    with pytest.raises(CorpusError, match=re.escape(message)):
        load_corpus(corpus_copy)


def test_missing_and_empty_corpus_directories(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist; set ASSISTANT_CORPUS_DIR"):
        load_corpus(tmp_path / "nowhere")
    with pytest.raises(CorpusError, match=r"manifest\.toml is missing"):
        load_corpus(tmp_path)
