"""Retrieval in stages: candidates → fuse → authority → rerank → skip sections → cut.

Candidates come from the index (`SearchIndex.search`, which owns the filter translation); the rest is ranking.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.answer import law_named, names_acronym
from assistant.types import Filters, Passage
from corpus.chunking import section_name
from corpus.models import AUTHORITY, Chunk
from index.search import Candidates, SearchIndex

Mode = Literal["hybrid", "dense", "keyword"]


class RetrievalConfig(BaseModel):
    """How candidates are found and ranked."""

    model_config = ConfigDict(extra="forbid")

    mode: Mode = Field("hybrid", description="hybrid (RRF of both), dense only, or keyword (BM25) only.")
    candidates: int = Field(30, ge=1, le=500, description="Candidates taken from each retriever.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    authority: bool = Field(
        True,
        description="Break near-ties in favour of originals over summaries, then policies, laws and rulings over news.",
    )
    tie_margin: float = Field(0.0015, ge=0, description="Fused scores this close count as tied.")
    leaders: int = Field(
        2,
        ge=0,
        le=10,
        description="Each retriever's best this many always make the cut (fusion favours what both rank fairly "
        "well over what one ranks first).",
    )
    town_sections: tuple[str, ...] = Field(
        ("Cities and towns",),
        description="Sections of one line per town (a county page's 'Cities and towns'): searched only for a question "
        "about a town they name.",
    )
    reranker: Literal["none"] = Field("none", description="A reranking stage after fusion; none yet.")
    skip_sections: tuple[str, ...] = Field(
        ("Sources", "References", "Bibliography", "About this document"),
        description="Sections never quoted as answers: source lists and notes about the document itself.",
    )


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


def is_skipped(passage: Passage, config: RetrievalConfig) -> bool:
    """Whether the passage lies in a section that is never quoted (sources, notes about the document)."""
    return section_name(passage.chunk.section).lower() in {name.lower() for name in config.skip_sections}


def _authority(chunk: Chunk) -> int:
    """Ties go to an original (a user's upload, a policy's own text) over a summary of it, then to policies, laws
    and rulings over reports and news."""
    return (10 if not chunk.meta.summary_of else 0) + AUTHORITY[chunk.meta.doc_type]


def rank(found: Candidates, config: RetrievalConfig) -> list[Passage]:
    """Fuse the retrievers' rankings, break near-ties by authority: every candidate as a passage, best first."""
    dense_ids = [hit.chunk.id for hit in found.dense]
    keyword_ids = [chunk_id for chunk_id, _ in found.keyword]
    fused = fuse_rankings([r for r in (dense_ids, keyword_ids) if r], config.rrf_k)
    similarity = {hit.chunk.id: hit.similarity for hit in found.dense}
    chunks = found.chunks
    items = [(i, s, _authority(chunks[i]) if config.authority else 0) for i, s in fused.items() if i in chunks]
    ordered = order_with_authority(items, config.tie_margin if config.authority else 0.0)
    return [
        Passage(
            chunk=chunks[i],
            score=fused[i],
            dense_rank=dense_ids.index(i) + 1 if i in similarity else None,
            keyword_rank=keyword_ids.index(i) + 1 if i in keyword_ids else None,
            similarity=similarity.get(i),
        )
        for i in ordered
    ]


def rerank(passages: list[Passage], query: str, config: RetrievalConfig) -> list[Passage]:
    """The seam for a reranker (a cross-encoder, say); with `reranker = "none"` the order stays."""
    del query
    if config.reranker == "none":
        return passages
    raise ValueError(f"unknown reranker {config.reranker!r}")


