"""Ingest: discover files → load → chunk → embed (several files at once) → upsert, returning a report."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from corpus.chunking import ChunkingConfig, chunk_document
from corpus.errors import LoadError
from corpus.isolation import IsolatedLoader
from corpus.loaders import is_supported, load_document
from corpus.metadata import corrected_meta
from corpus.models import Chunk, Document
from corpus.ocr import OcrConfig
from corpus.towns import load_towns
from index.config import IndexConfig
from index.search import DocumentChunks, SearchIndex
from index.store import DocumentRecord
from index.writing import bump_generation, write_lock

Status = Literal["added", "unchanged", "replaced", "failed"]
OCR_CACHE = "ocr-cache"  # recognised page texts by page-image hash, in the index directory


@dataclass
class FileResult:
    """What happened to one file."""

    file: str
    path: str
    status: Status
    chunks: int = 0
    reason: str | None = None
    notes: list[str] = field(default_factory=list)  # warnings: pages left out and why
    ocr: dict[str, Any] | None = None  # scanned pages recognised, taken from the OCR cache, seconds (OcrReport)


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

    def ocr_totals(self) -> dict[str, Any]:
        """Scanned pages recognised now and taken from the cache across the run, with the recognition rate."""
        reports = [r.ocr for r in self.results if r.ocr]
        recognised = sum(o["recognised"] for o in reports)
        seconds = sum(o["seconds"] for o in reports)
        return {
            "recognised": recognised,
            "cached": sum(o["cached"] for o in reports),
            "seconds": round(seconds, 2),
            "pages_per_second": round(recognised / seconds, 2) if recognised and seconds else None,
        }

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s}" for s in ("added", "unchanged", "replaced", "failed"))
        ocr = self.ocr_totals()
        if ocr["recognised"] or ocr["cached"]:
            rate = f" at {ocr['pages_per_second']:.2f} pages/s" if ocr["pages_per_second"] else ""
            counts += f"; scanned pages: {ocr['recognised']} recognised{rate}, {ocr['cached']} from the OCR cache"
        return counts + (f"; {len(self.skipped)} skipped (unsupported type)" if self.skipped else "")

    def as_json(self) -> dict[str, Any]:
        return {
            "added": self.count("added"),
            "unchanged": self.count("unchanged"),
            "replaced": self.count("replaced"),
            "failed": self.count("failed"),
            "skipped": self.skipped,
            "ocr": self.ocr_totals(),
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


@dataclass
class PendingFile:
    """A loaded, chunked file waiting for its embedding pass."""

    path: Path
    document: Document
    chunks: list[Chunk]
    replaced: bool
    version: tuple[str, str]


def ingest(
    index: SearchIndex,
    paths: Iterable[Path],
    overrides: dict[str, Any] | None = None,
    chunking: ChunkingConfig | None = None,
    progress: bool = True,
    on_result: Callable[[FileResult], None] | None = None,
    ocr: OcrConfig | None = None,
) -> IngestReport:
    """Bring files into the index: unchanged ones are left alone, changed ones replace their old chunks.

    Holds the index's write lock throughout. Chunks of several files are embedded together (sorted by length
    across files) and stored in one write; `on_result` hears about each file as soon as it is stored or fails.
    Scanned PDF pages are recognised as `ocr` says, their text cached in the index (`ocr-cache/` unless set).
    """
    from tqdm import tqdm

    ocr = ocr_config(index.config, ocr)
    files, skipped = discover(paths)
    report = IngestReport(skipped=skipped)
    max_bytes = int(index.config.max_file_mb * 1_000_000)
    results: list[FileResult | None] = []

    def settle(position: int, result: FileResult) -> None:
        results[position] = result
        if on_result:
            on_result(result)

    with write_lock(index.config.dir), open_reader(index.config) as reader:
        index.sync_keywords()  # repair a keyword index a crashed run left behind before changing anything
        pending: list[tuple[int, PendingFile]] = []
        for path in tqdm(files, desc="Ingesting", unit="file", disable=not progress or not files):
            prepared = prepare_file(
                index, path, overrides, chunking, max_bytes, reader, ocr, page_progress(path.name, progress)
            )
            results.append(None)
            if isinstance(prepared, FileResult):
                settle(len(results) - 1, prepared)
                continue
            pending.append((len(results) - 1, prepared))
            if sum(len(p.chunks) for _, p in pending) >= index.config.ingest_batch_chunks:
                _store_pending(index, pending, settle)
                pending = []
        _store_pending(index, pending, settle)
        index.sync_keywords()
        index.generation = bump_generation(index.config.dir)
    report.results = [r for r in results if r is not None]
    return report


def ocr_config(config: IndexConfig, ocr: OcrConfig | None) -> OcrConfig:
    """The OCR settings with their cache in the index directory unless they name another."""
    ocr = ocr or OcrConfig()
    return ocr if ocr.cache_dir else ocr.model_copy(update={"cache_dir": config.dir / OCR_CACHE})


def page_progress(file: str, enabled: bool) -> Callable[[int, int], None]:
    """A progress bar (pages/s) for the scanned pages of one file, opened when the first page is done."""
    from tqdm import tqdm

    bar: Any = None

    def on_page(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=f"OCR {file}", unit="page", disable=not enabled, leave=False)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return on_page


def open_reader(config: IndexConfig) -> IsolatedLoader:
    """The worker process that reads files, with the configured time and memory limits."""
    return IsolatedLoader(config.parse_timeout_s, config.parse_memory_mb)


def load_step(
    path: Path,
    overrides: dict[str, Any] | None,
    max_bytes: int,
    reader: IsolatedLoader | None,
    ocr: OcrConfig | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> Document | FileResult:
    """Read one file (in the worker when given): the Document, or a failed result saying why."""
    try:
        if not path.exists():
            raise LoadError(path.name, "no such file")
        if reader:
            return reader.load(path, overrides, max_bytes, ocr, on_page)
        return load_document(path, overrides, max_bytes, ocr, on_page)
    except LoadError as exc:
        return FileResult(path.name, str(path), "failed", reason=exc.reason)


def prepare_file(
    index: SearchIndex,
    path: Path,
    overrides: dict[str, Any] | None,
    chunking: ChunkingConfig | None,
    max_bytes: int,
    reader: IsolatedLoader | None = None,
    ocr: OcrConfig | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> FileResult | PendingFile:
    """Load and chunk one file, or the result when there is nothing to embed (unchanged, or failed and why);
    never raises for bad input."""
    document = load_step(path, overrides, max_bytes, reader, ocr, on_page)
    if isinstance(document, FileResult):
        return document
    chunking = chunking or ChunkingConfig()
    # A version is the file's bytes cut with given chunk settings: other settings re-chunk an unchanged file.
    version = (document.sha256, chunking.fingerprint)
    try:
        versions = index.store.versions(document.file)
        if version in versions and index.store.is_complete(document.file, version):
            if len(versions) > 1:  # a crash after writing a new version but before deleting the old one
                index.delete_document(document.file, keep=version)
            keep_copy(index, path, document)
            return FileResult(
                document.file, str(path), "unchanged", chunks=versions[version], **reading_notes(document)
            )
        chunks = chunk_document(document, index.embedder.tokenize, chunking)
        registry = load_towns()
        for chunk in chunks:  # a town question finds passages that discuss the town, tagged or not
            chunk.mentions = registry.find(chunk.text)
    except Exception as exc:  # a failure on one file is that file's alone
        return _failed(document.file, path, exc)
    return PendingFile(path, document, chunks, any(v != version for v in versions), version)


def _store_pending(
    index: SearchIndex, pending: list[tuple[int, PendingFile]], settle: Callable[[int, FileResult], None]
) -> None:
    """Embed and store the pending files' chunks in one pass, then drop their old versions and copy the files."""
    if not pending:
        return
    try:
        # New chunks first, old ones after: a crash in between leaves the old version searchable.
        index.add_documents([DocumentChunks(p.chunks, p.document.pages) for _, p in pending])
    except Exception as exc:  # the batch could not be stored: its files failed, the rest of the run goes on
        for position, p in pending:
            settle(position, _failed(p.document.file, p.path, exc))
        return
    for position, p in pending:
        try:
            index.delete_document(p.document.file, keep=p.version)
            keep_copy(index, p.path, p.document)
        except Exception as exc:  # a partial write is redone by the next run
            settle(position, _failed(p.document.file, p.path, exc))
            continue
        status: Status = "replaced" if p.replaced else "added"
        result = FileResult(p.document.file, str(p.path), status, chunks=len(p.chunks), **reading_notes(p.document))
        settle(position, result)


