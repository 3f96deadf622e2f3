"""The eval set contract: JSON Lines, one item per line (see the README, "Evals").

{"id": str, "question": str, "answerable": bool, "facts": [str], "sources": [str],
 "history": [str]?, "town": str?, "type": str?, "note": str?}
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.errors import AssistantError
from assistant.types import Filters


class EvalSetError(AssistantError):
    """An eval set that does not follow the contract; the message names the line."""


class EvalItem(BaseModel):
    """One question with its known answer."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    answerable: bool
    facts: list[str] = Field(default_factory=list, description='Each must appear in the answer; "a|b" = a or b.')
    sources: list[str] = Field(default_factory=list, description="File names, any of which is a right source.")
    history: list[str] = Field(default_factory=list, description="Earlier questions, oldest first.")
    town: str | None = Field(None, description="The town the asker chose (a filter).")
    type: str | None = Field(None, description="A document-type filter.")
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> EvalItem:
        if not self.answerable and self.facts:
            raise ValueError("an unanswerable item has no facts")
        if self.answerable and not self.sources:
            raise ValueError("an answerable item names at least one source")
        return self

    @property
    def category(self) -> str:
        """The id's prefix before the first "-" ("fact", "followup", "unans"…), for the report's breakdown."""
        return self.id.split("-", 1)[0]

    def filters(self) -> Filters:
        """The town and document-type filters the asker chose."""
        return Filters(towns=[self.town] if self.town else [], doc_types=[self.type] if self.type else [])


def load_set(path: Path) -> list[EvalItem]:
    """Read and validate an eval set; ids must be unique."""
    items: list[EvalItem] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalSetError(f"Cannot read eval set {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            items.append(EvalItem.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise EvalSetError(f"{path.name} line {number}: {exc}") from exc
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise EvalSetError(f"{path.name}: id {item.id!r} is used twice")
        seen.add(item.id)
    if not items:
        raise EvalSetError(f"{path.name} holds no items")
    return items


def drafts_from_feedback(entries: list[dict]) -> list[dict]:
    """Draft eval items from thumbs-down feedback: the question and its context filled in, the expected answer left
    for a maintainer (facts to write; sources to check, prefilled with what was cited; answerable to decide)."""
    drafts = []
    for number, entry in enumerate((e for e in entries if e.get("verdict") == "down"), start=1):
        draft: dict = {
            "id": f"draft-{number:03d}",
            "question": entry["question"],
            "answerable": not entry.get("abstained", False),
            "facts": [],
            "sources": sorted({c["file"] for c in entry.get("citations", [])}),
        }
        if entry.get("history"):
            draft["history"] = entry["history"]
        if entry.get("town"):
            draft["town"] = entry["town"]
        comment = f" Comment: {entry['comment']}" if entry.get("comment") else ""
        draft["note"] = (
            f"DRAFT from feedback of {entry.get('time', '?')}.{comment} The assistant said: {entry.get('answer', '')[:300]}"
            " — write the facts from the documents, check the sources and answerable, then rename the id."
        )
        drafts.append(draft)
    return drafts
