"""py3langid's language model, held as the trie it was compiled from: 7 MB instead of 52.

py3langid scores a text by walking its bytes through a dense automaton (one row of 256 next
states per state, 104,583 states) that finds the byte n-grams it weighs, then adds up those
n-grams' log-probabilities per language. The automaton is an Aho-Corasick machine, so every
one of its 26.8 million transitions is either a trie edge (one per state) or the transition of
the state's longest proper suffix (its failure link). Keeping only the edges and the links
walks through exactly the same states, hence finds the same n-grams and gives the same scores,
in a seventh of the memory of every serving process; ``test_language_model.py`` (in
``tests/multilingual/``) checks the equivalence on every transition. Only the 24 languages'
columns of the weights are kept.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import math
import os
import threading
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

_FILE = "data/model.npz.xz"


def packaged_model() -> Path:
    """The model file py3langid ships (its 0.4 layout: npz inside xz, no pickle)."""
    import py3langid

    return Path(py3langid.__file__).parent / _FILE


def read_model(path: Path) -> dict[str, np.ndarray]:
    with lzma.open(path) as compressed:
        raw = io.BytesIO(compressed.read())
    with np.load(raw, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


def dense_transitions(model: dict[str, np.ndarray]) -> np.ndarray:
    """The automaton as py3langid walks it: state x byte -> next state (107 MB; tests only)."""
    rows = model["nextmove"].reshape(-1, 256)
    return np.asarray(rows[model["nextmove_row"].astype(np.intp)], dtype=np.int64)


def trie_of(model: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(parent, byte, child) of every trie edge, sorted by parent then byte, and each state's
    failure link, recovered from the dense automaton level by level."""
    rows = model["nextmove"].reshape(-1, 256)
    row_of = model["nextmove_row"].astype(np.intp)
    states = len(row_of)
    depth = np.full(states, -1, dtype=np.int64)
    fail = np.zeros(states, dtype=np.int64)
    depth[0] = 0
    parents, labels, children = [], [], []
    frontier = np.array([0], dtype=np.int64)
    while frontier.size:
        nxt = rows[row_of[frontier]]  # (len(frontier), 256)
        # A trie edge is the one transition that goes one level deeper; every other
        # transition falls back along the failure links to a state no deeper than this one.
        reached = depth[nxt] == -1
        p_idx, byte = np.nonzero(reached)
        child = nxt[p_idx, byte].astype(np.int64)
        child, first = np.unique(child, return_index=True)
        if len(first) != len(p_idx):
            raise ValueError("not an Aho-Corasick automaton: a state with two trie parents")
        parent = frontier[p_idx[first]]
        byte = byte[first]
        depth[child] = depth[parent] + 1
        # The failure link of parent+byte is where parent's failure link goes on that byte.
        fail[child] = np.where(parent == 0, 0, rows[row_of[fail[parent]], byte])
        parents.append(parent)
        labels.append(byte)
        children.append(child)
        frontier = child
    if (depth < 0).any():
        raise ValueError("not an Aho-Corasick automaton: states unreachable from the start")
    parent = np.concatenate(parents)
    label = np.concatenate(labels)
    child = np.concatenate(children)
    order = np.lexsort((label, parent))
    return parent[order], label[order], child[order], fail


def compact(model: dict[str, np.ndarray], languages: Iterable[str]) -> dict[str, np.ndarray]:
    """The arrays of a ``LanguageModel``: the trie, the failure links, each state's n-gram, and
    the weights of ``languages``' columns only."""
    parent, label, child, fail = trie_of(model)
    classes = [str(c) for c in model["classes"].tolist()]
    wanted = set(languages)
    unknown = wanted - set(classes)
    if unknown:
        raise ValueError(f"the language model does not know {sorted(unknown)}")
    keep = [i for i, c in enumerate(classes) if c in wanted]
    return {
        "start": np.searchsorted(parent, np.arange(len(fail) + 1)).astype(np.int32),
        "label": label.astype(np.uint8),
        "child": child.astype(np.int32),
        "fail": fail.astype(np.int32),
        "output": model["out_feat"].astype(np.int32),
        "classes": np.array([classes[i] for i in keep]),
        "weights": np.ascontiguousarray(model["ptc"][:, keep]),
        "prior": np.asarray(model["pc"][keep], dtype=np.float32),
    }


