"""Exports the sentence-transformers model to ONNX for the query path (retrieval.query_model).

Run by ``assistant index``, which has the model loaded (or loads it) anyway; once per model
folder, since the export is named by the folder's content hash. The export is checked against
the model before it is kept: vectors that differ are never served.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embeddings import resolve_model
from retrieval.errors import ModelUnavailable
from retrieval.query_model import (
    EXPORTS,
    INT8_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    WEIGHTS_FILE,
    ExportSettings,
    OnnxEmbeddings,
    current_export,
    export_folder,
    fingerprint,
    source_stat,
)

logger = logging.getLogger(__name__)

# Texts both models embed before an export is kept: short and long, cased, accented, numbers.
PROBES = [
    "When is the deadline?",
    "Je suis de nationalité française : puis-je postuler ?",
    "CAST FG IV — 12 months of professional experience after a 3-year degree (EUR 4,000).",
    " ".join(["A long question that the tokenizer has to cut at the model's length."] * 40),
]
AGREEMENT = 0.9999  # least cosine between the two models' vectors of a probe
# The same for the 8-bit weights. Over the corpus's sentences and words the least cosine is
# 0.958 and the median 0.990; what matters is measured on the evaluation sets (the same answers).
INT8_AGREEMENT = 0.95

# One export per model folder and process: tests index into many data folders.
_made: dict[str, Path] = {}


@dataclass(frozen=True)
class ExportReport:
    folder: Path | None  # None: the model cannot be exported; questions use the slow path
    exported: bool  # False: the current export was already there
    seconds: float = 0.0
    problem: str = ""


class Unsupported(Exception):
    """The model has a part the exported reading does not reproduce."""


def ensure_export(model: str, data_dir: Path) -> ExportReport:
    """Export ``model`` beside the index unless its current export is already there."""
    started = time.perf_counter()
    existing = current_export(model, data_dir)
    if existing is not None:
        return ExportReport(existing, exported=False)
    source = Path(resolve_model(model))
    digest = fingerprint(source)
    target = export_folder(data_dir, digest)
    try:
        if digest in _made and (_made[digest] / MODEL_FILE).is_file():
            _copy(_made[digest], target, model, source)
        else:
            _export(model, source, digest, target)
            _made[digest] = target
    except (Unsupported, ModelUnavailable) as problem:
        logger.warning("the embedding model %r is not exported: %s", model, problem)
        return ExportReport(None, exported=False, problem=str(problem))
    # Earlier exports (of a model since changed or replaced) are of no further use.
    for other in (data_dir / EXPORTS).iterdir():
        if other != target and other.is_dir() and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)
    return ExportReport(target, exported=True, seconds=time.perf_counter() - started)


def _copy(made: Path, target: Path, model: str, source: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    shutil.copytree(made, partial, dirs_exist_ok=True)
    # The same contents, maybe under another name or in another folder.
    settings = replace(ExportSettings.read(made), model=model, source_stat=source_stat(source))
    settings.write(partial)
    _publish(partial, target)


def _publish(partial: Path, target: Path) -> None:
    """A serving process never sees half an export: the folder appears whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # Made private by mkdtemp (and the quantizer): readable like the rest of the index.
    partial.chmod(0o755)
    for file in partial.iterdir():
        file.chmod(0o644)
    shutil.rmtree(target, ignore_errors=True)
    partial.replace(target)


