"""Named retrieval configurations run over the same set, so design choices are made from numbers."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.service import AssistantService
from assistant.settings import Settings
from evals.dataset import EvalItem
from evals.metrics import shown_in
from evals.runner import aggregate, run_items

# name -> settings changed from the base (nested, as in a TOML file); a "chunking" change needs its own index,
# built from the documents folder.
CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "hybrid (default)": {},
    "dense only": {"retrieval": {"mode": "dense"}},
    "keyword (BM25) only": {"retrieval": {"mode": "keyword"}},
    "hybrid, no authority ties": {"retrieval": {"authority": False}},
    "hybrid, chunks of 128": {"chunking": {"chunk_tokens": 128, "overlap_tokens": 24}},
    "hybrid, chunks of 254": {"chunking": {"chunk_tokens": 254, "overlap_tokens": 40}},
}
COLUMNS = shown_in("sweep")


def run_sweep(
    base: Settings,
    items: Sequence[EvalItem],
    documents: Path,
    progress: bool = True,
    configurations: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """One row of aggregate metrics per configuration (each validated first: an unknown key is an error)."""
    chosen = configurations if configurations is not None else CONFIGURATIONS
    prepared = {name: base.with_changes(changes) for name, changes in chosen.items()}
    rows = []
    with tempfile.TemporaryDirectory(prefix="assistant-sweep-") as scratch:
        for name, settings in prepared.items():
            service = AssistantService(settings)
            if settings.chunking != base.chunking:
                folder = Path(scratch) / name.replace(" ", "-").replace(",", "")
                service = AssistantService(settings.with_changes({"index": {"dir": str(folder)}}))
                service.ingest([documents], progress=False)
            overall = aggregate(run_items(service, items, progress=progress))["overall"]
            rows.append({"configuration": name, **{c: overall.get(c) for c in COLUMNS}})
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    header = ["configuration", *COLUMNS]
    cells = [[str(row[h]) if row[h] is not None else "—" for h in header] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)
