"""Ingest: discover files → load → chunk → embed (several files at once) → upsert, returning a report."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from corpus.chunking import ChunkingConfig, chunk_document
from corpus.errors import LoadError
from corpus.loaders import is_supported, load_document
from corpus.models import Chunk, Document
from index.search import DocumentChunks, SearchIndex

Status = Literal["added", "unchanged", "replaced", "failed"]


@dataclass
class FileResult:
    """What happened to one file."""

    file: str
    path: str
    status: Status
    chunks: int = 0
    reason: str | None = None


@dataclass
class IngestReport:
    """What an ingest run did, file by file."""

    results: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def succeeded(self) -> bool:
        """False only when there were files and none of them is now in the index."""
        return not self.results or any(r.status != "failed" for r in self.results)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s}" for s in ("added", "unchanged", "replaced", "failed"))
        return counts + (f"; {len(self.skipped)} skipped (unsupported type)" if self.skipped else "")

    def as_json(self) -> dict[str, Any]:
        return {
            "added": self.count("added"),
            "unchanged": self.count("unchanged"),
            "replaced": self.count("replaced"),
            "failed": self.count("failed"),
            "skipped": self.skipped,
            "files": [r.__dict__ for r in self.results],
        }


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Files to ingest under the given files and folders (recursive, hidden ones left out), and those skipped."""
    found: list[Path] = []
    skipped: list[str] = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = candidate.relative_to(path)
                if any(part.startswith(".") for part in relative.parts) or candidate.name.endswith(".meta.toml"):
                    continue
                if is_supported(candidate):
                    found.append(candidate)
                else:
                    skipped.append(str(candidate))
        else:
            found.append(path)  # named explicitly: an unsupported or missing one is reported as failed
    return found, skipped


_FLUSH_CHUNKS = 512  # chunks gathered across files before one embedding pass: long enough to batch by length


@dataclass
class PendingFile:
    """A loaded, chunked file waiting for its embedding pass."""

    path: Path
    document: Document
    chunks: list[Chunk]
    replaced: bool


def ingest(
    index: SearchIndex,
    paths: Iterable[Path],
    overrides: dict[str, Any] | None = None,
    chunking: ChunkingConfig | None = None,
    progress: bool = True,
) -> IngestReport:
    """Bring files into the index: unchanged ones are left alone, changed ones replace their old chunks.

    Chunks of several files are embedded together (sorted by length across files) and stored in one write."""
    from tqdm import tqdm

    files, skipped = discover(paths)
    report = IngestReport(skipped=skipped)
    max_bytes = int(index.config.max_file_mb * 1_000_000)
    index.sync_keywords()  # repair a keyword index a crashed run left behind before changing anything
    results: list[FileResult | None] = []
    pending: list[tuple[int, PendingFile]] = []
    for path in tqdm(files, desc="Ingesting", unit="file", disable=not progress or not files):
        prepared = prepare_file(index, path, overrides, chunking, max_bytes)
        results.append(prepared if isinstance(prepared, FileResult) else None)
        if isinstance(prepared, PendingFile):
            pending.append((len(results) - 1, prepared))
            if sum(len(p.chunks) for _, p in pending) >= _FLUSH_CHUNKS:
                _store_pending(index, pending, results)
                pending = []
    _store_pending(index, pending, results)
    report.results = [r for r in results if r is not None]
    index.sync_keywords()
    return report


def prepare_file(
    index: SearchIndex, path: Path, overrides: dict[str, Any] | None, chunking: ChunkingConfig | None, max_bytes: int
) -> FileResult | PendingFile:
    """Load and chunk one file, or the result when there is nothing to embed (unchanged, or failed and why);
    never raises for bad input."""
    try:
        if not path.exists():
            raise LoadError(path.name, "no such file")
        document = load_document(path, overrides, max_bytes)
    except LoadError as exc:
        return FileResult(path.name, str(path), "failed", reason=exc.reason)
    store = index.store
    versions = store.versions(document.file)
    if document.sha256 in versions and store.is_complete(document.file, document.sha256):
        if len(versions) > 1:  # a crash after writing a new version but before deleting the old one
            index.delete_document(document.file, keep_sha256=document.sha256)
        return FileResult(document.file, str(path), "unchanged", chunks=versions[document.sha256])
    chunks = chunk_document(document, index.embedder.tokenize, chunking)
    replaced = any(sha != document.sha256 for sha in versions)
    return PendingFile(path, document, chunks, replaced)


def _store_pending(
    index: SearchIndex, pending: list[tuple[int, PendingFile]], results: list[FileResult | None]
) -> None:
    """Embed and store the pending files' chunks in one pass, then drop their old versions and copy the files."""
    if not pending:
        return
    # New chunks first, old ones after: a crash in between leaves the old version searchable.
    index.add_documents([DocumentChunks(p.chunks, p.document.pages) for _, p in pending])
    for position, p in pending:
        index.delete_document(p.document.file, keep_sha256=p.document.sha256)
        shutil.copyfile(p.path, index.files_dir / p.document.file)
        status: Status = "replaced" if p.replaced else "added"
        results[position] = FileResult(p.document.file, str(p.path), status, chunks=len(p.chunks))


def remove(index: SearchIndex, name: str) -> tuple[str, int]:
    """Delete a document (by file name or title) from both stores; returns its file name and chunk count."""
    record = index.store.find_document(name)
    index.sync_keywords()
    removed = index.delete_document(record.file)
    (index.files_dir / record.file).unlink(missing_ok=True)
    return record.file, removed
