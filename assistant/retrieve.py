"""Hybrid retrieval: dense (Chroma) and keyword (BM25) candidates fused by reciprocal rank fusion."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.types import Filters, Passage
from corpus.models import AUTHORITY
from index.search import SearchIndex
from index.store import date_ordinal

Mode = Literal["hybrid", "dense", "keyword"]


class RetrievalConfig(BaseModel):
    """How candidates are found and ranked."""

    model_config = ConfigDict(extra="forbid")

    mode: Mode = Field("hybrid", description="hybrid (RRF of both), dense only, or keyword (BM25) only.")
    candidates: int = Field(30, ge=1, le=500, description="Candidates taken from each retriever.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    authority: bool = Field(True, description="Break near-ties in favour of policies, laws and rulings over news.")
    tie_margin: float = Field(0.0015, ge=0, description="Fused scores this close count as tied.")


def build_where(filters: Filters) -> dict[str, Any] | None:
    """The Chroma metadata filter for these filters, or None for no filter."""
    clauses: list[dict[str, Any]] = []
    if filters.towns:
        town_clauses: list[dict[str, Any]] = [{"towns": {"$contains": t}} for t in filters.towns]
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


def fuse_rankings(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """Reciprocal rank fusion: each id scores the sum of 1 / (k + rank) over the rankings it appears in."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return scores


def order_with_authority(items: list[tuple[str, float, int]], margin: float) -> list[str]:
    """Ids by score, where scores within `margin` of the group's best are ordered by authority first."""
    ordered = sorted(items, key=lambda item: -item[1])
    result: list[str] = []
    i = 0
    while i < len(ordered):
        top = ordered[i][1]
        group = [item for item in ordered[i:] if top - item[1] <= margin]
        group.sort(key=lambda item: (-item[2], -item[1]))
        result.extend(item[0] for item in group)
        i += len(group)
    return result


def retrieve(index: SearchIndex, query: str, filters: Filters, limit: int, config: RetrievalConfig) -> list[Passage]:
    """The best `limit` passages for the query within the filters."""
    where = build_where(filters)
    dense_hits = index.dense(query, config.candidates, where) if config.mode != "keyword" else []
    keyword_hits = index.keyword(query, config.candidates, where) if config.mode != "dense" else []
    dense_ids = [hit.chunk.id for hit in dense_hits]
    keyword_ids = [chunk_id for chunk_id, _ in keyword_hits]
    fused = fuse_rankings([r for r in (dense_ids, keyword_ids) if r], config.rrf_k)
    chunks = {hit.chunk.id: hit.chunk for hit in dense_hits}
    chunks.update({c.id: c for c in index.store.get([i for i in keyword_ids if i not in chunks])})
    similarity = {hit.chunk.id: hit.similarity for hit in dense_hits}
    items = [
        (i, s, AUTHORITY[chunks[i].meta.doc_type] if config.authority else 0) for i, s in fused.items() if i in chunks
    ]
    ranked = order_with_authority(items, config.tie_margin if config.authority else 0.0)[:limit]
    return [
        Passage(
            chunk=chunks[i],
            score=fused[i],
            dense_rank=dense_ids.index(i) + 1 if i in similarity else None,
            keyword_rank=keyword_ids.index(i) + 1 if i in keyword_ids else None,
            similarity=similarity.get(i),
        )
        for i in ranked
    ]
