"""Loading evaluation sets and judging which passages hold their evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from assistant.config import PROJECT_ROOT
from retrieval.corpus import Corpus

DATASETS_DIR = PROJECT_ROOT / "eval" / "datasets"


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    doc_id: str
    quote: str


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None
    return rows


def evidence_spans(corpus: Corpus, evidence: list[Evidence]) -> list[tuple[str, int, int]]:
    """Every occurrence of every evidence quote, as (doc_id, start, end)."""
    spans = []
    for item in evidence:
        text = corpus.get(item.doc_id).text
        start = text.find(item.quote)
        if start < 0:
            raise ValueError(f"evidence not found verbatim in {item.doc_id}: {item.quote!r}")
        while start >= 0:
            spans.append((item.doc_id, start, start + len(item.quote)))
            start = text.find(item.quote, start + 1)
    return spans


def overlaps(doc_id: str, start: int, end: int, spans: list[tuple[str, int, int]]) -> bool:
    return any(d == doc_id and start < e and s < end for d, s, e in spans)
