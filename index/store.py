"""The Chroma collection of chunks: embedded on disk by default, or a Chroma server by URL — the same code."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from corpus.models import AUTHORITY, Chunk, DocumentMeta
from index.config import IndexConfig
from index.errors import DocumentNotFoundError, IndexConfigError, IndexMismatchError, IndexStoreError, IndexVersionError

_BATCH = 1000  # well under Chroma's per-call limit
CHROMA_VERSION_FILE = "chroma_version"  # the chromadb release that last opened the embedded store
_retired_systems: dict[str, list[Any]] = {}  # embedded systems replaced by a fresh one, per path


@dataclass(frozen=True)
class DocumentRecord:
    """One document as the index holds it."""

    file: str
    sha256: str
    meta: DocumentMeta
    chunks: int
    pages: int | None
    mentions: list[str] = field(default_factory=list)  # towns its text names

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "chunks": self.chunks,
            "pages": self.pages,
            **self.meta.model_dump(),
        }


@dataclass(frozen=True)
class Hit:
    """A chunk returned by a search, with its cosine similarity to the query."""

    chunk: Chunk
    similarity: float


def make_client(config: IndexConfig, fresh: bool = False) -> Any:
    """A Chroma client: HTTP when a server URL is configured, else an embedded store in the index directory.

    Chroma shares one embedded system per path within a process; `fresh` starts a new one, which sees what other
    processes wrote since (the old one's vector index does not).
    """
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if config.chroma_url:
        url = urlparse(config.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise IndexConfigError(f"ASSISTANT_CHROMA_URL {config.chroma_url!r} is not an http(s)://host:port URL")
        try:
            return chromadb.HttpClient(
                host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https", settings=settings
            )
        except Exception as exc:  # chromadb raises plain ValueError/ConnectionError variants here
            raise IndexConfigError(f"Cannot reach the Chroma server at {config.chroma_url}: {exc}") from exc
    config.dir.mkdir(parents=True, exist_ok=True)
    path = str(config.dir / "chroma")
    check_chroma_version(config.dir)
    # Detach the cached system so a new one is built. The stale one is stopped at the next reopen, not now, so a
    # query another thread is running on it can finish.
    stale = SharedSystemClient._identifier_to_system.pop(path, None) if fresh else None
    client = chromadb.PersistentClient(path=path, settings=settings)
    if stale is not None:
        for system in _retired_systems.pop(path, []):
            system.stop()
        _retired_systems[path] = [stale]
    record_chroma_version(config.dir)
    return client


def _chroma_version() -> str:
    import chromadb

    return str(chromadb.__version__)


def check_chroma_version(directory: Path) -> None:
    """Refuse an embedded store made by a newer chromadb than the installed one (its format may be unreadable)."""
    import chromadb
    from packaging.version import InvalidVersion, Version

    try:
        recorded = (directory / CHROMA_VERSION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return
    try:
        newer = Version(recorded) > Version(chromadb.__version__)
    except InvalidVersion:
        raise IndexVersionError(
            f"The index at {directory} records an unreadable Chroma version {recorded!r} in {CHROMA_VERSION_FILE}"
        ) from None
    if newer:
        raise IndexVersionError(
            f"The index at {directory} was made by chromadb {recorded}, newer than the installed {chromadb.__version__}."
            f" Upgrade chromadb (pip install 'chromadb>={recorded}'), or rebuild the index with this version:"
            f" delete {directory} (or pick a new --index DIR) and run assistant ingest again."
        )


def record_chroma_version(directory: Path) -> None:
    """Note the installed chromadb as the store's version once it opened (Chroma migrates a store it opens)."""
    import chromadb

    path = directory / CHROMA_VERSION_FILE
    try:
        if path.read_text(encoding="utf-8").strip() == chromadb.__version__:
            return
    except OSError:
        pass
    with contextlib.suppress(OSError):  # a read-only index still opens; the record waits for a writer
        path.write_text(chromadb.__version__ + "\n", encoding="utf-8")


class ChunkStore:
    """Chunks with their vectors and metadata in one Chroma collection that records its embedding model."""

    def __init__(
        self, config: IndexConfig, model: str, dimension: int | None = None, create: bool = True, fresh: bool = False
    ):
        self.config = config
        self.client = make_client(config, fresh)
        self.collection = self._open_collection(model, dimension, create)

    def _open_collection(self, model: str, dimension: int | None, create: bool) -> Any:
        where = self.config.chroma_url or str(self.config.dir)
        names = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
        if self.config.collection not in names:
            if not create:
                raise IndexStoreError(
                    f"No index at {where}. Build one with: assistant ingest corpus/documents --index {self.config.dir}"
                )
            if dimension is None:
                raise IndexStoreError("A new index needs the embedding dimension")
            return self.client.create_collection(
                self.config.collection,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedding_model": model, "dimension": dimension, "chromadb_version": _chroma_version()},
            )
        collection = self.client.get_collection(self.config.collection, embedding_function=None)
        built_with = (collection.metadata or {}).get("embedding_model")
        built_dim = (collection.metadata or {}).get("dimension")
        if built_with != model or (dimension is not None and built_dim != dimension):
            raise IndexMismatchError(
                f"The index at {where} was built with embedding model {built_with!r} ({built_dim} dimensions), "
                f"but this configuration uses {model!r}"
                + (f" ({dimension} dimensions)" if dimension else "")
                + ". Vectors from different models cannot be compared. Either set ASSISTANT_EMBEDDING_MODEL="
                f"{built_with!r}, or rebuild: delete {where} (or pick a new --index DIR) and run assistant ingest again."
            )
        return collection

    def count(self) -> int:
        return int(self.collection.count())

    def versions(self, file: str) -> dict[tuple[str, str], int]:
        """For each (content hash, chunk settings) stored under this file name, how many of its chunks are present."""
        result = self.collection.get(where={"file": file}, include=["metadatas"])
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for meta in result["metadatas"] or []:
            counts[_version(meta)] += 1
        return dict(counts)

    def is_complete(self, file: str, version: tuple[str, str]) -> bool:
        """Whether every chunk of this version of the file is stored (a crash may have left only some)."""
        result = self.collection.get(
            where={"$and": [{"file": file}, {"doc_sha256": version[0]}]}, include=["metadatas"]
        )
        metas = [m for m in result["metadatas"] or [] if _version(m) == version]
        return bool(metas) and len(metas) == int(metas[0]["n_chunks"])

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray, pages: int | None = None) -> None:
        """Store chunks with their vectors; ids derive from content, so repeating this changes nothing."""
        self.upsert_records([c.id for c in chunks], vectors, [c.text for c in chunks], chunk_metadatas(chunks, pages))

    def upsert_records(
        self, ids: list[str], vectors: np.ndarray, texts: list[str], metadatas: list[dict[str, Any]]
    ) -> None:
        """Store prepared records (several documents' chunks at once), in batches Chroma accepts."""
        for start in range(0, len(ids), _BATCH):
            end = start + _BATCH
            self.collection.upsert(
                ids=ids[start:end],
                embeddings=vectors[start:end],
                documents=texts[start:end],
                metadatas=metadatas[start:end],
            )

    def document_ids(self, file: str, keep: tuple[str, str] | None = None) -> list[str]:
        """Ids of a document's chunks (all versions, or all but `keep`: a content hash and chunk settings)."""
        result = self.collection.get(where={"file": file}, include=["metadatas"])
        return [i for i, m in zip(result["ids"], result["metadatas"] or [], strict=True) if _version(m) != keep]

    def update_document_meta(self, file: str, meta: DocumentMeta) -> list[tuple[str, str, dict[str, Any]]]:
        """Rewrite the document fields stored with every chunk of a file (vectors untouched); returns each
        chunk's (id, text, new metadata)."""
        result = self.collection.get(where={"file": file}, include=["metadatas", "documents"])
        fields = document_fields(meta)  # a None removes the field from the stored metadata
        ids = list(result["ids"])
        for start in range(0, len(ids), _BATCH):
            self.collection.update(
                ids=ids[start : start + _BATCH], metadatas=[fields] * len(ids[start : start + _BATCH])
            )
        return [
            (i, t, {k: v for k, v in {**m, **fields}.items() if v is not None})
            for i, t, m in zip(ids, result["documents"], result["metadatas"], strict=True)
        ]

    def delete_ids(self, ids: list[str]) -> None:
        for start in range(0, len(ids), _BATCH):
            self.collection.delete(ids=ids[start : start + _BATCH])

    def delete_document(self, file: str, keep: tuple[str, str] | None = None) -> int:
        """Delete a document's chunks (all versions, or all but `keep`); returns how many went."""
        ids = self.document_ids(file, keep)
        self.delete_ids(ids)
        return len(ids)

    def documents(self) -> list[DocumentRecord]:
        """Every document in the index, one record each, sorted by title."""
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for _, _, meta in self.iter_records(include_text=False):
            groups[(str(meta["file"]), str(meta["doc_sha256"]))].append(meta)
        records = [
            DocumentRecord(
                file=file,
                sha256=sha,
                meta=meta_from_metadata(metas[0]),
                chunks=len(metas),
                pages=metas[0].get("pages"),
                mentions=sorted({t for m in metas for t in m.get("mentions") or []}),
            )
            for (file, sha), metas in groups.items()
        ]
        return sorted(records, key=lambda r: (r.meta.title.lower(), r.file))

    def find_document(self, name: str) -> DocumentRecord:
        """The document with this file name, or failing that, this title (case-insensitive)."""
        records = self.documents()
        for matches in (
            [r for r in records if r.file == name],
            [r for r in records if r.file.lower() == name.lower() or r.meta.title.lower() == name.lower()],
        ):
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise DocumentNotFoundError(f"{name!r} matches several documents: {', '.join(r.file for r in matches)}")
        raise DocumentNotFoundError(f"No document {name!r} in the index; `assistant sources` lists them.")

    def iter_records(self, include_text: bool = True) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(id, text, metadata) of every chunk, page by page, so a large index is never held twice."""
        include = ["metadatas", "documents"] if include_text else ["metadatas"]
        offset = 0
        while True:
            page = self.collection.get(include=include, limit=_BATCH, offset=offset)
            ids = page["ids"]
            if not ids:
                return
            texts = page["documents"] if include_text else [""] * len(ids)
            yield from zip(ids, texts, page["metadatas"], strict=True)
            offset += len(ids)

    def nearest_ids(
        self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, ids: list[str] | None = None
    ) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the k chunks nearest the vector, optionally within a metadata filter or among
        the given ids, with nothing else read (an empty store finds nothing)."""
        if ids is not None and not ids:
            return []
        result = self.collection.query(
            query_embeddings=[vector], n_results=k, where=where or None, ids=ids, include=["distances"]
        )
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def get(self, ids: list[str]) -> list[Chunk]:
        """The chunks with these ids, in the order asked (missing ones skipped)."""
        if not ids:
            return []
        result = self.collection.get(ids=ids, include=["metadatas", "documents"])
        by_id = {
            i: chunk_from_record(i, t, m)
            for i, t, m in zip(result["ids"], result["documents"], result["metadatas"], strict=True)
        }
        return [by_id[i] for i in ids if i in by_id]

    def query(
        self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, ids: list[str] | None = None
    ) -> list[Hit]:
        """The k chunks nearest the vector, optionally within a metadata filter or among the given ids."""
        if self.count() == 0 or (ids is not None and not ids):
            return []
        result = self.collection.query(
            query_embeddings=[vector],
            n_results=k,
            where=where or None,
            ids=ids,
            include=["metadatas", "documents", "distances"],
        )
        return [
            Hit(chunk_from_record(i, t, m), 1.0 - float(d))
            for i, t, m, d in zip(
                result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True
            )
        ]


