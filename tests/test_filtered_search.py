"""Filters are evaluated on our own columns, not by Chroma, and find exactly what Chroma's own filter finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.types import Filters
from index import fields, search
from index.config import IndexConfig
from index.filters import build_where
from index.keyword import KeywordIndex
from index.search import SearchIndex

QUESTIONS = [
    "Does the police department hold people on immigration detainers?",
    "Who shared booking photos with a federal office?",
    "What did the court rule?",
]
FILTERS = [
    Filters(towns=["Quincy"]),
    Filters(towns=["Everett"], include_statewide=False),
    Filters(towns=["Chelsea", "Quincy"]),
    Filters(doc_types=["policy", "ruling"]),
    Filters(date_from="2028"),
    Filters(towns=["Everett"], doc_types=["news"]),
    Filters(towns=["Lakeshire"], include_statewide=False),  # a town no document is about
]


@pytest.fixture(scope="module")
def opened(answering_index: Path) -> SearchIndex:
    return SearchIndex(IndexConfig(dir=answering_index))


@pytest.mark.parametrize("wide_limit", [0, 10**9], ids=["allowed-ids", "wider-unfiltered"])
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.describe())
def test_a_filtered_dense_search_finds_what_chromas_filter_finds(
    opened: SearchIndex, filters: Filters, wide_limit: int, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(search, "_WIDE_LIMIT", wide_limit)  # each of the two ways, whatever the filter's share
    monkeypatch.setattr(search, "_IDS_LIMIT", 0)  # (on an index this small the wider unfiltered search is exact)
    where = build_where(filters)
    assert where is not None
    vectors = opened.embedder.embed(QUESTIONS)
    for vector in vectors:
        for k in (2, 5, 30):
            ours = opened.nearest(vector, k, where)
            chroma = opened.store.nearest_ids(vector, k, where)
            assert [i for i, _ in ours] == [i for i, _ in chroma], (filters.describe(), k)
            assert np.allclose([s for _, s in ours], [s for _, s in chroma], atol=1e-6)


def test_the_keyword_columns_allow_what_chromas_filter_allows(opened: SearchIndex):
    for filters in FILTERS:
        where = build_where(filters)
        assert where is not None
        by_chroma = set(opened.store.collection.get(where=where, include=[])["ids"])
        assert set(opened.keywords.allowed_ids(where).tolist()) == by_chroma, filters.describe()


def test_a_filter_field_declared_later_matches_nothing_in_older_segments_as_in_chroma(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    metas: list[dict[str, Any]] = [
        {"file": "a.md", "doc_type": "policy", "towns": ["Quincy"], "statewide": False},
        {"file": "b.md", "doc_type": "news", "statewide": True},
    ]
    index = KeywordIndex(tmp_path / "kw")
    index.add(["a", "b"], ["Quincy police policy", "Statewide news"], metas)
    monkeypatch.setitem(fields.FILTER_FIELDS, "mentions", "list")
    reopened = KeywordIndex(tmp_path / "kw")
    assert reopened.allowed_ids({"mentions": {"$contains": "Quincy"}}).tolist() == []
    either = {"$or": [{"towns": {"$contains": "Quincy"}}, {"mentions": {"$contains": "Quincy"}}, {"statewide": True}]}
    assert sorted(reopened.allowed_ids(either).tolist()) == ["a", "b"]
    reopened.add(["c"], ["Boston news naming Quincy"], [{"file": "c.md", "doc_type": "news", "mentions": ["Quincy"]}])
    assert reopened.allowed_ids({"mentions": {"$contains": "Quincy"}}).tolist() == ["c"]


def test_a_filter_on_a_field_the_columns_lack_is_left_to_chroma(opened: SearchIndex):
    where = {"section": {"$eq": "No such section"}}
    vector = opened.embedder.embed(QUESTIONS[:1])[0]
    assert opened.nearest(vector, 5, where) == []
