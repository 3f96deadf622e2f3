"""An opened index: the embedder, the Chroma store, the keyword index and the sentence vectors, kept in step."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from corpus.models import Chunk, DocumentMeta
from index.config import IndexConfig
from index.embedder import Embedder
from index.errors import IndexLockedError
from index.filters import Filters, build_where
from index.keyword import KeywordIndex, UnsupportedFilterError
from index.sentences import SentenceStore, SentenceVectors, headed_sentences
from index.store import ChunkStore, Hit, chunk_from_record, chunk_metadatas
from index.writing import read_generation, write_lock

# Chroma searches among given ids exactly as among those a `where` allows, but at about 3.5 ms per 1,000 ids
# (measured at 100k chunks: 52 ms for 14.5k ids; its `where` took 800 ms). Beyond _IDS_LIMIT allowed ids, a filter
# allowing a share p of the chunks is applied to the nearest k * _OVERFETCH / p unfiltered ones when that is at
# most _WIDE_LIMIT (an unfiltered query of 1,000 took 16 ms, of 300 6 ms); that is as approximate as any
# unfiltered search, so smaller sets (every filter on a collection of a few thousand chunks) keep the exact way.
_IDS_LIMIT = 5_000
_OVERFETCH = 2
_WIDE_LIMIT = 1_000


@dataclass
class Candidates:
    """What each retriever found for one query within the filters: ranked ids, and every chunk they name."""

    dense: list[Hit] = field(default_factory=list)
    keyword: list[tuple[str, float]] = field(default_factory=list)
    chunks: dict[str, Chunk] = field(default_factory=dict)


@dataclass
class DocumentChunks:
    """One document's chunks, ready to be embedded and stored."""

    chunks: list[Chunk]
    pages: int | None = None


