"""The records of the assistant layer: filters in, passages between, an answer with citations out.

`Answer.as_json()` is the one schema the CLI, the UI and the evals share.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field

from corpus.models import DOC_TYPES, Chunk
from index.filters import Filters

__all__ = ["CITATION_MARKER", "DOC_TYPES", "Answer", "Citation", "Filters", "Passage", "ReplyKind"]

# "[3]" in a reply: a reference to citation 3.
CITATION_MARKER = re.compile(r"\[(\d+)\]")
# answer: quoted evidence answers it; none: nothing here does (what is closest is listed); which_town: a question
# back, when "my town" names no town.
ReplyKind = Literal["answer", "closest", "none", "which_town"]


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
    summary_of: str | None = Field(None, description="What the cited document summarizes, when it is a summary.")
    publisher: str | None = None
    ocr: bool = Field(False, description="The passage's text was recognised from a scanned page (OCR).")

    def is_verbatim(self) -> bool:
        """Whether the quote is non-empty and stands at its offsets in the passage."""
        return bool(self.quote) and self.passage[self.quote_start : self.quote_end] == self.quote


class Answer(BaseModel):
    """What the assistant says to one question."""

    question: str
    standalone_question: str
    answer: str
    abstained: bool
    kind: ReplyKind = Field(
        "answer",
        description="answer (confident), closest (the nearest passages, which may not answer it exactly), none (the "
        "documents don't say) or which_town (a question back).",
    )
    town: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="Short notes shown under the answer.")
    filters: str = Field("", description="The filters the answer was limited to, described.")
    closest: list[str] = Field(default_factory=list, description="Titles of the nearest documents, on abstention.")
    retrieved: list[str] = Field(default_factory=list, description="Files of the retrieved passages, best first.")
    confidence: float | None = Field(
        None, description="Estimated probability that the quoted sentences answer the question (sets `kind`)."
    )
    signals: dict[str, float] = Field(default_factory=dict, description="What the probability was estimated from.")
    verification: dict[str, int] = Field(
        default_factory=dict,
        description="What verification did: citations kept and dropped; for a language model's reply, its sentences "
        "kept, dropped, and repaired (replaced by the passage's own sentence).",
    )
    timings_ms: dict[str, float] = Field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return self.model_dump()
