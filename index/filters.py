"""What a search is limited to, and its translation into Chroma's metadata filter (owned here, beside the store)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from index.store import date_ordinal


class Filters(BaseModel):
    """What a question is limited to; empty means everything."""

    towns: list[str] = Field(
        default_factory=list,
        description="These towns' documents, passages elsewhere that name them, and statewide documents.",
    )
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


def build_where(filters: Filters) -> dict[str, Any] | None:
    """The Chroma metadata filter for these filters, or None for no filter."""
    clauses: list[dict[str, Any]] = []
    if filters.towns:
        town_clauses: list[dict[str, Any]] = [
            {field: {"$contains": t}} for t in filters.towns for field in ("towns", "mentions")
        ]
        if filters.include_statewide:
            town_clauses.append({"statewide": True})
        clauses.append(town_clauses[0] if len(town_clauses) == 1 else {"$or": town_clauses})
    if filters.doc_types:
        clauses.append({"doc_type": {"$in": list(filters.doc_types)}})
    if filters.date_from:
        clauses.append({"date_ord": {"$gte": date_ordinal(filters.date_from)}})
    if filters.date_to:
        # an end date of "2025" or "2025-05" covers the whole year or month
        end = filters.date_to + {1: "-12-31", 2: "-31", 3: ""}[len(filters.date_to.split("-"))]
        clauses.append({"date_ord": {"$lte": date_ordinal(end)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