class SearchIndex:
    """Dense and keyword search over one index; every write goes to all of its stores."""

    def __init__(self, config: IndexConfig, create: bool = False, embedder: Embedder | None = None):
        self.config = config
        self.embedder = embedder or Embedder(config.embedding_model, config.bf16, config.batch_size, config.dir)
        self.generation = read_generation(config.dir)
        self._reopening = threading.Lock()
        self.store = ChunkStore(config, config.embedding_model, self.embedder.dimension, create=create)
        self.keywords = KeywordIndex(config.dir / "keyword")
        if not create:
            self._fill_keywords()

    def reopen_if_changed(self) -> bool:
        """Reopen the store and keyword index if another process wrote the index since; True if it did.

        Chroma's embedded `query()` keeps serving the vectors it loaded (chroma#3792), so rows another process
        added are only found after a reopen; the check is one read of a tiny file.
        """
        current = read_generation(self.config.dir)
        if current == self.generation:
            return False
        with self._reopening:  # concurrent requests reopen once
            if current == self.generation:
                return False
            self.store = ChunkStore(
                self.config, self.config.embedding_model, self.embedder.dimension, create=False, fresh=True
            )
            self.keywords = KeywordIndex(self.config.dir / "keyword")
            self._fill_keywords()
            self.generation = current
        return True

    def _fill_keywords(self) -> None:
        """Build the keyword index from the store when there is none (an index from before segmented keyword
        indexes, or whose words were cut by another version's tokenizer), under the write lock; when another
        process holds it (an ingest, which repairs the keyword index itself), keyword search waits for a reopen."""
        if self.keywords.segments or not self.store.count():
            return
        try:
            with write_lock(self.config.dir):
                self.sync_keywords()
        except IndexLockedError:
            pass

    @cached_property
    def files_dir(self) -> Path:
        """Copies of ingested files, so citations can open the original (only files from here are served)."""
        path = self.config.dir / "files"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @cached_property
    def sentences(self) -> SentenceStore:
        return SentenceStore(self.config.dir)

    def add_documents(self, documents: list[DocumentChunks]) -> None:
        """Embed the chunks (and their sentences) of several documents in one length-sorted pass, then store them.

        Chroma first, then the keyword index and the sentence vectors: a crash in between leaves the keyword index
        short, which `sync_keywords` notices (the counts differ) and repairs."""
        chunks = [c for d in documents for c in d.chunks]
        if not chunks:
            return
        units = [headed_sentences(c) for c in chunks]
        texts = [c.context_text() for c in chunks] + [text for u in units for _, _, text in u]
        vectors = self.embedder.embed(texts)
        metadatas = [m for d in documents for m in chunk_metadatas(d.chunks, d.pages)]
        ids = [c.id for c in chunks]
        self.store.upsert_records(ids, vectors[: len(chunks)], [c.text for c in chunks], metadatas)
        self.keywords.add(ids, texts[: len(chunks)], metadatas)
        self.sentences.put_records(zip(ids, [c.text for c in chunks], metadatas, strict=True))
        offset = len(chunks)
        cached = []
        for chunk, sentence_units in zip(chunks, units, strict=True):
            spans = np.array([(s, e) for s, e, _ in sentence_units], dtype=np.int32).reshape(-1, 2)
            cached.append((chunk.id, SentenceVectors(spans, vectors[offset : offset + len(sentence_units)])))
            offset += len(sentence_units)
        self.sentences.put(cached)

    def delete_document(self, file: str, keep: tuple[str, str] | None = None) -> int:
        """Delete a document's chunks (all versions, or all but `keep`: content hash and chunk settings) from every
        store."""
        ids = self.store.document_ids(file, keep)
        if ids:
            self.store.delete_ids(ids)
            self.keywords.delete(ids)
            self.sentences.delete(ids)
        return len(ids)

    def update_document_meta(self, file: str, meta: DocumentMeta) -> int:
        """Give a stored document new metadata in Chroma and the keyword index, without embedding anything again;
        returns how many chunks changed. (The passage vectors keep the title they were embedded with; the sentence
        vectors never held it.)"""
        # the kept copy goes first: after a crash before it is rewritten, these chunks are read from Chroma
        self.sentences.delete_records(self.store.document_ids(file))
        records = self.store.update_document_meta(file, meta)
        if records:
            ids = [chunk_id for chunk_id, _, _ in records]
            texts = [chunk_from_record(i, t, m).context_text() for i, t, m in records]
            self.keywords.add(ids, texts, [m for _, _, m in records])  # replaces them: filters read new fields
            self.sentences.put_records(records)
        return len(records)

    def document_towns(self) -> dict[str, tuple[set[str], set[str]]]:
        """For each file: the towns it is tagged with and the towns its text names."""
        return self.keywords.document_towns()

    def idf(self, terms: list[str]) -> dict[str, float]:
        """The keyword index's inverse document frequency of each term (how rare it is among the chunks)."""
        return self.keywords.idf(terms)

    def terms_starting(self, prefix: str) -> list[str]:
        """The keyword index's terms (stemmed words) that begin with `prefix`, deleted chunks' words included."""
        return self.keywords.terms_starting(prefix)

    def sentence_vectors(self, chunk_ids: list[str]) -> dict[str, SentenceVectors]:
        """The sentence spans and vectors cached at ingest for these chunks (chunks without them are left out)."""
        return self.sentences.get(chunk_ids)

    def sync_keywords(self) -> bool:
        """Bring the keyword index level with the store if they differ (after a crash or an older version's index);
        True if anything changed. Only the difference is added or removed."""
        if self.keywords.count == self.store.count():
            return False
        stored: dict[str, tuple[str, dict[str, Any]]] = {}
        for chunk_id, text, meta in self.store.iter_records():
            stored[chunk_id] = (chunk_from_record(chunk_id, text, meta).context_text(), meta)
        indexed = set(self.keywords.ids)
        extra = [i for i in indexed if i not in stored]
        missing = [i for i in stored if i not in indexed]
        self.keywords.delete(extra)
        self.keywords.add(missing, [stored[i][0] for i in missing], [stored[i][1] for i in missing])
        return bool(extra or missing)

    def search(
        self,
        query: str,
        filters: Filters,
        k: int,
        vector: np.ndarray | None = None,
        dense: bool = True,
        keyword: bool = True,
    ) -> Candidates:
        """The top-k candidates of each retriever for the query within the filters (the query's vector may be
        given, so a question is embedded once)."""
        where = build_where(filters)
        found = Candidates()
        near: list[tuple[str, float]] = []
        if dense:
            if vector is None:
                vector = self.embedder.embed([query])[0]
            near = self.nearest(vector, k, where)
        if keyword:
            found.keyword = self.keyword(query, k, where)
        wanted = list(dict.fromkeys([i for i, _ in near] + [i for i, _ in found.keyword]))
        found.chunks = {c.id: c for c in self.chunks(wanted)}  # one read for both retrievers' candidates
        found.dense = [Hit(found.chunks[i], similarity) for i, similarity in near if i in found.chunks]
        return found

    def chunks(self, ids: list[str]) -> list[Chunk]:
        """The chunks with these ids, in the order asked (missing ones skipped): from the copy of their records
        kept beside the sentence vectors, and from Chroma for any not kept there (an index from an older version)."""
        kept = self.sentences.records(ids)
        read = {c.id: c for c in self.store.get([i for i in ids if i not in kept])}
        found = {i: chunk_from_record(i, *kept[i]) if i in kept else read.get(i) for i in ids}
        return [c for c in found.values() if c is not None]

    def dense(self, query: str, k: int, where: dict[str, Any] | None = None) -> list[Hit]:
        """Nearest chunks by embedding."""
        return self.dense_within(self.embedder.embed([query])[0], k, where)

    def dense_within(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[Hit]:
        """The k chunks nearest the vector within the filter, as hits."""
        near = self.nearest(vector, k, where)
        chunks = {c.id: c for c in self.chunks([i for i, _ in near])}
        return [Hit(chunks[i], similarity) for i, similarity in near if i in chunks]

    def nearest(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """(id, similarity) of the k chunks nearest the vector within the filter.

        Chroma evaluates a metadata filter in SQLite, which takes 0.1-2 s a question at 20k-200k chunks, so the
        ids a filter allows come from the keyword index's columns instead and Chroma searches among them (the same
        filtered vector search as a `where`); a filter allowing very many ids and a large share of the chunks is
        applied to a longer unfiltered result instead (falling back if too few survive).
        """
        from chromadb.errors import ChromaError

        if where is None:
            return self.store.nearest_ids(vector, k)
        try:
            allowed = self.keywords.allowed_ids(where)
        except UnsupportedFilterError:  # a field the columns do not keep: Chroma evaluates it
            return self.store.nearest_ids(vector, k, where)
        if len(allowed) == 0:
            return []
        wide = math.ceil(k * _OVERFETCH * max(self.keywords.count, 1) / len(allowed))
        if len(allowed) > _IDS_LIMIT and wide <= _WIDE_LIMIT:
            allowed_set = self.keywords.allowed_set(where)
            near = [(i, s) for i, s in self.store.nearest_ids(vector, wide) if i in allowed_set][:k]
            if len(near) == min(k, len(allowed)):
                return near
        try:
            return self.store.nearest_ids(vector, k, ids=allowed.tolist())
        except ChromaError:  # an id the store lacks (the keyword index not yet level with it): let Chroma filter
            return self.store.nearest_ids(vector, k, where)

    def keyword(self, query: str, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Best chunks by BM25, within the filter if one is given (evaluated on the keyword index's own fields)."""
        try:
            return self.keywords.search(query, k, where or None)
        except UnsupportedFilterError:
            # a filter on a field the keyword index does not keep: ask Chroma which ids it allows
            allowed = set(self.store.collection.get(where=where, include=[])["ids"])
            return self.keywords.search(query, k, allowed=allowed)
