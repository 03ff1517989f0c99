"""The query path's embedding model: the ONNX export that ``assistant index`` writes.

A serving process embeds one question at a time. Through onnxruntime and ``tokenizers`` that
costs a few milliseconds and a 0.3 s start; through sentence-transformers, importing torch and
transformers alone takes seconds and hundreds of megabytes per process. This module must not
import either (a test checks the serving process's modules).

An export lives in ``<data dir>/query-model/<fingerprint>/``, named by a content hash of the
model folder it was made from (``fingerprint``), with what reading it needs: the tokenizer, and
the pooling and normalisation of the sentence-transformers model (``export.json``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from retrieval.embeddings import LazyEmbeddings, LoadedEmbeddings, resolve_model
from retrieval.errors import ModelUnavailable

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

logger = logging.getLogger(__name__)

Backend = Literal["auto", "onnx", "torch"]
Precision = Literal["int8", "float32"]
EXPORTS = "query-model"
MODEL_FILE = "model.onnx"
WEIGHTS_FILE = "model.weights"  # the graph's tensors, beside it (mapped, not read, at load)
# The same graph with 8-bit weights (see retrieval.onnx_export._quantize), and its tensors.
INT8_FILE = "model.int8.onnx"
INT8_WEIGHTS_FILE = "model.int8.onnx.data"
TOKENIZER_FILE = "tokenizer.json"
SETTINGS_FILE = "export.json"


@dataclass(frozen=True)
class ExportSettings:
    """How the exported network's output becomes the sentence-transformers vector."""

    model: str  # the configured name, under which vectors are kept
    fingerprint: str  # content hash of the source model folder
    pooling: Literal["mean", "cls"]
    normalize: bool
    lowercase: bool  # sentence-transformers lower-cases before the tokenizer
    max_seq_length: int
    inputs: list[str]  # the network's inputs, from the tokenizer's encoding
    pad_id: int
    pad_token: str
    dimension: int
    # The source folder's files by size and modification time: a start that finds them
    # unchanged need not hash 90 MB again to know the export is current.
    source_stat: dict[str, list[int]]
    optimized_by: str = ""  # the onnxruntime version that optimized the graph before saving it

    def write(self, folder: Path) -> None:
        (folder / SETTINGS_FILE).write_text(json.dumps(asdict(self), indent=1), "utf-8")

    @classmethod
    def read(cls, folder: Path) -> ExportSettings:
        return cls(**json.loads((folder / SETTINGS_FILE).read_text("utf-8")))


def _files(model_dir: Path) -> list[Path]:
    return sorted(p for p in model_dir.rglob("*") if p.is_file())


def source_stat(model_dir: Path) -> dict[str, list[int]]:
    return {
        str(p.relative_to(model_dir)): [p.stat().st_size, p.stat().st_mtime_ns]
        for p in _files(model_dir)
    }


def fingerprint(model_dir: Path) -> str:
    """A hash of every file of the model folder, names and contents."""
    digest = hashlib.sha256()
    for path in _files(model_dir):
        digest.update(str(path.relative_to(model_dir)).encode() + b"\0")
        with path.open("rb") as file:
            digest.update(hashlib.file_digest(file, "sha256").digest())
    return digest.hexdigest()[:32]


def export_folder(data_dir: Path, digest: str) -> Path:
    return data_dir / EXPORTS / digest


def current_export(model: str, data_dir: Path) -> Path | None:
    """The export made from the model folder as it is now, if there is one."""
    found = _current(model, data_dir)
    return found[0] if found else None


def _current(model: str, data_dir: Path) -> tuple[Path, ExportSettings] | None:
    source = Path(resolve_model(model))
    root = data_dir / EXPORTS
    if not root.is_dir():
        return None
    stat = source_stat(source)
    for folder in root.iterdir():
        if folder.name.startswith("."):
            continue  # being written by an `assistant index` running now
        settings = _settings(folder)
        if settings and settings.model == model and settings.source_stat == stat:
            return folder, settings
    folder = export_folder(data_dir, fingerprint(source))  # files touched: the contents decide
    settings = _settings(folder)
    return (folder, settings) if settings and settings.model == model else None


def _settings(folder: Path) -> ExportSettings | None:
    """The settings of a complete export; None for one half written or from another version."""
    if not _complete(folder):
        return None
    try:
        return ExportSettings.read(folder)
    except (OSError, ValueError, TypeError):
        return None


