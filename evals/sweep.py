"""Named retrieval configurations run over the same set, so design choices are made from numbers."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.service import ingest_paths, open_assistant
from assistant.settings import Settings
from evals.dataset import EvalItem
from evals.runner import aggregate, run_items

# name -> settings changed from the base; "chunk_tokens" needs its own index, built from the documents folder.
CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "hybrid (default)": {},
    "dense only": {"retrieval_mode": "dense"},
    "keyword (BM25) only": {"retrieval_mode": "keyword"},
    "hybrid, no authority ties": {"authority": False},
    "hybrid, chunks of 128": {"chunk_tokens": 128, "overlap_tokens": 24},
    "hybrid, chunks of 254": {"chunk_tokens": 254, "overlap_tokens": 40},
}
COLUMNS = (
    "fact_recall",
    "source_hit_at_1",
    "hit_at_5",
    "mrr",
    "abstention_accuracy",
    "mean_answer_chars",
    "latency_p50_ms",
)


def run_sweep(
    base: Settings, items: Sequence[EvalItem], documents: Path, progress: bool = True
) -> list[dict[str, Any]]:
    """One row of aggregate metrics per configuration."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="assistant-sweep-") as scratch:
        for name, changes in CONFIGURATIONS.items():
            settings = base.model_copy(update=changes)
            if "chunk_tokens" in changes:
                settings = settings.model_copy(
                    update={"index_dir": Path(scratch) / name.replace(" ", "-").replace(",", "")}
                )
                ingest_paths(settings, [documents], progress=False)
            overall = aggregate(run_items(open_assistant(settings), items, progress=progress))["overall"]
            rows.append({"configuration": name, **{c: overall.get(c) for c in COLUMNS}})
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    header = ["configuration", *COLUMNS]
    cells = [[str(row[h]) if row[h] is not None else "—" for h in header] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)
