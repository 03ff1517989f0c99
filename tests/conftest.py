"""Shared fixtures. Everything is real: the packaged embedding model, an embedded Chroma in a
temporary folder, the corpus of the repository."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT, Settings
from assistant.runtime import Services
from retrieval.corpus import Corpus, load_corpus

CORPUS_DIR = PROJECT_ROOT / "corpus"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ASSISTANT_* variable of the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="session")
def indexed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data folder holds an index of the real corpus, built once per session."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("index"), corpus_dir=CORPUS_DIR)
    Services(settings).build_index()
    return settings


@pytest.fixture(scope="session")
def services(indexed_settings: Settings) -> Services:
    return Services(indexed_settings)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus, for tests that change or break it."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, target)
    return target
