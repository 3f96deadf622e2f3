"""The records of the assistant layer: filters in, passages between, an answer with citations out.

`Answer.as_json()` is the one schema the CLI, the UI and the evals share.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from corpus.models import Chunk


class Filters(BaseModel):
    """What a question is limited to; empty means everything."""

    towns: list[str] = Field(default_factory=list, description="These towns' documents plus statewide ones.")
    doc_types: list[str] = Field(default_factory=list, description="Only these document types.")
    date_from: str | None = Field(None, description="Originals dated on or after (ISO).")
    date_to: str | None = Field(None, description="Originals dated on or before (ISO).")
    include_statewide: bool = Field(True, description="With towns: statewide documents too.")

    def describe(self) -> str:
        parts = []
        if self.towns:
            parts.append("town: " + ", ".join(self.towns) + (" (+ statewide)" if self.include_statewide else ""))
        if self.doc_types:
            parts.append("type: " + ", ".join(self.doc_types))
        if self.date_from or self.date_to:
            parts.append(f"dates: {self.date_from or '…'} to {self.date_to or '…'}")
        return "; ".join(parts)


class Passage(BaseModel):
    """A retrieved chunk with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None
    similarity: float | None = None


class Citation(BaseModel):
    """A numbered source for part of an answer: which document, where in it, and the exact words quoted."""

    n: int
    title: str
    doc_type: str
    date: str | None
    page: int | None
    section: str | None
    file: str
    source_url: str | None
    towns: list[str]
    quote: str = Field(description="The quoted sentence(s), verbatim from the passage.")
    quote_start: int = Field(description="Offset of the quote in the passage.")
    quote_end: int = Field(description="Offset just past the quote in the passage.")
    passage: str
    score: float


class Answer(BaseModel):
    """What the assistant says to one question."""

    question: str
    standalone_question: str
    answer: str
    abstained: bool
    town: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="Short notes shown under the answer.")
    filters: str = Field("", description="The filters the answer was limited to, described.")
    closest: list[str] = Field(default_factory=list, description="Titles of the nearest documents, on abstention.")
    retrieved: list[str] = Field(default_factory=list, description="Files of the retrieved passages, best first.")
    confidence: float | None = Field(None, description="The score compared with the abstention threshold.")
    timings_ms: dict[str, float] = Field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return self.model_dump()