def kept_path(languages: Iterable[str], folder: Path) -> Path:
    """Where the compact model of ``languages`` is kept in ``folder``: named by what it is
    made of, the packaged file's contents and the languages."""
    digest = hashlib.sha256(packaged_model().read_bytes())
    digest.update(("\0".join([FORMAT, *sorted(languages)])).encode())
    return folder / f"language-model-{digest.hexdigest()[:32]}.npz"


def kept(languages: Iterable[str], folder: Path | None, *, write: bool) -> LanguageModel:
    """The compact model, from ``folder`` where an earlier process kept it (10 ms), else made
    from the packaged one (1.5 s) and, with ``write``, kept there (also in place of a damaged
    file)."""
    codes = sorted(languages)
    path = kept_path(codes, folder) if folder else None
    if path is not None and path.is_file():
        try:
            with np.load(path, allow_pickle=False) as data:
                return LanguageModel({name: data[name] for name in data.files})
        except Exception:  # a damaged file (zip, npy or arrays): made again below
            pass
    arrays = compact(read_model(packaged_model()), codes)
    if write and path is not None:
        _keep(arrays, path)
    return LanguageModel(arrays)


def _keep(arrays: dict[str, np.ndarray], path: Path) -> None:
    """Written under a name of this process's own, then renamed: a reader never sees half a
    file, and two indexers writing at once each rename a whole one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.npz")
    try:
        np.savez(partial, **cast(dict[str, Any], arrays))
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)  # a read-only data folder: made again next time


FORMAT = "1"  # of the kept arrays; a change makes earlier files unused


class LanguageModel:
    """Naive Bayes over byte n-grams, restricted to some languages, scored like py3langid's
    ``LanguageIdentifier(norm_probs=True)``."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        states = len(arrays["fail"])
        if not (
            len(arrays["start"]) == states + 1
            and len(arrays["label"]) == len(arrays["child"]) == states - 1
            and len(arrays["output"]) == states
            and arrays["weights"].shape[1] == len(arrays["classes"]) == len(arrays["prior"])
        ):
            raise ValueError("the language model's arrays do not agree")
        # array.array, not numpy: the walk reads one item at a time, and a numpy item read
        # costs a scalar object each time.
        self._start = array("i", arrays["start"].astype(np.int32).tobytes())
        self._label = arrays["label"].astype(np.uint8).tobytes()
        self._child = array("i", arrays["child"].astype(np.int32).tobytes())
        self._fail = array("i", arrays["fail"].astype(np.int32).tobytes())
        self._output = array("i", arrays["output"].astype(np.int32).tobytes())
        self.classes: Sequence[str] = [str(c) for c in arrays["classes"].tolist()]
        self._weights = np.ascontiguousarray(arrays["weights"])
        self._prior = np.asarray(arrays["prior"], dtype=np.float32)
        first: dict[str, int] = {}
        self._aliases: list[tuple[int, int]] = []
        for i, c in enumerate(self.classes):
            if c in first:
                self._aliases.append((first[c], i))
            else:
                first.setdefault(c, i)

    @classmethod
    def packaged(cls, languages: Iterable[str]) -> LanguageModel:
        return cls(compact(read_model(packaged_model()), languages))

    def features(self, data: bytes) -> Counter[int]:
        """How often each n-gram feature occurs in ``data``."""
        start, label, child, fail, output = (
            self._start,
            self._label,
            self._child,
            self._fail,
            self._output,
        )
        state = 0
        found: list[int] = []
        for byte in data:
            while True:
                at = label.find(byte, start[state], start[state + 1])
                if at >= 0:
                    state = child[at]
                    break
                if state == 0:
                    break
                state = fail[state]
            feature = output[state]
            if feature >= 0:
                found.append(feature)
        return Counter(found)

    def probabilities(self, text: str) -> np.ndarray[tuple[int], np.dtype[np.float32]]:
        if text.isupper():
            text = text.lower()
        data = unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")
        visits = self.features(data)
        if visits:
            idx = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
            counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
            scores: np.ndarray[tuple[int], np.dtype[np.float32]] = (
                np.log1p(counts) @ self._weights[idx] + self._prior
            )
        else:
            scores = np.zeros(len(self.classes), dtype=np.float32)
        # Dividing by sqrt(bytes) keeps the softmax calibrated across lengths (py3langid's).
        scores *= 1.0 / math.sqrt(len(data) or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        for i, j in self._aliases:
            scores[i] += scores[j]
            scores[j] = 0.0
        return scores

    def classify(self, text: str) -> tuple[str, float]:
        scores = self.probabilities(text)
        best = int(scores.argmax())
        return self.classes[best], float(scores[best])