def _export(model: str, source: Path, digest: str, target: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    try:
        st = SentenceTransformer(str(source), device="cpu")
    except Exception as exc:  # the library raises many kinds; all mean "cannot load"
        raise ModelUnavailable(f"embedding model {model!r} cannot be loaded: {exc}") from exc
    # By class name: the classes' module moved between sentence-transformers versions.
    modules: list[Any] = list(st)
    kinds = [type(m).__name__ for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise Unsupported(f"its modules are {kinds}")
    pooling = _pooling(modules[1].get_config_dict())
    if pooling not in ("mean", "cls"):
        raise Unsupported(f"its pooling is {pooling!r}")
    tokenizer: Any = st.tokenizer
    inputs = [n for n in tokenizer.model_input_names if n in _INPUTS]
    settings = ExportSettings(
        model=model,
        fingerprint=digest,
        pooling="cls" if pooling == "cls" else "mean",
        # The query path always normalises (so did sentence-transformers: normalize_embeddings).
        normalize=True,
        lowercase=bool(modules[0].get_config_dict().get("do_lower_case", False)),
        max_seq_length=int(st.max_seq_length or 512),
        inputs=inputs,
        pad_id=int(tokenizer.pad_token_id),
        pad_token=str(tokenizer.pad_token),
        dimension=int(
            getattr(st, "get_embedding_dimension", st.get_sentence_embedding_dimension)() or 0
        ),
        source_stat=source_stat(source),
        optimized_by=_onnxruntime_version(),
    )

    network = _network(modules[0].auto_model, inputs).eval()
    example = tokenizer(["an example"], return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in [*inputs, "last_hidden_state"]}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        # The tracer warns about code paths it records as constants; whether that holds for
        # every length is what _check measures, so the warnings are only noise here.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                network,
                tuple(example[name] for name in inputs),
                str(partial / RAW_FILE),
                input_names=inputs,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                # The TorchScript exporter: the dynamo one needs onnxscript and more time.
                dynamo=False,
            )
        _optimize(partial / RAW_FILE, partial / MODEL_FILE)
        (partial / RAW_FILE).unlink()
        tokenizer.backend_tokenizer.save(str(partial / TOKENIZER_FILE))
        settings.write(partial)
        _check(st, OnnxEmbeddings(partial, model, threads=1))
        _quantize(partial)
        _check(st, OnnxEmbeddings(partial, model, threads=1, precision="int8"), INT8_AGREEMENT)
        _publish(partial, target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
RAW_FILE = "exported.onnx"


def _optimize(raw: Path, optimized: Path) -> None:
    """Save the graph as onnxruntime optimizes it (fused attention, layer norms), so that each
    serving process loads it without optimizing it again, with its weights in a file of their
    own: onnxruntime maps that file rather than copying it, so a process starts in a third of
    the time, holds 40 MB less, and the workers of one machine share the pages."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # Extended, not all: the layout changes of the highest level are for the machine at hand.
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(optimized)
    options.add_session_config_entry(
        "session.optimized_model_external_initializers_file_name", WEIGHTS_FILE
    )
    options.add_session_config_entry(
        "session.optimized_model_external_initializers_min_size_in_bytes", "1024"
    )
    onnxruntime.InferenceSession(str(raw), options, providers=["CPUExecutionProvider"])


def _quantize(folder: Path) -> None:
    """The optimized graph with 8-bit weights (one scale per output channel) for the
    transformer's matrices and the token embeddings: 32 MB less in each serving process and
    a question embedded in 2.8 ms instead of 4.9, with the same answers, declines and
    citations on the five English evaluation sets and the same retrieval figures."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # It says so through the root logger, which configures logging for the whole process
    # (basicConfig) when nothing has: a handler of our own for the while keeps it as it was.
    root = logging.getLogger()
    quieter, holder = _DropAdvice(), logging.NullHandler()
    root.addFilter(quieter)
    root.addHandler(holder)
    try:
        quantize_dynamic(
            folder / MODEL_FILE,
            folder / INT8_FILE,
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul", "Gather"],
            use_external_data_format=True,
            # The optimized graph's fused operators have no type the quantizer can infer.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        root.removeHandler(holder)
        root.removeFilter(quieter)


class _DropAdvice(logging.Filter):
    """The quantizer advises pre-processing the graph, which is already optimized."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Please consider to run pre-processing")


def _onnxruntime_version() -> str:
    import onnxruntime

    return str(onnxruntime.__version__)


def _pooling(config: dict[str, Any]) -> str:
    """The pooling mode, from the configuration of either generation of the Pooling module."""
    if "pooling_mode" in config:
        return str(config["pooling_mode"])
    modes = [
        k.removeprefix("pooling_mode_")
        for k, on in config.items()
        if k.startswith("pooling_mode_") and on
    ]
    return (
        {"mean_tokens": "mean", "cls_token": "cls"}.get(modes[0], modes[0])
        if len(modes) == 1
        else "+".join(modes)
    )


def _check(st: Any, exported: OnnxEmbeddings, least: float = AGREEMENT) -> None:
    expected = np.asarray(st.encode(PROBES, normalize_embeddings=True), np.float32)
    got = np.asarray(exported.embed_documents(PROBES), np.float32)
    agreement = float((expected * got).sum(axis=1).min())
    if agreement < least:
        raise Unsupported(
            f"its export ({exported.graph.name}) disagrees with it (cosine {agreement:.6f})"
        )


def _network(inner: Any, inputs: list[str]) -> Any:
    import torch

    class LastHiddenState(torch.nn.Module):
        """The transformer with positional inputs, in the order the export names them."""

        def __init__(self) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            hidden: torch.Tensor = self.inner(**dict(zip(inputs, tensors, strict=True)))[0]
            return hidden

    return LastHiddenState()
