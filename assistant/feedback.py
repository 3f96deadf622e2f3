"""Thumbs up/down on answers, saved as JSON Lines under the index directory, for maintainers to review."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any, Literal

from assistant.types import Answer

FEEDBACK_FILE = "feedback.jsonl"
_lock = threading.Lock()


def feedback_path(index_dir: Path) -> Path:
    return index_dir / FEEDBACK_FILE


def record_feedback(
    path: Path, answer: Answer, history: list[str], verdict: Literal["up", "down"], comment: str = ""
) -> dict[str, Any]:
    """Append one verdict on an answer: the question, its history, the answer and citations, and the time."""
    entry = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "verdict": verdict,
        "comment": comment.strip(),
        "question": answer.question,
        "standalone_question": answer.standalone_question,
        "history": history,
        "town": answer.town,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "citations": [
            {"n": c.n, "file": c.file, "title": c.title, "page": c.page, "quote": c.quote} for c in answer.citations
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def read_feedback(path: Path) -> list[dict[str, Any]]:
    """Every entry in a feedback file (lines that are not JSON are skipped)."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries
