"""The typed records of the corpus layer: a document's metadata, its text blocks, and its chunks."""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from corpus.ocr import OcrReport

DocType = Literal["report", "policy", "ruling", "law", "news"]
DOC_TYPES: tuple[str, ...] = get_args(DocType)

# A policy, law or ruling states a thing; a report or news story reports on it. Higher ranks first on ties.
AUTHORITY: dict[str, int] = {"law": 3, "ruling": 3, "policy": 3, "report": 2, "news": 1}


class DocumentMeta(BaseModel):
    """What a document is, as a reader would cite it."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="Title as it should appear in a citation.")
    doc_type: DocType = Field(description="One of report, policy, ruling, law, news.")
    towns: list[str] = Field(default_factory=list, description="Towns it is about; empty means statewide.")
    date: str | None = Field(default=None, description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD), if known.")
    publisher: str | None = Field(default=None, description="Who published the original.")
    source_url: str | None = Field(default=None, description="Where the original can be read.")
    summary_of: str | None = Field(default=None, description="The original this document summarizes, if any.")
    language: str = Field(default="en", description="ISO 639-1 code of the document's language (en, es).")
    inferred: list[str] = Field(
        default_factory=list, description="Fields read from the text because nothing gave them (title, date, …)."
    )

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):  # front matter as Jekyll and Hugo write it: the day is what we cite
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
            try:
                dt.datetime.strptime(text, fmt)
                return text
            except ValueError:
                continue
        try:  # a date-time written as text ("2025-05-24T14:53:00Z", "2025-05-24 14:53:00 -0400")
            return dt.datetime.fromisoformat(text).date().isoformat()
        except ValueError:
            pass
        try:
            return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z").date().isoformat()
        except ValueError:
            pass
        raise ValueError(f"date {text!r} is not ISO (YYYY, YYYY-MM or YYYY-MM-DD)")


class Block(BaseModel):
    """A run of text that no chunk may cross: a PDF page, or a section of a page or file."""

    text: str
    page: int | None = None
    section: str | None = None
    ocr: bool = Field(False, description="Its text was recognised from a scanned page image (OCR).")


class Document(BaseModel):
    """A loaded file: its metadata, where it came from, and its text blocks in reading order."""

    meta: DocumentMeta
    file: str = Field(description="File name; identifies the document within one index.")
    path: str = Field(description="Where it was read from.")
    sha256: str = Field(description="Hash of the file's bytes; chunk ids derive from it.")
    pages: int | None = Field(default=None, description="Page count, for paged formats.")
    blocks: list[Block]
    ocr: OcrReport | None = Field(None, description="What recognising its scanned pages did, if it has any.")
    notes: list[str] = Field(default_factory=list, description="Warnings about reading it (pages left out, why).")


class Chunk(BaseModel):
    """A passage small enough to embed, with everything needed to cite and highlight it."""

    id: str
    doc_sha256: str
    number: int
    text: str
    file: str
    page: int | None
    section: str | None
    block: int = Field(description="Index of the block the chunk lies in.")
    start: int = Field(description="Offset of the chunk's first character in its block's text.")
    end: int = Field(description="Offset just past its last character.")
    meta: DocumentMeta
    ocr: bool = Field(False, description="Its text was recognised from a scanned page image (OCR).")
    chunking: str = Field("", description="The chunk settings it was cut with (ChunkingConfig.fingerprint).")
    mentions: list[str] = Field(default_factory=list, description="Towns its text names (found at ingest).")

    def context_text(self) -> str:
        """The text embedded and keyword-indexed: the passage with its title and section for context."""
        heading = " — ".join(part for part in (self.meta.title, self.section) if part)
        return f"{heading}\n{self.text}"