def _complete(folder: Path) -> bool:
    names = (MODEL_FILE, WEIGHTS_FILE, INT8_FILE, INT8_WEIGHTS_FILE, TOKENIZER_FILE, SETTINGS_FILE)
    return all((folder / name).is_file() for name in names)


class _Loaded:
    def __init__(self, session: onnxruntime.InferenceSession, tokenizer: Tokenizer) -> None:
        self.session = session
        self.tokenizer = tokenizer


class OnnxEmbeddings(LoadedEmbeddings):
    """The exported model through onnxruntime: the vectors of sentence-transformers (cosine
    above 0.9999, a test), without torch."""

    def __init__(
        self,
        folder: Path,
        model: str,
        batch_size: int = 32,
        threads: int = 0,
        settings: ExportSettings | None = None,
        precision: Precision = "float32",
    ) -> None:
        super().__init__(model, batch_size=batch_size, threads=threads)
        self.folder = folder
        self.settings = settings or ExportSettings.read(folder)
        self.graph = folder / (INT8_FILE if precision == "int8" else MODEL_FILE)

    def _load(self) -> _Loaded:
        import onnxruntime
        from tokenizers import Tokenizer

        s = self.settings
        tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
        # As sentence-transformers calls its tokenizer: pad to the longest text of a batch,
        # cut at the model's length (the file's own settings may say otherwise).
        tokenizer.enable_truncation(s.max_seq_length)
        tokenizer.enable_padding(pad_id=s.pad_id, pad_token=s.pad_token)
        options = onnxruntime.SessionOptions()
        if s.optimized_by == onnxruntime.__version__:
            # Optimized when exported, by this very version: nothing left to do at each start.
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        # Threads that wait for the next text spinning would take the CPU from the rest of the
        # answer (and from the other workers) between two questions.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # Without its memory arena the session holds 25 MB less; one question at a time, the
        # arena saves nothing measurable.
        options.enable_cpu_mem_arena = False
        if self.threads:
            # Several worker processes on few cores: each using every core only makes them
            # fight for the CPU (and lengthens every request's wait).
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
        try:
            session = onnxruntime.InferenceSession(
                str(self.graph), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own kinds; all mean "cannot load"
            raise ModelUnavailable(
                f"the exported model in {self.folder} cannot be loaded: {exc}"
            ) from exc
        return _Loaded(session, tokenizer)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        loaded: _Loaded = self.load()
        s = self.settings
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            encodings = loaded.tokenizer.encode_batch(
                [t.lower() for t in batch] if s.lowercase else batch
            )
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {
                "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": mask,
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
            }
            hidden = loaded.session.run(None, {k: feeds[k] for k in s.inputs})[0]
            vectors.extend(pool(hidden, mask, s.pooling, s.normalize).tolist())
        return vectors


def pool(
    hidden: np.ndarray, mask: np.ndarray, mode: Literal["mean", "cls"], normalize: bool
) -> np.ndarray:
    """Token vectors to one vector per text, as sentence-transformers' Pooling module does."""
    if mode == "cls":
        pooled = hidden[:, 0]
    else:
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    if normalize:
        pooled = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    return np.asarray(pooled, dtype=np.float32)


_warned: set[str] = set()


def query_embeddings(
    model: str,
    data_dir: Path,
    backend: Backend = "auto",
    threads: int = 0,
    precision: Precision = "int8",
) -> LoadedEmbeddings:
    """What embeds questions: the current export, else (said once) sentence-transformers."""
    if backend == "torch":
        return LazyEmbeddings(model, threads=threads)
    found = _current(model, data_dir)
    if found is not None:
        return OnnxEmbeddings(
            found[0], model, threads=threads, settings=found[1], precision=precision
        )
    where = data_dir / EXPORTS
    if backend == "onnx":
        raise ModelUnavailable(
            f"no current export of the embedding model {model!r} in {where}: run `assistant index`"
        )
    if model not in _warned:
        _warned.add(model)
        logger.warning(
            "no current export of the embedding model %r in %s: questions are embedded through "
            "sentence-transformers (a slower start, more memory); `assistant index` exports it",
            model,
            where,
        )
    return LazyEmbeddings(model, threads=threads)
