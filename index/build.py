"""Ingest: discover files → load → chunk → embed → upsert, one document at a time, returning a report."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from corpus.chunking import ChunkingConfig, chunk_document
from corpus.errors import LoadError
from corpus.loaders import is_supported, load_document
from index.search import SearchIndex

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


def ingest(
    index: SearchIndex,
    paths: Iterable[Path],
    overrides: dict[str, Any] | None = None,
    chunking: ChunkingConfig | None = None,
    progress: bool = True,
) -> IngestReport:
    """Bring files into the index: unchanged ones are left alone, changed ones replace their old chunks."""
    from tqdm import tqdm

    files, skipped = discover(paths)
    report = IngestReport(skipped=skipped)
    max_bytes = int(index.config.max_file_mb * 1_000_000)
    for path in tqdm(files, desc="Ingesting", unit="file", disable=not progress or not files):
        report.results.append(ingest_file(index, path, overrides, chunking, max_bytes))
    index.sync_keywords()
    return report


def ingest_file(
    index: SearchIndex, path: Path, overrides: dict[str, Any] | None, chunking: ChunkingConfig | None, max_bytes: int
) -> FileResult:
    """One file into the index, or a failed result that says why; never raises for bad input."""
    try:
        if not path.exists():
            raise LoadError(path.name, "no such file")
        document = load_document(path, overrides, max_bytes)
    except LoadError as exc:
        return FileResult(path.name, str(path), "failed", reason=exc.reason)
    store = index.store
    chunking = chunking or ChunkingConfig()
    # A version is the file's bytes cut with given chunk settings: other settings re-chunk an unchanged file.
    version = (document.sha256, chunking.fingerprint)
    versions = store.versions(document.file)
    if version in versions and store.is_complete(document.file, version):
        if len(versions) > 1:  # a crash after writing a new version but before deleting the old one
            store.delete_document(document.file, keep=version)
        return FileResult(document.file, str(path), "unchanged", chunks=versions[version])
    chunks = chunk_document(document, index.embedder.tokenize, chunking)
    vectors = index.embedder.embed([c.context_text() for c in chunks])
    # New chunks first, old ones after: a crash in between leaves the old version searchable.
    store.upsert(chunks, vectors, document.pages)
    store.delete_document(document.file, keep=version)
    shutil.copyfile(path, index.files_dir / document.file)
    replaced = any(v != version for v in versions)
    return FileResult(document.file, str(path), "replaced" if replaced else "added", chunks=len(chunks))


def remove(index: SearchIndex, name: str) -> tuple[str, int]:
    """Delete a document (by file name or title) from both stores; returns its file name and chunk count."""
    record = index.store.find_document(name)
    removed = index.store.delete_document(record.file)
    (index.files_dir / record.file).unlink(missing_ok=True)
    index.sync_keywords()
    return record.file, removed
