"""Sentence vectors of each chunk, computed at ingest so answering needs no embedding per candidate sentence.

Each sentence of a chunk (`corpus.chunking.split_sentences`) is embedded as "Section: sentence", the section
heading without its numbering, exactly as the extractive answer embeds it. The vectors live in a SQLite file
beside Chroma, written and deleted with the chunks; it is a cache, so a chunk missing from it (an index from an
older version, a crash between the two writes) only means those sentences are embedded when asked for.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corpus.chunking import quotable_units
from corpus.models import Chunk

_FILE = "sentences.sqlite"


def headed_sentences(chunk: Chunk) -> list[tuple[int, int, str]]:
    """(start, end, text to embed) for each quotable unit of the chunk (`corpus.chunking.quotable_units`)."""
    return quotable_units(chunk.text, chunk.section)


@dataclass(frozen=True)
class SentenceVectors:
    """The sentences of one chunk: their (start, end) offsets in the chunk text and their unit vectors."""

    spans: np.ndarray  # int32, shape (n, 2)
    vectors: np.ndarray  # float32, shape (n, dimension)


class SentenceStore:
    """Chunk id → its sentence spans and vectors, in SQLite (one transaction per write)."""

    def __init__(self, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / _FILE
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS sentences "
            "(chunk_id TEXT PRIMARY KEY, n INTEGER, dim INTEGER, spans BLOB, vectors BLOB)"
        )
        # Each chunk's text and metadata as stored in Chroma: reading 60 of them here takes about 1 ms, through
        # Chroma's get about 15 ms (its per-id cost, whatever the index size), which was a fifth of an answer.
        self._db.execute("CREATE TABLE IF NOT EXISTS records (chunk_id TEXT PRIMARY KEY, text TEXT, meta TEXT)")
        self._db.commit()

    def put(self, items: Iterable[tuple[str, SentenceVectors]]) -> None:
        """Store the sentences of these chunks (replacing what a chunk had)."""
        rows = [
            (
                chunk_id,
                len(s.spans),
                int(s.vectors.shape[1]) if s.vectors.ndim == 2 else 0,
                np.ascontiguousarray(s.spans, dtype=np.int32).tobytes(),
                np.ascontiguousarray(s.vectors, dtype=np.float32).tobytes(),
            )
            for chunk_id, s in items
        ]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO sentences VALUES (?, ?, ?, ?, ?)", rows)

    def get(self, chunk_ids: list[str]) -> dict[str, SentenceVectors]:
        """The stored sentences of these chunks; chunks not stored are left out."""
        return {
            chunk_id: SentenceVectors(
                np.frombuffer(spans, dtype=np.int32).reshape(n, 2),
                np.frombuffer(vectors, dtype=np.float32).reshape(n, dim),
            )
            for chunk_id, n, dim, spans, vectors in self._select("n, dim, spans, vectors", "sentences", chunk_ids)
        }

    def _select(self, columns: str, table: str, chunk_ids: list[str]) -> Iterator[tuple[Any, ...]]:
        """(chunk_id, *columns) rows of the table for these chunks, in batches under SQLite's limit on bound
        parameters."""
        for start in range(0, len(chunk_ids), 500):
            batch = chunk_ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            yield from self._db.execute(f"SELECT chunk_id, {columns} FROM {table} WHERE chunk_id IN ({marks})", batch)

    def put_records(self, records: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
        """Keep these chunks' (id, text, metadata) as Chroma has them (replacing what a chunk had)."""
        rows = [(chunk_id, text, json.dumps(meta)) for chunk_id, text, meta in records]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", rows)

    def records(self, chunk_ids: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Chunk id → (text, metadata) for the chunks kept here; the others are left out (read them from Chroma)."""
        return {
            chunk_id: (text, json.loads(meta))
            for chunk_id, text, meta in self._select("text, meta", "records", chunk_ids)
        }

    def delete_records(self, chunk_ids: list[str]) -> None:
        """Forget these chunks' kept records (they are read from Chroma until written again)."""
        self._delete(chunk_ids, ("records",))

    def delete(self, chunk_ids: list[str]) -> None:
        """Forget these chunks: their sentences and their kept records, in one transaction."""
        self._delete(chunk_ids, ("sentences", "records"))

    def _delete(self, chunk_ids: list[str], tables: tuple[str, ...]) -> None:
        with self._db:
            for table in tables:
                self._db.executemany(f"DELETE FROM {table} WHERE chunk_id = ?", [(i,) for i in chunk_ids])

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0])

    def close(self) -> None:
        self._db.close()
