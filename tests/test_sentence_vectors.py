"""Sentence vectors are cached at ingest, equal to embedding the headed sentence, and go with their chunks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corpus.chunking import section_name, split_sentences
from index.build import ingest, remove
from index.config import IndexConfig
from index.search import SearchIndex
from index.sentences import headed_sentences

POLICY = """# Harbortown police policy 4.2

## 3. What the policy requires

Officers shall not ask about immigration status. A detainer alone is not a reason to hold anyone.
Requests from ICE go to the chief, who answers within two days.

## Sources

Harbortown police manual, 2029 edition.
"""


def test_cached_sentence_vectors_equal_the_embedder_on_the_headed_sentence(tmp_path: Path, embedder):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "policy.md").write_text(POLICY)
    index = SearchIndex(IndexConfig(dir=tmp_path / "idx"), create=True, embedder=embedder)
    ingest(index, [tmp_path / "docs"], progress=False)

    chunks = [c for _, c in sorted((c.number, c) for c in index.store.get(index.keywords.ids))]
    cached = index.sentence_vectors([c.id for c in chunks])
    assert set(cached) == {c.id for c in chunks}
    requires = next(c for c in chunks if c.section and "requires" in c.section)
    spans = [tuple(s) for s in cached[requires.id].spans]
    assert spans == split_sentences(requires.text)
    assert section_name(requires.section) == "What the policy requires"
    headed = [text for _, _, text in headed_sentences(requires)]
    assert headed[0] == "What the policy requires: Officers shall not ask about immigration status."
    fresh = embedder.embed(headed)
    assert np.allclose(cached[requires.id].vectors, fresh, atol=1e-5)

    (tmp_path / "docs" / "policy.md").write_text(POLICY.replace("two days", "three days"))
    ingest(index, [tmp_path / "docs"], progress=False)
    assert index.sentence_vectors([c.id for c in chunks]) == {}, "the old version's sentences were left behind"
    remove(index, "policy.md")
    assert index.sentences.count() == 0


def test_an_index_without_a_keyword_index_gets_one_when_opened(tmp_path: Path, embedder):
    import shutil

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "policy.md").write_text(POLICY)
    config = IndexConfig(dir=tmp_path / "idx")
    ingest(SearchIndex(config, create=True, embedder=embedder), [tmp_path / "docs"], progress=False)
    shutil.rmtree(tmp_path / "idx" / "keyword")  # as an index built by an older version has none of ours

    reopened = SearchIndex(config, embedder=embedder)
    assert reopened.keywords.count == reopened.store.count()
    assert reopened.keyword("detainer hold", 3), "keyword search found nothing after the rebuild"


def test_chunk_records_kept_beside_the_vectors_equal_chromas_and_follow_every_change(tmp_path: Path, embedder):
    """Answering reads candidate chunks from the copy kept in SQLite (Chroma's get costs ~0.3 ms an id): the copy
    must be what Chroma holds, after ingest, a metadata change and a removal, and an index without it still reads
    from Chroma."""
    import sqlite3

    from corpus.models import DocumentMeta

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "policy.md").write_text(POLICY)
    config = IndexConfig(dir=tmp_path / "idx")
    index = SearchIndex(config, create=True, embedder=embedder)
    ingest(index, [tmp_path / "docs"], progress=False)
    ids = index.keywords.ids
    assert set(index.sentences.records(ids)) == set(ids)
    assert index.chunks(ids) == index.store.get(ids)

    meta = index.store.get(ids)[0].meta
    index.update_document_meta("policy.md", DocumentMeta(**{**meta.model_dump(), "towns": ["Quincy"]}))
    assert [c.meta.towns for c in index.chunks(ids)] == [["Quincy"]] * len(ids)
    assert index.chunks(ids) == index.store.get(ids)

    with sqlite3.connect(config.dir / "sentences.sqlite") as db:  # as an index from an older version
        db.execute("DELETE FROM records")
    assert index.sentences.records(ids) == {}
    assert index.chunks(ids) == index.store.get(ids)

    remove(index, "policy.md")
    assert index.chunks(ids) == []