def chunk_metadatas(chunks: list[Chunk], pages: int | None = None) -> list[dict[str, Any]]:
    """The metadata of each chunk of one document."""
    return [chunk_metadata(c, len(chunks), pages) for c in chunks]


def chunk_metadata(chunk: Chunk, n_chunks: int, pages: int | None = None) -> dict[str, Any]:
    """The flat metadata Chroma stores with a chunk (Chroma takes no None values and no empty lists)."""
    values: dict[str, Any] = {
        "file": chunk.file,
        "doc_sha256": chunk.doc_sha256,
        "number": chunk.number,
        "n_chunks": n_chunks,
        "block": chunk.block,
        "start": chunk.start,
        "end": chunk.end,
        "page": chunk.page,
        "section": chunk.section,
        "mentions": chunk.mentions or None,
        **document_fields(chunk.meta),
        "pages": pages,
        "ocr": chunk.ocr or None,
        "chunking": chunk.chunking or None,
    }
    return {k: v for k, v in values.items() if v is not None}


def document_fields(meta: DocumentMeta) -> dict[str, Any]:
    """The document's own fields as every one of its chunks stores them (None: the field is absent)."""
    return {
        "title": meta.title,
        "doc_type": meta.doc_type,
        "authority": AUTHORITY[meta.doc_type],
        "towns": meta.towns or None,
        "statewide": not meta.towns,
        "date": meta.date,
        "date_ord": date_ordinal(meta.date),
        "publisher": meta.publisher,
        "source_url": meta.source_url,
        "summary_of": meta.summary_of,
        "language": meta.language if meta.language != "en" else None,
        "inferred": meta.inferred or None,
    }