def reading_notes(document: Document) -> dict[str, Any]:
    """What reading the file left to say: warnings, and what OCR did."""
    return {"notes": list(document.notes), "ocr": document.ocr.as_json() if document.ocr else None}


def _failed(file: str, path: Path, exc: Exception) -> FileResult:
    reason = f"could not be indexed ({exc.__class__.__name__}: {exc})"[:500]
    return FileResult(file, str(path), "failed", reason=reason)


def keep_copy(index: SearchIndex, path: Path, document: Document) -> None:
    """The indexed copy of the file, written whole or not at all (a crash mid-copy is redone by the next run)."""
    target = index.files_dir / document.file
    same_size = target.is_file() and target.stat().st_size == path.stat().st_size
    if same_size and hashlib.sha256(target.read_bytes()).hexdigest() == document.sha256:
        return
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(path, tmp)
    os.replace(tmp, target)


def update_metadata(index: SearchIndex, name: str, changes: dict[str, Any]) -> DocumentRecord:
    """Correct a document's title, type, towns, date or source URL (by file name or title) in every store,
    without re-reading or re-embedding it; a corrected field is no longer listed as inferred."""
    with write_lock(index.config.dir):
        record = index.store.find_document(name)
        meta = corrected_meta(record.file, record.meta, changes)
        index.sync_keywords()
        index.update_document_meta(record.file, meta)
        index.generation = bump_generation(index.config.dir)
    return index.store.find_document(record.file)


def remove(index: SearchIndex, name: str) -> tuple[str, int]:
    """Delete a document (by file name or title) from both stores; returns its file name and chunk count."""
    with write_lock(index.config.dir):
        record = index.store.find_document(name)
        index.sync_keywords()
        removed = index.delete_document(record.file)
        (index.files_dir / record.file).unlink(missing_ok=True)
        index.generation = bump_generation(index.config.dir)
    return record.file, removed
