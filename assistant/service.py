"""What the layers above (CLI, UI, evals) use: open an index or an assistant, ingest, list, remove.

Each takes the one Settings object built at the edge; nothing here reads the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from assistant.pipeline import Assistant
from assistant.settings import Settings
from index.build import FileResult, IngestReport
from index.search import SearchIndex
from index.store import ChunkStore, DocumentRecord


def open_index(settings: Settings, create: bool = False) -> SearchIndex:
    return SearchIndex(settings.index_config(), create=create)


def open_assistant(settings: Settings, index: SearchIndex | None = None) -> Assistant:
    return Assistant(index or open_index(settings), settings.answer_config(), settings.retrieval_config())


def ingest_paths(
    settings: Settings,
    paths: Iterable[Path],
    overrides: dict[str, Any] | None = None,
    progress: bool = True,
    index: SearchIndex | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into the configured index (created if missing); `on_result` hears each file."""
    from index.build import ingest

    return ingest(
        index or open_index(settings, create=True),
        list(paths),
        overrides,
        settings.chunking_config(),
        progress,
        on_result,
    )


def list_documents(settings: Settings, index: SearchIndex | None = None) -> list[DocumentRecord]:
    """The documents in the index: from an index already open, else from the store alone (no model loaded)."""
    store = index.store if index else ChunkStore(settings.index_config(), settings.embedding_model, create=False)
    return store.documents()


def remove_document(settings: Settings, name: str, index: SearchIndex | None = None) -> tuple[str, int]:
    from index.build import remove

    return remove(index or open_index(settings), name)
