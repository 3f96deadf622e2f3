"""An opened index: the embedder, the Chroma store and the keyword index, kept in step."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from corpus.models import Chunk
from index.config import IndexConfig
from index.embedder import Embedder
from index.filters import Filters, build_where
from index.keyword import KeywordIndex
from index.store import ChunkStore, Hit, chunk_from_record
from index.writing import read_generation


@dataclass
class Candidates:
    """What each retriever found for one query within the filters: ranked ids, and every chunk they name."""

    dense: list[Hit] = field(default_factory=list)
    keyword: list[tuple[str, float]] = field(default_factory=list)
    chunks: dict[str, Chunk] = field(default_factory=dict)


class SearchIndex:
    """Dense and keyword search over one index; the keyword index is rebuilt when it lags the store."""

    def __init__(self, config: IndexConfig, create: bool = False, embedder: Embedder | None = None):
        self.config = config
        self.embedder = embedder or Embedder(config.embedding_model, config.bf16, config.batch_size)
        self.generation = read_generation(config.dir)
        self._reopening = threading.Lock()
        self.store = ChunkStore(config, config.embedding_model, self.embedder.dimension, create=create)
        self.keywords = KeywordIndex(config.dir / "keyword")

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
            self.generation = current
        return True

    @cached_property
    def files_dir(self) -> Path:
        """Copies of ingested files, so citations can open the original (only files from here are served)."""
        path = self.config.dir / "files"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def sync_keywords(self) -> bool:
        """Rebuild the keyword index if it does not cover exactly the stored chunks; True if it was rebuilt."""
        fingerprint = self.store.fingerprint()
        if fingerprint == self.keywords.fingerprint:
            return False
        ids, texts = [], []
        for chunk_id, text, meta in self.store.iter_records():
            ids.append(chunk_id)
            texts.append(chunk_from_record(chunk_id, text, meta).context_text())
        self.keywords.rebuild(ids, texts, fingerprint)
        return True

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
        if dense:
            if vector is None:
                vector = self.embedder.embed([query])[0]
            found.dense = self.store.query(vector, k, where)
        if keyword:
            found.keyword = self.keyword(query, k, where)
        found.chunks = {hit.chunk.id: hit.chunk for hit in found.dense}
        missing = [chunk_id for chunk_id, _ in found.keyword if chunk_id not in found.chunks]
        found.chunks.update({c.id: c for c in self.store.get(missing)})
        return found

    def dense(self, query: str, k: int, where: dict[str, Any] | None = None) -> list[Hit]:
        """Nearest chunks by embedding."""
        vector = self.embedder.embed([query])[0]
        return self.store.query(vector, k, where)

    def keyword(self, query: str, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Best chunks by BM25, within the filter if one is given."""
        allowed = None
        if where:
            allowed = set(self.store.collection.get(where=where, include=[])["ids"])
        return self.keywords.search(query, k, allowed)