def meta_from_metadata(meta: dict[str, Any]) -> DocumentMeta:
    return DocumentMeta(
        title=meta["title"],
        doc_type=meta["doc_type"],
        towns=list(meta.get("towns") or []),
        date=meta.get("date"),
        publisher=meta.get("publisher"),
        source_url=meta.get("source_url"),
        summary_of=meta.get("summary_of"),
        language=meta.get("language") or "en",
        inferred=list(meta.get("inferred") or []),
    )


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        doc_sha256=meta["doc_sha256"],
        number=meta["number"],
        text=text,
        file=meta["file"],
        page=meta.get("page"),
        section=meta.get("section"),
        block=meta["block"],
        start=meta["start"],
        end=meta["end"],
        meta=meta_from_metadata(meta),
        ocr=bool(meta.get("ocr", False)),
        chunking=meta.get("chunking", ""),
        mentions=list(meta.get("mentions") or []),
    )


def _version(meta: dict[str, Any]) -> tuple[str, str]:
    """Which version of a document a chunk belongs to: its file's content hash and the chunk settings used."""
    return str(meta["doc_sha256"]), str(meta.get("chunking", ""))


def date_ordinal(date: str | None) -> int | None:
    """An ISO date as a sortable integer YYYYMMDD (missing month or day count as 00), for range filters."""
    if not date:
        return None
    parts = [int(p) for p in date.split("-")] + [0, 0]
    return parts[0] * 10000 + parts[1] * 100 + parts[2]