def retrieve(
    index: SearchIndex,
    query: str,
    filters: Filters,
    limit: int,
    config: RetrievalConfig,
    vector: np.ndarray | None = None,
    skip: bool = True,
    towns: list[str] | None = None,
) -> list[Passage]:
    """The best `limit` quotable passages for the query within the filters (sections never quoted left out when
    `skip`; the cut is made after that, and each retriever's best `config.leaders` passages make it)."""
    found = index.search(
        query, filters, config.candidates, vector, dense=config.mode != "keyword", keyword=config.mode != "dense"
    )
    passages = rerank(rank(found, config), query, config)
    if skip:
        passages = [p for p in passages if not is_skipped(p, config)]
    if config.town_sections:
        # a county page's line for Somerset says nothing to a question that names no town it lists
        asked = set(towns or ())
        passages = [p for p in passages if p.chunk.section not in config.town_sections or asked & set(p.chunk.mentions)]
    return with_leaders(passages, limit, config.leaders)


_LEADER_RANKS = 10


def with_leaders(passages: list[Passage], limit: int, leaders: int) -> list[Passage]:
    """The first `limit` passages, where each retriever's best `leaders` stand in for the last of the others: a
    chunk one retriever ranks first but the other misses can fall far down the fused order. The best are counted
    among these passages (a never-quoted "About this document" section that a retriever ranked first takes no
    leader's place)."""
    leading_ids: set[str] = set()
    for rank_of in (lambda p: p.dense_rank, lambda p: p.keyword_rank):
        # (a retriever's far hits lead nothing even when little else is left: within its first `_LEADER_RANKS`)
        ranked = sorted((p for p in passages if (rank_of(p) or _LEADER_RANKS + 1) <= _LEADER_RANKS), key=rank_of)
        leading_ids |= {p.chunk.id for p in ranked[:leaders]}
    cut = passages[:limit]
    leading = [p for p in passages[limit:] if p.chunk.id in leading_ids]
    for passage in leading:
        others = [i for i, p in enumerate(cut) if p.chunk.id not in leading_ids]
        if not others:
            break
        cut.pop(others[-1])
        cut.append(passage)
    return cut


def with_spelled_out(
    index: SearchIndex,
    acronym: str,
    filters: Filters,
    passages: list[Passage],
    config: RetrievalConfig,
    extra: int = 2,
) -> list[Passage]:
    """The passages, and after them up to `extra` more that spell the acronym out, found by a keyword search for
    it: the words an acronym stands for are rarely near the question's other words, so neither retriever ranks
    them high for "what does SJC stand for"."""
    found = retrieve(index, acronym, filters, config.candidates, config.model_copy(update={"mode": "keyword"}))
    return with_more(passages, [p for p in found if names_acronym(p.chunk.text, acronym)], extra)


def with_more(passages: list[Passage], more: list[Passage], limit: int | None = None) -> list[Passage]:
    """The passages, and after them up to `limit` (all by default) of `more` that are not among them."""
    have = {p.chunk.id for p in passages}
    return [*passages, *[p for p in more if p.chunk.id not in have][:limit]]


def with_law_named(
    index: SearchIndex, filters: Filters, passages: list[Passage], config: RetrievalConfig, documents: int = 2
) -> list[Passage]:
    """The passages, and after them, for each of the first `documents` documents whose title names a law that none
    of its retrieved passages names, its passage that does, found by a keyword search for the name: a summary of
    what a law does says "the law" ("can I get a license without papers" finds its sections on who can apply), and
    only its history names it ("The Work and Family Mobility Act took effect on July 1, 2023")."""
    titles: dict[str, str] = {}  # the first documents, in their passages' order
    for passage in passages:
        titles.setdefault(passage.chunk.file, passage.chunk.meta.title)
    added: list[Passage] = []
    for file, title in list(titles.items())[:documents]:
        name = law_named(title)
        if not name or any(name.lower() in p.chunk.text.lower() for p in passages if p.chunk.file == file):
            continue
        found = retrieve(index, name, filters, config.candidates, config.model_copy(update={"mode": "keyword"}))
        added.extend([p for p in found if p.chunk.file == file and name.lower() in p.chunk.text.lower()][:1])
    return with_more(passages, added)
